"""Replays the app's own default/savedsearches.conf over bundled data, once per scenario, for the tests.

A scenario is (data paths, baseline days); its ReplayResult is cached for the test session so
that every detection's expectations are checked against the same replay.
"""
import functools
from pathlib import Path

from replay.app_overlay import offline_app
from replay.ingest import IngestReport, read_events
from replay.scheduler import Replay

ROOT = Path(__file__).resolve().parents[2]
GEOIP = ROOT / "tests" / "data" / "geoip"
# MaxMind's test databases cover the campaign's IPs (89.160.20.128: Sweden, AS29518 Bredband2 AB).
CITY_DB, ASN_DB = GEOIP / "GeoIP2-City-Test.mmdb", GEOIP / "GeoLite2-ASN-Test.mmdb"


def load_events(paths):
    report = IngestReport()
    events = list(read_events([ROOT / p for p in paths], report))
    return events, report


@functools.lru_cache(maxsize=None)
def replay(paths: tuple, baseline_days=None, tz="UTC"):
    """The app's schedule over `paths`, from a copy of the app whose ipcontext uses the test databases, with
    the search head (cron, snapping, strftime) in time zone `tz`."""
    events, _ = load_events(paths)
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        return Replay(app, events, geoip_db=CITY_DB, tz=tz).run(baseline_days=baseline_days)


def alerts_of(result, search_name):
    return [alert for alert in result.alerts if alert.search_name == search_name]
