"""Conformance cases for the time functions per_second, per_minute, per_hour, per_day and rate (issue 20), from the
Search Reference's "Time functions" page and the timechart page's per_* sections (help.splunk.com, SPL Search
Reference 10.0). The pages' per_* examples run on the Search Tutorial's data and show no values except the timechart
page's extended example 5 table (its format only: 150.000000); rate's only example is an mstats search. So these
cases are derived from what the pages state, on synthetic events."""
import pytest

from splengine import run_search
from splengine.errors import SplUnsupportedError
from splengine.values import to_str

TIME_FUNCTIONS = ("https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/"
                  "statistical-and-charting-functions/time-functions")
TIMECHART = "https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/search-commands/timechart"
T0 = 1522886400            # 2018-04-05 00:00:00 UTC, the day of the timechart page's example 5


def web_events():
    """Two hours of access events every 5 minutes: GET except every third, a purchase every fourth, price 1.5."""
    return [{"_time": T0 + i * 300, "_raw": f"event {i}", "method": "POST" if i % 3 == 0 else "GET",
             "action": "purchase" if i % 4 == 0 else "view", "price": "1.5",
             "productName": "Dream Crusher" if i % 2 else "Manganiello Bros."} for i in range(24)]


def chart(spl, events=None, **kw):
    rows = run_search(f"* | {spl}", events=events or web_events(), **kw)
    return [{k: to_str(v) for k, v in r.items()} for r in rows]


def test_per_hour_with_a_30m_span_is_twice_the_sum():
    """timechart page: "per_hour() converts the field value so that it is a rate per hour, or sum()/<hours in the
    span>. If your chart span ends up being 30m, it is sum()*2"; extended example 5's per_hour(eval(...)) AS Views,
    AS Purchases count the matching events and show six decimals (150.000000)."""
    rows = chart('timechart span=30m per_hour(eval(method="GET")) AS Views, per_hour(eval(action="purchase")) AS '
                 'Purchases, count(eval(method="GET")) AS gets, count(eval(action="purchase")) AS buys')
    assert len(rows) == 4
    for r in rows:
        assert r["Views"] == f"{2 * int(r['gets'])}.000000"
        assert r["Purchases"] == f"{2 * int(r['buys'])}.000000"


def test_per_day_with_a_1d_span_is_the_sum():
    """timechart page, extended example 4: span=1d sum(price) by productName and per_day(price) by productName
    "produce similar results ... Search 2 produces values with six decimal places"."""
    sums = chart("timechart span=1d sum(price) by productName usenull=f")
    per_day = chart("timechart span=1d per_day(price) by productName usenull=f")
    assert [{k: v for k, v in r.items() if k != "_time"} for r in sums] == [{"Dream Crusher": "18",
                                                                              "Manganiello Bros.": "18"}]
    assert [{k: v for k, v in r.items() if k != "_time"} for r in per_day] == [{"Dream Crusher": "18.000000",
                                                                                 "Manganiello Bros.": "18.000000"}]


def test_per_functions_scale_the_same_bucket():
    """Time functions page's extended example: per_day, per_hour and per_minute of the same eval expression in one
    search ("You can do per_hour() on one field and per_minute() ... on a different field in the same search");
    each is the bucket's sum per day, hour, minute, second."""
    rows = chart('timechart span=1h per_day(eval(method="GET")) AS Views_day, per_hour(eval(method="GET")) AS '
                 'Views_hour, per_minute(eval(method="GET")) AS Views_minute, per_second(eval(method="GET")) AS '
                 'Views_second, per_day(eval(action="purchase")) AS Purchases')
    assert [(r["Views_day"], r["Views_hour"], r["Views_minute"], r["Views_second"], r["Purchases"]) for r in rows] == [
        ("192.000000", "8.000000", "0.133333", "0.002222", "72.000000")] * 2


@pytest.mark.parametrize("func,field", [("per_day", "total"), ("per_hour", "total"), ("per_minute", "total"),
                                        ("per_second", "kb")])
def test_basic_examples_of_a_field(func, field):
    """The time functions page's basic examples "timechart per_day(total)" ... "timechart per_second(kb)": the
    field's values per unit of the span (span=10m: 600 seconds)."""
    events = [{"_time": T0 + i * 60, "_raw": "x", field: "6"} for i in range(10)]
    row, = chart(f"timechart span=10m {func}({field})", events)
    unit = {"per_day": 86400, "per_hour": 3600, "per_minute": 60, "per_second": 1}[func]
    assert row[f"{func}({field})"] == f"{60 * unit / 600:.6f}"


def test_per_hour_without_a_span_uses_the_automatic_span():
    """timechart page, extended example 1 (per_hour(price) by productName usenull=f useother=f, no span): "the
    per_hour() function converts the value so that it is a sum per hours in the time range" of each bucket; the
    115 minutes of events get 5 minute buckets (at most bins=100), one event each, so each price counts x12."""
    rows = chart("timechart per_hour(price) by productName usenull=f useother=f")
    filled = [r for r in rows if len(r) > 1]
    assert len(filled) == 24 and all(v == "18.000000" for r in filled for k, v in r.items() if k != "_time")


def test_per_day_over_a_month_span_uses_the_month_length():
    """Derived: sum()/<days in the span>, the span being the bucket: April 2018 has 30 days."""
    events = [{"_time": T0, "_raw": "x", "n": "60"}]
    row, = chart("timechart span=1mon per_day(n)", events)
    assert row["per_day(n)"] == "2.000000"


@pytest.mark.parametrize("spl", ["stats per_day(x)", "chart per_hour(x) over y", "eventstats per_minute(x)",
                                 "streamstats per_second(x)", "timechart rate(x)", "eventstats rate(x)"])
def test_functions_outside_their_command_are_refused(spl):
    """"You can use this function with the timechart command" (per_*); rate: "with the mstats, stats, and tstats
    commands"."""
    with pytest.raises(SplUnsupportedError, match=r"only available in (timechart|stats)"):
        chart(spl)


def counter(values, step=10):
    return [{"_time": T0 + i * step, "_raw": "x", "c": str(v)} for i, v in enumerate(values)]


@pytest.mark.parametrize("values,expected", [
    ([100, 130, 160, 190], "3"),          # (latest - earliest) / (latest_time - earliest_time) = 90 / 30
    ([5, 5], "0"),
    ([100, 130, 160, 10, 40], "2.5"),     # a reset: 30 + 30, then 10 from 0, then 30: 100 over 40 s
    ([100], None),                        # "Requires at least two metric data points"
])
def test_rate_formula(values, expected):
    """Derived: the time functions page's formula and requirements for rate()."""
    row, = chart("stats rate(c) AS r", counter(values))
    assert row.get("r") == expected


def test_rate_needs_different_times_and_numbers():
    """Derived: "Requires the earliest and latest values of the field to be numerical, and the earliest_time and
    latest_time values to be different"."""
    same_time = [{"_time": T0, "_raw": "x", "c": "1"}, {"_time": T0, "_raw": "x", "c": "5"}]
    assert "r" not in chart("stats rate(c) AS r", same_time)[0]
    assert "r" not in chart("stats rate(c) AS r", counter(["a", 5, 7]))[0]


@pytest.mark.parametrize("func", ["rate_avg", "rate_sum", "sparkline"])
def test_mstats_and_display_functions_are_refused_by_name(func):
    with pytest.raises(SplUnsupportedError, match=f"unsupported statistical function '{func}'"):
        chart(f"stats {func}(c)")
