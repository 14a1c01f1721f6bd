"""Conformance cases for the Search Reference pages of the remaining implemented commands (issue 20's sweep):
help.splunk.com, SPL Search Reference 9.4/10.x, search-commands/<command>. "documented": the page's example
with the output it shows; "derived": only what the page's text states."""
import pytest

from splengine import run_search
from splengine.values import to_str

REF = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands"


def run(spl, events=(), **kw):
    return run_search(spl, events=events, now=1_700_000_000, **kw)


def shown(rows, drop=("_time",)):
    """Rows as the page's tables show them: rendered strings, missing fields left out."""
    return [{k: (to_str(v) if not isinstance(v, list) else [to_str(x) for x in v])
             for k, v in r.items() if k not in drop and v is not None} for r in rows]


# -- FILLNULL
FILLNULL = f"{REF}/fillnull"
GAMES = [{"_time": t, **{k: v for k, v in zip(
    ["ACCESSORIES", "ARCADE", "SHOOTER", "SIMULATION", "SPORTS", "STRATEGY", "TEE"], cells) if v is not None}}
    for t, cells in [(3, ("5", "17", "6", "3", "5", "32", None)), (2, (None, "63", "39", "30", "22", "127", "56")),
                     (1, ("65", "94", "38", "42", None, "128", "60"))]]


def test_fillnull_example_1_default_zero():
    """Documented (FILLNULL example 1): every empty cell of the table becomes 0."""
    rows = shown(run("search * | fillnull", [dict(r, _raw="x") for r in GAMES]), drop=("_time", "_raw"))
    assert [r["TEE"] for r in rows] == ["0", "56", "60"]
    assert [r["ACCESSORIES"] for r in rows] == ["5", "0", "65"]
    assert [r["SPORTS"] for r in rows] == ["5", "22", "0"]


KBPS = [("danube.sample.com", None, "1.865", "3.420"), ("mekong.buttercupgames.com", "0.710", "0.164", "1.256"),
        ("danube.sample.com", "1.325", None, "2.230"), ("yangtze.buttercupgames.com", "2.249", "0.000", "2.249"),
        (None, "2.874", "3.841", "1.906"), ("nile.example.net", "2.023", "0.915", None)]
KBPS_EVENTS = [{"_raw": "x", "_time": 100 - i, **{k: v for k, v in zip(
    ("host", "average_kbps", "instanenous_kbps", "kbps"), r) if v is not None}} for i, r in enumerate(KBPS)]


def test_fillnull_example_3_named_fields():
    """Documented (FILLNULL example 3): only host and kbps are filled with "unknown"; a named field that does
    not exist (bytes) is created in every row."""
    rows = run("search * | fillnull value=unknown host kbps bytes", KBPS_EVENTS)
    assert [r["host"] for r in rows][4] == "unknown"
    assert [r["kbps"] for r in rows][5] == "unknown"
    assert "average_kbps" not in rows[0] and "instanenous_kbps" not in rows[2]
    assert [r["bytes"] for r in rows] == ["unknown"] * 6


def test_fillnull_a_field_null_in_every_row_is_not_created():
    """Documented (FILLNULL usage): eval test2=null() then fillnull value=NULL shows only test."""
    rows = shown(run('| makeresults | eval test="123123", test2=null() | fillnull value=NULL'))
    assert rows == [{"test": "123123"}]


def test_fillnull_fills_a_field_with_one_value():
    """Documented (FILLNULL usage): after mvexpand, test2 is null in one row and abc in the other -> NULL, abc."""
    rows = shown(run('| makeresults | eval test1=split("123,456", ",") | mvexpand test1 '
                     '| eval test2=if(test1="123", null(), "abc") | fillnull value=NULL'))
    assert rows == [{"test1": "123", "test2": "NULL"}, {"test1": "456", "test2": "abc"}]


def test_fillnull_after_table_does_not_fill_a_field_null_everywhere():
    """Documented (FILLNULL usage): with `table test test2` the test2 column shows, "but not the intended NULL
    value": the column is in the result set's fields, empty, never NULL."""
    rows = run('| makeresults | eval test="123123" | eval test2=null() | table test test2 | fillnull value=NULL')
    assert rows[0]["test"] == "123123" and rows[0].get("test2") is None
    assert rows.columns == ["test", "test2"]


def test_table_columns_stay_only_while_later_commands_keep_fields():
    """Derived (TABLE, FIELDS, STATS): a table's column for a field no row has stays after commands that keep
    the rows' fields and goes with one that rebuilds them (stats) or a wildcard table."""
    assert run('| makeresults | table a b | eval c=1 | sort c').columns == ["a", "b", "c"]
    assert run('| makeresults | eval x=1 | table x missing | stats count by x').columns == ["x", "count"]
    assert run('| makeresults | eval x=1 | table x* ').columns == ["x"]


# -- RENAME
RENAME = f"{REF}/rename"


def test_rename_wildcards():
    """Documented (RENAME usage): EU_UK, EU_DE, EU_PL renamed EU* AS EMEA* are EMEA_UK, EMEA_DE, EMEA_PL;
    example 2: usr* AS user*."""
    row, = run('| makeresults | eval EU_UK=1, EU_DE=2, EU_PL=3, usrname="a" | fields - _time '
               '| rename EU* AS EMEA* | rename usr* AS user*')
    assert row == {"EMEA_UK": 1, "EMEA_DE": 2, "EMEA_PL": 3, "username": "a"}


@pytest.mark.parametrize("spl,expected", [
    ('rename SESSIONID AS "The session ID"', {"The session ID": "s1"}),       # usage: a phrase
    ('rename count AS "Count of Events"', {"Count of Events": 7}),            # example 3
    ("rename _ip AS IPAddress", {"IPAddress": "10.0.0.1"}),                   # example 1
])
def test_rename_single_fields(spl, expected):
    row, = run(f'| makeresults | eval SESSIONID="s1", count=7, _ip="10.0.0.1" | fields - _time | {spl}')
    assert {k: v for k, v in row.items() if k in expected} == expected


def test_rename_a_missing_field_over_an_existing_one_removes_it():
    """Derived (RENAME usage, "Renaming a field that does not exist"): fieldA missing, fieldB present -> fieldB's
    data is removed; both missing -> nothing happens. "You can't merge multiple fields into one field"."""
    rows = run('| makeresults count=2 | streamstats count | eval pid=if(count=1, "p1", null()), product_id="x"'
               '| rename pid AS product_id | rename nofield AS other')
    assert [r.get("product_id") for r in rows] == ["p1", None]
    assert all("other" not in r for r in rows)


def test_rename_wildcard_count_mismatch_is_an_error():
    """Documented (RENAME usage): 'price-a*price-b AS price-a\\price-b' fails (one wildcard against none);
    'price-a*price-b AS price-a*Newprice-b' completes."""
    from splengine.errors import SplError
    with pytest.raises(SplError):
        run('| makeresults | rename price-a*price-b AS price-aprice-b')
    row, = run('| makeresults | eval "price-aXprice-b"=1 | fields - _time | rename price-a*price-b AS price-a*Newprice-b')
    assert row == {"price-aXNewprice-b": 1}


# -- SORT
SORT = f"{REF}/sort"


def _vals(spl, values, field="v"):
    events = [{"_raw": str(i), "_time": 100 - i, **({field: v} if v is not None else {})} for i, v in enumerate(values)]
    return [r.get(field) for r in run(f"search * | {spl}", events)]


@pytest.mark.parametrize("spl,values,expected", [
    # usage table: "10.1 9.1 ... sorted numerically because the values are all numeric"
    ("sort -v", ["9.1", "10.1"], ["10.1", "9.1"]),
    # "9.1.a 10.1.a ... sorted lexicographically because the values are alphanumeric strings"
    ("sort -v", ["10.1.a", "9.1.a"], ["9.1.a", "10.1.a"]),
    # Lexicographical order: "the numbers 10, 9, 70, 100 are sorted lexicographically as 10, 100, 70, 9"
    ("sort str(v)", ["10", "9", "70", "100"], ["10", "100", "70", "9"]),
    ("sort num(v)", ["10", "9", "70", "100"], ["9", "10", "70", "100"]),
    # "Uppercase letters are sorted before lowercase letters"
    ("sort v", ["b", "a", "B", "A"], ["A", "B", "a", "b"]),
    # "Results missing a given field are treated as having the smallest or largest possible value of that
    # field if the order is descending or ascending, respectively"
    ("sort v", ["2", None, "1"], ["1", "2", None]),
    ("sort -v", ["2", None, "1"], ["2", "1", None]),
    # ip(): "Interpret the values of the field as IP addresses"
    ("sort ip(v)", ["10.0.0.10", "10.0.0.9", "9.255.0.1"], ["9.255.0.1", "10.0.0.9", "10.0.0.10"]),
    # example 5: "sort 1 -_time" returns the most recent event; example 6: "sort limit=12 host"
    ("sort 1 -_time", ["a", "b", "c"], ["a"]),
    ("sort limit=2 v", ["c", "a", "b"], ["a", "b"]),
    # desc reverses the order of the results
    ("sort v desc", ["b", "a", "c"], ["c", "b", "a"]),
])
def test_sort_orders(spl, values, expected):
    """Derived (SORT Usage and examples)."""
    assert _vals(spl, values) == expected


def test_sort_two_fields_with_count():
    """SORT example 2 (derived): sort 100 -num(size), +str(source)."""
    events = [{"_raw": str(i), "_time": i, "size": s, "source": src}
              for i, (s, src) in enumerate([("5", "b"), ("10", "z"), ("5", "a"), ("7", "c")])]
    rows = run("search * | sort 100 -num(size), +str(source)", events)
    assert [(r["size"], r["source"]) for r in rows] == [("10", "z"), ("7", "c"), ("5", "a"), ("5", "b")]


def test_sort_custom_order_extended_example():
    """Documented (SORT extended example 1): a sort_field from case() orders Monday..Friday then Weekend."""
    days = [("Friday", "120"), ("Monday", "93"), ("Tuesday", "124"), ("Thursday", "356"), ("Weekend", "1022"),
            ("Wednesday", "248")]
    events = [{"_raw": d, "_time": 10 - i, "Day": d, "Total": t} for i, (d, t) in enumerate(days)]
    rows = run('search * | eval wd=lower(Day) | eval sort_field=case(wd=="monday",1, wd=="tuesday",2, '
               'wd=="wednesday",3, wd=="thursday",4, wd=="friday",5, wd=="weekend",6) | sort sort_field '
               '| fields - sort_field | table Day Total', events)
    assert [(r["Day"], r["Total"]) for r in rows] == [("Monday", "93"), ("Tuesday", "124"), ("Wednesday", "248"),
                                                      ("Thursday", "356"), ("Friday", "120"), ("Weekend", "1022")]


# -- HEAD / TAIL
HEAD = f"{REF}/head"
SEVEN = "| makeresults count=7 | streamstats count | eval count=if(count=3,null(), count) "


@pytest.mark.parametrize("tail,expected", [
    ("| head count<5 keeplast=true null=true", [1, 2, None, 4, 5]),     # documented extended example
    ("| head count<5 keeplast=true null=false", [1, 2, None]),          # documented extended example
    ("| head count<5 keeplast=false null=false", [1, 2]),               # derived: keeplast=false drops it
    ("| head count<5", [1, 2]),                                         # derived: defaults false, false
    ("| head limit=10 (1==1)", [1, 2, None, 4, 5, 6, 7]),               # usage: always true, up to 10
    ("| head limit=10 (0==1)", []),                                     # usage: "returns no results"
    ("| head 2", [1, 2]),
    ("| head", [1, 2, None, 4, 5, 6, 7]),                               # "returns the first 10 results"
])
def test_head(tail, expected):
    assert [r.get("count") for r in run(SEVEN + tail)] == expected


def test_head_example_2_until_the_time_range_reaches_100_seconds():
    """HEAD example 2 (derived): streamstats range(_time) as timerange | head (timerange<100)."""
    events = [{"_raw": str(t), "_time": t} for t in (1000, 960, 920, 880, 850)]
    rows = run("search * | streamstats range(_time) as timerange | head (timerange<100)", events)
    assert [r["_time"] for r in rows] == [1000, 960, 920]


def test_head_with_both_limits_is_an_error():
    """HEAD usage (derived): "Using both the numeric limit and limit=<int> results in an error"."""
    from splengine.errors import SplError
    with pytest.raises(SplError):
        run(SEVEN + "| head 3 limit=4")


@pytest.mark.parametrize("spl,expected", [
    ("tail 3", [25, 24, 23]),                   # TAIL example 1 (derived): "the last 20 results in reverse order"
    ("tail", list(range(25, 15, -1))),          # "The last 10 events are returned if no integer is specified"
])
def test_tail(spl, expected):
    """TAIL (https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/tail), derived."""
    assert [r["count"] for r in run(f"| makeresults count=25 | streamstats count | {spl}")] == expected


# -- FIELDS (derived from the page's examples and Usage)
FIELDS = f"{REF}/fields"
FIELD_EVENT = [{"_raw": "r", "_time": 5, "_indextime": 6, "host": "h", "ip": "10.0.0.1", "source": "s",
                "sourcetype": "st", "error_code": "E1", "errors": "2", "other": "o"}]


@pytest.mark.parametrize("spl,expected", [
    ("fields - host, ip", {"_raw", "_time", "_indextime", "source", "sourcetype", "error_code", "errors", "other"}),
    # example 2: "Keep only the host and ip fields. Remove all of the internal fields"
    ("fields host, ip | fields - _*", {"host", "ip"}),
    # example 4 with Usage: "The fields command does not remove these internal fields [_raw, _time] unless you
    # explicitly specify" it
    ("fields source, sourcetype, host, error*", {"_raw", "_time", "source", "sourcetype", "host", "error_code",
                                                 "errors"}),
    ("fields + host", {"_raw", "_time", "host"}),
    ("fields - _raw", {"_time", "_indextime", "host", "ip", "source", "sourcetype", "error_code", "errors", "other"}),
])
def test_fields_examples(spl, expected):
    row, = run(f"search * | {spl}", [dict(e) for e in FIELD_EVENT])
    assert set(row) == expected


# -- TABLE
TABLE = f"{REF}/table"
QUAKES = [{"_raw": f"q{i}", "_time": 100 - i, "source": "all_month.csv", "time": t, "place": p, "mag": m,
           "depth": d, "latitude": la, "longitude": lo, "locationSource": "nn", "net": "nc"}
          for i, (t, p, m, d, la, lo) in enumerate([
              ("2023-03-06T06:45:17.427Z", "0 km S of Carnelian Bay, California", "0.2", "8", "39.2", "-120.1"),
              ("2023-03-07T09:37:03.042Z", "Northern California", "0.4", "0", "39.6117", "-120.7116"),
              ("2023-03-07T01:00:00.000Z", "10 km N of Reno, Nevada", "1.1", "5", "39.6", "-119.8")])]


def test_table_example_1_columns_in_argument_order():
    """Documented (TABLE example 1): place=*California | table time, place, mag, depth."""
    rows = run("source=all_month.csv place=*California | table time, place, mag, depth", QUAKES)
    assert [list(r) for r in rows] == [["time", "place", "mag", "depth"]] * 2
    assert [r["place"] for r in rows] == ["0 km S of Carnelian Bay, California", "Northern California"]


def test_table_example_2_rename_then_wildcard():
    """Documented (TABLE example 2): rename latitude as lat longitude as lon locationSource as locSource
    | table time, place, lat, lon, locS*."""
    rows = run('source=all_month.csv place="Northern California" | rename latitude as lat longitude as lon '
               "locationSource as locSource | table time, place, lat, lon, locS*", QUAKES)
    assert rows == [{"time": "2023-03-07T09:37:03.042Z", "place": "Northern California", "lat": "39.6117",
                     "lon": "-120.7116", "locSource": "nn"}]


def test_table_example_3_cidrmatch_network():
    """TABLE example 3 (derived: the page's table shows 192.0.1.51 as "other", which contradicts
    cidrmatch("192.0.0.0/16", ...) that the same page describes; the rule is asserted)."""
    ips = ["192.0.1.51", "192.168.11.33", "192.168.11.33", "192.1.2.40", "192.0.1.39"]
    events = [{"_raw": ip, "_time": 10 - i, "sourcetype": "access_combined", "clientip": ip} for i, ip in enumerate(ips)]
    rows = run('sourcetype=access_* | dedup clientip | eval network=if(cidrmatch("192.0.0.0/16", clientip), '
               '"local", "other") | table clientip, network', events)
    assert [(r["clientip"], r["network"]) for r in rows] == [
        ("192.0.1.51", "local"), ("192.168.11.33", "other"), ("192.1.2.40", "other"), ("192.0.1.39", "local")]


def test_table_example_4_wildcard_columns():
    """Documented (TABLE example 4): table host action date_m* gives host, action, date_mday, date_minute,
    date_month, action empty where the event has none."""
    events = [{"_raw": "a", "_time": 2, "sourcetype": "access_combined", "host": "www1", "date_month": "july",
               "date_minute": "51", "date_mday": "20", "date_hour": "3"},
              {"_raw": "b", "_time": 1, "sourcetype": "access_combined", "host": "www1", "action": "addtocart",
               "date_mday": "20", "date_minute": "48", "date_month": "july"}]
    rows = run("sourcetype=access_* | table host action date_m*", events)
    assert list(rows[1]) == ["host", "action", "date_mday", "date_minute", "date_month"]
    assert rows[0] == {"host": "www1", "date_mday": "20", "date_minute": "51", "date_month": "july"}


# -- MVCOMBINE
MVCOMBINE = f"{REF}/mvcombine"
WWW = [{"_raw": f"e{i}", "_time": 100 - i, "index": "main", "host": h, "bytes": b}
       for i, (h, b) in enumerate([("www1", "200"), ("www1", "4000"), ("www2", "200"), ("www2", "4000"),
                                   ("www3", "4000"), ("www3", "200"), ("mailsv", "10")])]


def test_mvcombine_example_1():
    """Documented (MVCOMBINE example 1/2): the www hosts have the same max and min, so mvcombine host returns
    one row whose host is multivalue (www1, www2, www3), max 4000, min 200."""
    rows = run("index=* host=www* | stats max(bytes) AS max, min(bytes) AS min BY host | mvcombine host", WWW)
    assert shown(rows) == [{"host": ["www1", "www2", "www3"], "max": "4000", "min": "200"}]


def test_nomv_is_refused_naming_it():
    """MVCOMBINE example 2 needs `nomv`, which the engine does not implement: refused, naming the command."""
    from splengine.errors import SplError
    with pytest.raises(SplError, match="nomv"):
        run('index=* host=www* | stats max(bytes) AS max, min(bytes) AS min BY host | mvcombine delim="," host '
            "| nomv host", WWW)


# -- CONVERT
CONVERT = f"{REF}/convert"


@pytest.mark.parametrize("setup,spl,expected", [
    # example 4: 'if delay="00:10:15", the resulting value is delay="615"'
    ('delay="00:10:15"', "convert dur2sec(delay)", {"delay": "615"}),
    # example 3: two fields
    ('xdelay="1+00:00:01", delay="00:00:10"', "convert dur2sec(xdelay) dur2sec(delay)",
     {"xdelay": "86401", "delay": "10"}),
    # example 5: 'if duration="212 sec", the resulting value is duration="212"'
    ('duration="212 sec"', "convert rmunit(duration)", {"duration": "212"}),
    # rmcomma(): "rmcomma(1,000,000.00) returns 1000000.00"
    ('v="1,000,000.00"', "convert rmcomma(v)", {"v": "1000000.00"}),
    # memk(): "If no letter is specified, kilobytes is assumed" (example 6: memk(virt))
    ('virt="2m", a="5", b="1g"', "convert memk(virt) memk(a) memk(b)", {"virt": "2048", "a": "5", "b": "1048576"}),
    # example 1 and 2: auto(*) none(src_ip)
    ('src_ip="010", n="007", s="abc"', "convert auto(*) none(src_ip)", {"src_ip": "010", "n": "7", "s": "abc"}),
    # num(): "Like auto(), except non-convertible values are removed"
    ('n="12", s="abc"', "convert num(n) num(s)", {"n": "12"}),
])
def test_convert_functions(setup, spl, expected):
    """Derived from the CONVERT page's function descriptions and basic examples."""
    assert shown(run(f"| makeresults | eval {setup} | {spl}")) == [expected]


def test_convert_ctime_and_mstime_extended_examples():
    """Documented (CONVERT extended examples 1 and 2, US Pacific): ctime(_time) with timeformat="%H:%M:%S" of
    2018-03-27 17:20:14.839 is 17:20:14; mstime(_time) is 1522196414.839."""
    rows = run('search * | convert timeformat="%H:%M:%S" ctime(_time) AS c_time | convert mstime(_time) AS ms_time '
               "| table _time, c_time, ms_time",
               [{"_raw": "q", "_time": 1522196414.839, "source": "all_month.csv"}], tz="America/Los_Angeles")
    assert rows[0]["c_time"] == "17:20:14" and rows[0]["ms_time"] == pytest.approx(1522196414.839)


# -- MAKERESULTS
MAKERESULTS = f"{REF}/makeresults"


def test_makeresults_examples():
    """Documented (MAKERESULTS): one result with only _time; example 1 eval newfield="some value"; extended
    examples 1-2: count=5 with streamstats count and _time moved back a day or an hour per row."""
    assert run("| makeresults") == [{"_time": 1_700_000_000}]
    assert shown(run('| makeresults | eval newfield="some value"')) == [{"newfield": "some value"}]
    rows = run("| makeresults count=5 | streamstats count | eval _time=_time-(count*86400)")
    assert [(r["_time"], r["count"]) for r in rows] == [(1_700_000_000 - n * 86400, n) for n in range(1, 6)]
    rows = run("| makeresults count=5 | streamstats count | eval _time=_time-(count*3600)")
    assert [r["_time"] for r in rows] == [1_700_000_000 - n * 3600 for n in range(1, 6)]


def test_makeresults_string_values_extended_example_3():
    """Documented (MAKERESULTS extended example 3): makemv delim=" " then mvexpand gives one row per name."""
    rows = run('| makeresults | eval test="buttercup rarity tenderhoof dash mcintosh fleetfoot mistmane" '
               '| makemv delim=" " test | mvexpand test')
    assert [r["test"] for r in rows] == ["buttercup", "rarity", "tenderhoof", "dash", "mcintosh", "fleetfoot",
                                         "mistmane"]


def test_makeresults_multiple_fields_extended_example_4():
    """Documented (MAKERESULTS extended example 4): the four events and eventstats avg(age) BY city: 28, 39, 28,
    39 ("The eventstats command places that average in every event for Seattle")."""
    base = ('| makeresults count=4 | streamstats count | eval age = case(count=1, 25, count=2, 39, count=3, 31, '
            'count=4, null()) | eval city = case(count=1 OR count=3, "San Francisco", count=2 OR count=4, "Seattle")')
    assert [(r.get("age"), r["city"]) for r in run(base)] == [
        (25, "San Francisco"), (39, "Seattle"), (31, "San Francisco"), (None, "Seattle")]
    assert [r["avg(age)"] for r in run(base + " | eventstats avg(age) BY city")] == [28, 39, 28, 39]


@pytest.mark.parametrize("spl", [
    '| makeresults format=json data="[{\\"name\\":\\"John\\", \\"age\\":35}, {\\"name\\":\\"Sarah\\", \\"age\\":39}]"',
    '| makeresults format=csv data="name,age\nJohn,35\nSarah,39"',
])
def test_makeresults_inline_data(spl):
    """Derived (MAKERESULTS usage): "a separate event for each JSON object"; CSV: the first line is the schema,
    each following line an event."""
    assert shown(run(spl)) == [{"name": "John", "age": "35"}, {"name": "Sarah", "age": "39"}]


def test_makeresults_random_extended_example_5():
    """MAKERESULTS extended example 5 (derived): random()/random() and round(..., 4) give numbers."""
    rows = run("| makeresults count=5 | streamstats count | eval test=round(random()/random(),4)")
    assert all(isinstance(r["test"], (int, float)) for r in rows)


# -- REGEX
REGEX = f"{REF}/regex"
CANADA = ('| makeresults count=5 | eval Country="Canada" | append [| makeresults count=5 | eval City="Toronto" ] ')


def test_regex_not_equal_keeps_events_without_the_field():
    """Documented (REGEX example 4): regex Country!="Canada" returns the 5 Toronto events (Country undefined);
    search Country!="Canada" returns none."""
    assert [r.get("City") for r in run(CANADA + '| regex Country!="Canada"')] == ["Toronto"] * 5
    assert run(CANADA + '| search Country!="Canada"') == []


@pytest.mark.parametrize("spl,values,expected", [
    # example 1: non-routable class A addresses in _raw (negative lookbehind/lookahead)
    (r'regex _raw="(?<!\d)10\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d)"', ["src=10.1.2.3 ok", "src=110.1.2.3", "ip 10.0.0.1"],
     ["src=10.1.2.3 ok", "ip 10.0.0.1"]),
])
def test_regex_raw(spl, values, expected):
    events = [{"_raw": v, "_time": 10 - i} for i, v in enumerate(values)]
    assert [r["_raw"] for r in run(f"search * | {spl}", events)] == expected


@pytest.mark.parametrize("spl,field,values,expected", [
    # example 2: a valid email address such as buttercup@example.com
    (r'regex email="^([a-z0-9_\.-]+)@([\da-z\.-]+)\.([a-z\.]{2,6})$"', "email",
     ["buttercup@example.com", "not an address", "x@y"], ["buttercup@example.com"]),
    # example 3: "Filter out zip codes that are formatted like a United States zip code or zip+4 code ... this
    # search would return a Canadian zip code"
    ('regex not_usa_zip!="[0-9]{5}(-[0-9]{4})?"', "not_usa_zip", ["94107", "94107-1234", "K1A 0B1"], ["K1A 0B1"]),
])
def test_regex_field(spl, field, values, expected):
    """Derived (REGEX examples 2 and 3)."""
    events = [{"_raw": v, "_time": 10 - i, field: v} for i, v in enumerate(values)]
    assert [r[field] for r in run(f"search * | {spl}", events)] == expected


# -- RARE (derived: "operates identically to the top command, except that the rare command finds the least
# frequent values"; ties in top's order reversed, see splengine/SEMANTICS.md)
RARE = f"{REF}/rare"
URLS = [{"_raw": u, "_time": 100 - i, "url": u, "host": h, "user": us} for i, (u, h, us) in enumerate(
    [("/a", "h1", "ann"), ("/a", "h1", "ann"), ("/a", "h1", "bob"), ("/b", "h1", "bob"), ("/b", "h2", "cid"),
     ("/c", "h2", "cid"), ("/d", "h2", "dee"), ("/e", "h2", "cid"), ("/f", "h1", "ann"), ("/g", "h1", "eve")])]


def test_rare_example_1_limit():
    """RARE example 1: rare url limit=5 - the five least common urls with count and percent."""
    rows = run("search * | rare url limit=5", URLS)
    assert [(r["url"], r["count"]) for r in rows] == [("/c", 1), ("/d", 1), ("/e", 1), ("/f", 1), ("/g", 1)]
    assert rows[0]["percent"] == 10.0


def test_rare_example_2_by_host():
    """RARE example 2: rare user by host - least common users per host."""
    rows = run("search * | rare user by host", URLS)
    assert [(r["host"], r["user"], r["count"]) for r in rows] == [
        ("h1", "eve", 1), ("h1", "bob", 2), ("h1", "ann", 3), ("h2", "dee", 1), ("h2", "cid", 3)]


def test_rare_options():
    """RARE options: countfield, percentfield, showcount=false, showperc=false."""
    row = run("search * | rare url limit=1 countfield=n percentfield=p", URLS)[0]
    assert set(row) >= {"url", "n", "p"}
    assert set(run("search * | rare url limit=1 showcount=false showperc=false", URLS)[0]) == {"url"}


def test_rare_is_top_reversed():
    """Derived: rare limit=0 lists the rows of top limit=0 in the opposite order."""
    top = [(r["url"], r["count"]) for r in run("search * | top url limit=0", URLS)]
    rare = [(r["url"], r["count"]) for r in run("search * | rare url limit=0", URLS)]
    assert rare == top[::-1]


# -- APPEND
APPEND = f"{REF}/append"
ACCESS = [{"_raw": f"a{i}", "_time": 100 - i, "sourcetype": "access_combined", "method": m, "clientip": ip}
          for i, (m, ip) in enumerate([("GET", "1.1.1.1"), ("GET", "1.1.1.1"), ("GET", "2.2.2.2"), ("POST", "3.3.3.3"),
                                       ("POST", "3.3.3.3"), ("GET", "1.1.1.1"), ("POST", "2.2.2.2")])]


@pytest.mark.parametrize("append", ["append", "append maxtime=30 maxout=1000"])
def test_append_example_3_and_4(append):
    """Documented shape (APPEND examples 3 and 4): the stats rows first, then the subsearch's top 1 rows, sharing
    the method and count fields; the first rows have no clientip/percent, the last no dc(clientip)."""
    rows = run(f"sourcetype=access_* | stats dc(clientip), count by method | {append} "
               "[search sourcetype=access_* | top 1 clientip by method]", ACCESS)
    assert shown(rows) == [
        {"method": "GET", "dc(clientip)": "2", "count": "4"}, {"method": "POST", "dc(clientip)": "2", "count": "3"},
        {"method": "GET", "clientip": "1.1.1.1", "count": "3", "percent": "75"},
        {"method": "POST", "clientip": "3.3.3.3", "count": "2", "percent": "66.666667"}]


def test_append_example_1_column_total():
    """Documented shape (APPEND example 1): the subsearch's stats count is the last row of the count column."""
    events = [{"_raw": f"q{i}", "_time": 10 - i, "source": "usgs", "index": "usgs_q", "place": p, "magType": t}
              for i, (p, t) in enumerate([("10 km N of X, California", "md"), ("Y, California", "ml"),
                                          ("Z, California", "md"), ("Nevada", "ml")])]
    rows = run("source=usgs place=*California* | stats count by magType "
               "| append [search index=usgs_* source=usgs place=*California* | stats count]", events)
    assert shown(rows) == [{"magType": "md", "count": "2"}, {"magType": "ml", "count": "1"}, {"count": "3"}]


def test_append_maxout_limits_the_subsearch_rows():
    """Derived (APPEND maxout): "The maximum number of result rows to return from the subsearch"."""
    rows = run("| makeresults count=2 | append maxout=3 [| makeresults count=10]")
    assert len(rows) == 5


# -- Statistical and charting functions: AGGREGATE functions page
AGGREGATE = ("https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/"
             "aggregate-functions")


def _stats(spl, values, field="v"):
    events = [{"_raw": str(i), "_time": 100 - i, field: v} for i, v in enumerate(values)]
    row, = run(f"search * | {spl}", events)
    return row


@pytest.mark.parametrize("values,lo,hi", [
    (["1", "c", "a", "2", "100", "b", "4", "9"], 1, "c"),   # mixed: "sorted as 1, 2, 4, 9, 100, a, b, c"
    (["10", "9", "70", "100"], 9, 100),                     # all numeric: numerical order
    (["b", "c", "a", "B"], "B", "c"),                       # all strings; "Uppercase letters are sorted before lowercase"
])
def test_aggregate_min_max_order(values, lo, hi):
    """Derived (max/min): "Processes field values as numbers if possible, otherwise processes field values as
    strings"; "if the items are mixed, they're sorted in numeric and then lexicographical order with all numbers
    sorted before non-numeric items": the minimum is the first item of that order and the maximum the last."""
    row = _stats("stats min(v) AS lo, max(v) AS hi", values)
    assert (row["lo"], row["hi"]) == (lo, hi)


def test_aggregate_min_max_mixed_in_the_other_stats_commands():
    """Derived (max/min, the same order in chart, eventstats and streamstats)."""
    events = [{"_raw": str(i), "_time": 100 - i, "g": "x", "v": v} for i, v in enumerate(["1", "c", "100", "a"])]
    assert run("search * | chart max(v) AS hi min(v) AS lo by g", events) == [{"g": "x", "hi": "c", "lo": 1}]
    rows = run("search * | eventstats max(v) AS hi | streamstats max(v) AS run_hi", events)
    assert [(r["hi"], r["run_hi"]) for r in rows] == [("c", 1), ("c", "c"), ("c", "c"), ("c", "c")]


def test_aggregate_median_example():
    """Documented (median): the counts 37, 58, 8, 34, 13, 74, 38 have the median 37."""
    assert _stats("stats median(v) AS m", ["37", "58", "8", "34", "13", "74", "38"])["m"] == 37


@pytest.mark.parametrize("values,expected", [
    (["32", "45", "29", "45", "37"], "45"),                         # "the value 45 is returned"
    (["Garcia", "Mayer", "Garcia", "Zhang", "Garcia"], "Garcia"),   # "the value Garcia is returned"
    (["www1", "www1", "www2", "www3", "www1"], "www1"),             # "www1 is returned"
])
def test_aggregate_mode_examples(values, expected):
    assert str(_stats("stats mode(v) AS m", values)["m"]) == expected


def test_aggregate_dc_processes_values_as_strings():
    """Derived (dc/estdc): "processes field values as strings"; "The string values 1.0 and 1 are considered
    distinct values and counted separately"."""
    row = _stats("stats dc(v) AS d, estdc(v) AS e", ["1.0", "1", "1", "a"])
    assert (row["d"], row["e"]) == (3, 3)


def test_aggregate_mean_stdev_var_example():
    """Documented (mean extended example): magType Me with magnitudes 2.0 and 1.6 (its max and min on the max
    page) has mean 1.800000; MbLg with one 0 has 0. (The page's stdev 0.346410 and var 0.120000 for Me do not
    follow from two values 0.4 apart; the sample formulas are asserted.)"""
    events = [{"_raw": str(i), "_time": 9 - i, "source": "usgs", "place": "X, California", "magType": t, "mag": m}
              for i, (t, m) in enumerate([("Me", "2.0"), ("Me", "1.6"), ("MbLg", "0")])]
    rows = run("source=usgs place=*California* | stats count mean(mag), stdev(mag), var(mag) BY magType", events)
    by = {r["magType"]: r for r in rows}
    assert by["Me"]["count"] == 2 and by["Me"]["mean(mag)"] == pytest.approx(1.8)
    assert by["Me"]["var(mag)"] == pytest.approx(0.08) and by["Me"]["stdev(mag)"] == pytest.approx(0.08 ** 0.5)
    assert by["MbLg"]["mean(mag)"] == 0


def test_aggregate_range_example():
    """Documented values (range): sum, min, max and range of sales per quarter (the page's table is per quarter
    although its search says BY products)."""
    sales = [("QTR1", "1200"), ("QTR1", "1400"), ("QTR1", "1650"), ("QTR2", "1425"), ("QTR2", "1175"),
             ("QTR2", "1550"), ("QTR3", "1300"), ("QTR3", "1250"), ("QTR3", "1375"), ("QTR4", "1550"),
             ("QTR4", "1700"), ("QTR4", "1625")]
    events = [{"_raw": str(i), "_time": 50 - i, "source": "addtotalsData.csv", "quarter": q, "sales": s}
              for i, (q, s) in enumerate(sales)]
    rows = run('source="addtotalsData.csv" | chart sum(sales) min(sales) max(sales) range(sales) BY quarter', events)
    assert [(r["quarter"], r["sum(sales)"], r["min(sales)"], r["max(sales)"], r["range(sales)"]) for r in rows] == [
        ("QTR1", 4250, 1200, 1650, 450), ("QTR2", 4150, 1175, 1550, 375), ("QTR3", 3925, 1250, 1375, 125),
        ("QTR4", 4875, 1550, 1700, 150)]


def test_aggregate_count_eval_example():
    """Derived (count): count(eval(status="404")) counts the events whose status is 404, BY sourcetype."""
    events = [{"_raw": str(i), "_time": 9 - i, "sourcetype": st, "status": s}
              for i, (st, s) in enumerate([("a", "404"), ("a", "200"), ("a", "404"), ("b", "200")])]
    rows = run('search * | stats count(eval(status="404")) AS count_status BY sourcetype', events)
    assert [(r["sourcetype"], r["count_status"]) for r in rows] == [("a", 2), ("b", 0)]


def test_aggregate_visitors_streamstats_total_and_percentiles():
    """Documented (perc extended example): streamstats sum(visitors) as 'visitors total' gives 0, 212, 579, ...
    4010 (the page's 1600 row shows 376 visitors but its totals, 3306 -> 3673, imply 367, used here), and
    perc50/perc95 of these are 1996.5 and 3858.35."""
    visitors = ["0", "212", "367", "489", "624", "609", "492", "513", "367", "337"]
    events = [{"_raw": str(i), "_time": 100 - i, "index": "visitor_count", "visitors": v} for i, v in enumerate(visitors)]
    rows = run("index=visitor_count | streamstats sum(visitors) as 'visitors total'", events)
    assert [r["visitors total"] for r in rows] == [0, 212, 579, 1068, 1692, 2301, 2793, 3306, 3673, 4010]
    row, = run("index=visitor_count | streamstats sum(visitors) as 'visitors total' "
               "| stats perc50('visitors total') perc95('visitors total')", events)
    assert row == {"perc50(visitors total)": 1996.5, "perc95(visitors total)": 3858.35}


@pytest.mark.parametrize("func,expected", [
    ("perc50", 5.5), ("perc95", 9.55), ("p50", 5.5), ("p95", 9.55),
    ("exactperc50", 5.5), ("exactperc95", 9.55),    # exactperc: "See the perc<percentile>(<value>) function"
    ("upperperc50", 5.5), ("upperperc95", 9.55),    # "Otherwise the upperperc function returns the same
])                                                  # percentile as the perc function" (fewer than 1000 values)
def test_aggregate_perc_basic_examples(func, expected):
    """Documented (perc basic examples): for Y = {10,9,8,7,6,5,4,3,2,1}, perc50(Y) "returns 5.5" and perc95(Y)
    "returns 9.55" (linear interpolation between the two nearest ranks); p is perc's abbreviation."""
    assert _stats(f"stats {func}(Y) AS r", [str(v) for v in range(10, 0, -1)], field="Y")["r"] == expected


@pytest.mark.parametrize("func", ["perc95", "upperperc95", "exactperc95", "perc5"])
def test_aggregate_perc_above_1000_distinct_values_is_within_the_documented_rank_error(func):
    """Derived (perc usage): above 1000 distinct values "the percentiles are approximated ... this approach limits
    the approximation error to < 1% of rank error. That means if you ask for 95th percentile, the number you get
    back is between the 94th and 96th percentile". The engine gives the exact (interpolated) value, which is inside
    that bound; the digest's own choice in the bound is not documented (splengine/SEMANTICS.md)."""
    values = [str(v * 7 % 5003) for v in range(5003)]          # 5003 distinct values, 0..5002, shuffled
    got = _stats(f"stats {func}(Y) AS r", values, field="Y")["r"]
    p = 95 if "95" in func else 5
    assert p - 1 <= got / 5002 * 100 <= p + 1
    assert got == p * 5002 / 100


def test_aggregate_median_of_an_even_count():
    """Derived (median): "If you have an even number of events, by default the median calculation is approximated
    to the higher of the two values"."""
    assert _stats("stats median(Y) AS m", [str(v) for v in range(10, 0, -1)], field="Y")["m"] == 6


# -- Statistical and charting functions: EVENT ORDER functions page (first, last) and time functions
EVENT_ORDER = ("https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/"
               "event-order-functions")
# the page's six sshd[5258] events in search order (epoch seconds of its UTC timestamps)
SSHD = [("2020-04-28 00:15:05", 1588032905, "tomcat"), ("2020-05-01 00:15:04", 1588292104, "brian"),
        ("2020-04-30 00:15:02", 1588205702, "operator"), ("2020-04-28 00:15:01", 1588032901, "rightscale"),
        ("2020-05-01 00:15:05", 1588292105, "testuser"), ("2020-04-27 00:15:01", 1587946501, "redmine")]
_TIMES = ", ".join(f"count={i + 1}, {t}" for i, (_, t, _) in enumerate(SSHD))
_USERS = ", ".join(f'count={i + 1}, "{u}"' for i, (_, _, u) in enumerate(SSHD))
SSHD_ROWS = (f"| makeresults count=6 | streamstats count | eval _time=case({_TIMES}), "
             f'_raw="sshd[5258]: Failed password for invalid user ".case({_USERS}) ')


def test_first_last_earliest_latest_of_the_page_table():
    """Documented (EVENT ORDER): with the results in the page's order, first is the 2020-04-28 00:15:05 event
    (first in the results), last and earliest the 2020-04-27 00:15:01 one, latest the 2020-05-01 00:15:05 one.
    (A search of indexed events returns them newest first, so the page's order is built with makeresults.)"""
    row, = run(SSHD_ROWS + "| stats first(_raw) AS f last(_raw) AS l earliest(_raw) AS e latest(_raw) AS lt")
    assert row["f"].endswith("tomcat") and row["l"].endswith("redmine")
    assert row["e"].endswith("redmine") and row["lt"].endswith("testuser")


@pytest.mark.parametrize("span,fn,expected", [(3600, "first", 19), (86400, "last", 15)])
def test_first_last_extended_examples(span, fn, expected):
    """Documented (EVENT ORDER extended examples): stats first(field1) is 19, stats last(field1) is 15."""
    row, = run(f"| makeresults count=5 | streamstats count | eval _time=_time-(count*{span}) "
               f"| eval field1=20-count | stats {fn}(field1)")
    assert row[f"{fn}(field1)"] == expected


# -- APPENDPIPE
APPENDPIPE = f"{REF}/appendpipe"


def test_appendpipe_example_1_subtotals():
    """Documented (APPENDPIPE example 1, the page's counts): subtotals per action, sorted by action (sort keeps
    the original order within an action, so the TOTAL row follows that action's users)."""
    counts = [("accelerate_search", "admin", 209), ("accelerate_search", "buttercup", 345),
              ("accelerate_search", "can-delete", 6), ("add", "n/a", 1), ("change_authentication", "admin", 50),
              ("change_authentication", "buttercup", 9), ("change_authentication", "can-delete", 24)]
    events = [{"_raw": "x", "_time": 1000 - i, "index": "_audit", "action": a, "user": u}
              for i, (a, u, n) in enumerate((a, u, n) for a, u, n in counts for _ in range(n))]
    rows = run('index=_audit | stats count by action user | appendpipe [stats sum(count) as count by action '
               '| eval user = "TOTAL - ALL USERS"] | sort action', events)
    assert [(r["action"], r["user"], r["count"]) for r in rows] == [
        ("accelerate_search", "admin", 209), ("accelerate_search", "buttercup", 345),
        ("accelerate_search", "can-delete", 6), ("accelerate_search", "TOTAL - ALL USERS", 560),
        ("add", "n/a", 1), ("add", "TOTAL - ALL USERS", 1),
        ("change_authentication", "admin", 50), ("change_authentication", "buttercup", 9),
        ("change_authentication", "can-delete", 24), ("change_authentication", "TOTAL - ALL USERS", 83)]


def test_aggregate_stdevp_varp():
    """Derived (AGGREGATE stdevp/varp: "the population standard deviation", "the population variance"): for
    2, 4, 4, 4, 5, 5, 7, 9 the population variance is 4 and its standard deviation 2."""
    row = _stats("stats stdevp(v) AS sd, varp(v) AS vr", ["2", "4", "4", "4", "5", "5", "7", "9"])
    assert (row["sd"], row["vr"]) == (2, 4)


def test_time_functions_earliest_time_latest_time():
    """Derived (Time functions page, earliest_time/latest_time: "the UNIX time of the earliest/latest
    occurrence of a value of the field"): events without the field do not count."""
    events = [{"_raw": "a", "_time": 300, "v": "x"}, {"_raw": "b", "_time": 100}, {"_raw": "c", "_time": 200, "v": "y"},
              {"_raw": "d", "_time": 400}]
    row, = run("search * | stats earliest_time(v) AS e latest_time(v) AS l", events)
    assert (row["e"], row["l"]) == (200, 300)


def test_aggregate_sumsq_and_estdc_error():
    """Derived (AGGREGATE sumsq: "the sum of the squares of the values"; estdc_error: "the theoretical error of
    the estimated count ... absolute_value(estimate_distinct_count - real_distinct_count)/real_distinct_count",
    0 when, below 1000 values, estdc "uses the actual distinct value count")."""
    row = _stats("stats sumsq(v) AS s, estdc_error(v) AS e", ["1", "2", "3", "x", "2"])
    assert (row["s"], row["e"]) == (18, 0)
