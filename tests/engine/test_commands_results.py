"""makeresults, append, mvexpand, mvcombine, format, return conformance.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/makeresults
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/append
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/mvexpand
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/mvcombine
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/format
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/return
"""
import pytest

from splengine import run_search
from splengine.errors import SplSyntaxError

NOW = 1_700_000_000


def test_makeresults_count_time_and_annotate():
    got = run_search("| makeresults count=3", now=NOW)
    assert got == [{"_time": NOW}] * 3
    assert run_search("| makeresults annotate=true", now=NOW)[0]["splunk_server"] == "local"


def test_makeresults_inline_data():
    got = run_search('| makeresults format=json data="[{\\"a\\": 1, \\"b\\": [\\"x\\", \\"y\\"]}]"', now=NOW)
    assert got == [{"_time": NOW, "a": "1", "b": ["x", "y"]}]


def test_makeresults_must_be_first():
    with pytest.raises(SplSyntaxError, match="makeresults must be the first command"):
        run_search("| makeresults | makeresults", now=NOW)


def test_append_adds_subsearch_results_after():
    got = run_search('| makeresults | eval src="main" | append [| makeresults count=2 | eval src="sub"]', now=NOW)
    assert [r["src"] for r in got] == ["main", "sub", "sub"]


def test_mvexpand_and_limit():
    got = run_search('| makeresults | eval v=split("a,b,c", ",") | mvexpand v', now=NOW)
    assert [r["v"] for r in got] == ["a", "b", "c"]
    got = run_search('| makeresults | eval v=split("a,b,c", ",") | mvexpand v limit=2', now=NOW)
    assert [r["v"] for r in got] == ["a", "b"]


def test_mvcombine_merges_rows_differing_in_one_field():
    got = run_search('| makeresults format=csv data="host,ip\nw1,1\nw1,2\nw2,3" | fields - _time | mvcombine ip',
                     now=NOW)
    assert got == [{"host": "w1", "ip": ["1", "2"]}, {"host": "w2", "ip": "3"}]


def test_format_default_and_custom():
    got = run_search('| makeresults format=csv data="a,b\n1,x\n2,y" | fields - _time | format', now=NOW)
    assert got == [{"search": '( ( a="1" AND b="x" ) OR ( a="2" AND b="y" ) )'}]
    got = run_search('| makeresults | where 1=2 | format', now=NOW)
    assert got == [{"search": "NOT ( )"}]
    got = run_search('| makeresults format=csv data="a\n1\n2" | fields - _time | format "[" "{" "&&" "}" "||" "]"',
                     now=NOW)
    assert got == [{"search": '[ { a="1" } || { a="2" } ]'}]
    got = run_search('| makeresults | eval m=split("p,q", ",") | fields - _time | format', now=NOW)
    assert got == [{"search": '( ( ( m="p" OR m="q" ) ) )'}]


def test_return_forms():
    base = '| makeresults format=csv data="srcip,user\n1.1.1.1,bob\n2.2.2.2,amy"'
    assert run_search(base + " | return srcip", now=NOW) == [{"search": '(srcip="1.1.1.1")'}]
    assert run_search(base + " | return ip=srcip", now=NOW) == [{"search": '(ip="1.1.1.1")'}]
    assert run_search(base + " | return $srcip", now=NOW) == [{"search": "1.1.1.1"}]
    assert run_search(base + " | return 2 user", now=NOW) == [{"search": '(user="bob") OR (user="amy")'}]
