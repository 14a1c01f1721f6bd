"""Conformance cases from the Search Reference (help.splunk.com, SPL Search Reference 9.4 / 10.0): each case cites
its page; "documented" cases use the page's own example and output, "derived" ones only what the page states.
Issue 20: the wrong answers and refusals an independent review found."""
import pytest

from splengine import run_search
from splengine.errors import SplError, SplUnsupportedError

REF = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4"
SEARCH = f"{REF}/search-commands/search"
MAKEMV = f"{REF}/search-commands/makemv"
JOIN = f"{REF}/search-commands/join"
EVAL = f"{REF}/search-commands/eval"
BIN = f"{REF}/search-commands/bin"
STREAMSTATS = f"{REF}/search-commands/streamstats"
WHERE = f"{REF}/search-commands/where"
MULTIVALUE = f"{REF}/evaluation-functions/multivalue-eval-functions"
COMPARISON = f"{REF}/evaluation-functions/comparison-and-conditional-functions"
STATS = f"{REF}/search-commands/stats"

IPS = [{"_raw": "a", "_time": 5, "src_ip": "10.1.2.3"}, {"_raw": "b", "_time": 4, "src_ip": "192.168.0.1"},
       {"_raw": "c", "_time": 3, "src_ip": "2001:db8::1"}, {"_raw": "d", "_time": 2},
       {"_raw": "e", "_time": 1, "src_ip": ["8.8.8.8", "10.9.9.9"]}, {"_raw": "f", "_time": 0, "src_ip": "db-host"}]


def values(spl, field, events=()):
    return [row.get(field) for row in run_search(spl, events=events, now=1_700_000_000)]


# -- search: "The search command supports IPv4 and IPv6 addresses and subnets that use CIDR notation." (derived)
@pytest.mark.parametrize("spl,expected", [
    ("src_ip=10.0.0.0/8", ["10.1.2.3", ["8.8.8.8", "10.9.9.9"]]),
    ("NOT src_ip=10.0.0.0/8", ["192.168.0.1", "2001:db8::1", None, "db-host"]),
    ("src_ip!=10.0.0.0/8", ["192.168.0.1", "2001:db8::1", "db-host"]),
    ("src_ip=2001:db8::/32", ["2001:db8::1"]),
    ("src_ip IN (192.168.0.0/16, 2001:db8::/32)", ["192.168.0.1", "2001:db8::1"]),
    ("src_ip=10.1.2.3/32", ["10.1.2.3"]),
])
def test_search_matches_ip_values_in_cidr_subnets(spl, expected):
    """SEARCH: a CIDR value matches the field's IP values within the subnet (a multivalue field when any value
    is); a value that is no IP address never matches; NOT keeps events without the field, != does not."""
    assert values(spl + " | table src_ip", "src_ip", IPS) == expected


def test_cidr_filter_of_the_readme_tuning_example():
    """README's tuning section: `hunt.py --search '... | search NOT sourceIPAddress=10.0.0.0/8 | ...'`."""
    rows = run_search("| makeresults count=3 | streamstats count as n | eval sourceIPAddress=case(n=1, \"10.20.30.40\", "
                      "n=2, \"203.0.113.9\", n=3, \"10.0.0.1\") | search NOT sourceIPAddress=10.0.0.0/8 "
                      "| stats count by sourceIPAddress")
    assert rows == [{"sourceIPAddress": "203.0.113.9", "count": 1}]


# -- makemv (documented options; the page's examples)
@pytest.mark.parametrize("spl,expected", [
    # "Separate the values of senders into multiple values" (delim=",")
    ('eval senders="a@x.com,b@x.com,c@x.com" | makemv delim="," senders', ["a@x.com", "b@x.com", "c@x.com"]),
    # 'if delim="," and field="a,,b", by default does not produce any value for the empty string'
    ('eval f="a,,b" | makemv delim="," f', ["a", "b"]),
    ('eval f="a,,b" | makemv delim="," allowempty=true f', ["a", "", "b"]),
    # "Use a regular expression to separate values" tokenizer="([^,]+),?"
    ('eval my_multival="one,two,three" | makemv tokenizer="([^,]+),?" my_multival', ["one", "two", "three"]),
    # default delimiter: a single space; multi-character delimiters
    ('eval s="x y z" | makemv s', ["x", "y", "z"]),
    ('eval s="1::2::3" | makemv delim="::" s', ["1", "2", "3"]),
])
def test_makemv(spl, expected):
    field = spl.split()[-1]
    assert values(f"| makeresults | {spl} | table {field}", field) == [expected]


def test_makemv_refuses_setsv_naming_it():
    with pytest.raises(SplUnsupportedError, match="makemv: setsv=true is not supported"):
        run_search('| makeresults | eval s="a b" | makemv setsv=true s')


# -- multivalue eval functions
def test_mvrange_documented_examples():
    """MULTIVALUE mvrange: "mvrange(1,11,2)" returns 1, 3, 5, 7, 9 (the end is not included); a time step such
    as "7d" between two epochs."""
    row = run_search('| makeresults | eval mv=mvrange(1,11,2), t=mvrange(1514834731,1516000000,"7d")')[0]
    assert row["mv"] == [1, 3, 5, 7, 9]
    assert row["t"] == [1514834731, 1514834731 + 7 * 86400]


def test_mvmap_documented_examples():
    """MULTIVALUE mvmap(X, X*10) and mvmap with if(): the expression runs once per value of the field."""
    row = run_search('| makeresults | eval results=split("1,2,3", ",") | eval n=mvmap(results, results*10), '
                     'm=mvmap(results, if(results>1, "big", "small"))')[0]
    assert row["n"] == [10, 20, 30] and row["m"] == ["small", "big", "big"]


def test_mvreverse():
    """MULTIVALUE mvreverse: the values in reverse order."""
    assert values('| makeresults | eval r=mvreverse(mvappend("a","b","c"))', "r") == [["c", "b", "a"]]


@pytest.mark.parametrize("expr,expected", [('nullif(1, 1)', None), ('nullif("x", "y")', "x"),
                                           ('nullif("a", "A")', "a")])
def test_nullif(expr, expected):
    """COMPARISON nullif(<value1>,<value2>): "returns NULL if value1 = value2. Otherwise it returns value1"."""
    assert values(f"| makeresults | eval n={expr}", "n") == [expected]


# -- where: the lowercase in() form of its examples ("where status in("400", "401", "403", "404")")
def test_where_lowercase_in_form():
    spl = '| makeresults count=5 | streamstats count as n | eval status=399+n | where status in("400", "403") | table status'
    assert values(spl, "status") == [400, 403]


# -- stats count(eval(status="404")) AS ...: a single = compares inside eval() (STATS, "Usage: eval expressions")
def test_count_of_eval_with_single_equals():
    spl = ('| makeresults count=4 | streamstats count as n | eval status=if(n<3, "404", "200") '
           '| stats count(eval(status="404")) AS count_status count(eval(status=="200")) AS ok')
    assert run_search(spl) == [{"count_status": 2, "ok": 2}]


def test_count_of_eval_still_needs_a_rename():
    with pytest.raises(SplError, match="must be renamed with 'as'"):
        run_search('| makeresults | eval x="a" | stats count(eval(x="a"))')


@pytest.mark.parametrize("spl,message", [
    ("| makeresults | eval x=1, y={x}", r"\{x\}: a field name from another field's value is only supported on the left"),
    ("| makeresults | eval n=1 | bin n minspan=5", "minspan applies to _time only"),
    ("| makeresults | chart values(*) as *", r"wildcard field names in values\(\*\) are not supported"),
])
def test_still_refused_forms_are_named(spl, message):
    """docs/engine.md lists what is still refused: each refusal names the construct."""
    with pytest.raises(SplUnsupportedError, match=message):
        run_search(spl)


WILDCARD_ROWS = ("| makeresults count=4 | streamstats count as n "
                 "| eval date_hour=n%2, delay=n, xdelay=n*10, relay=n*100, other=1 ")


def test_stats_wildcard_fields_documented_example():
    """STATS "stats avg(*lay) BY date_hour": one average per field ending in "lay" (delay, relay, xdelay)."""
    rows = run_search(WILDCARD_ROWS + "| stats avg(*lay) BY date_hour")
    assert rows == [{"date_hour": "0", "avg(delay)": 3.0, "avg(relay)": 300.0, "avg(xdelay)": 30.0},
                    {"date_hour": "1", "avg(delay)": 2.0, "avg(relay)": 200.0, "avg(xdelay)": 20.0}]


def test_stats_values_of_every_field_renamed_by_wildcard():
    """stats values(*) AS *: every field's distinct values under its own name (derived: wildcard renaming)."""
    row, = run_search(WILDCARD_ROWS + "| stats values(*) as * max(*lay) as max_*lay")
    assert row["other"] == "1" and row["delay"] == ["1", "2", "3", "4"] and row["date_hour"] == ["0", "1"]
    assert (row["max_delay"], row["max_relay"], row["max_xdelay"]) == (4, 400, 40)
    assert not any(name.startswith("_") for name in row)


LEFT = '| makeresults count=3 | streamstats count as id | eval name="L".id, v="left" | fields - _time '
RIGHT = ('[| makeresults count=4 | streamstats count as n | eval id=if(n=4, 2, n+1), v="right".n, extra="x".n '
         '| fields - _time n]')


@pytest.mark.parametrize("options,expected", [
    # JOIN: type=inner (default) keeps matched left rows; "By default, only the first row of the right-side
    # dataset that matches a row of the source data is returned"; right fields overwrite (overwrite=true)
    ("", [("L2", "right1", "x1"), ("L3", "right2", "x2")]),
    ("type=left", [("L1", "left", None), ("L2", "right1", "x1"), ("L3", "right2", "x2")]),
    ("type=outer", [("L1", "left", None), ("L2", "right1", "x1"), ("L3", "right2", "x2")]),
    # "To return all of the matching right-side dataset rows, ... set the value [max] to 0"
    ("max=0", [("L2", "right1", "x1"), ("L2", "right4", "x4"), ("L3", "right2", "x2")]),
    # overwrite=false: the left row's values of fields both sides have stay
    ("overwrite=false", [("L2", "left", "x1"), ("L3", "left", "x2")]),
])
def test_join_on_a_field(options, expected):
    rows = run_search(f"{LEFT}| join {options} id {RIGHT}")
    assert [(r["name"], r["v"], r.get("extra")) for r in rows] == expected


@pytest.mark.parametrize("join", [
    "join left=L right=R where L.id=R.id",           # example 3: fields with the same name
    "join left=L right=R where R.id=L.id",           # "on either side of the equal sign"
    "join left=products right=vendors where products.id=vendors.id",   # example 5: words as aliases
])
def test_join_alias_form(join):
    """JOIN examples 3 and 5 and extended example 2 (derived: the page gives no output): the where pair joins like
    the field list; the joined row holds the left fields as <left>.<field> and the right ones as <right>.<field>,
    so that "commands following the join can take advantage of the aliasing" (stats count by L.product_id)."""
    left, right = join.split()[1].split("=")[1], join.split()[2].split("=")[1]
    rows = run_search(f"{LEFT}| {join} {RIGHT}")
    assert [(r[f"{left}.name"], r[f"{left}.v"], r[f"{right}.v"], r[f"{right}.extra"]) for r in rows] == [
        ("L2", "left", "right1", "x1"), ("L3", "left", "right2", "x2")]
    counted = run_search(f"{LEFT}| {join} max=0 {RIGHT} | stats count by {left}.id")
    assert [(r[f"{left}.id"], r["count"]) for r in counted] == [("2", 2), ("3", 1)]


def test_join_alias_form_on_differently_named_fields():
    """JOIN example 4 (derived): where L.product_id=R.pid joins fields of different names; extended example 1:
    max=0 returns every matching right row."""
    rows = run_search('| makeresults count=2 | streamstats count as product_id | fields - _time '
                      '| join max=0 left=L right=R where L.product_id=R.pid '
                      '[| makeresults count=3 | streamstats count as n | eval pid=if(n=3, 1, n), vendor="v".n '
                      '| fields - _time n]')
    assert [(r["L.product_id"], r["R.pid"], r["R.vendor"]) for r in rows] == [(1, 1, "v1"), (1, 1, "v3"), (2, 2, "v2")]


def test_join_without_a_field_list_uses_the_common_fields():
    """JOIN (derived): "If no fields are specified, all of the fields that are common to both datasets are used"
    (here id and v: only rows equal in both join)."""
    rows = run_search(f"{LEFT}| eval v=if(id=3, \"right2\", v) | join {RIGHT}")
    assert [(r["name"], r["extra"]) for r in rows] == [("L3", "x2")]


def test_eval_field_named_by_another_fields_value():
    """EVAL (derived): "eval {aName}=aValue" creates, in each row, a field named by the value of aName."""
    rows = run_search('| makeresults count=3 | streamstats count as n | eval aName="f".n, aValue=n*10 '
                      '| eval {aName}=aValue | fields - _time')
    assert [(r["aName"], r[r["aName"]]) for r in rows] == [("f1", 10), ("f2", 20), ("f3", 30)]
    assert run_search("| makeresults | eval {missing}=1 | fields - _time") == [{}]


def test_bin_aligntime_documented_example():
    """BIN "Align the time bins to 3am (local time). Set the span to 12h. The bins will represent 3am - 3pm, then
    3pm - 3am (the next day)": bin _time span=12h aligntime=@d+3h. Without aligntime the bins start at 00:00/12:00."""
    day = 1_699_920_000   # 2023-11-14T00:00:00Z; now is 22:13 that day (UTC)
    spl = ("| makeresults count=6 | streamstats count as n | eval _time=relative_time(now(), \"@d\") + n*4*3600 "
           "| bin _time span=12h{} | table _time")
    aligned = [r["_time"] for r in run_search(spl.format(" aligntime=@d+3h"), now=1_700_000_000)]
    assert [(t - day) / 3600 for t in aligned] == [3, 3, 3, 15, 15, 15]
    plain = [r["_time"] for r in run_search(spl.format(""), now=1_700_000_000)]
    assert [(t - day) / 3600 for t in plain] == [0, 0, 12, 12, 12, 24]


def test_bin_aligntime_earliest_and_days_spans():
    """BIN aligntime=earliest aligns on the search's earliest time; "Ignored if span is in days"."""
    spl = "| makeresults count=3 | streamstats count as n | eval _time=1000+n*7 | bin _time span=10s aligntime=earliest"
    assert [r["_time"] for r in run_search(spl, now=2000, earliest=1003)] == [1003, 1013, 1013]
    spl = "| makeresults | eval _time=1699999999 | bin _time span=1d aligntime=@d+3h"
    assert [r["_time"] for r in run_search(spl, now=1_700_000_000)] == [1_699_920_000]


TIMED = "| makeresults count=6 | streamstats count as n | eval _time=1000+n*600, size=n "


@pytest.mark.parametrize("spl,expected", [
    ("| streamstats time_window=20m count as c sum(size) as s",
     [(1600, 1, 1), (2200, 2, 3), (2800, 2, 5), (3400, 2, 7), (4000, 2, 9), (4600, 2, 11)]),
    ("| sort - _time | streamstats time_window=20m count as c sum(size) as s",
     [(4600, 1, 6), (4000, 2, 11), (3400, 2, 9), (2800, 2, 7), (2200, 2, 5), (1600, 2, 3)]),
    ("| streamstats time_window=20m current=false count as c sum(size) as s",
     [(1600, 0, None), (2200, 1, 1), (2800, 1, 2), (3400, 1, 3), (4000, 1, 4), (4600, 1, 5)]),
])
def test_streamstats_time_window(spl, expected):
    """STREAMSTATS (derived) time_window=<span>: the statistics cover the rows less than the span away from the
    current row (rows 10 minutes apart, a 20-minute window: this row and the one before); sorted rows required."""
    rows = run_search(TIMED + spl)
    assert [(r["_time"], r["c"], r.get("s")) for r in rows] == expected


def test_streamstats_time_window_needs_sorted_rows():
    with pytest.raises(SplError, match="time_window needs the rows sorted by _time"):
        run_search(TIMED + "| eval _time=if(n=3, 0, _time) | streamstats time_window=20m count")


# -- bin / timechart minspan (the timechart page's "Spans used when minspan is specified"; bin's minspan option)
@pytest.mark.parametrize("spl,span", [
    ("bin _time | stats count by _time", 60),                   # one hour of events, bins=100: 1 minute
    ("bin _time minspan=15m | stats count by _time", 1800),     # "minspan=15m ... The minimum span ... is 1800"
    ("bin _time minspan=1m | stats count by _time", 60),
    ("bin _time minspan=2h | stats count by _time", 86400),
    ("timechart minspan=15m count", 1800),
    ("timechart span=5m minspan=15m count", 300),               # an explicit span is used as given
])
def test_minspan_thresholds(spl, span):
    """Derived: "the span that is used for the search must be equal to or greater than one of the span threshold
    values" (1, 5, 10, 30 seconds, 1, 5, 10, 30 minutes, 1 hour, 1 day, 30 days), the smallest that also fits
    bins=100; minspan is "the smallest span granularity to use automatically inferring span from the data time
    range"."""
    t0 = 1_700_000_400
    stamps = [t0 + 45 + i * 120 for i in range(30)]
    rows = run_search(f"* | {spl}", events=[{"_time": t, "_raw": "e"} for t in stamps], now=t0 + 3600)
    buckets = sorted(int(float(r["_time"])) for r in rows if r["count"])
    assert buckets == sorted({t // span * span for t in stamps})


@pytest.mark.parametrize("options,expected", [
    ("usetime=true", [("a", "r1"), ("b", "r1")]),                  # earlier=true (default): right rows at or before
    ("usetime=true earlier=false", [("a", "r2"), ("b", "r2")]),    # later rows (r2 is in b's second)
    ("usetime=true earlier=true max=0", [("a", "r1"), ("b", "r1"), ("b", "r2")]),
    ("", [("a", "r1"), ("b", "r1")]),
])
def test_join_usetime(options, expected):
    """JOIN usetime/earlier (derived): "If usetime=true and earlier=true, the main search results are matched only
    against earlier results from the subsearch. If earlier=false, ... only against later results ... Results that
    occur at the same time (second) are not eliminated by either value"."""
    left = '| makeresults count=2 | streamstats count as n | eval k=1, name=if(n=1, "a", "b"), _time=100*n '
    right = ('[| makeresults count=3 | streamstats count as n | eval k=1, r="r".n, _time=case(n=1, 50, n=2, 200.5, '
             'n=3, 300) | fields - n]')
    rows = run_search(f"{left}| join {options} k {right}")
    assert [(r["name"], r["r"]) for r in rows] == expected


def test_eventstats_wildcard_fields():
    """EVENTSTATS (derived): "<stats-func>( <evaled-field> | <wc-field> ) [AS <wc-field>] ... You can use wild card
    characters in field names": expanded as stats expands them, the results added to every row of the group."""
    rows = run_search(WILDCARD_ROWS + "| eventstats max(*lay) as max_*lay avg(*lay) | fields - _time")
    assert all((r["max_delay"], r["max_relay"], r["max_xdelay"]) == (4, 400, 40) for r in rows)
    assert all("avg(delay)" in r and "avg(relay)" in r for r in rows)


def test_subsecond_and_quarter_spans():
    """BIN/TIMECHART span timescales (derived): <subseconds> "us | ms | cs | ds" and the timechart page's <quarter>
    "q | qtr | qtrs | quarter | quarters" (quarters start in January, April, July and October)."""
    events = [{"_time": 1_700_000_000.1234 + i * 0.0301, "_raw": "x"} for i in range(10)]
    rows = run_search("* | bin _time span=50ms | stats count by _time", events=events)
    assert [(r["_time"], r["count"]) for r in rows] == [("1700000000.1", 1), ("1700000000.15", 2), ("1700000000.2", 2),
                                                        ("1700000000.25", 1), ("1700000000.3", 2), ("1700000000.35", 2)]
    events = [{"_time": 1_700_000_000 + i * 86400 * 20, "_raw": "x"} for i in range(10)]   # 2023-11-14 .. 2024-05-02
    rows = run_search("* | timechart span=1qtr count", events=events)
    assert [(r["_time"], r["count"]) for r in rows] == [(1_696_118_400, 3), (1_704_067_200, 4), (1_711_929_600, 3)]


@pytest.mark.parametrize("span", ["3ms", "1000ms", "7us", "1.5ms"])
def test_subsecond_spans_must_divide_a_second(span):
    """Derived: "valid millisecond span values are 1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 125, 200, 250, or 500ms.
    In addition, span = 1000ms is not allowed. Use span = 1s instead"."""
    with pytest.raises(SplError, match="subsecond span must divide a second"):
        run_search(f"| makeresults | bin _time span={span}")


# -- SEARCH: the CASE() and TERM() directives ("Search with TERM()", "Search with CASE()")
SEGMENTS = ["GET 127.0.0.1 ok", "ip=127.0.0.1 x", "Error here", "error here", "src 127.0.0.10 y", "a,127.0.0.1;b"]


@pytest.mark.parametrize("search,expected", [
    # TERM "is more useful when the term contains minor segmenters, such as periods, and is bounded by major
    # segmenters, such as spaces or commas. In fact, TERM does not work for terms that are not bounded by major
    # breakers" (ip=127.0.0.1: '=' is a minor breaker, so that event's term is ip=127.0.0.1)
    ("TERM(127.0.0.1)", ["GET 127.0.0.1 ok", "a,127.0.0.1;b"]),
    ("127.0.0.1", ["GET 127.0.0.1 ok", "ip=127.0.0.1 x", "a,127.0.0.1;b"]),
    ("TERM(ip=127.0.0.1)", ["ip=127.0.0.1 x"]),
    # CASE: "search for terms and field values that are case-sensitive"
    ("CASE(Error)", ["Error here"]),
    ("error", ["Error here", "error here"]),
    ('CASE("Error here")', ["Error here"]),
    ("NOT CASE(Error) here", ["error here"]),
])
def test_case_and_term_directives(search, expected):
    """Derived: the search page's "Search with TERM()" and "Search with CASE()" sections."""
    events = [{"_raw": raw, "_time": 100 - i} for i, raw in enumerate(SEGMENTS)]
    assert [r["_raw"] for r in run_search(f"search {search}", events=events)] == expected


def test_case_directive_on_a_field_value():
    """Derived: CASE() applies to "field values" too: user=CASE(Admin) matches Admin, not admin."""
    events = [{"_raw": "x", "_time": 2, "user": "Admin"}, {"_raw": "y", "_time": 1, "user": "admin"}]
    assert [r["user"] for r in run_search("search user=CASE(Admin)", events=events)] == ["Admin"]
    assert [r["user"] for r in run_search("search user!=CASE(Admin)", events=events)] == ["admin"]
    assert [r["user"] for r in run_search("search user=CASE(adm*)", events=events)] == ["admin"]


# -- STREAMSTATS 10.0: "Escaping string values" (reset_after), reset_on_change, example 4 (wildcards)
STREAMSTATS = "https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/search-commands/streamstats"


def test_streamstats_escaping_example_and_reset_after():
    """Documented: count 1, 2, 3 with test no, yes, no. Derived: reset_after="(<eval-expression>)" resets "after the
    streamstats calculations are produced for an event", so testCount restarts after the yes row: 1, 2, 1 (the page
    writes the value as "("match(test,\"yes\")")", which is the same quoted, parenthesized expression)."""
    base = '| makeresults count=3 | streamstats count | eval test=if(count==2,"yes","no")'
    assert [(r["count"], r["test"]) for r in run_search(base)] == [(1, "no"), (2, "yes"), (3, "no")]
    rows = run_search(base + ' | streamstats count as testCount reset_after="(match(test,\\"yes\\"))"')
    assert [r["testCount"] for r in rows] == [1, 2, 1]


def test_streamstats_reset_before():
    """Derived: reset_before "specifies that all of the accumulated statistics are reset" before the row's
    calculation when the expression is true."""
    rows = run_search('| makeresults count=5 | streamstats count | streamstats count as n reset_before="(count=3)"')
    assert [r["n"] for r in rows] == [1, 2, 1, 2, 3]


def test_streamstats_reset_on_change_example():
    """Documented: count BY shift reset_on_change=true over DAY DAY NIGHT NIGHT NIGHT NIGHT DAY NIGHT."""
    shifts = ["DAY", "DAY", "NIGHT", "NIGHT", "NIGHT", "NIGHT", "DAY", "NIGHT"]
    events = [{"_raw": s, "_time": 100 - i, "shift": s} for i, s in enumerate(shifts)]
    rows = run_search("* | streamstats count BY shift reset_on_change=true", events=events)
    assert [(r["shift"], r["count"]) for r in rows] == [("DAY", 1), ("DAY", 2), ("NIGHT", 1), ("NIGHT", 2),
                                                        ("NIGHT", 3), ("NIGHT", 4), ("DAY", 1), ("NIGHT", 1)]


def test_streamstats_wildcard_running_totals():
    """Documented (example 4): timechart span=1h sum(bytes) as SumOfBytes | streamstats global=f sum(*) as
    accu_total_* "returns 3 columns: _time, SumOfBytes, and accu_total_SumOfBytes"; derived: the running total."""
    events = [{"_time": 1_699_999_200 + i * 1800, "_raw": "x", "bytes": str(10 * (i + 1))} for i in range(6)]
    rows = run_search("* | timechart span=1h sum(bytes) as SumOfBytes | streamstats global=f sum(*) as accu_total_*",
                      events=events)
    assert [sorted(r) for r in rows] == [["SumOfBytes", "_time", "accu_total_SumOfBytes"]] * 3
    assert [(r["SumOfBytes"], r["accu_total_SumOfBytes"]) for r in rows] == [(30, 30), (70, 100), (110, 210)]


@pytest.mark.parametrize("window,expected", [
    ("1mon", [1, 2, 2, 2, 2]),     # Jan 31 - 1mon is Dec 31: Jan 15 and Jan 31 in; Feb 29 - 1mon is Jan 29 ...
    ("2mon", [1, 2, 3, 3, 3]),
    ("1q", [1, 2, 3, 4, 5]),      # Apr 10 - 3 months is Jan 10
    ("1y", [1, 2, 3, 4, 5]),
    ("30d", [1, 2, 2, 2, 2]),
])
def test_streamstats_calendar_time_windows(window, expected):
    """Derived: time_window's table of valid values: months (1, 2, 3, 4, 6, 12mon), quarters (1, 2, 4q), years
    (1y, 2y, ...), counted as calendar spans back from each row (rows in ascending time order)."""
    days = ["2024-01-15", "2024-01-31", "2024-02-29", "2024-03-20", "2024-04-10"]
    stamps = ", ".join(f'n={i + 1}, strptime("{d}", "%Y-%m-%d")' for i, d in enumerate(days))
    rows = run_search(f"| makeresults count=5 | streamstats count as n | eval _time=case({stamps}) "
                      f"| streamstats time_window={window} count as c")
    assert [r["c"] for r in rows] == expected


@pytest.mark.parametrize("window", ["5mon", "3q", "1.5y"])
def test_streamstats_time_window_values_outside_the_table(window):
    with pytest.raises(SplError):
        run_search(f"| makeresults | streamstats time_window={window} count")
