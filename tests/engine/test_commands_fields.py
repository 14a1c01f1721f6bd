"""table, fields, rename, eval, where conformance.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/table
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/fields
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/rename
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/eval
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/where
"""
import pytest

from splengine import run_search
from splengine.errors import SplError, SplSyntaxError

ROW = '| makeresults | eval host="www1", action="view", client_ip="10.0.0.1", date_hour=3, date_minute=4'


def test_table_keeps_listed_fields_in_order_with_wildcards():
    got = run_search(ROW + " | table action, date_* host", now=0)
    assert list(got[0]) == ["action", "date_hour", "date_minute", "host"]


def test_table_omits_missing_fields():
    assert run_search(ROW + " | table nosuch host", now=0) == [{"host": "www1"}]


def test_fields_keep_and_remove():
    got = run_search(ROW + " | fields host, action", now=0)
    assert got == [{"host": "www1", "action": "view", "_time": 0}]   # _time is kept, as Splunk keeps internal fields
    got = run_search(ROW + " | fields - date_*", now=0)
    assert sorted(got[0]) == ["_time", "action", "client_ip", "host"]


def test_rename_with_wildcards_and_quotes():
    # docs example: rename *ip AS IPAddress_*  (wildcard part carried over)
    got = run_search(ROW + ' | rename *_ip AS IP_*, host AS "Host Name" | table IP_client "Host Name"', now=0)
    assert got == [{"IP_client": "10.0.0.1", "Host Name": "www1"}]


def test_rename_keeps_the_column_in_place():
    got = run_search(ROW + ' | table host action client_ip | rename action AS "Action", host AS client_ip', now=0)
    assert list(got[0].items()) == [("client_ip", "www1"), ("Action", "view")]


def test_rename_missing_field_removes_the_target():
    """The rename page: "If fieldB does exist, the result of the rename is that the data in fieldB is removed"."""
    got = run_search(ROW + " | rename nosuch AS host | table host", now=0)
    assert got == [{}]


def test_eval_sequential_assignments_and_null_removes():
    got = run_search("| makeresults | eval a=2, b=a*3, c=null()", now=0)
    assert got[0]["b"] == 6 and "c" not in got[0]


def test_where_filters_with_eval_semantics():
    got = run_search('| makeresults count=5 | streamstats count as n | where n>=4 AND like(tostring(n), "%")', now=0)
    assert [r["n"] for r in got] == [4, 5]


def test_where_needs_a_condition():
    with pytest.raises(SplSyntaxError, match="where: missing condition"):
        run_search("| makeresults | where", now=0)
    with pytest.raises(SplError):
        run_search("| makeresults | where 5", now=0)
