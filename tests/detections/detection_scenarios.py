"""Replays the app's own default/savedsearches.conf over bundled data, once per scenario, for the tests.

A scenario is (data paths, baseline days, index lag); its ReplayResult is cached for the test session so
that every detection's expectations are checked against the same replay.
"""
import functools
import os
from pathlib import Path

from replay.ingest import IngestReport, read_events
from replay.scheduler import Replay

ROOT = Path(__file__).resolve().parents[2]
GEOIP_TEST_DB = ROOT / "tests" / "data" / "geoip" / "GeoIP2-City-Test.mmdb"


def use_test_geoip():
    """iplocation offline: MaxMind's City test database (it covers the campaign's attacker IP range)."""
    os.environ.setdefault("SPLENGINE_GEOIP_DB", str(GEOIP_TEST_DB))


def load_events(paths):
    report = IngestReport()
    events = list(read_events([ROOT / p for p in paths], report))
    return events, report


@functools.lru_cache(maxsize=None)
def replay(paths: tuple, baseline_days=None, lag=None):
    use_test_geoip()
    events, _ = load_events(paths)
    return Replay(ROOT, events, lag=lag).run(baseline_days=baseline_days)


def alerts_of(result, search_name):
    return [alert for alert in result.alerts if alert.search_name == search_name]
