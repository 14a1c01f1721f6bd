"""Conformance cases for eval functions (issue 20), from the Search Reference's Evaluation functions pages
(help.splunk.com, SPL Search Reference 9.4). "documented": the page's own example with the output it states;
"derived": only what the page's text states."""
import math

import pytest

from splengine import run_search
from splengine.errors import SplError
from splengine.values import to_str

REF = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions"
CONVERSION = f"{REF}/conversion-functions"
MATH = f"{REF}/mathematical-functions"


def ev(expr, setup=""):
    row, = run_search(f"| makeresults | eval {setup}n={expr}" if setup else f"| makeresults | eval n={expr}",
                      now=1_700_000_000)
    return row.get("n")


# -- CONVERSION printf: the "Supported conversion specifiers" and "Flag characters" tables (documented)
@pytest.mark.parametrize("expr,expected", [
    ('printf("%.3A",pi())', "0X1.922P+1"),
    ('printf("%c,%c",65,"Foo")', "A,F"),
    ('printf("%d,%i,%d",-2,+4,30)', "-2,4,30"),
    ('printf("%.2e",5139)', "5.14e+03"),
    ('printf("%.2f",pi())', "3.14"),
    ('printf("%.2g,%.2g",pi(),123)', "3.1,1.2e+02"),
    ('printf("%o",255)', "377"),
    ('printf("%s%z", "foo", "bar")', "foobar"),
    ('printf("%u",99)', "99"),
    ('printf("%x,%X,%p",10,10,10)', "a,A,A"),
    ('printf("100%%")', "100%"),
    ("printf(\"%'d\",12345)", "12,345"),
    ('printf("%-4d",1)', "1   "),
    ('printf("%04d",1)', "0001"),
    ('printf("%#x", 1)', "0x1"),
    ('printf("%.*f", 1, 1.23)', "1.2"),
])
def test_printf_documented_examples(expr, expected):
    assert ev(expr) == expected


@pytest.mark.parametrize("expr,expected", [
    # "%+4d" (page shows +1) and "% -4d" (page shows 1): width 4 pads with blanks ("If the value to print is
    # shorter than this number, the result is padded with blank spaces"); the page's HTML drops the blanks
    ('printf("%+4d",1)', "  +1"),
    ('printf("% -4d",1)', " 1  "),
    ('printf("%*d", 5, 123)', "  123"),
    ('printf("%*.*e", 9, 2, pi())', " 3.14e+00"),
])
def test_printf_width_pads_with_blanks(expr, expected):
    """Derived: the Field width table's rule, the page's examples with their padding."""
    assert ev(expr) == expected


# -- CONVERSION tonumber / tostring
@pytest.mark.parametrize("expr,expected", [
    ('tonumber("0A4",16)', 164),            # "uses a base of 16 to return the number 164"
    ('tonumber("0101", 2)', 5),             # Binary conversion: "the result of the following function is 5"
    ('tostring(9, "binary")', "1001"),      # "the binary representation of 9 is 1001"
    ('tostring(1==1) + " " + tostring(15, "hex") + " " + tostring(12345.6789, "commas")', "True 0xF 12,345.68"),
])
def test_tonumber_and_tostring_documented_examples(expr, expected):
    assert ev(expr) == expected


def test_tostring_duration_documented_example():
    """"The following example returns foo=615 and foo2=00:10:15"."""
    row, = run_search('| makeresults | eval foo=615 | eval foo2 = tostring(foo, "duration")')
    assert (row["foo"], row["foo2"]) == (615, "00:10:15")


@pytest.mark.parametrize("value,expected,trimmed", [(" 12", None, 12), ("12 ", None, 12), ("12", 12, 12),
                                                    ("12.5", 12.5, 12.5), ("seven", None, None)])
def test_tonumber_of_a_field_value(value, expected, trimmed):
    """Derived: "If the tonumber function can't parse a field value to a number, for example if the value
    contains a leading and trailing space, the function returns NULL. Use the trim function"."""
    assert ev("tonumber(v)", f'v="{value}", ') == expected
    assert ev("tonumber(trim(v))", f'v="{value}", ') == trimmed


def test_tonumber_of_a_literal_that_does_not_parse_fails():
    """Documented: "If the tonumber function can't parse a string to a number, the function returns an error.
    For example, the following search fails: | makeresults | eval result=tonumber("seven")"."""
    with pytest.raises(SplError, match="tonumber\\(\\): 'seven' is not a number"):
        run_search('| makeresults | eval result=tonumber("seven")')


def test_tonumber_decimal_point_gives_a_double():
    """Derived: "If the string contains a decimal point ( . ), then the tonumber function converts the string to
    a double. Otherwise, the function converts the string to an integer"."""
    row, = run_search('| makeresults | eval d=tonumber("16.00"), i=tonumber("16"), t=typeof(d)')
    assert type(row["d"]) is float and type(row["i"]) is int and row["t"] == "Number"


# -- MATH: the basic examples with their stated results (documented)
@pytest.mark.parametrize("expr,expected", [
    ("ceil(1.9)", 2), ("floor(1.9)", 1), ("round(3.5)", 4), ("round(2.555, 2)", 2.56), ("sqrt(9)", 3),
    ("sum(1, 2, 3)", 6), ("sum(1, 2, tonumber(\"3\"))", 6),
])
def test_math_documented_examples(expr, expected):
    assert ev(expr) == expected


@pytest.mark.parametrize("setup,expected", [
    # "a field called a with value 5.0, a field called b with value 9, and a field called x with value 14 ...
    # A field is not created for c"
    ('a = 5.0, b = "9", ', 14),
    ('a="1", ', 6),            # Example 3: "a field called c with value 6"
    ('a="somedata", ', 5),     # Example 4: "a field called c with value 5"
])
def test_sum_documented_examples(setup, expected):
    expr = "sum(a, b, c)" if "b =" in setup else "sum(a, 2, 3)"
    row, = run_search(f"| makeresults | eval {setup}n={expr}")
    assert row["n"] == expected and "c" not in row


@pytest.mark.parametrize("expr", ['sum(1, 2, "3")', 'sum("somedata", 2, 3)'])
def test_sum_of_a_string_literal_is_an_error(expr):
    """Documented: "the following example returns an error because one of the arguments ... is a string"."""
    with pytest.raises(SplError, match="sum\\(\\): the string literal"):
        ev(expr)


def test_sum_of_a_multivalue_field():
    """Derived: "When the function is applied to a multivalue field, each numeric value of the field is
    included in the total"."""
    assert ev('sum(m, 10)', 'm=split("1,2,x", ","), ') == 13


# -- MULTIVALUE eval functions (documented examples with their stated results)
MULTIVALUE = f"{REF}/multivalue-eval-functions"
NAMES = 'names=split("alex,celestino,claudia,david,ikraam,nyah,rutherford,wei", ","), '
PONIES = 'ponies=split("buttercup,dash,flutter,honey,ivory,minty,pinky,rarity", ","), '


@pytest.mark.parametrize("setup,expr,expected", [
    ('srcip="203.0.113.0", destip="203.0.113.255", ', 'mvappend(mvappend("localhost", srcip), destip, "192.168.1.1")',
     ["localhost", "203.0.113.0", "203.0.113.255", "192.168.1.1"]),
    ('srcip="203.0.113.0", destip="203.0.113.255", ', 'mvappend("localhost", srcip, destip, "192.168.1.1")',
     ["localhost", "203.0.113.0", "203.0.113.255", "192.168.1.1"]),
    ('From="a@x.org", ', "mvcount(From)", 1),                  # "mvcount(From) returns 1"
    ("", "mvcount(Cc)", None),                                  # "there is no Cc address ... returns NULL"
    ('To="a@x.org,b@y.org", ', 'mvcount(split(To,"@"))-1', 2),
    (NAMES, "mvindex(names,2)", "claudia"),
    (NAMES, "mvindex(names,0,3)", ["alex", "celestino", "claudia", "david"]),
    (NAMES, "mvindex(names,8)", None),                          # "If the indexes are out of range ... NULL"
    (PONIES, "mvindex(ponies,-1)", "rarity"),
    (PONIES, "mvindex(ponies,-3)", "minty"),
    (PONIES, "mvindex(ponies, -3, -1)", ["minty", "pinky", "rarity"]),
    ("base=mvrange(1,6), ", "mvjoin('base',\" OR \")", "1 OR 2 OR 3 OR 4 OR 5"),
    ("", "mvrange(1,11,2)", [1, 3, 5, 7, 9]),
    ("", 'mvrange(1514834731,1524134919,"7d")', list(range(1514834731, 1524134919, 7 * 86400))),
    ("", 'mvreverse(split("1,2,3", ","))', ["3", "2", "1"]),
    ('b = mvappend("1","2","3"), ', "mvreverse(b)", ["3", "2", "1"]),
    ('mymvfield=mvappend("ok", "err42", "err7"), ', 'mvfind(mymvfield, "err\\d+")', 1),
    ('mymvfield=mvappend("ok", "fine"), ', 'mvfind(mymvfield, "err\\d+")', None),
    ('email=mvappend("a@b.com", "c@d.net", "e@f.org"), ', 'mvfilter(match(email, "\\.net$") OR match(email, "\\.org$"))',
     ["c@d.net", "e@f.org"]),
    ('mvfield=mvappend("b", "a", "b", "c", "a"), ', "mvdedup(mvfield)", ["b", "a", "c"]),
    # "the numbers 10, 9, 70, 100 are sorted lexicographically as 10, 100, 70, 9"
    ('mvfield=mvappend("10", "9", "70", "100"), ', "mvsort(mvfield)", ["10", "100", "70", "9"]),
    ('hosts=mvappend("web1", "web2"), ports=mvappend("80", "443"), ', "mvzip(hosts,ports)", ["web1,80", "web2,443"]),
    ('field1=mvappend("a", "b"), field2=mvappend("1", "2"), field3=mvappend("x", "y"), ',
     'mvzip(mvzip(field1,field2,"|"),field3,"|")', ["a|1|x", "b|2|y"]),
    ('test="abcd", ', 'split(test,"")', ["a", "b", "c", "d"]),
    ('test="buttercup;rarity;tenderhoof;dash;mcintosh;fleetfoot;mistmane", ', 'split(test,";")',
     ["buttercup", "rarity", "tenderhoof", "dash", "mcintosh", "fleetfoot", "mistmane"]),
    ('test="1a2b3c4def567890", ', 'split(test,"def")', ["1a2b3c4", "567890"]),
    ('test="name::value", ', 'split(test,"::")', ["name", "value"]),
])
def test_multivalue_functions_documented_examples(setup, expr, expected):
    assert ev(expr, setup) == expected


def test_mvreverse_of_a_tokenized_field_documented_example():
    """MULTIVALUE mvreverse: makemv tokenizer="([^,]+),?" then mvreverse gives three, two, one."""
    row, = run_search('| makeresults | eval myfield = "one,two,three" | makemv tokenizer = "([^,]+),?" myfield '
                      '| eval new_myfield = mvreverse(myfield)')
    assert row["new_myfield"] == ["three", "two", "one"]


# -- TEXT functions (documented examples with their stated results)
TEXT = f"{REF}/text-functions"


@pytest.mark.parametrize("setup,expr,expected", [
    ('names="buttercup", ', "len(names)", 9), ('names="tenderhoof", ', "len(names)", 10),
    ('names="mistmane", ', "len(names)", 8),
    ('username="Buttercup", ', "lower(username)", "buttercup"),
    ('username="Buttercup", ', "upper(username)", "BUTTERCUP"),
    ("", 'ltrim("   ZZZZabcZZ ", " Z")', "abcZZ "),
    ('NET_COST="$42.50", ', 'ltrim(NET_COST, "$")', "42.50"),
    ("", 'rtrim("   ZZZZabcZZ ", " Z")', "   ZZZZabc"),    # page: ZZZZabc (its HTML drops the leading blanks)
    ("", 'trim("   ZZZZabcZZ ", " Z")', "abc"),
    ('date="1/14/2023", ', 'replace(date, "^(\\d{1,2})/(\\d{1,2})/", "\\2/\\1/")', "14/1/2023"),
    ('dst="54.81.233.206:443:X1", ', 'replace(dst,":.*","")', "54.81.233.206"),
    ("", 'substr("string", 1, 3) + substr("string", -3)', "string"),
    ("", 'urldecode("http%3A%2F%2Fwww.splunk.com%2Fdownload%3Fr%3Dheader")', "http://www.splunk.com/download?r=header"),
])
def test_text_functions_documented_examples(setup, expr, expected):
    assert ev(expr, setup) == expected


# -- COMPARISON and conditional functions (documented examples with their stated results)
COMPARISON = f"{REF}/comparison-and-conditional-functions"


def test_case_status_descriptions_documented_example():
    """COMPARISON case: the page's status/description table; no true condition gives NULL."""
    statuses = ["200", "200", "408", "200", "404", "200", "406", "500", "200"]
    events = [{"_raw": "x", "_time": 100 - i, "status": s} for i, s in enumerate(statuses)]
    rows = run_search('search * | eval description=case(status==200, "OK", status==404, "Not found", '
                      'status==500, "Internal Server Error") | table status description', events=events)
    assert [(r["status"], r.get("description")) for r in rows] == [
        ("200", "OK"), ("200", "OK"), ("408", None), ("200", "OK"), ("404", "Not found"), ("200", "OK"),
        ("406", None), ("500", "Internal Server Error"), ("200", "OK")]


def test_case_custom_sort_order_documented_example():
    """COMPARISON case, extended example (synthetic quakes): stats by Description sorts Deep, Low, Mid; the
    case() ranking then sorts Low, Mid, Deep."""
    events = [{"_raw": "x", "_time": i, "depth": str(d), "mag": str(m)}
              for i, (d, m) in enumerate([(10, 2.5), (400, 4.1), (150, 0.8), (35, 7.7), (350, 6.7), (90, 6.3)])]
    spl = ('search * | eval Description=case(depth<=70, "Low", depth>70 AND depth<=300, "Mid", depth>300, "Deep") '
           "| stats count min(mag) max(mag) by Description")
    assert [r["Description"] for r in run_search(spl, events=events)] == ["Deep", "Low", "Mid"]
    rows = run_search(spl + ' | eval sort_field=case(Description="Low", 1, Description="Mid", 2, '
                      'Description="Deep",3) | sort sort_field', events=events)
    assert [(r["Description"], r["count"], r["min(mag)"], r["max(mag)"]) for r in rows] == [
        ("Low", 2, 2.5, 7.7), ("Mid", 2, 0.8, 6.3), ("Deep", 2, 4.1, 6.7)]


@pytest.mark.parametrize("spl,expected", [
    ('eval subnet="192.0.2.0/24", ip="192.0.3.0" | eval result=if(cidrmatch(subnet, ip), "true", "false")', "false"),
    ('eval subnet="2001:0db8:ffff:ffff:ffff:ffff:ffff:ff00/120", ip="2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99" '
     '| eval result = if(cidrmatch(subnet, ip), "true", "false")', "true"),
])
def test_cidrmatch_documented_examples(spl, expected):
    row, = run_search(f"| makeresults | {spl}")
    assert row["result"] == expected


@pytest.mark.parametrize("spl,ip", [
    ('eval ip="192.0.2.56" | where cidrmatch("192.0.2.0/24", ip)', "192.0.2.56"),
    ('eval ip="192.0.2.56" | search ip="192.0.2.0/24"', "192.0.2.56"),
    ('eval ip="2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99" | where cidrmatch("2001:0db8:ffff:ffff:ffff:ffff:ffff:ff00/120", ip)',
     "2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99"),
])
def test_cidrmatch_filters_documented_examples(spl, ip):
    assert [r["ip"] for r in run_search(f"| makeresults | {spl}")] == [ip]


@pytest.mark.parametrize("setup,expr,expected", [
    ('clientip="10.1.1.1", ', "coalesce(clientip,ipaddress)", "10.1.1.1"),
    ('ipaddress="10.2.2.2", ', "coalesce(clientip,ipaddress)", "10.2.2.2"),
    ('clientip="10.1.1.1", ipaddress="10.2.2.2", ', "coalesce(clientip,ipaddress)", "10.1.1.1"),
    ("error=200, ", 'if(error == 200, "OK", "Error")', "OK"),
    ("error=404, ", 'if(error == 200, "OK", "Error")', "Error"),
    ('ip="123.132.32.5", ', 'if(cidrmatch("123.132.32.0/25",ip), "local", "not local")', "local"),
    ('ip="123.132.32.200", ', 'if(cidrmatch("123.132.32.0/25",ip), "local", "not local")', "not local"),
    ('status="failure", ', 'if(in(status, "error", "failure", "severe"),"true","false")', "true"),
    ('status="ok", ', 'if(in(status, "error", "failure", "severe"),"true","false")', "false"),
])
def test_comparison_functions_documented_examples(setup, expr, expected):
    assert ev(expr, setup) == expected


@pytest.mark.parametrize("where,kept", [
    ('in(status, "400", "401", "403", "404")', ["401", "404"]),
    ('status in("400", "401", "403", "404")', ["401", "404"]),
    ('"203.0.113.255" in(ipaddress, clientip)', ["404", "500"]),
])
def test_in_function_forms_documented_examples(where, kept):
    """COMPARISON in(): the three supported forms of the page's Usage and examples."""
    spl = ('| makeresults count=3 | streamstats count as n | eval status=case(n=1, "401", n=2, "404", n=3, "500"), '
           'ipaddress=if(n>1, "203.0.113.255", "10.0.0.1"), clientip="10.9.9.9" | where ' + where)
    assert [r["status"] for r in run_search(spl)] == kept


# -- DATE and time functions (documented examples with their stated results)
DATETIME = f"{REF}/date-and-time-functions"


def test_strftime_of_nanoseconds_documented_example():
    """DATETIME strftime: "1521467703049000000" / pow(10,9) formatted "%Y-%m-%dT%H:%M:%S.%Q" is
    2018-03-19T06:55:03.049 (the page's results are in US Pacific time)."""
    row, = run_search('| makeresults | eval StartTimestamp="1521467703049000000"'
                      '| eval starttime=strftime(StartTimestamp/pow(10,9),"%Y-%m-%dT%H:%M:%S.%Q")',
                      tz="America/Los_Angeles")
    assert row["starttime"] == "2018-03-19T06:55:03.049"


@pytest.mark.parametrize("now,fmt,expected", [
    (1_660_132_103, "%H:%M", "11:48"),                              # _time 2022-08-10 11:48:23 -> 11:48
    (1_660_485_615, "%Y-%m-%dT%H:%M:%S.%Q", "2022-08-14T14:00:15.000"),
    (1_660_485_615, "%V", "33"),    # "The results show that August 14th occurred in week 33" (ISO 8601 says 32)
])
def test_strftime_documented_examples(now, fmt, expected):
    row, = run_search(f'| makeresults | eval s=strftime(_time, "{fmt}")', now=now)
    assert row["s"] == expected


@pytest.mark.parametrize("text,fmt,expected", [
    # strptime extended example: gentimes' starthuman has no fraction, the format has ".%N"
    ("Mon Aug 13 00:00:00 2018", "%a %B %d %H:%M:%S.%N %Y", 1_534_143_600),
    ("Tue Aug 14 18:00:00 2018", "%a %B %d %H:%M:%S.%N %Y", 1_534_294_800),
    # strptime usage table: "String time" and its "Matching time format variables"
    ("Mon July 23 2022 17:19:01.89", "%a %B %d %Y %H:%M:%S.%N", 1_658_621_941.89),
    ("Mon 7/23/2022 17:19:01.89", "%a %m/%d/%Y %H:%M:%S.%N", 1_658_621_941.89),
    ("2022/07/23 17:19:01.89", "%Y/%m/%d %H:%M:%S.%N", 1_658_621_941.89),
    ("2022-07-23T17:19:01.89", "%Y-%m-%dT%H:%M:%S.%N", 1_658_621_941.89),
])
def test_strptime_documented_examples(text, fmt, expected):
    """DATETIME strptime (the page's results are in US Pacific time): the extended example's values
    (1534143600.000000, 1534294800.000000) and the usage table's strings, each matched by its format."""
    row, = run_search(f'| makeresults | eval t=strptime("{text}", "{fmt}")', tz="America/Los_Angeles")
    assert row["t"] == pytest.approx(expected, abs=1e-6)
    assert to_str(row["t"]) == f"{expected:.6f}"      # rendered as the page shows it: 1534143600.000000


def test_relative_time_start_of_yesterday():
    """DATETIME relative_time (derived): relative_time(now(), "-1d@d") is "the start of yesterday"; "-2h@h": the
    offset is processed first, then the snap."""
    row, = run_search('| makeresults | eval y=relative_time(now(), "-1d@d"), h=relative_time(now(), "-2h@h")',
                      now=1_534_376_565, tz="America/Los_Angeles")      # 2018-08-15 16:42:45 PDT
    assert (row["y"], row["h"]) == (1_534_230_000, 1_534_366_800)   # 2018-08-14 00:00 and 08-15 14:00 PDT


# -- Multivalue stats and chart functions (documented examples)
MV_STATS = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/multivalue-stats-and-chart-functions"


def test_list_and_values_documented_examples():
    """list(): "The numbers are returned in ascending order" (1 2 3 4 5 ...), "If more than 100 values are in a
    field, only the first 100 are returned"; values(): lexicographical order, 1 10 100 1000 101 ... 109 11 110."""
    row, = run_search("| makeresults count=1000 | streamstats count AS rowNumber "
                      "| stats list(rowNumber) AS numbers values(rowNumber) AS distinct")
    assert [str(v) for v in row["numbers"]] == [str(n) for n in range(1, 101)]
    assert row["distinct"][:15] == ["1", "10", "100", "1000", "101", "102", "103", "104", "105", "106", "107",
                                    "108", "109", "11", "110"]
    assert len(row["distinct"]) == 1000


# -- EVAL command page (documented examples)
EVAL = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eval"


def test_eval_rounding_outside_the_supported_range_documented_example():
    """EVAL example 10: max_supported_val 9007199254740991, val1 and val2 both 9007199254740992."""
    row, = run_search("| makeresults | eval max_supported_val = pow(2, 53)-1, val1 = max_supported_val + 1, "
                      "val2 = max_supported_val + 2")
    assert (row["max_supported_val"], row["val1"], row["val2"]) == (9007199254740991, 9007199254740992,
                                                                    9007199254740992)


@pytest.mark.parametrize("spl,field,expected", [
    # Example 9: "If the original value of x is 1000000.1278, the following search returns x as 1,000,000.13"
    ('eval x=1000000.1278 | eval x=tostring(x,"commas")', "x", "1,000,000.13"),
    ('eval x=1000000.1278 | eval x="$".tostring(x,"commas")', "x", "$1,000,000.13"),
    # Dynamic field name creation: "| eval field1="counter", {field1}="1234"" gives counter=1234
    ('eval field1="counter", {field1}="1234"', "counter", "1234"),
    # Field names: a trailing space in the name is kept ("first  " then 'first  ')
    ("eval \"first  \" = 123 | eval second='first  '", "second", 123),
    # Example 7/8: concatenation with . and several assignments separated by commas
    ('eval first_name="Ada", last_name="Lovelace" | eval full_name = first_name." ".last_name, '
     'low_name = lower(full_name)', "low_name", "ada lovelace"),
])
def test_eval_documented_examples(spl, field, expected):
    row, = run_search(f"| makeresults | {spl}")
    assert row[field] == expected


@pytest.mark.parametrize("expr,expected", [
    # "The order in which Boolean expressions are evaluated ... NOT clauses, AND clauses, OR clauses, XOR"
    ("true() OR false() AND false()", "t"),      # AND before OR
    ("NOT true() OR true()", "t"),               # NOT before OR
    ("true() XOR true() OR true()", "f"),        # OR before XOR: true XOR (true OR true)
    ("(true() XOR true()) OR true()", "t"),      # parentheses first
])
def test_eval_boolean_evaluation_order(expr, expected):
    """EVAL Boolean expressions (derived from the stated evaluation order)."""
    assert ev(f'if({expr}, "t", "f")') == expected


NOW_EXAMPLE = ('search earliest=-30d | eval eventHour=strftime(_time,"%H") | eval eventMin=strftime(_time,"%M") '
               '| eval curHour=strftime(now(),"%H") | eval curMin=strftime(now(),"%M") '
               '| where (eventHour=curHour and eventMin > curMin - 30) or '
               '(curMin < 30 and eventHour=curHour-1 and eventMin>curMin+30) | bucket _time span=1d | chart count by _time')
DAY = 1_699_920_000     # 2023-11-14 00:00 UTC


@pytest.mark.parametrize("now,times,expected", [
    # 10:45: events of the same hour later than :15 are kept, on any day of the 30 (the page's hour/minute test)
    (DAY + 86400 + 10 * 3600 + 45 * 60, [(1, "10:20"), (1, "10:40"), (1, "10:10"), (1, "09:50"), (0, "10:30"),
                                         (0, "08:00")], [(DAY, 1), (DAY + 86400, 2)]),
    # 10:10: the previous hour's minutes after :40 count too
    (DAY + 86400 + 10 * 3600 + 10 * 60, [(1, "09:50"), (1, "09:35"), (1, "10:05")], [(DAY + 86400, 2)]),
])
def test_now_extended_example_last_30_minutes(now, times, expected):
    """Derived (DATETIME now() extended example, "looking for events that occurred within the last 30 minutes"):
    the page's search as written (lowercase and/or in where, `bucket` for bin) over events at the given day and
    time of day; `bucket _time span=1d | chart count by _time` counts the kept events per day."""
    events = [{"_raw": f"e{i}", "_time": DAY + d * 86400 + int(hm[:2]) * 3600 + int(hm[3:]) * 60, "index": "main"}
              for i, (d, hm) in enumerate(times)]
    rows = run_search(NOW_EXAMPLE, events=events, now=now, tz="UTC")
    assert [(int(r["_time"]), r["count"]) for r in rows] == expected


def test_now_is_the_search_start_and_time_is_the_processing_time():
    """Derived (DATETIME now(): "returns the time that the search was started"; time(): "returns the wall-clock
    time with microsecond resolution", "the time that the search was processed"): now() is the same for every
    row; time() is the clock when the row was processed, never before the search started."""
    import time as clock
    start = clock.time()
    rows = run_search("| makeresults count=3 | eval n=now(), t=time()", now=1_700_000_000)
    assert {r["n"] for r in rows} == {1_700_000_000}
    assert all(start <= r["t"] <= clock.time() for r in rows)


# -- MATH: the functions whose examples state no output (derived from the descriptions)
@pytest.mark.parametrize("expr,expected", [
    ("exp(3)", 20.085536923187668),     # "returns y=e^3"
    ("log(100)", 2), ("log(8, 2)", 3),  # "If the <base> argument is omitted, base 10 is used"
    ("ln(exp(2))", 2),                  # "the natural logarithm"
    ("abs(-5.5)", 5.5),                 # "the absolute value"
    ("ceiling(1.9)", 2),                # ceiling is ceil: "rounds a number up to the next highest integer"
])
def test_math_functions_derived(expr, expected):
    assert ev(expr) == pytest.approx(expected)


# -- COMPARISON searchmatch and validate
COMPARISON = f"{REF}/comparison-and-conditional-functions"


@pytest.mark.parametrize("pattern,expected", [("x=hi y=*", "yes"), ("x=hello", "no")])
def test_searchmatch_example(pattern, expected):
    """Documented (COMPARISON searchmatch: _raw "x=hi y=bye" with x="hi", y="bye"; searchmatch("x=hi y=*") gives
    test=yes); derived: a search that does not match gives no. (The page writes `makeresults 1`; makeresults
    has no positional count in its syntax, so the example runs with the default count of 1.)"""
    row, = run_search('| makeresults | eval _raw = "x=hi y=bye" | eval x="hi" | eval y="bye" '
                      f'| eval test=if(searchmatch("{pattern}"), "yes", "no") | table _raw test x y')
    assert row == {"_raw": "x=hi y=bye", "test": expected, "x": "hi", "y": "bye"}


@pytest.mark.parametrize("port,expected", [
    ("80", None), ("x", "ERROR: Port is not an integer"), ("70000", "ERROR: Port is out of range")])
def test_validate_example(port, expected):
    """Derived (COMPARISON validate: "returns the string that corresponds to the first expression that evaluates
    to FALSE ... returns NULL if all of the expressions evaluate to TRUE"), the page's port example."""
    assert ev('validate(isint(port), "ERROR: Port is not an integer", port >= 1 AND port <= 65535, '
              '"ERROR: Port is out of range")', f'port="{port}", ') == expected


# -- TRIG and hyperbolic functions: the page's examples state no output (derived from the descriptions)
TRIG = f"{REF}/trig-and-hyperbolic-functions"


@pytest.mark.parametrize("expr,expected", [
    ("acos(0)", math.pi / 2), ("acos(0)*180/pi()", 90), ("acosh(2)", math.acosh(2)),
    ("asin(1)", math.pi / 2), ("asin(1)*180/pi()", 90), ("asinh(1)", math.asinh(1)),
    ("atan(0.50)", math.atan(0.5)), ("atan2(0.50, 0.75)", math.atan2(0.5, 0.75)), ("atanh(0.500)", math.atanh(0.5)),
    ("cos(-1)", math.cos(-1)), ("cos(pi())", -1), ("cosh(1)", math.cosh(1)),
    ("hypot(3,4)", 5),
    ("sin(1)", math.sin(1)), ("sin(90 * pi()/180)", 1), ("sinh(1)", math.sinh(1)),
    ("tan(1)", math.tan(1)), ("tanh(1)", math.tanh(1)),
])
def test_trig_and_hyperbolic_examples(expr, expected):
    """Derived (TRIG, each function's basic examples, in radians: "the arc cosine of X, in the interval [0, pi]",
    180/pi() * acos(0) is 90 degrees, hypot(3,4) "the hypotenuse of a right triangle" is 5)."""
    assert ev(expr) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("expr", ["acos(2)", "asin(-2)", "acosh(0.5)", "atanh(1)", 'cos("x")'])
def test_trig_outside_the_domain_is_null(expr):
    """Derived (TRIG intervals): a value outside the function's domain has no result."""
    assert ev(expr) is None


SPATH_RAW = ('{"vendorProductSet": {"product": {"desc": {"locDesc": "Splunk Enterprise"}}}, '
             '"entities": {"hashtags": ["splunk", "search"]}}')


@pytest.mark.parametrize("path,expected", [
    ("vendorProductSet.product.desc.locDesc", "Splunk Enterprise"),   # the page's first example's path
    ("entities.hashtags{}", ["splunk", "search"]),                      # an array's values: a multivalue field
    ("entities.nosuchkey", None),
])
def test_spath_eval_function(path, expected):
    """Derived (TEXT spath(<value>, <path>): "extracts information from the structured data formats XML and JSON";
    the examples' locDesc path and an array path): the value at the path, null when the path does not exist."""
    raw = SPATH_RAW.replace('"', '\\"')
    row, = run_search(f'| makeresults | eval _raw="{raw}" | eval n=spath(_raw, "{path}")')
    assert row.get("n") == expected


@pytest.mark.parametrize("text,expected", [
    ("search foo | stats count | sort count", ["search", "stats", "sort"]),   # the page's example
    ("foo | stats count", ["search", "stats"]),                               # derived: the implied search
])
def test_commands_example(text, expected):
    """Documented (MULTIVALUE commands: "returns a multivalued field called x, that contains the commands search,
    stats, and sort")."""
    assert ev(f'commands("{text}")') == expected


@pytest.mark.parametrize("expr,expected", [
    ('ipmask("255.255.255.0", "10.20.30.120")', "10.20.30.0"),     # documented: "The output ... is 10.20.30.0"
    ('ipmask("0.255.0.224", "10.20.30.120")', "0.20.0.96"),         # derived: the bitwise AND of each octet
    ('ipmask("255.255.255.0", "10.20.30")', None),                  # derived: "must be a valid IPv4 address"
])
def test_ipmask_examples(expr, expected):
    """CONVERSION ipmask: "Generates a new masked IP address by applying a mask to an IP address using a bitwise
    AND operation"."""
    assert ev(expr) == expected
