"""Conformance cases for the eval lookup() function (issue 20), from the Search Reference's "Comparison and
conditional functions" page (help.splunk.com, SPL Search Reference 10.0), over the page's http_status.csv
(status, status_description, status_type; the rows its examples name: the seven Successful 2xx statuses of
example 1, and other classes)."""
import pytest

from splengine import Engine
from splengine.errors import SplError, SplUnsupportedError

PAGE = ("https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/evaluation-functions/"
        "comparison-and-conditional-functions")
HTTP_STATUS = """status,status_description,status_type
100,Continue,Informational
101,Switching Protocols,Informational
200,OK,Successful
201,Created,Successful
202,Accepted,Successful
203,Non-Authoritative Information,Successful
204,No Content,Successful
205,Reset Content,Successful
206,Partial Content,Successful
301,Moved Permanently,Redirection
404,Not Found,Client Error
500,Internal Server Error,Server Error
"""


@pytest.fixture
def engine(tmp_path):
    (tmp_path / "lookups").mkdir()
    (tmp_path / "lookups" / "http_status.csv").write_text(HTTP_STATUS)
    (tmp_path / "default").mkdir()
    (tmp_path / "default" / "transforms.conf").write_text(
        "[http_status]\nfilename = http_status.csv\ncase_sensitive_match = false\n"
        "[status_kv]\nexternal_type = kvstore\ncollection = status\nfields_list = status, status_type\n")
    (tmp_path / "default" / "collections.conf").write_text("[status]\n")
    return Engine(app_dir=tmp_path, scratch_lookup_dir=tmp_path / "scratch")


def one(engine, spl):
    row, = engine.search(spl, now=1_700_000_000)
    return row


def test_example_1_several_matches_give_an_array(engine):
    """Documented: output={"status_description":["OK","Created","Accepted","Non-Authoritative Information",
    "No Content","Reset Content","Partial Content"]}."""
    row = one(engine, '| makeresults | eval type = "Successful" '
                      '| eval output=lookup("http_status.csv", json_object("status_type", type), '
                      'json_array("status_description"))')
    assert row["output"] == ('{"status_description":["OK","Created","Accepted","Non-Authoritative Information",'
                             '"No Content","Reset Content","Partial Content"]}')


def test_example_2_several_input_pairs(engine):
    """Documented: output={"status_description":"OK"}."""
    row = one(engine, '| makeresults | eval type = "Successful", status="200" '
                      '| eval output=lookup("http_status.csv", json_object("status_type", type, "status", status), '
                      'json_array("status_description"))')
    assert row["output"] == '{"status_description":"OK"}'


def events():
    return [{"_time": 1_700_000_000 - i, "_raw": f"status {s}", "status": s}
            for i, s in enumerate(["201", "200", "201", "404", "999"])]


def test_example_3_counts_of_status_details(engine):
    """Documented: status_details=JSON:{"status_description":"Created","status_type":"Successful"} (one of the
    counted objects); derived: the counts of the other statuses, and no object for a status the table lacks."""
    rows = engine.search('* | eval output=lookup("http_status.csv", json_object("status", status), '
                         'json_array("status_description", "status_type")), status_details="JSON:".output '
                         '| stats count by status_details', events=events(), now=1_700_000_000)
    assert [(r["status_details"], r["count"]) for r in rows] == [
        ('JSON:{"status_description":"Created","status_type":"Successful"}', 2),
        ('JSON:{"status_description":"Not Found","status_type":"Client Error"}', 1),
        ('JSON:{"status_description":"OK","status_type":"Successful"}', 1)]


def test_example_4_nested_in_json_extract(engine):
    """Documented: status_details=Created (one of the counted values)."""
    rows = engine.search('* | eval status_details=json_extract(lookup("http_status.csv", json_object("status", status),'
                         ' json_array("status_description")), "status_description") | stats count by status_details',
                         events=events(), now=1_700_000_000)
    assert [(r["status_details"], r["count"]) for r in rows] == [("Created", 2), ("Not Found", 1), ("OK", 1)]


def test_a_definition_applies_its_settings(engine):
    """Derived: "If the first quoted string does not end in ".csv", the eval processor assumes it is the name of a
    CSV lookup definition ... Specify a lookup definition if you want the various settings associated with the
    definition to apply, such as ... case-sensitive match options"."""
    query = 'json_object("status_type", "successful"), json_array("status")'
    row = one(engine, f'| makeresults | eval a=lookup("http_status", {query}), b=lookup("http_status.csv", {query})')
    assert row["a"] == '{"status":["200","201","202","203","204","205","206"]}' and "b" not in row


def test_unknown_tables_and_kv_store_lookups_are_refused(engine):
    """Derived: the function "performs a CSV lookup" from a CSV lookup file or definition."""
    with pytest.raises(SplError, match="does not exist"):
        one(engine, '| makeresults | eval o=lookup("nosuch", json_object("a", 1), json_array("b"))')
    with pytest.raises(SplUnsupportedError, match="CSV lookups only"):
        one(engine, '| makeresults | eval o=lookup("status_kv", json_object("status", 1), json_array("status_type"))')
