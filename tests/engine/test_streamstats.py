"""streamstats: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/streamstats"""
import pytest

from splengine import run_search
from splengine.errors import SplUnsupportedError


def events(*pairs):
    return [{"_time": 100 - i, "host": h, "v": str(v)} for i, (h, v) in enumerate(pairs)]


EV = events(("a", 1), ("b", 2), ("a", 3), ("a", 4), ("b", 5))


def run(spl):
    return run_search("search * | " + spl, events=EV, now=1000)


def test_running_count_and_sum():
    out = run("streamstats count as n, sum(v) as s")
    assert [(r["n"], r["s"]) for r in out] == [(1, 1), (2, 3), (3, 6), (4, 10), (5, 15)]


def test_current_false_excludes_the_current_row():
    out = run("streamstats current=f sum(v) as s")
    assert [r.get("s") for r in out] == [None, 1, 3, 6, 10]


def test_window_and_by():
    out = run("streamstats window=2 sum(v) as s")
    assert [r["s"] for r in out] == [1, 3, 5, 7, 9]
    out = run("streamstats count as n by host")
    assert [r["n"] for r in out] == [1, 1, 2, 3, 2]
    # global=f: a window per group
    out = run("streamstats window=2 global=f sum(v) as s by host")
    assert [r["s"] for r in out] == [1, 2, 4, 7, 7]
    # global=t (default): the window covers the last 2 rows of all groups
    out = run("streamstats window=2 sum(v) as s by host")
    assert [r["s"] for r in out] == [1, 2, 3, 7, 5]


def test_reset_on_change():
    out = run("streamstats reset_on_change=t count as n by host")
    assert [r["n"] for r in out] == [1, 1, 1, 2, 1]


def test_unknown_option():
    with pytest.raises(SplUnsupportedError, match="time_span"):   # time_window is implemented (issue 20)
        run("streamstats time_span=1h count")
