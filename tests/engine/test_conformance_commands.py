"""Conformance cases for search commands (issue 20) from the Search Reference pages (help.splunk.com, SPL
Search Reference 9.4): "documented" cases run the page's example and compare with the output it shows;
"derived" cases use only what the page's text states."""
import pytest

from splengine import run_search
from splengine.errors import SplUnsupportedError

REF = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands"
TOP = f"{REF}/top"


def run(spl, events=()):
    return run_search(spl, events=events, now=1_700_000_000)


# -- TOP "Lexicographic order of results" (documented): ties return the last lexicographical value
def test_top_limit_ties_documented_example():
    rows = run('| makeresults | eval location="Orlando Dallas Atlanta" | makemv location | mvexpand location '
               '| eval user="Alex Kai Morgan" | makemv user | mvexpand user | top limit=1 location by user')
    assert rows == [{"user": u, "location": "Orlando", "count": 1, "percent": 33.333333}
                    for u in ("Alex", "Kai", "Morgan")]


def test_top_ties_do_not_depend_on_input_order():
    """The same example with the values in another order still returns Orlando."""
    rows = run('| makeresults | eval location="Dallas Orlando Atlanta" | makemv location | mvexpand location '
               '| top limit=1 location')
    assert rows == [{"location": "Orlando", "count": 1, "percent": 33.333333}]


EVENTS = [{"_raw": "x", "_time": 100 - i, "productName": p, "categoryId": c}
          for i, (p, c) in enumerate([("Dream Crusher", "STRATEGY"), ("Dream Crusher", "STRATEGY"),
                                      ("Mediocre Kingdom", "STRATEGY"), ("Manganiello Bros.", "ARCADE"),
                                      ("Manganiello Bros.", "ARCADE"), ("Orvil the Wolverine", "ARCADE")])]


def test_top_showperc_countfield_example():
    """TOP example 3 (derived, synthetic purchases): "top 1 productName by categoryId showperc=f
    countfield=total": "Do not show the percent field. Rename the count field to total"; the screenshot's three
    columns are categoryId, productName and total."""
    rows = run("search * | top 1 productName by categoryId showperc=f countfield=total", EVENTS)
    assert [list(r.items()) for r in rows] == [
        [("categoryId", "STRATEGY"), ("productName", "Dream Crusher"), ("total", 2)],
        [("categoryId", "ARCADE"), ("productName", "Manganiello Bros."), ("total", 2)]]


@pytest.mark.parametrize("options,expected", [
    # useother: "a row that represents all values not included due to the limit cutoff"; otherstr its label
    ("limit=1 useother=t", [("Manganiello Bros.", 2, 33.333333), ("OTHER", 4, 66.666667)]),
    ("limit=1 useother=t otherstr=rest showcount=f", [("Manganiello Bros.", None, 33.333333), ("rest", None, 66.666667)]),
    ("limit=2 percentfield=pc", [("Manganiello Bros.", 2, None), ("Dream Crusher", 2, None)]),
    ("0", [("Manganiello Bros.", 2, 33.333333), ("Dream Crusher", 2, 33.333333),
           ("Orvil the Wolverine", 1, 16.666667), ("Mediocre Kingdom", 1, 16.666667)]),
])
def test_top_options(options, expected):
    """TOP options (derived): limit=0 returns all values; ties in reverse lexicographic order."""
    rows = run(f"search * | top {options} productName", EVENTS)
    assert [(r["productName"], r.get("count"), r.get("percent")) for r in rows] == expected
    if "percentfield" in options:
        assert [r["pc"] for r in rows] == [33.333333, 33.333333]


# -- DEDUP (derived from the page's argument descriptions; its examples show no output)
DEDUP = f"{REF}/dedup"
SOURCES = [{"_raw": f"e{i}", "_time": 100 - i, "source": s, "host": h, "_size": z}
           for i, (s, h, z) in enumerate([("a.log", "h1", "10"), ("b.log", "h1", "30"), ("a.log", "h2", "50"),
                                          ("a.log", "h2", "20"), ("b.log", "h1", "40"), ("c.log", None, "5")])]


def raws(spl):
    return [r["_raw"] for r in run("search * | " + spl, SOURCES)]


@pytest.mark.parametrize("spl,expected", [
    # Example 1 "dedup host": the first event of each host in search order (newest first); null host dropped
    ("dedup host", ["e0", "e2"]),
    # Example 3 "dedup source sortby -_size": "the top-most event, of the duplicate events in the sorted list,
    # is retained", so the biggest event of each source, in the sorted order
    ("dedup source sortby -_size", ["e2", "e4", "e5"]),
    # Example 2 "dedup source sortby +_time": the oldest event of each source
    ("dedup source sortby +_time", ["e5", "e4", "e3"]),
    # Example 4 "dedup 3 source": "keep the first 3 that occur"
    ("dedup 3 source", ["e0", "e1", "e2", "e3", "e4", "e5"]),
    ("dedup 2 source", ["e0", "e1", "e2", "e4", "e5"]),
    # Example 5 "dedup 2 source host": first 2 of each source AND host combination
    ("dedup 2 source host", ["e0", "e1", "e2", "e3", "e4"]),
    # Example 6 "dedup consecutive=true source host": only consecutive duplicates go (e3 repeats e2)
    ("dedup consecutive=true source host", ["e0", "e1", "e2", "e4"]),
    # keepempty=true "keeps every event where one or more of the specified fields is not present (null)"
    ("dedup host keepempty=true", ["e0", "e2", "e5"]),
])
def test_dedup(spl, expected):
    assert raws(spl) == expected


def test_dedup_keepevents_removes_the_fields_of_later_duplicates():
    """DEDUP keepevents: "keep all events, but will remove the selected fields from events after the first event
    containing a particular combination of values"."""
    rows = run("search * | dedup source keepevents=true", SOURCES)
    assert [(r["_raw"], r.get("source")) for r in rows] == [("e0", "a.log"), ("e1", "b.log"), ("e2", None),
                                                            ("e3", None), ("e4", None), ("e5", "c.log")]


def test_dedup_multivalue_fields_must_match_all_values():
    """DEDUP Multivalue fields: "the fields must match all values to be deduplicated"."""
    rows = run('| makeresults count=3 | streamstats count as n | eval m=if(n<3, mvappend("x","y"), mvappend("x","z")) '
               '| dedup m | table n')
    assert [r["n"] for r in rows] == [1, 3]


# -- FORMAT examples (documented)
FORMAT = f"{REF}/format"
SYSLOG = [{"_raw": r, "_time": t, "source": s, "sourcetype": "syslog", "host": h}
          for r, t, s, h in [("a", 3, "syslog.log", "my_laptop"), ("b", 2, "bob-syslog.log", "bobs_laptop"),
                             ("c", 1, "laura-syslog.log", "lauras_laptop")]]


@pytest.mark.parametrize("parts,expected", [
    # Example 1 (the page's output drops the underscores of its input table's host values)
    ("", '( ( host="my_laptop" AND source="syslog.log" AND sourcetype="syslog" ) OR '
         '( host="bobs_laptop" AND source="bob-syslog.log" AND sourcetype="syslog" ) )'),
    # Example 2: format "[" "[" "&&" "]" "||" "]"
    (' "[" "[" "&&" "]" "||" "]"', '[ [ host="my_laptop" && source="syslog.log" && sourcetype="syslog" ] || '
                                   '[ host="bobs_laptop" && source="bob-syslog.log" && sourcetype="syslog" ] ]'),
])
def test_format_documented_examples(parts, expected):
    rows = run(f"search * | head 2 | fields source, sourcetype, host | format{parts}", SYSLOG)
    assert rows == [{"search": expected}]


def test_format_multivalue_separator_documented_example():
    """FORMAT example 3: { [ ( foo="eventtype" mvseparator foo="log_level" ) ] }."""
    rows = run('| makeresults | eval foo="eventtype,log_level" | makemv delim="," foo | fields foo '
               '| format mvsep="mvseparator" "{" "[" "AND" "]" "AND" "}"')
    assert [r["search"] for r in rows] == ['{ [ ( foo="eventtype" mvseparator foo="log_level" ) ] }']


@pytest.mark.parametrize("options,expected", [(' emptystr="Error Found"', "Error Found"), ("", "NOT ( )")])
def test_format_of_empty_results_documented_example(options, expected):
    """FORMAT example 4: makeresults has only internal fields, so format returns emptystr (default NOT ( ))."""
    assert run(f"| makeresults count=1 | format{options}") == [{"search": expected}]


# -- Subsearches that return nothing
SUBSEARCHES = "https://help.splunk.com/en/splunk-enterprise/search/search-manual/10.0/subsearches"
RETURN = f"{REF}/return"
LOGS = [{"_raw": "a", "_time": 3, "index": "_internal", "sourcetype": "splunkd"},
        {"_raw": "b", "_time": 2, "index": "_internal", "sourcetype": "scheduler"},
        {"_raw": "c", "_time": 1, "index": "main", "sourcetype": "syslog", "user": "bob"}]


def test_format_emptystr_in_a_subsearch_documented_example():
    """FORMAT example 5: "index=_internal sourcetype=[search index=does_not_exist | head 1 | fields sourcetype
    | format emptystr="splunkd"]": the empty subsearch becomes splunkd, so the search returns splunkd events."""
    rows = run('search index=_internal sourcetype=[search index=does_not_exist | head 1 | fields sourcetype '
               '| format emptystr="splunkd"]', LOGS)
    assert [r["_raw"] for r in rows] == ["a"]


@pytest.mark.parametrize("sub,expected", [
    # implicit format of no results: "NOT ( )", which no event matches (FORMAT: the default emptystr)
    ("search index=nothing | fields user", []),
    # return "replaces the incoming events with one event, with one attribute: search" (RETURN); with no
    # incoming event its search is empty, and a search field is "rendered directly" (SUBSEARCHES, "Change the
    # format of subsearch results"): the subsearch adds no criterion
    ("search index=nothing | return user", ["a", "b", "c"]),
    ("search index=nothing | return $user", ["a", "b", "c"]),
    ("search index=main | return user", ["c"]),
])
def test_subsearch_that_returns_nothing(sub, expected):
    """Derived from the pages quoted per case."""
    assert [r["_raw"] for r in run(f"search * [{sub}]", LOGS)] == expected


def test_return_over_no_rows_gives_one_empty_search_result():
    """RETURN (derived): one event with one attribute, search."""
    assert run("search index=nothing | return user", LOGS) == [{"search": ""}]


# -- MVEXPAND example 3 (documented), with rex max_match and mvzip
MVEXPAND = f"{REF}/mvexpand"
AB = [{"_raw": "2018-04-01 00:11:23 a=22 b=21 a=23 b=32 a=51 b=24", "_time": 1522541483, "source": "mvexpandData.csv"},
      {"_raw": "2018-04-01 00:11:22 a=1 b=2 a=2 b=3 a=5 b=2", "_time": 1522541482, "source": "mvexpandData.csv"}]
ZIP = ('source="mvexpandData.csv" | rex field=_raw "a=(?<a>\\d+)" max_match=5 | rex field=_raw "b=(?<b>\\d+)" '
       "max_match=5 | eval fields = mvzip(a,b) ")


def test_mvexpand_two_multivalue_fields_documented_example():
    """The page's first table: fields 22,21 23,32 51,24 and 1,2 2,3 5,2; after mvexpand and rex one row per pair
    (the page's second table leaves out the first pair, 22/21, that its first table shows)."""
    rows = run(ZIP + "| table _time fields", AB)
    assert [r["fields"] for r in rows] == [["22,21", "23,32", "51,24"], ["1,2", "2,3", "5,2"]]
    rows = run(ZIP + '| mvexpand fields | rex field=fields "(?<alpha>\\d+),(?<beta>\\d+)" | table _time alpha beta', AB)
    assert [(r["_time"], r["alpha"], r["beta"]) for r in rows] == [
        (1522541483, "22", "21"), (1522541483, "23", "32"), (1522541483, "51", "24"),
        (1522541482, "1", "2"), (1522541482, "2", "3"), (1522541482, "5", "2")]


def test_mvexpand_limit():
    """MVEXPAND limit: "Specify the number of values of <field> to use for each input event" (derived)."""
    rows = run(ZIP + "| mvexpand fields limit=2 | table fields", AB)
    assert [r["fields"] for r in rows] == ["22,21", "23,32", "1,2", "2,3"]


# -- REX examples (documented outputs)
REX = f"{REF}/rex"


def test_rex_max_match_documented_example():
    """REX example 2: field a,b and value 1,2 from "a$1,b$2"."""
    row, = run('| makeresults | eval test="a$1,b$2" | rex field=test max_match=0 "((?<field>[^$]*)\\$(?<value>[^,]*),?)"')
    assert (row["field"], row["value"]) == (["a", "b"], ["1", "2"])


def test_rex_named_groups_documented_example():
    """REX example 3: "If savedsearch_id=bob;search;my_saved_search then user=bob, app=search and
    SavedSearchName=my_saved_search"."""
    row, = run('| makeresults | eval savedsearch_id="bob;search;my_saved_search" '
               '| rex field=savedsearch_id "(?<user>\\w+);(?<app>\\w+);(?<SavedSearchName>\\w+)"')
    assert (row["user"], row["app"], row["SavedSearchName"]) == ("bob", "search", "my_saved_search")


def test_rex_sed_documented_examples():
    """REX examples 4 and 5: sed replacement (anonymised card numbers; capture groups \\1)."""
    row, = run('| makeresults | eval ccnumber="1234-5678-9101-1213" '
               '| rex field=ccnumber mode=sed "s/(\\d{4}-){3}/XXXX-XXXX-XXXX-/g"')
    assert row["ccnumber"] == "XXXX-XXXX-XXXX-1213"
    row, = run('|makeresults |eval orig_search="src_ip=TERM( \\"10.8.2.33\\" ) OR src_ip=TERM( \\"172.17.154.197\\" )", '
               'search=orig_search |rex mode=sed field=search "s/\\s\\"(\\d+\\.\\d+\\.\\d+\\.\\d+)\\"\\s/\\1/g"')
    assert row["orig_search"] == 'src_ip=TERM( "10.8.2.33" ) OR src_ip=TERM( "172.17.154.197" )'
    assert row["search"] == "src_ip=TERM(10.8.2.33) OR src_ip=TERM(172.17.154.197)"


@pytest.mark.parametrize("regex,field,value,off", [("(?<firstfive>abcde)", "firstfive", "abcde", "firstfive=0-4"),
                                                   ("(?<middle>fgh)", "middle", "fgh", "middle=5-7")])
def test_rex_offset_field_documented_example(regex, field, value, off):
    """REX example 6: offset_field=off gives firstfive=0-4 / middle=5-7."""
    row, = run(f'| makeresults | eval list="abcdefghijklmnopqrstuvwxyz" | rex offset_field=off field=list "{regex}"')
    assert (row[field], row["off"]) == (value, off)


# -- SPATH examples
SPATH = f"{REF}/spath"
WIDGET = ('{"widget": {"text": [{"data": "Click here", "size": 36}, {"data": "Learn more", "size": 37}, '
          '{"data": "Help", "size": 38}]}}')
SPATH_EVENTS = [{"_raw": WIDGET, "_time": 1539870346, "sourcetype": "json"}]


def test_spath_extract_and_expand_documented_example():
    """SPATH extended example 3 (the page's event has a trailing comma, which its own "must be well-formed" rule
    refuses; here without it): size 36 37 38, data Click here / Learn more / Help, x = mvzip(data,size), then one
    row per pair. Auto-extracted names of array elements carry {} ("entities.hashtags{}.text", the page's
    section on wildcards), so the rename names widget.text{}.size where the page writes widget.text.size."""
    base = "search sourcetype=json | spath | rename widget.text{}.size AS size, widget.text{}.data AS data "
    row, = run(base + "| eval x=mvzip(data,size) | table _time,data,size,x", SPATH_EVENTS)
    assert row["size"] == ["36", "37", "38"] and row["data"] == ["Click here", "Learn more", "Help"]
    assert row["x"] == ["Click here,36", "Learn more,37", "Help,38"]
    rows = run(base + '| eval x=mvzip(data,size)| mvexpand x | eval x = split(x,",") | eval data=mvindex(x,0) '
               "| eval size=mvindex(x,1) | table _time,data, size", SPATH_EVENTS)
    assert [(r["_time"], r["data"], r["size"]) for r in rows] == [
        (1539870346, "Click here", "36"), (1539870346, "Learn more", "37"), (1539870346, "Help", "38")]


@pytest.mark.parametrize("raw,spl,expected", [
    # example 4: the nested array {"desc": 1}, {"locDesc": 2}: product{}.locDesc is 2
    ('{"vendorProductSet": {"product": [{"desc": 1}, {"locDesc": 2}]}}',
     "spath output=myfield path=vendorProductSet.product{}.locDesc", "2"),
    # example 2: the datapath without path=
    ('{"server": {"name": "web-01"}}', "spath output=myfield server.name", "web-01"),
    # example 1: an output field and a path
    ('{"vendorProductSet": {"product": {"desc": "Precios"}}}',
     "spath output=myfield path=vendorProductSet.product.desc", "Precios"),
])
def test_spath_output_and_path(raw, spl, expected):
    """SPATH basic examples 1, 2 and 4 (derived: the page gives the input, the path names the value)."""
    row, = run(f"search * | {spl}", [{"_raw": raw, "_time": 0}])
    assert row["myfield"] == expected


# -- WHERE (derived from the page's statements and examples)
WHERE = f"{REF}/where"
HOSTS = [{"_raw": f"r{i}", "_time": 10 - i, **fields} for i, fields in enumerate([
    {"host": "www2", "ipaddress": "198.51.100.7", "clientip": "198.51.100.7", "src": "10.9.165.20",
     "dst": "192.0.2.1", "distance": "500", "time": "2"},
    {"host": "WWW2", "ipaddress": "203.0.113.5", "clientip": "198.51.100.7", "src": "10.1.1.1",
     "dst": "10.9.165.100", "distance": "100", "time": "2"},
    {"host": "www20", "ipaddress": "10.0.0.1", "clientip": "10.0.0.2", "src": "10.1.1.1",
     "dst": "10.9.165.200", "distance": "300", "time": "3"}])]


@pytest.mark.parametrize("spl,expected", [
    # "where ipaddress=clientip": compares two fields
    ("where ipaddress=clientip", ["r0"]),
    # 'where host="www2"': "the value in the field host is the string value www2" (case-sensitive)
    ('where host="www2"', ["r0"]),
    # "search host=www2": "the field host contains the string value www2" (search is case-insensitive)
    ("search host=www2", ["r0", "r1"]),
    # example 1: like(ipaddress, "198.%")
    ('where like(ipaddress, "198.%")', ["r0"]),
    # example 2: like(src, "10.9.165.%") OR cidrmatch("10.9.165.0/25", dst)
    ('where like(src, "10.9.165.%") OR cidrmatch("10.9.165.0/25", dst)', ["r0", "r1"]),
    # example 3: distance/time > 100
    ("where distance/time > 100", ["r0"]),
])
def test_where_examples(spl, expected):
    assert [r["_raw"] for r in run(f"search * | {spl}", HOSTS)] == expected


# -- EVENTSTATS extended example (documented tables)
EVENTSTATS = f"{REF}/eventstats"
CITIES = ('| makeresults count=4 | streamstats count | eval age = case(count=1, 25, count=2, 39, count=3, 31, '
          'count=4, {last}) | eval city = case(count=1 OR count=3, "San Francisco", count=2 OR count=4, "Seattle") ')


@pytest.mark.parametrize("last,tail,field,expected", [
    ("null()", "| eventstats avg(age) BY city", "avg(age)", [28, 39, 28, 39]),
    ("null()", '| eventstats avg(age) AS "average age by city" BY city', "average age by city", [28, 39, 28, 39]),
    # "The alphabetic values are treated like null values"
    ('"test"', "| eventstats avg(age) BY city", "avg(age)", [28, 39, 28, 39]),
])
def test_eventstats_extended_example(last, tail, field, expected):
    rows = run(CITIES.format(last=last) + tail)
    assert [r.get(field) for r in rows] == expected
    assert [r["count"] for r in rows] == [1, 2, 3, 4]


def test_eventstats_allnum_true_example():
    """EVENTSTATS "Using the allnum argument" (documented table): Seattle's ages are not all numbers, so
    "the entire set of values for Seattle are ignored. No average is calculated"."""
    rows = run(CITIES.format(last='"test"') + "| eventstats allnum=true avg(age) BY city")
    assert [r.get("avg(age)") for r in rows] == [28, None, 28, None]
    assert [r["age"] for r in rows] == [25, 39, 31, "test"]


@pytest.mark.parametrize("last,expected", [
    ("null()", [28, None, 28, None]),   # "applies to empty values as well as alphabetic character values"
    ("45", [28, 42, 28, 42]),           # all numbers: the average as without allnum
])
def test_eventstats_allnum_true_empty_and_numeric_values(last, expected):
    """Derived (EVENTSTATS, allnum): statistics only for the groups whose values are all numeric."""
    rows = run(CITIES.format(last=last) + "| eventstats allnum=true avg(age) count(age) AS n BY city")
    assert [r.get("avg(age)") for r in rows] == expected
    assert [r.get("n") for r in rows] == [2, 2 if last == "45" else 1, 2, 2 if last == "45" else 1]


def test_time_modifier_from_a_subsearch_is_refused_naming_it():
    with pytest.raises(SplUnsupportedError, match=r"search: earliest=\[subsearch\]"):
        run("search earliest=[| makeresults | eval search=\"-1h\" | fields search] *", LOGS)


# -- BUCKET: "bucket" is the bin command's alias (the bin page: "The bucket command is an alias for the bin command")
@pytest.mark.parametrize("args", ["_time span=1h", "size bins=10", "size span=100", "_time span=12h aligntime=@d+3h"])
def test_bucket_is_bin(args):
    """Derived (BIN usage, the alias): bucket gives the rows bin gives, with the same options."""
    spl = ("| makeresults count=12 | streamstats count as n | eval _time=1700000000 + n*3917, size=n*97 "
           "| {} " + args + " | table _time size")
    assert run(spl.format("bucket")) == run(spl.format("bin"))
