"""lookup, inputlookup, outputlookup over CSV lookups with transforms.conf definitions.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/lookup
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/inputlookup
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/outputlookup
https://help.splunk.com/splunk-enterprise/manage-knowledge-objects/knowledge-management-manual/9.4/use-the-configuration-files-to-configure-lookups/add-field-matching-rules-to-your-lookup-configuration
"""
import os

import pytest

from splengine import Engine
from splengine.errors import SplError, SplUnsupportedError

TRANSFORMS = """
[users]
filename = users.csv

[users_ci]
filename = users.csv
case_sensitive_match = false

[nets]
filename = nets.csv
match_type = CIDR(cidr)

[types]
filename = types.csv
match_type = WILDCARD(pattern)
max_matches = 1

[types_all]
filename = types.csv
match_type = WILDCARD(pattern)

[defaults]
filename = users.csv
min_matches = 1
default_match = unknown

[kv]
external_type = kvstore
collection = foo

[timed]
filename = users.csv
time_field = t
"""


@pytest.fixture
def engine(tmp_path):
    app = tmp_path / "app"
    (app / "default").mkdir(parents=True)
    (app / "lookups").mkdir()
    (app / "default" / "transforms.conf").write_text(TRANSFORMS)
    # users table from the lookup command docs' example (uid, username, department)
    (app / "lookups" / "users.csv").write_text(
        "uid,username,department\n1066,Claudia Garcia,Engineering\n1690,Rutherford Sullivan,Engineering\n"
        "1815,Vanya Patel,IT\n1862,Wei Zhang,Engineering\n1916,Alex Martin,Personnel\nab,Lower Case,\n")
    (app / "lookups" / "nets.csv").write_text("cidr,zone\n10.0.0.0/8,internal\n10.1.0.0/16,lab\n")
    (app / "lookups" / "types.csv").write_text("pattern,cls\np*.*,gpu\n*.metal,metal\n*,other\n")
    scratch = tmp_path / "scratch"
    eng = Engine(app, scratch)
    eng.app_dir, eng.scratch = app, scratch
    return eng


def rows(engine, spl):
    return engine.search(spl, now=0)


def test_lookup_output_and_outputnew(engine):
    base = '| makeresults format=csv data="uid,department\n1066,\n1815,Sales\n9999,Old"'
    got = rows(engine, base + " | lookup users uid OUTPUTNEW username, department | table uid username department")
    assert got == [{"uid": "1066", "username": "Claudia Garcia", "department": "Engineering"},
                   {"uid": "1815", "username": "Vanya Patel", "department": "Sales"},
                   {"uid": "9999", "department": "Old"}]
    got = rows(engine, base + " | lookup users uid OUTPUT department AS dept, username | table uid dept username")
    assert got[1] == {"uid": "1815", "dept": "IT", "username": "Vanya Patel"}
    # OUTPUT overwrites: a row without a match loses the output field
    got = rows(engine, base + " | lookup users uid OUTPUT department | table uid department")
    assert got[2] == {"uid": "9999"}


def test_lookup_all_fields_and_as_rename(engine):
    got = rows(engine, '| makeresults | eval id="1916" | lookup users uid AS id | table id username department')
    assert got == [{"id": "1916", "username": "Alex Martin", "department": "Personnel"}]


def test_case_sensitive_match(engine):
    assert "username" not in rows(engine, '| makeresults | eval uid="AB" | lookup users uid')[0]
    assert rows(engine, '| makeresults | eval uid="AB" | lookup users_ci uid')[0]["username"] == "Lower Case"


def test_cidr_match_type_all_matches_multivalue(engine):
    got = rows(engine, '| makeresults format=csv data="ip\n10.1.2.3\n10.9.9.9\n8.8.8.8" | lookup nets cidr AS ip')
    assert [r.get("zone") for r in got] == [["internal", "lab"], "internal", None]


def test_wildcard_match_type_and_max_matches(engine):
    got = rows(engine, '| makeresults format=csv data="t\np3.2xlarge\nm5.metal\nt3.micro" | lookup types pattern AS t')
    assert [r["cls"] for r in got] == ["gpu", "metal", "other"]
    got = rows(engine, '| makeresults | eval t="p3.metal" | lookup types_all pattern AS t')
    assert got[0]["cls"] == ["gpu", "metal", "other"]


def test_min_matches_default_match(engine):
    got = rows(engine, '| makeresults | eval uid="nobody" | lookup defaults uid OUTPUT username')
    assert got[0]["username"] == "unknown"


def test_multivalue_input_looks_up_each_value(engine):
    got = rows(engine, '| makeresults | eval uid=split("1066,1815", ",") | lookup users uid OUTPUT username')
    assert got[0]["username"] == ["Claudia Garcia", "Vanya Patel"]


def test_inputlookup_where_start_max_append(engine):
    got = rows(engine, '| inputlookup users.csv where department=eng*')
    assert [r["uid"] for r in got] == ["1066", "1690", "1862"]
    got = rows(engine, "| inputlookup start=1 max=2 users")
    assert [r["uid"] for r in got] == ["1690", "1815"]
    got = rows(engine, '| makeresults | eval x=1 | inputlookup append=true nets')
    assert len(got) == 3 and got[0]["x"] == 1


def test_outputlookup_writes_scratch_copy_never_the_source(engine):
    source = (engine.app_dir / "lookups" / "users.csv").read_text()
    got = rows(engine, '| makeresults format=csv data="uid,username\n1,new" | outputlookup users.csv')
    assert len(got) == 1
    assert (engine.app_dir / "lookups" / "users.csv").read_text() == source
    assert (engine.scratch / "users.csv").read_text() == "uid,username\n1,new\n"
    assert rows(engine, "| inputlookup users") == [{"uid": "1", "username": "new"}]


def test_outputlookup_of_the_rows_the_table_holds_leaves_the_file_untouched(engine):
    """Writing back the same rows (a scheduled upsert that changed nothing) does not rewrite the scratch file;
    another version is written and read back as before."""
    rows(engine, "| inputlookup users.csv | outputlookup users.csv")
    path = engine.scratch / "users.csv"
    written = path.read_bytes()
    os.utime(path, ns=(1, 1))   # a rewrite would set the current time
    assert len(rows(engine, "| inputlookup users.csv | outputlookup users.csv")) == 6
    assert path.stat().st_mtime_ns == 1 and path.read_bytes() == written
    rows(engine, '| inputlookup users.csv | where uid!="ab" | outputlookup users.csv')
    assert path.stat().st_mtime_ns != 1 and [r["uid"] for r in rows(engine, "| inputlookup users.csv")] == [
        "1066", "1690", "1815", "1862", "1916"]


def test_outputlookup_append_adds_columns(engine):
    rows(engine, '| makeresults format=csv data="cidr,zone,owner\n192.168.0.0/16,home,me" | outputlookup append=true nets')
    assert (engine.scratch / "nets.csv").read_text().splitlines() == [
        "cidr,zone,owner", "10.0.0.0/8,internal,", "10.1.0.0/16,lab,", "192.168.0.0/16,home,me"]


def test_outputlookup_zero_results_defaults_empty_the_file(engine):
    # docs: override_if_empty defaults to true and create_empty to true: an empty run leaves a 0-length file
    rows(engine, "| makeresults | where 1=2 | outputlookup users.csv")
    assert (engine.scratch / "users.csv").read_bytes() == b""
    assert rows(engine, "| inputlookup users.csv") == []


def test_outputlookup_zero_results_override_if_empty_false_keeps_file(engine):
    rows(engine, "| makeresults | where 1=2 | outputlookup override_if_empty=false users.csv")
    assert len(rows(engine, "| inputlookup users.csv")) == 6


def test_outputlookup_zero_results_create_empty_false_deletes(engine):
    rows(engine, "| makeresults | where 1=2 | outputlookup create_empty=false users.csv")
    with pytest.raises(SplError, match="does not exist"):
        rows(engine, "| inputlookup users.csv")


def test_unsupported_lookup_kinds_and_unknown_tables(engine):
    with pytest.raises(SplError, match="KV store collection 'foo' is not defined in collections.conf"):
        rows(engine, "| makeresults | lookup kv x")
    with pytest.raises(SplUnsupportedError, match=r"time-based lookups \(time_field\) are not supported"):
        rows(engine, "| makeresults | lookup timed x")
    with pytest.raises(SplError, match="lookup table 'nosuch' does not exist"):
        rows(engine, "| makeresults | lookup nosuch x")
    with pytest.raises(SplError, match="field 'nope' is not in the lookup table"):
        rows(engine, "| makeresults | lookup users nope")


def test_app_lookup_from_the_repo():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    csvs = sorted(p.name for p in (root / "lookups").glob("*.csv"))
    assert csvs, "the app ships lookups"
    got = Engine(root, None).search(f"| inputlookup {csvs[0]} | head 1", now=0)
    assert len(got) == 1
