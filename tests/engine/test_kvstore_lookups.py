"""KV store lookups behave as Splunk's, not as CSV ones (splengine/lookups.py, docs/platform.md).

transforms.conf.spec (9.4-10.4), case_sensitive_match: "For KV Store lookups, a setting of
'case_sensitive_match=false' is honored only when the data in the KV Store lookup table is entirely in lower
case. The input data can be in any case." limits.conf [kvstore] max_rows_per_query (default 50000) caps what
one inputlookup of a collection returns. outputlookup: without append a collection is replaced; with
append=true a row naming an existing `_key` (or `key_field`) updates that record.
"""
import csv

import pytest

from splengine import Engine

TRANSFORMS = """
[kv_ci]
external_type = kvstore
collection = people
fields_list = _key, principal, team
case_sensitive_match = false

[kv_wild]
external_type = kvstore
collection = people
fields_list = _key, principal, team
match_type = WILDCARD(principal)
case_sensitive_match = false

[csv_ci]
filename = people.csv
case_sensitive_match = false
"""


@pytest.fixture
def make_engine(tmp_path):
    def build(limits=None):
        app = tmp_path / "app"
        (app / "default").mkdir(parents=True, exist_ok=True)
        (app / "lookups").mkdir(exist_ok=True)
        (app / "default" / "transforms.conf").write_text(TRANSFORMS)
        (app / "default" / "collections.conf").write_text("[people]\nfield.principal = string\n")
        (app / "lookups" / "people.csv").write_text("principal,team\nAWSServiceRoleForAutoScaling,aws\n")
        if limits is not None:
            (app / "local").mkdir(exist_ok=True)
            (app / "local" / "limits.conf").write_text(f"[kvstore]\nmax_rows_per_query = {limits}\n")
        return Engine(app, tmp_path / "scratch")
    return build


def store(engine, rows, append=False, key_field=None):
    """outputlookup of `rows` (events carrying only those fields) into the collection."""
    options = ("append=true " if append else "") + (f"key_field={key_field} " if key_field else "")
    events = [dict(row, _time=0, _raw="") for row in rows]
    engine.search(f"search * | fields - _raw _time | outputlookup {options}kv_ci", events=events, now=0)


def looked_up(engine, table, principal):
    rows = engine.search(f'| makeresults | eval principal="{principal}" | lookup {table} principal OUTPUT team', now=0)
    return rows[0].get("team")


def test_case_insensitive_kv_lookup_matches_only_lowercase_stored_values(make_engine):
    engine = make_engine()
    store(engine, [{"principal": "AWSServiceRoleForAutoScaling", "team": "aws"}, {"principal": "ci-deployer", "team": "ci"}])
    assert looked_up(engine, "kv_ci", "AWSServiceRoleForAutoScaling") is None   # stored with capitals: never
    assert looked_up(engine, "kv_ci", "awsserviceroleforautoscaling") is None
    assert looked_up(engine, "kv_ci", "CI-Deployer") == "ci"                     # input in any case
    assert looked_up(engine, "csv_ci", "awsserviceroleforautoscaling") == "aws"   # CSV: both sides fold


def test_case_insensitive_kv_wildcards_need_lowercase_patterns(make_engine):
    engine = make_engine()
    store(engine, [{"principal": "AWSServiceRole*", "team": "aws"}, {"principal": "terraform-*", "team": "iac"}])
    assert looked_up(engine, "kv_wild", "AWSServiceRoleForEC2") is None
    assert looked_up(engine, "kv_wild", "Terraform-Apply") == "iac"


def test_inputlookup_of_a_collection_returns_at_most_max_rows_per_query(make_engine):
    engine = make_engine(limits=50)
    store(engine, [{"principal": f"p{n}", "team": "t"} for n in range(120)])
    assert len(engine.search("| inputlookup kv_ci", now=0)) == 50
    assert [r["principal"] for r in engine.search('| inputlookup kv_ci where principal="p99"', now=0)] == ["p99"]
    assert len(engine.search("| inputlookup csv_ci", now=0)) == 1        # CSV lookups: no such cap
    path = engine.app.scratch_lookup_dir / "kvstore.people.csv"
    assert sum(1 for _ in csv.DictReader(path.open())) == 120             # the collection holds all of them


def test_default_cap_is_50000(make_engine):
    engine = make_engine()
    assert engine.app.lookups.kv_max_rows_per_query() == 50000


def test_append_upserts_by_key_and_replace_replaces(make_engine):
    engine = make_engine()
    store(engine, [{"principal": "a", "team": "1"}, {"principal": "b", "team": "2"}])
    keys = {r["principal"]: r["_key"] for r in engine.search("| inputlookup kv_ci", now=0)}
    assert len(set(keys.values())) == 2
    store(engine, [{"_key": keys["a"], "principal": "a", "team": "9"}, {"principal": "c", "team": "3"}],
          append=True, key_field="_key")
    after = {r["principal"]: (r["_key"], r["team"]) for r in engine.search("| inputlookup kv_ci", now=0)}
    assert after["a"] == (keys["a"], "9") and after["b"] == (keys["b"], "2") and after["c"][1] == "3"
    assert len(after) == 3
    store(engine, [{"principal": "d", "team": "4"}])
    assert [r["principal"] for r in engine.search("| inputlookup kv_ci", now=0)] == ["d"]
