"""Fixtures: every bundled sample (real + synthetic campaign), the synthetic API-call scenarios of tests/data/
(instance repurposing, telemetry tampering) and Splunk's internal records as indexed events;
the staged app with ipcontext pointed at the MaxMind test databases; an engine whose launch baselines were
built by the app's own support searches from the history before the campaign."""
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from replay.ingest import IngestReport, read_events
from replay.savedsearches import load_saved_searches
from splengine import Engine

from . import studio

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GEOIP = DATA / "geoip"
INTERNAL = DATA / "splunk_internal"
SAMPLES = [ROOT / "samples" / name for name in ("synthetic-campaign", "panther", "stratus-red-team",
                                                 "synthetic-campaign-services", "synthetic-metrics")]
# SYNTHETIC scenarios of tools/synth_api_calls.py: the campaign's key also repurposes an existing instance and
# blinds GuardDuty, Resolver logging and the trail after GuardDuty's findings.
SCENARIOS = [DATA / "instance_repurposing", DATA / "telemetry_tampering"]
CAMPAIGN_START = datetime(2026, 10, 1, tzinfo=timezone.utc).timestamp()
CAMPAIGN_END = datetime(2026, 10, 2, tzinfo=timezone.utc).timestamp()
NOW = CAMPAIGN_END + 3600
KV = re.compile(r'([A-Za-z_][A-Za-z0-9_.]*)=(?:"([^"]*)"|([^\s,\]"]+))')
SPLUNKD_HEAD = re.compile(r"^\S+ \S+ [+-]\d{4} (?P<log_level>[A-Z]+)\s+(?P<component>\S+)")
INTERNAL_FILES = {  # file -> (index, sourcetype, source, time format of the first timestamp)
    "scheduler.log": ("_internal", "scheduler", "/opt/splunk/var/log/splunk/scheduler.log"),
    "audit.log": ("_audit", "audittrail", "audittrail"),
    "splunkd_sendmodalert.log": ("_internal", "splunkd", "/opt/splunk/var/log/splunk/splunkd.log"),
}
_STAMP = re.compile(r"(\d\d-\d\d-\d{4} \d\d:\d\d:\d\d\.\d{3})")


def internal_events():
    """Splunk's scheduler/_audit/splunkd records with the fields Splunk extracts at search time."""
    events = []
    for name, (index, sourcetype, source) in INTERNAL_FILES.items():
        for line in (INTERNAL / name).read_text(encoding="utf-8").splitlines():
            stamp = _STAMP.search(line).group(1)
            t = datetime.strptime(stamp, "%m-%d-%Y %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()
            event = {"_raw": line, "_time": t, "_indextime": t + 1, "index": index, "sourcetype": sourcetype,
                     "source": source, "host": "sh1"}
            for match in KV.finditer(line):
                event.setdefault(match.group(1), match.group(2) if match.group(2) is not None else match.group(3))
            head = SPLUNKD_HEAD.match(line) if sourcetype == "splunkd" else None
            if head:
                event.update(head.groupdict())
            events.append(event)
    return events


@pytest.fixture(scope="session")
def events():
    report = IngestReport()
    indexed = list(read_events([str(p) for p in SAMPLES + SCENARIOS], report, host="aws-test"))
    assert sum(report.counts.values()) > 1500, report.summary()
    indexed += internal_events()
    indexed.sort(key=lambda e: e["_time"], reverse=True)  # Splunk returns newest first
    return indexed


@pytest.fixture(scope="session")
def app_dir(staged_app, tmp_path_factory):
    """The staged app (views, conf, vendored libs) with local/ipcontext.conf on the MaxMind test databases."""
    target = tmp_path_factory.mktemp("dash_app") / staged_app.name
    shutil.copytree(staged_app, target)
    (target / "local").mkdir(exist_ok=True)
    (target / "local" / "ipcontext.conf").write_text(
        f"[geoip]\ncity_db_path = {GEOIP / 'GeoLite2-City-Test.mmdb'}\nasn_db_path = {GEOIP / 'GeoLite2-ASN-Test.mmdb'}\n")
    return target


@pytest.fixture(scope="session")
def saved_searches(app_dir):
    return {s.name: s for s in load_saved_searches(app_dir / "default" / "savedsearches.conf")}


def baseline_engine(app_dir, events, saved_searches, scratch, tz="UTC"):
    """Engine (search head in time zone `tz`) whose KV store baselines hold the 30 days of history before the
    campaign (Initial Build and Launch Volume support searches of the app, run as an admin would after
    installing)."""
    eng = Engine(app_dir, scratch, geoip_db=GEOIP / "GeoLite2-City-Test.mmdb", tz=tz)
    for name in ("AWS Cryptomining - Baseline - Launch Entities - Initial Build",
                 "AWS Cryptomining - Baseline - Launch Volume"):
        eng.search(saved_searches[name].search, events=events, now=CAMPAIGN_START,
                   earliest=CAMPAIGN_START - 40 * 86400, latest=CAMPAIGN_START)
    return eng


def build_engine(app_dir, events, saved_searches, scratch):
    """The engine of the dashboard tests: baselines of the history before the campaign, incidents recorded."""
    eng = baseline_engine(app_dir, events, saved_searches, scratch)
    baseline = eng.search("| inputlookup aws_cryptomining_launch_baseline", now=CAMPAIGN_START)
    assert {r["entity"] for r in baseline if r["entity_type"] == "principal"} >= {"terraform-apply", "ci-deploy"}
    record_incidents(eng, events, saved_searches)
    return eng


@pytest.fixture(scope="session")
def engine(app_dir, events, saved_searches, tmp_path_factory):
    return build_engine(app_dir, events, saved_searches, tmp_path_factory.mktemp("kvstore"))


def record_incidents(eng, events, saved_searches):
    """The incidents panels read what the Incident Correlation search keeps: every scheduled detection runs
    once over the campaign day (recording its findings), then the correlation runs once."""
    for search in saved_searches.values():
        if "aws_cryptomining_record_finding(" in search.search:
            eng.search(search.search, events=events, now=CAMPAIGN_END, earliest=CAMPAIGN_START, latest=CAMPAIGN_END)
    eng.search(saved_searches["AWS Cryptomining - Incident Correlation"].search, now=CAMPAIGN_END + 3600)


def token_values(definition, earliest, latest, tokens):
    """The dashboard's token values: the time range, the given tokens, else each input's default."""
    values = {"global_time.earliest": earliest, "global_time.latest": latest, **tokens}
    for name, default in studio.input_tokens(definition).items():
        values.setdefault(name, default)
    return values


SHOWN_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ([A-Z]{2,5})$")


def as_utc(rows, zone="UTC"):
    """Panels show times as an analyst reads them, in the user's zone with its abbreviation (strftime
    "%Y-%m-%d %H:%M:%S %Z", the search head's zone `zone`); compared as instants, in UTC. A time whose
    abbreviation is not the zone's at that moment is left as shown, so that the comparison fails."""
    def one(value):
        if isinstance(value, list):
            return [one(v) for v in value]
        match = SHOWN_TIME.match(value) if isinstance(value, str) else None
        if match:
            local = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(zone))
            if local.tzname() == match.group(2):
                return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return value
    return [{k: one(v) for k, v in row.items()} for row in rows]


@pytest.fixture(scope="session")
def run_panel(engine, events):
    """run_panel(dashboard, ds_id, **tokens) -> rows; time tokens default to the campaign day."""
    def run(dashboard, ds_id, *, earliest=CAMPAIGN_START, latest=CAMPAIGN_END, now=NOW, **tokens):
        _, definition = studio.load(dashboard)
        spl = studio.substitute(studio.full_query(definition, ds_id), token_values(definition, earliest, latest, tokens))
        return as_utc(engine.search(spl, events=events, now=now, earliest=earliest, latest=latest))
    return run


@pytest.fixture(scope="session")
def run_drilldown(engine, events):
    """run_drilldown(dashboard, spl, row, **tokens) -> rows of a linkToSearch drilldown clicked on `row`."""
    def run(dashboard, spl, row, *, earliest=CAMPAIGN_START, latest=CAMPAIGN_END, now=NOW, **tokens):
        _, definition = studio.load(dashboard)
        values = token_values(definition, earliest, latest, tokens)
        values.update({f"row.{k}.value": v for k, v in row.items()})   # a multivalue cell: studio.substitute
        return as_utc(engine.search(studio.substitute(spl, values), events=events, now=now, earliest=earliest,
                                    latest=latest))
    return run
