"""Eval functions, one test (or a few) per function, from the documented behaviour and examples.

Pages (help.splunk.com, Search Reference 9.4, "Evaluation functions"):
  C = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/comparison-and-conditional-functions
  V = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/conversion-functions
  M = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/mathematical-functions
  MV = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/multivalue-eval-functions
  T = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/text-functions
  I = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/informational-functions
  D = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/date-and-time-functions
  H = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/cryptographic-functions
  S = https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/statistical-eval-functions
  F = https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.3/time-format-variables-and-modifiers
"""
import hashlib
from zoneinfo import ZoneInfo

import pytest
from expr_helpers import MiniContext, ev

from splengine.errors import SplError
from splengine.expr.eval import parse_expression


# --- C: comparison and conditional ------------------------------------------------------------
def test_if_and_case():
    assert ev('if(error==200, "OK", "Error")', {"error": "200"}) == "OK"
    assert ev('if(error==200, "OK", "Error")', {"error": "404"}) == "Error"
    assert ev('if(x > 1, "a", "b")') == "b"            # null condition takes the false branch
    expr = 'case(error == 404, "Not found", error == 500, "Internal Server Error", error == 200, "OK")'
    assert ev(expr, {"error": "500"}) == "Internal Server Error"
    assert ev(expr, {"error": "302"}) is None             # no match -> null
    assert ev('case(x=1, "one", true(), "other")', {"x": "9"}) == "other"


def test_if_requires_boolean():
    with pytest.raises(SplError, match="boolean"):
        ev('if("yes", 1, 2)')


def test_coalesce_null_true_false_validate():
    assert ev("coalesce(a, b, c)", {"b": "B", "c": "C"}) == "B"
    assert ev("coalesce(a, b)") is None
    assert ev("null()") is None and ev("true()") is True and ev("false()") is False
    v = 'validate(isint(port), "ERROR: Port is not an integer", port >= 1 AND port <= 65535, "ERROR: Port is out of range")'
    assert ev(v, {"port": "80"}) is None
    assert ev(v, {"port": "x"}) == "ERROR: Port is not an integer"
    assert ev(v, {"port": "70000"}) == "ERROR: Port is out of range"


def test_in_like_match():
    assert ev('in(status, "error", "failure", "severe")', {"status": "failure"}) is True
    assert ev('in(status, "error")', {"status": "ok"}) is False
    assert ev('like(field, "addr%")', {"field": "address"}) is True
    assert ev('like(field, "a_dr%")', {"field": "address"}) is True
    assert ev(r'match(field, "^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")', {"field": "10.1.2.3"}) is True
    assert ev('match(field, "^x")', {"field": "abc"}) is False
    assert ev('match(field, "(?<name>b)c")', {"field": "abc"}) is True    # PCRE named group syntax


def test_invalid_regex_is_an_error():
    with pytest.raises(SplError, match="regular expression"):
        parse_expression('match(x, "(")')


def test_searchmatch_delegates_to_context():
    ctx = MiniContext()
    assert ev('searchmatch("x=hi")', {"x": "hi"}, ctx) is True
    assert ctx.searches == ["x=hi"]


def test_cidrmatch():
    assert ev('cidrmatch("123.132.32.0/25", ip)', {"ip": "123.132.32.10"}) is True
    assert ev('cidrmatch("123.132.32.0/25", ip)', {"ip": "123.132.32.200"}) is False
    assert ev('cidrmatch("2001:db8::/32", ip)', {"ip": "2001:db8::1"}) is True
    assert ev('cidrmatch("10.0.0.0/8", ip)', {"ip": "not-an-ip"}) is False


# --- V: conversion ------------------------------------------------------------------------------
def test_tonumber():
    assert ev('tonumber("0A4", 16)') == 164
    assert ev('tonumber("1010", 2)') == 10
    assert ev('tonumber("123")') == 123
    assert ev('tonumber("12.5")') == 12.5
    assert ev('tonumber(x)', {"x": "abc"}) is None
    with pytest.raises(SplError, match="base"):
        ev('tonumber("1", 40)')


def test_tostring():
    assert ev("tostring(1==1)") == "True"
    assert ev('tostring(15, "hex")') == "0xF"
    assert ev('tostring(12345.6789, "commas")') == "12,345.68"
    assert ev('tostring(1234567, "commas")') == "1,234,567"
    assert ev('tostring(615, "duration")') == "00:10:15"
    assert ev('tostring(90061, "duration")') == "1+01:01:01"
    assert ev("tostring(10/4)") == "2.5"
    with pytest.raises(SplError, match="format"):
        ev('tostring(1, "roman")')


def test_printf():
    assert ev('printf("%04d", 42)') == "0042"
    assert ev('printf("%-5s|", "ab")') == "ab   |"
    assert ev('printf("%.2f", 3.14159)') == "3.14"
    assert ev("printf(\"%'d\", 12345678)") == "12,345,678"
    assert ev('printf("%x %X %o", 255, 255, 8)') == "ff FF 10"
    assert ev('printf("%s is %d%%", "cpu", 95)') == "cpu is 95%"
    assert ev('printf("%*d", 5, 42)') == "   42"
    with pytest.raises(SplError, match="not enough"):
        ev('printf("%d %d", 1)')


# --- M: mathematical ----------------------------------------------------------------------------
def test_math_functions():
    assert ev("abs(-5)") == 5
    assert ev("ceiling(1.9)") == 2 and ev("ceil(1.1)") == 2 and ev("floor(1.9)") == 1
    assert ev("round(3.5)") == 4 and ev("round(2.555, 2)") == 2.56 and ev("round(-2.5)") == -3
    assert ev("pow(2, 10)") == 1024 and ev("sqrt(9)") == 3.0
    assert ev("log(100)") == pytest.approx(2) and ev("log(8, 2)") == pytest.approx(3)
    assert ev("ln(exp(2))") == pytest.approx(2)
    assert ev("sqrt(-1)") is None and ev("log(0)") is None
    assert ev('abs("x")') is None


def test_min_max_numbers_and_strings():
    # S: numbers compare numerically; strings are greater than numbers
    assert ev('max(1, 3, 6, 7, "f", count)', {"count": "10"}) == "f"
    assert ev("max(1, 3, 6, 7, count)", {"count": "10"}) == 10
    assert ev("min(3, x, 2)", {"x": ["1", "9"]}) == 1


# --- MV: multivalue -----------------------------------------------------------------------------
def test_mvappend_mvcount_mvindex():
    row = {"srcip": ["1.1.1.1", "2.2.2.2"]}
    assert ev('mvappend("localhost", srcip)', row) == ["localhost", "1.1.1.1", "2.2.2.2"]
    assert ev("mvcount(srcip)", row) == 2 and ev("mvcount(x)", {"x": "a"}) == 1 and ev("mvcount(y)") is None
    row = {"mvfield": ["a", "b", "c", "d", "e"]}
    assert ev("mvindex(mvfield, 2)", row) == "c"
    assert ev("mvindex(mvfield, -1)", row) == "e"
    assert ev("mvindex(mvfield, 2, -1)", row) == ["c", "d", "e"]
    assert ev("mvindex(mvfield, 9)", row) is None


def test_mvjoin_mvdedup_mvsort_mvfind_mvzip():
    row = {"f": ["1", "3", "5", "7"], "d": ["b", "a", "b"], "hosts": ["h1", "h2"], "ports": ["80", "443"]}
    assert ev('mvjoin(f, ";")', row) == "1;3;5;7"
    assert ev("mvdedup(d)", row) == ["b", "a"]
    assert ev("mvsort(mvappend(\"10\", \"9\", \"a\"))") == ["10", "9", "a"]     # lexicographic
    assert ev('mvfind(d, "a")', row) == 1 and ev('mvfind(d, "z")', row) is None
    assert ev("mvzip(hosts, ports)", row) == ["h1,80", "h2,443"]
    assert ev('mvzip(hosts, ports, ":")', row) == ["h1:80", "h2:443"]


def test_mvfilter():
    row = {"email": ["a@yahoo.com", "b@gmail.com", "c@yahoo.com"]}
    assert ev('mvfilter(match(email, "yahoo.com$"))', row) == ["a@yahoo.com", "c@yahoo.com"]
    assert ev('mvfilter(email != "b@gmail.com")', row) == ["a@yahoo.com", "c@yahoo.com"]
    assert ev('mvfilter(match(email, "nothing"))', row) is None
    with pytest.raises(SplError, match="exactly one field"):
        parse_expression("mvfilter(a = b)")


def test_split():
    assert ev('split(x, ";")', {"x": "a;b;c"}) == ["a", "b", "c"]
    assert ev('split(x, ",")', {"x": "one"}) == "one"


# --- T: text ------------------------------------------------------------------------------------
def test_text_functions():
    assert ev('len("splunk")') == 6
    assert ev('lower("ABC")') == "abc" and ev('upper("abc")') == "ABC"
    assert ev('substr("splunk", 1, 3)') == "spl" and ev('substr("splunk", -3)') == "unk"
    assert ev('substr("splunk", 3)') == "lunk"
    assert ev('trim("  ZZZZabcZZ ", " Z")') == "abc"
    assert ev('ltrim("  ZZZZabcZZ ", " Z")') == "abcZZ "
    assert ev('rtrim("  ZZZZabcZZ ", " Z")') == "  ZZZZabc"
    assert ev('trim("  abc ")') == "abc"
    assert ev('urldecode("http%3A%2F%2Fwww.splunk.com%2Fdownload%3Fr%3Dheader")') == \
        "http://www.splunk.com/download?r=header"
    assert ev("lower(x)", {"x": ["A", "B"]}) == ["a", "b"]


def test_replace_with_backreferences():
    assert ev(r'replace(date, "^(\d{1,2})/(\d{1,2})/", "\2/\1/")', {"date": "1/14/2017"}) == "14/1/2017"
    assert ev('replace("aaa", "a", "b")') == "bbb"


def test_spath_eval_function():
    doc = '{"a": {"b": [{"c": "x"}, {"c": "y"}]}, "n": 5, "o": {"k": 1}}'
    row = {"j": doc}
    assert ev('spath(j, "a.b{}.c")', row) == ["x", "y"]
    assert ev('spath(j, "a.b{1}.c")', row) == "y"
    assert ev('spath(j, "n")', row) == "5"
    assert ev('spath(j, "o")', row) == '{"k":1}'
    assert ev('spath(j, "missing")', row) is None


# --- I: informational ---------------------------------------------------------------------------
def test_informational():
    assert ev("isnull(x)") is True and ev("isnotnull(x)", {"x": ""}) is True
    assert ev("isnum(x)", {"x": "12"}) is True and ev("isstr(x)", {"x": "ab"}) is True
    assert ev('isstr("12")') is True               # a quoted literal is a string
    assert ev("isint(x)", {"x": "12"}) is True and ev("isint(x)", {"x": "1.5"}) is False
    assert ev("typeof(12)") == "Number" and ev('typeof("12")') == "String"
    assert ev("typeof(1==2)") == "Bool" and ev("typeof(nofield)") == "Invalid"


# --- D: date and time ---------------------------------------------------------------------------
def test_now_and_relative_time_use_the_context():
    ctx = MiniContext(now=1700000000.0)
    assert ev("now()", ctx=ctx) == 1700000000.0
    assert ev('relative_time(now(), "-1d@d")', ctx=ctx) == 1699833600


def test_strftime():
    assert ev('strftime(1628793339.123456, "%Y-%m-%dT%H:%M:%S.%3N%z")') == "2021-08-12T18:35:39.123+0000"
    assert ev('strftime(0, "%F %T %Z")') == "1970-01-01 00:00:00 UTC"
    assert ev('strftime(1628793339.5, "%s %6N %Q")') == "1628793339 500000 500"
    assert ev('strftime(1628793339, "%H:%M %:z")', ctx=MiniContext(tz=ZoneInfo("America/New_York"))) == \
        "14:35 -04:00"


def test_strptime():
    assert ev('strptime("2021-08-12T18:35:39Z", "%Y-%m-%dT%H:%M:%S%Z")') == 1628793339
    assert ev('strptime("2021-08-12T18:35:39.250Z", "%Y-%m-%dT%H:%M:%S.%3N%Z")') == 1628793339.25
    assert ev('strptime("2021-08-12 20:35:39 +0200", "%Y-%m-%d %H:%M:%S %z")') == 1628793339
    assert ev('strptime("1628793339", "%s")') == 1628793339
    assert ev('strptime("Aug 12 2021 06:35:39 PM", "%b %d %Y %I:%M:%S %p")') == 1628793339
    assert ev('strptime("garbage", "%Y-%m-%d")') is None
    ny = MiniContext(tz=ZoneInfo("America/New_York"))
    assert ev('strptime("2021-08-12 14:35:39", "%Y-%m-%d %H:%M:%S")', ctx=ny) == 1628793339


# --- H: cryptographic ---------------------------------------------------------------------------
def test_hashes():
    assert ev('md5("abc")') == hashlib.md5(b"abc").hexdigest()
    assert ev('sha256("abc")') == hashlib.sha256(b"abc").hexdigest()
    assert ev("sha1(x)") is None
