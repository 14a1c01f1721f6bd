"""dedup, sort, head, tail conformance.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/dedup
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.0/search-commands/sort
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/head
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/tail
"""
import pytest

from splengine import run_search
from splengine.errors import SplUnsupportedError

# docs' dedup example table (host, action, client_ip)
CSV = ("host,action,client_ip\nwww1,view,211.166.11.101\nwww2,addtocart,194.215.205.19\n"
       "www3,view,74.53.23.135\nwww1,addtocart,128.241.220.82\nwww1,purchase,64.66.0.20\n"
       "www3,view,107.3.146.207\nwww2,remove,194.215.205.19")
BASE = f'| makeresults format=csv data="{CSV}"'


def q(spl):
    return run_search(BASE + " | " + spl, now=0)


def test_dedup_keeps_first_per_value():
    got = q("dedup host | table host action client_ip")
    assert got == [{"host": "www1", "action": "view", "client_ip": "211.166.11.101"},
                   {"host": "www2", "action": "addtocart", "client_ip": "194.215.205.19"},
                   {"host": "www3", "action": "view", "client_ip": "74.53.23.135"}]


def test_dedup_count_and_combination():
    assert len(q("dedup 2 host")) == 6
    assert len(q("dedup host, client_ip")) == 6


def test_dedup_consecutive_keepempty_keepevents_sortby():
    assert [r["action"] for r in q("dedup action consecutive=true")] == \
        ["view", "addtocart", "view", "addtocart", "purchase", "view", "remove"]
    got = run_search('| makeresults count=3 | streamstats count as n | eval k=if(n=1, null(), "a") | dedup k keepempty=true',
                     now=0)
    assert [r["n"] for r in got] == [1, 2]
    got = q("dedup host keepevents=true")
    assert len(got) == 7 and "host" not in got[3]
    assert [r["host"] for r in q("dedup host sortby -host")] == ["www3", "www2", "www1"]


def test_sort_numeric_then_lexicographic_missing_last():
    got = run_search('| makeresults format=csv data="v\n10\n9\n100\nb\nA\n" | append [| makeresults] | sort v',
                     now=0)
    assert [r.get("v") for r in got] == ["9", "10", "100", "A", "b", None]
    got = run_search('| makeresults format=csv data="v\n10\n9\n100\nb\nA" | sort -v', now=0)
    assert [r["v"] for r in got] == ["b", "A", "100", "10", "9"]


def test_sort_modes_count_and_desc():
    got = run_search('| makeresults format=csv data="v\n10\n9\n100" | sort str(v)', now=0)
    assert [r["v"] for r in got] == ["10", "100", "9"]
    got = run_search('| makeresults format=csv data="ip\n10.0.0.10\n10.0.0.9" | sort ip(ip)', now=0)
    assert [r["ip"] for r in got] == ["10.0.0.9", "10.0.0.10"]
    assert len(q("sort 2 host")) == 2
    assert [r["host"] for r in q("sort host desc")][:1] == ["www3"]


def test_sort_default_limit_is_10000():
    assert len(run_search("| makeresults count=10005 | sort _time", now=0)) == 10000
    assert len(run_search("| makeresults count=10005 | sort 0 _time", now=0)) == 10005


def test_head_and_tail():
    assert len(q("head")) == 7 and len(q("head 3")) == 3 and len(q("head limit=2")) == 2
    got = run_search("| makeresults count=5 | streamstats count as n | head (n<3)", now=0)
    assert [r["n"] for r in got] == [1, 2]
    got = run_search("| makeresults count=5 | streamstats count as n | head (n<3) keeplast=true", now=0)
    assert [r["n"] for r in got] == [1, 2, 3]
    # tail returns the last results in reverse order
    assert [r["client_ip"] for r in q("tail 2")] == ["194.215.205.19", "107.3.146.207"]


def test_unsupported_sort_mode_names_it():
    with pytest.raises(SplUnsupportedError, match=r"sort: unsupported sort mode 'bogus\(\)'"):
        q("sort bogus(host)")
