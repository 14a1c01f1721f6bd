"""timechart: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/timechart"""
import pytest

from splengine import run_search

T0 = 1_700_000_000 - 1_700_000_000 % 3600       # an hour boundary
EV = [{"_time": T0 + m * 60, "host": h} for m, h in [(0, "a"), (1, "b"), (2, "a"), (15, "c"), (40, "a")]]


def run(spl, **kw):
    return run_search("search * | " + spl, events=EV, now=T0 + 7200, **kw)


def test_span_buckets_and_zero_fill():
    out = run("timechart span=10m count")
    assert out == [{"_time": T0, "count": 3}, {"_time": T0 + 600, "count": 1}, {"_time": T0 + 1200, "count": 0},
                   {"_time": T0 + 1800, "count": 0}, {"_time": T0 + 2400, "count": 1}]


def test_buckets_cover_the_search_time_range():
    out = run("timechart span=30m count", earliest=T0 - 1800, latest=T0 + 3600)
    assert [(r["_time"], r["count"]) for r in out] == [(T0 - 1800, 0), (T0, 4), (T0 + 1800, 1)]


def test_by_and_limit_other():
    out = run("timechart span=1h count by host")
    assert out == [{"_time": T0, "a": 3, "b": 1, "c": 1}]
    out = run("timechart span=1h limit=1 count by host")
    assert out == [{"_time": T0, "a": 3, "OTHER": 2}]


def test_non_count_cells_stay_empty():
    ev = [{"_time": T0, "v": "5"}, {"_time": T0 + 1200, "v": "7"}]
    out = run_search("search * | timechart span=10m avg(v) as a", events=ev, now=T0 + 7200)
    assert out == [{"_time": T0, "a": 5.0}, {"_time": T0 + 600}, {"_time": T0 + 1200, "a": 7.0}]


@pytest.mark.parametrize("width,span", [
    (900, 10), (3600, 60), (4 * 3600, 300), (86400, 1800), (7 * 86400, 86400), (30 * 86400, 86400)])
def test_default_span_follows_the_documented_table(width, span):
    # timechart page: last 15 min -> 10 s, 60 min -> 1 m, 4 h -> 5 m, 24 h -> 30 m, 7 d / 30 d -> 1 d
    out = run("timechart count", earliest=T0 - width, latest=T0)
    assert {b["_time"] - a["_time"] for a, b in zip(out, out[1:])} == {span}


def test_default_span_for_a_year_is_a_month():
    out = run("timechart count", earliest=T0 - 365 * 86400, latest=T0)
    assert 12 <= len(out) <= 13
