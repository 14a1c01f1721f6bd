"""The Findings - Retention support search: the findings of incidents the correlation no longer reports are
removed, an incident still receiving findings keeps them all (its id stays), the collection is never emptied by
mistake, and a read cut at the KV store's row cap changes nothing."""
import csv

import pytest

from replay.savedsearches import load_saved_searches
from splengine import Engine

RETENTION = "AWS Cryptomining - Findings - Retention"
INCIDENTS = "| `aws_cryptomining_incidents`"   # what the Incident Correlation computes
NOW = 1_790_000_100
DAY = 86400
CAP = 8


@pytest.fixture(scope="module")
def app(kv_capped_app):
    """The staged app with limits.conf [kvstore] max_rows_per_query lowered to CAP and the app's macro saying so."""
    return kv_capped_app(CAP)


@pytest.fixture(scope="module")
def searches(app):
    return {s.name: s.search for s in load_saved_searches(app / "default" / "savedsearches.conf")}


def seeded(app, scratch, ages_days):
    """An engine whose findings collection holds one high-severity finding of the key per age (days before NOW)."""
    engine = Engine(app, scratch)
    for n, age in enumerate(ages_days):
        engine.search(f'| makeresults | eval finding_id="f{n}", recorded={NOW - age * DAY}, '
                      f'finding_time={NOW - age * DAY - 600}, last_time={NOW - age * DAY - 600}, '
                      'detection="large_gpu_launch", severity="high", account="111122223333", '
                      'access_key="AKIAAAAAAAAAAAAAAAAA", regions="us-east-1", tactics="impact", cost_per_hour=0 '
                      '| fields - _time | outputlookup append=true aws_cryptomining_findings', now=NOW)
    return engine


def stored(scratch):
    """finding ids of every stored record, read from the collection's file (an inputlookup stops at the cap)."""
    with open(scratch / "kvstore.aws_cryptomining_findings.csv", newline="") as handle:
        return sorted(row["finding_id"] for row in csv.DictReader(handle))


def ids(engine):
    return sorted(row["finding_id"] for row in engine.search("| inputlookup aws_cryptomining_findings", now=NOW))


def test_findings_older_than_the_retention_are_removed_and_the_correlation_is_unchanged(app, searches, tmp_path):
    engine = seeded(app, tmp_path, [50, 40, 36, 34, 20, 2, 1])
    before = engine.search(INCIDENTS, now=NOW)
    engine.search(searches[RETENTION], now=NOW)
    assert ids(engine) == ["f3", "f4", "f5", "f6"]           # 35 days kept; the correlation reads 30
    assert engine.search(INCIDENTS, now=NOW) == before and len(before) == 2


def test_when_every_finding_is_stale_the_newest_is_kept_and_nothing_else(app, searches, tmp_path):
    engine = seeded(app, tmp_path, [60, 45, 40])
    engine.search(searches[RETENTION], now=NOW)
    assert ids(engine) == ["f2"]
    engine.search(searches[RETENTION], now=NOW)                # nothing to remove: unchanged, not emptied
    assert ids(engine) == ["f2"]


def test_a_read_cut_at_the_row_cap_changes_nothing(app, searches, tmp_path):
    ages = [50, 40, 36, 34, 20, 2, 1, 1, 1, 1]                  # 10 stored, the read returns CAP = 8
    engine = seeded(app, tmp_path, ages)
    everything = stored(tmp_path)
    assert len(ids(engine)) == CAP and len(everything) == len(ages)
    engine.search(searches[RETENTION], now=NOW)
    assert stored(tmp_path) == everything


def test_an_incident_still_receiving_findings_keeps_all_of_them_and_its_id(staged_app, searches, tmp_path):
    """A key with a finding every day for 40 days is one incident; removing its first findings (older than the
    retention) would move its opening time, hence its id, and announce it again. An older incident goes."""
    engine = seeded(staged_app, tmp_path, [60] + list(range(40, 0, -1)))
    before = engine.search(INCIDENTS, now=NOW)
    engine.search(searches[RETENTION], now=NOW)
    assert stored(tmp_path) == sorted(f"f{n}" for n in range(1, 41))
    assert engine.search(INCIDENTS, now=NOW) == before and len(before) == 1
