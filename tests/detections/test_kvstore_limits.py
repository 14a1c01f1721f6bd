"""The app's KV store upkeep under Splunk's KV store rules (docs/platform.md, items 4 and 5).

- A launch baseline larger than limits.conf [kvstore] max_rows_per_query (lowered to 50 here through the
  app's local/limits.conf, as the engine reads it): the hourly update keeps every entry and merges the hour's
  entities into theirs; the previous design (read the whole collection back, write it all) loses entries.
- The allowlist: an entry stored with capitals never matches a case-insensitive KV store lookup in Splunk;
  the README's command stores it in lower case and the lowercasing support search fixes the others.
DERIVED TEST DATA: RunInstances copies of the synthetic campaign (see edge_events.py).
"""
import csv
import re

import pytest
from edge_events import ACCOUNT, CITY_DB, UPDATE, derive, template, utc

from appbuild.layout import ROOT
from replay.savedsearches import load_saved_searches
from splengine import Engine

LIMIT = 50
NORMALISE = "AWS Cryptomining - Allowlist - Lowercase Entries"
NOW = utc(2026, 11, 20, 12, 7)          # an hourly update run: index window [10:00, 11:00)
# The update as it was: read the collection back whole, merge, write everything (full replace).
READ_BACK_UPDATE = """`aws_cryptomining_launch_entity_stats`
| inputlookup append=true aws_cryptomining_launch_baseline
| stats min(first_seen) as first_seen max(last_seen) as last_seen sum(count) as count by account entity_type entity
| where last_seen >= relative_time(now(), `aws_cryptomining_forget_window`) OR entity_type="_coverage"
| outputlookup override_if_empty=false aws_cryptomining_launch_baseline"""


@pytest.fixture(scope="module")
def app(kv_capped_app):
    return kv_capped_app(LIMIT)


@pytest.fixture(scope="module")
def searches(app):
    return {s.name: s for s in load_saved_searches(app / "default" / "savedsearches.conf")}


def seeded_engine(app, scratch, entries):
    engine = Engine(app, scratch, geoip_db=CITY_DB)
    engine.search(f"| makeresults count={entries} | streamstats count as n"
                  f' | eval account="{ACCOUNT}", entity_type="ami", entity="ami-seed" . n,'
                  f" first_seen={NOW - 30 * 86400}, last_seen={NOW - 86400}, count=1"
                  f' | append [| makeresults | eval account="{ACCOUNT}", entity_type="_coverage", entity="_coverage",'
                  f" first_seen={NOW - 30 * 86400}, last_seen={NOW - 86400}, count=5]"
                  " | fields - _time n | outputlookup aws_cryptomining_launch_baseline", now=NOW)
    return engine


def collection(scratch):
    """Every stored record (read directly: an inputlookup would stop at max_rows_per_query)."""
    with open(scratch / "kvstore.aws_cryptomining_launch_baseline.csv", newline="") as handle:
        return {(r["account"], r["entity_type"], r["entity"]): r for r in csv.DictReader(handle)}


def hour_of_launches():
    known = template("terraform-apply")
    return [derive(known, NOW - 100 * 60, lag=600, ami="ami-seed99", tag="seen"),       # beyond the first 50
            derive(known, NOW - 90 * 60, lag=600, ami="ami-0f1e2d3c4b5a69788", tag="new")]


def run_update(engine, spl, search):
    return engine.search(spl, events=hour_of_launches(), now=NOW, earliest=search.earliest, latest=search.latest,
                         index_earliest=search.index_earliest, index_latest=search.index_latest)


def test_update_keeps_every_entry_of_a_baseline_larger_than_max_rows_per_query(app, searches, tmp_path):
    update = searches[UPDATE]
    engine = seeded_engine(app, tmp_path, 120)
    assert len(engine.search("| inputlookup aws_cryptomining_launch_baseline", now=NOW)) == LIMIT
    run_update(engine, update.search, update)
    stored = collection(tmp_path)
    seeds = [key for key in stored if key[2].startswith("ami-seed")]
    assert len(seeds) == 120
    assert stored[(ACCOUNT, "ami", "ami-seed99")]["count"] == "2"                    # merged, not duplicated
    assert int(stored[(ACCOUNT, "ami", "ami-seed99")]["first_seen"]) == NOW - 30 * 86400
    assert stored[(ACCOUNT, "ami", "ami-0f1e2d3c4b5a69788")]["count"] == "1"
    assert stored[(ACCOUNT, "_coverage", "_coverage")]["count"] == "7"               # 5 + this hour's 2
    assert len(stored) == 120 + 1 + 1 + 3   # seeds, coverage, the new AMI, region/type/principal


def test_the_read_back_update_loses_entries_beyond_the_limit(app, searches, tmp_path):
    """The check above fails for the previous update design: the limit truncates what it writes back."""
    engine = seeded_engine(app, tmp_path, 120)
    run_update(engine, READ_BACK_UPDATE, searches[UPDATE])
    seeds = [key for key in collection(tmp_path) if key[2].startswith("ami-seed")]
    assert len(seeds) < 120


def allowlisted(engine):
    probe = (f'| makeresults | eval account="{ACCOUNT}", user="AWSServiceRoleForAutoScaling"'
             " | `aws_cryptomining_allowlist(unseen_principal)`")
    return engine.search(probe, now=NOW) == []


def test_mixed_case_allowlist_entry_matches_only_once_lowercased(app, searches, tmp_path):
    engine = Engine(app, tmp_path)
    engine.search('| makeresults | eval detection="unseen_principal", account="*",'
                  ' principal="AWSServiceRoleForAutoScaling", reason="asg" | fields - _time'
                  " | outputlookup append=true aws_cryptomining_allowlist", now=NOW)
    assert not allowlisted(engine)   # Splunk: case_sensitive_match=false needs lower-case stored values
    engine.search(searches[NORMALISE].search, now=NOW)
    assert allowlisted(engine)
    rows = engine.search("| inputlookup aws_cryptomining_allowlist", now=NOW)
    assert [(r["principal"], r["reason"]) for r in rows] == [("awsserviceroleforautoscaling", "asg")]


def test_readme_allowlist_command_works_at_once(app, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\*\*Allowlist automation\*\*.*?```\n(.*?)```", readme, re.S).group(1)
    engine = Engine(app, tmp_path)
    engine.search(" ".join(line.strip() for line in command.splitlines()), now=NOW)
    assert allowlisted(engine)


def test_readiness_reports_every_account_beyond_the_limit(app, searches, tmp_path):
    """An account whose entries all sit past the first max_rows_per_query records is still reported."""
    engine = seeded_engine(app, tmp_path, 120)
    engine.search('| makeresults | eval account="111122223333", entity_type="_coverage", entity="_coverage",'
                  f" first_seen={NOW - 3 * 86400}, last_seen={NOW - 3600}, count=2"
                  " | fields - _time | outputlookup append=true aws_cryptomining_launch_baseline", now=NOW)
    rows = engine.search(searches["AWS Cryptomining - Baseline - Readiness"].search, now=NOW)
    assert {(r["account"], r["status"]) for r in rows} == {(ACCOUNT, "ready"), ("111122223333", "warming up")}
