"""top and rare.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/top
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/rare
"""
import pytest

from splengine import run_search
from splengine.errors import SplUnsupportedError

EV = [{"_time": 100 - i, "ip": ip, "region": rg} for i, (ip, rg) in enumerate(
    [("1.1.1.1", "us"), ("2.2.2.2", "us"), ("1.1.1.1", "eu"), ("3.3.3.3", "eu"), ("1.1.1.1", "us"),
     ("2.2.2.2", "eu")])]


def run(spl, events=EV):
    return run_search("search * | " + spl, events=events, now=1000)


def test_top_counts_and_percent():
    out = run("top ip")
    assert out == [{"ip": "1.1.1.1", "count": 3, "percent": 50.0}, {"ip": "2.2.2.2", "count": 2, "percent": pytest.approx(33.333333)},
                   {"ip": "3.3.3.3", "count": 1, "percent": pytest.approx(16.666667)}]


def test_top_limit_and_options():
    assert run("top limit=1 ip") == [{"ip": "1.1.1.1", "count": 3, "percent": 50.0}]
    assert run("top 1 ip showperc=f countfield=n") == [{"ip": "1.1.1.1", "n": 3}]
    assert run("top limit=1 useother=t ip showperc=f") == [{"ip": "1.1.1.1", "count": 3}, {"ip": "OTHER", "count": 3}]


def test_top_by_clause():
    out = run("top limit=1 ip by region showperc=f")
    # eu: 1.1.1.1 and 3.3.3.3 tie; top returns the last lexicographical value (top page, "Lexicographic order")
    assert out == [{"region": "us", "ip": "1.1.1.1", "count": 2}, {"region": "eu", "ip": "3.3.3.3", "count": 1}]


def test_rare():
    out = run("rare ip showperc=f")
    assert out == [{"ip": "3.3.3.3", "count": 1}, {"ip": "2.2.2.2", "count": 2}, {"ip": "1.1.1.1", "count": 3}]


def test_top_two_fields_and_multivalue():
    ev = [{"_time": 1, "a": ["x", "y"], "b": "1"}, {"_time": 0, "a": "x", "b": "1"}]
    assert run("top a b showperc=f", ev) == [{"a": "x", "b": "1", "count": 2}, {"a": "y", "b": "1", "count": 1}]


def test_unknown_option():
    with pytest.raises(SplUnsupportedError, match="foo"):
        run("top foo=1 ip")
