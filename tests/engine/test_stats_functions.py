"""stats command and its functions.

stats: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/stats
Aggregate functions: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/aggregate-functions
Event order / time functions: .../statistical-and-charting-functions/event-order-functions, .../time-functions
Multivalue stats functions (list limit 100, values lexicographic):
  https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/multivalue-stats-and-chart-functions
"""
import pytest

from splengine import run_search
from splengine.errors import SplError, SplSyntaxError, SplUnsupportedError


def rows(*dicts):
    """Events in the order given (the engine, like Splunk, returns events newest first)."""
    out = []
    for i, d in enumerate(dicts):
        r = {"_time": 100_000 - i, "_raw": f"event {i}"}
        r.update(d)
        out.append(r)
    return out


def stats(spl, events):
    return run_search("search * | " + spl, events=events, now=10_000)


EVENTS = rows(
    {"host": "web1", "bytes": "100", "user": "alice"},
    {"host": "web2", "bytes": "300", "user": ["bob", "alice"]},
    {"host": "web1", "bytes": "200", "user": "carol"},
    {"host": "web1", "bytes": "n/a"},
    {"bytes": "50", "user": "dave"},
)


def test_count_and_count_field():
    (r,) = stats("stats count, count(user) as users, count(bytes)", EVENTS)
    assert r == {"count": 5, "users": 5, "count(bytes)": 5}   # bob+alice counts two values


def test_by_clause_drops_null_and_sorts():
    out = stats("stats count by host", EVENTS)
    assert out == [{"host": "web1", "count": 3}, {"host": "web2", "count": 1}]


def test_by_multivalue_field_splits_into_each_value():
    out = stats("stats count by user", EVENTS)
    assert out == [{"user": "alice", "count": 2}, {"user": "bob", "count": 1},
                   {"user": "carol", "count": 1}, {"user": "dave", "count": 1}]


def test_by_two_fields():
    out = stats("stats sum(bytes) as total by host, user", EVENTS)
    assert out == [{"host": "web1", "user": "alice", "total": 100}, {"host": "web1", "user": "carol", "total": 200},
                   {"host": "web2", "user": "alice", "total": 300}, {"host": "web2", "user": "bob", "total": 300}]


def test_sum_avg_ignore_non_numeric():
    (r,) = stats("stats sum(bytes) as s, avg(bytes) as a, mean(bytes) as m", EVENTS)
    assert r == {"s": 650, "a": 162.5, "m": 162.5}


def test_dc_values_list():
    (r,) = stats("stats dc(user) as dc, distinct_count(host) as dh, values(user) as v, list(user) as l", EVENTS)
    assert r["dc"] == 4 and r["dh"] == 2
    assert r["v"] == ["alice", "bob", "carol", "dave"]
    assert r["l"] == ["alice", "bob", "alice", "carol", "dave"]


def test_values_are_lexicographic_not_numeric():
    (r,) = stats("stats values(n) as v", rows({"n": "10"}, {"n": "9"}, {"n": "100"}, {"n": "9"}))
    assert r["v"] == ["10", "100", "9"]


def test_list_keeps_first_100():
    (r,) = stats("stats list(n) as l", rows(*({"n": str(i)} for i in range(150))))
    assert r["l"] == [str(i) for i in range(100)]


def test_min_max_numeric_and_lexicographic_range():
    (r,) = stats("stats min(bytes) as lo, max(bytes) as hi, range(bytes) as r", EVENTS)
    # numbers sort before non-numeric items (aggregate functions page): the non-numeric "n/a" is the maximum
    assert r == {"lo": 50, "hi": "n/a", "r": 250}
    (r,) = stats("stats max(bytes) as hi", [e for e in EVENTS if e.get("bytes") != "n/a"])
    assert r == {"hi": 300}
    (r,) = stats("stats min(host) as lo, max(host) as hi", EVENTS)
    assert r == {"lo": "web1", "hi": "web2"}


def test_stdev_var():
    ev = rows(*({"x": str(v)} for v in (2, 4, 4, 4, 5, 5, 7, 9)))
    (r,) = stats("stats stdev(x) as s, stdevp(x) as sp, var(x) as v, varp(x) as vp", ev)
    assert r["sp"] == pytest.approx(2.0) and r["vp"] == pytest.approx(4.0)
    assert r["v"] == pytest.approx(32 / 7) and r["s"] == pytest.approx((32 / 7) ** 0.5)


def test_percentiles_and_median():
    # Aggregate functions page: for Y = {10,9,8,...,1}, perc50(Y) is 5.5 and perc95(Y) is 9.55
    ev = rows(*({"y": str(v)} for v in range(10, 0, -1)))
    (r,) = stats("stats perc50(y) as p50, perc95(y) as p95, p50(y) as q, exactperc50(y) as e50, "
                 "upperperc50(y) as u50, median(y) as med", ev)
    assert r["p50"] == 5.5 and r["p95"] == 9.55 and r["q"] == 5.5
    assert r["e50"] == 5.5 and r["u50"] == 5.5
    assert r["med"] == 6          # even count: the higher of the two middle values


def test_mode_first_last_earliest_latest():
    ev = [{"_time": 30, "v": "b"}, {"_time": 10, "v": "a"}, {"_time": 20, "v": "b"}]
    (r,) = stats("stats mode(v) as m, first(v) as f, last(v) as l, earliest(v) as e, latest(v) as lt, "
                 "earliest_time(v) as et, latest_time(v) as ltt", ev)
    # events arrive newest first: first() is the newest value, last() the oldest
    assert r == {"m": "b", "f": "b", "l": "a", "e": "a", "lt": "b", "et": 10, "ltt": 30}


def test_eval_inside_stats():
    (r,) = stats("stats count(eval(isnum(bytes) AND bytes>150)) as big, sum(eval(bytes*2)) as dbl", EVENTS)
    assert r == {"big": 2, "dbl": 1300}


def test_eval_inside_stats_requires_as():
    with pytest.raises(SplSyntaxError, match="renamed"):
        stats("stats count(eval(bytes>150))", EVENTS)


def test_empty_input():
    assert stats("stats count", []) == [{"count": 0}]
    assert stats("stats count by host", []) == []
    assert stats("stats sum(x) as s", []) == [{}]


def test_unknown_function_and_option_refused():
    with pytest.raises(SplUnsupportedError, match="frob"):
        stats("stats frob(x)", EVENTS)
    with pytest.raises(SplUnsupportedError, match="partitions"):
        stats("stats partitions=2 count", EVENTS)
    with pytest.raises(SplError):
        stats("stats sum", EVENTS)
