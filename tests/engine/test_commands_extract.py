"""rex, regex, spath, convert, fillnull conformance.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/rex
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/regex
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/spath
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/convert
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/fillnull
"""
import pytest

from splengine import run_search
from splengine.errors import SplSyntaxError, SplUnsupportedError


def one(spl, **kw):
    return run_search(spl, now=0, **kw)[0]


def test_rex_named_groups_from_raw_and_field(ct_events):
    got = run_search('errorCode=Client.UnauthorizedOperation | rex "User: arn:aws:sts::(?<account>\\d+):assumed-role/'
                     '(?<role>[^/]+)/" | table account role', events=ct_events, now=2e9)
    assert got == [{"account": "751353041310", "role": "stratus-red-team-ec2lui-role-idtzskbvtd"}]


def test_rex_max_match_makes_multivalue():
    got = one('| makeresults | eval s="a=1 b=2 c=3" | rex field=s max_match=0 "(?<k>\\w)=(?<v>\\d)"')
    assert got["k"] == ["a", "b", "c"] and got["v"] == ["1", "2", "3"]
    got = one('| makeresults | eval s="a=1 b=2 c=3" | rex field=s "(?<k>\\w)=(?<v>\\d)"')
    assert got["k"] == "a"


def test_rex_no_match_leaves_fields_unset():
    got = one('| makeresults | eval s="zzz" | rex field=s "(?<num>\\d+)"')
    assert "num" not in got


def test_rex_sed_mode():
    # docs example: mask digits, s/(\d{4}-){3}/XXXX-XXXX-XXXX-/g
    got = one('| makeresults | eval cc="1234-5678-9012-3456" | rex field=cc mode=sed "s/(\\d{4}-){3}/XXXX-XXXX-XXXX-/g"')
    assert got["cc"] == "XXXX-XXXX-XXXX-3456"
    got = one('| makeresults | eval s="aaa" | rex field=s mode=sed "s/a/b/2"')
    assert got["s"] == "aba"
    got = one('| makeresults | eval s="abc" | rex field=s mode=sed "y/abc/xyz/"')
    assert got["s"] == "xyz"


def test_rex_errors():
    with pytest.raises(SplSyntaxError, match="no named group"):
        run_search('| makeresults | rex "\\d+"', now=0)
    with pytest.raises(SplUnsupportedError, match="rex: unsupported option 'bogus'"):
        run_search('| makeresults | rex bogus=1 "(?<a>x)"', now=0)


def test_regex_keeps_and_drops():
    base = '| makeresults format=csv data="ip\n10.1.1.1\n192.168.0.1\n8.8.8.8"'
    got = run_search(base + ' | regex ip="^(10|192\\.168)\\."', now=0)
    assert [r["ip"] for r in got] == ["10.1.1.1", "192.168.0.1"]
    got = run_search(base + ' | regex ip!="^(10|192\\.168)\\."', now=0)
    assert [r["ip"] for r in got] == ["8.8.8.8"]


def test_spath_path_and_all_fields(ct_events):
    got = run_search("eventName=RunInstances errorCode=Client.UnauthorizedOperation"
                     " | spath output=types path=requestParameters.instancesSet.items{}.maxCount"
                     " | spath input=_raw path=userIdentity output=uid | table types uid", events=ct_events, now=2e9)
    assert got[0]["types"] == "10"
    assert got[0]["uid"].startswith('{"') and '"type":"AssumedRole"' in got[0]["uid"]
    got = one("| makeresults | eval j=\"{\\\"a\\\": {\\\"b\\\": [1, 2]}}\" | spath input=j")
    assert got["a.b{}"] == ["1", "2"]


def test_convert_ctime_timeformat_and_numbers():
    got = one('| makeresults | eval t=1714485927, s="1,234", m="10k", d="1+02:00:03", u="42 ms"'
              ' | convert ctime(t) AS ct timeformat="%Y-%m-%dT%H:%M:%S" rmcomma(s) memk(m) dur2sec(d) rmunit(u)')
    assert got["ct"] == "2024-04-30T14:05:27"
    assert (got["s"], got["m"], got["d"], got["u"]) == (1234, 10, 93603, 42)
    got = one('| makeresults | eval t=0 | convert ctime(t)')
    assert got["t"] == "01/01/1970 00:00:00"


def test_convert_unknown_function():
    with pytest.raises(SplUnsupportedError, match="unsupported conversion function 'bogus'"):
        run_search("| makeresults | convert bogus(x)", now=0)


def test_fillnull_default_value_and_field_list():
    got = run_search('| makeresults format=csv data="a,b\n1,\n,2" | fillnull', now=0)
    assert [(r["a"], r["b"]) for r in got] == [("1", "0"), ("0", "2")]
    got = run_search('| makeresults format=csv data="a,b\n1,\n,2" | fillnull value=NULL a c', now=0)
    assert [(r["a"], r.get("b"), r["c"]) for r in got] == [("1", None, "NULL"), ("NULL", "2", "NULL")]
