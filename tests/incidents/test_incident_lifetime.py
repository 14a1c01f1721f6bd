"""An incident's whole lifetime (issue 18): the labelled synthetic-metrics campaign (SOURCE.md: svc-reporting's
stolen key) replayed with the app's saved searches, macros and schedule until 45 days after its last record.

The spend detection re-judges the newest billed day on every daily run, long after billing stopped, and the
correlation keeps running over the stored findings. The key's incident must stay one incident under one id:
announced once, then only updated, never announced again when its first findings leave the correlation's
30-day lookback; every finding recorded once (a re-judged day is the same finding); the Findings - Retention
keeps the incident's findings until its last one is older than 35 days, then removes them all at once.

Once the campaign is over (a day after its last record is indexed) the correlation runs on a busy scheduler: each
of its runs takes an hour, so Splunk's real-time scheduling (realtime_schedule = 1, max_concurrent = 1) skips the
runs due meanwhile and it starts once an hour (replay/dispatch.py). Every other search runs at each scheduled
time. The id must not depend on every run happening; and the 45 days cost an hour's runs, not 13,000.
"""
import collections
import csv

import pytest
from detection_scenarios import ASN_DB, CITY_DB, ROOT, load_events

from replay.app_overlay import offline_app
from replay.dispatch import Load
from replay.savedsearches import load_saved_searches
from replay.scheduler import Replay
from replay.store import EventStore
from splengine import Engine

SAMPLE = "samples/synthetic-metrics"
KEY, USER = "AKIAUQ4K7N2XW3RZ6PLD", "svc-reporting"                       # SOURCE.md: the stolen key
INSTANCES = {"i-0c1b2c3d4e5f60901", "i-0c1b2c3d4e5f60902"}                 # SOURCE.md: what it launched
INCIDENTS = "AWS Cryptomining - Incident Correlation"
SPEND = "AWS Cryptomining - Compute Spend Far Above Baseline"
RETENTION = "AWS Cryptomining - Findings - Retention"
HOUR, DAY = 3600, 86400
AFTER = 45 * DAY


class ObservedEngine(Engine):
    """The replay's engine; it reads the findings collection's file (every stored record, whatever the KV
    store's row cap) before and after each Findings - Retention run, the only search that removes findings."""

    def __init__(self, app_dir, scratch, retention_spl, **kwargs):
        super().__init__(app_dir, scratch, **kwargs)
        self.file = scratch / "kvstore.aws_cryptomining_findings.csv"
        self.retention_spl = retention_spl
        self.retentions = []      # (run time, records before, records after)

    def stored(self):
        """{(finding_id, recorded): record} of the stored records (a rewrite gives each record a new _key)."""
        if not self.file.exists():
            return {}
        with open(self.file, newline="") as handle:
            return {(row["finding_id"], row["recorded"]): row for row in csv.DictReader(handle)}

    def search(self, spl, **kwargs):
        if spl != self.retention_spl:
            return super().search(spl, **kwargs)
        before = self.stored()
        rows = super().search(spl, **kwargs)
        self.retentions.append((kwargs["now"], before, self.stored()))
        return rows


@pytest.fixture(scope="module")
def lifetime(tmp_path_factory):
    events, _ = load_events([SAMPLE])
    store = EventStore(events)
    last = store.time_span[1]
    quiet = store.last_indextime + DAY
    load = Load(slots=100, duration=lambda name, t: HOUR if name == INCIDENTS and t >= quiet else 60)
    scratch = tmp_path_factory.mktemp("kv")
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        retention = {s.name: s for s in load_saved_searches(app / "default" / "savedsearches.conf")}[RETENTION]
        engine = ObservedEngine(app, scratch, retention.search, geoip_db=CITY_DB)
        result = Replay(app, store, geoip_db=CITY_DB, load=load,
                        engine_factory=lambda *_: engine).run(baseline_days=14, until=last + AFTER)
    records = {}
    for _, before, _ in engine.retentions:
        records.update(before)
    records.update(engine.stored())
    with open(scratch / "kvstore.aws_cryptomining_incidents.csv", newline="") as handle:
        state = {row["incident_id"]: row for row in csv.DictReader(handle)}
    return last, quiet, result, engine.retentions, list(records.values()), state


def keys_findings(records):
    """The findings of the stolen key's actions: its key, its user or the instances it launched."""
    return [r for r in records if r["access_key"] == KEY or USER in r["principals"].split()
            or INSTANCES & set(r["instance_ids"].split())]


def test_the_app_schedule_runs_past_the_campaign_and_only_the_correlation_is_skipped(lifetime):
    last, quiet, result, _, _, _ = lifetime
    assert [run.error for run in result.errors] == []
    assert {name for name, t, _ in result.skipped} == {INCIDENTS} and min(t for _, t, _ in result.skipped) >= quiet
    late = [run.run_time for run in result.runs if run.search_name == INCIDENTS and run.run_time > quiet]
    assert max(late) > last + 40 * DAY and all(b - a == HOUR for a, b in zip(late, late[1:]))
    spend_later = [run for run in result.runs if run.search_name == SPEND and run.run_time > last + DAY]
    assert len(spend_later) >= 40 and all(run.result_count > 0 for run in spend_later)   # re-judged daily


def test_the_keys_incident_is_announced_once_then_only_updated(lifetime):
    last, _, result, _, _, _ = lifetime
    rows = [(alert.trigger_time, alert.results[0]) for alert in result.alerts if alert.search_name == INCIDENTS]
    keyed = [(t, row) for t, row in rows if row.get("access_keys") == KEY]
    assert len({row["incident_id"] for _, row in keyed}) == 1
    assert [row["notify"] for _, row in keyed] == ["new"] + ["update"] * (len(keyed) - 1) and len(keyed) >= 2
    assert not [row for _, row in rows if row.get("principals") == USER and row.get("access_keys") != KEY]
    assert max(t for t, _ in rows) < last + 3 * DAY         # nothing announced (again) after the campaign


def test_every_finding_is_recorded_once(lifetime):
    _, _, _, _, records, _ = lifetime
    assert keys_findings(records)
    assert set(collections.Counter(r["finding_id"] for r in records).values()) == {1}   # at one recording time
    spend = collections.Counter((r["usage"], r["spend_day"]) for r in records if r["detection"] == "spend_anomaly")
    assert spend and set(spend.values()) == {1}             # a billed day re-judged daily is one finding


def test_the_retention_removes_the_incident_whole_once_its_last_finding_is_35_days_old(lifetime):
    """Its last finding: the incident's own last recording time (a billed day's spend joins it after the key's
    last action), as the correlation last stored it."""
    _, _, result, retentions, records, state = lifetime
    [incident] = {row["incident_id"] for alert in result.alerts for row in alert.results[:1]
                  if alert.search_name == INCIDENTS and row.get("access_keys") == KEY}
    ended = float(state[incident]["last_recorded"])
    ids = {(r["finding_id"], r["recorded"]) for r in keys_findings(records)}
    removed = [(t, ids & (set(before) - set(after))) for t, before, after in retentions]
    assert [t for t, gone in removed if gone] == [min(t for t, _, _ in retentions if t > ended + 35 * DAY)]
    assert [gone for _, gone in removed if gone] == [ids]
