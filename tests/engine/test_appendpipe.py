"""appendpipe: the subpipeline starts with a command and reads a copy of the current results."""
import pytest

import splengine
from splengine.errors import SplError


def _rows(spl, **kw):
    return [{k: v for k, v in row.items() if k != "_time"} for row in splengine.run_search(spl, **kw)]


def test_appends_a_summary_of_the_current_results():
    rows = _rows("| makeresults count=3 | streamstats count as n | appendpipe [stats sum(n) as total]")
    assert rows == [{"n": 1}, {"n": 2}, {"n": 3}, {"total": 6}]


def test_subpipeline_changes_copies_only_and_where_false_appends_nothing():
    rows = _rows("| makeresults count=2 | streamstats count as n | appendpipe [eval n=n*10, m=1 | where false()]")
    assert rows == [{"n": 1}, {"n": 2}]
    rows = _rows("| makeresults count=2 | streamstats count as n | appendpipe run_in_preview=false [where n>1 | eval m=n*2]")
    assert rows == [{"n": 1}, {"n": 2}, {"n": 2, "m": 4}]


def test_leading_search_filters_the_results_instead_of_reading_events():
    events = [{"_time": 1, "_raw": "a", "n": "9"}]
    rows = _rows("| makeresults count=2 | streamstats count as n | appendpipe [search n>1]", events=events)
    assert rows == [{"n": 1}, {"n": 2}, {"n": 2}]


def test_writes_a_lookup_without_changing_the_results(tmp_path):
    engine = splengine.Engine(".", tmp_path)
    rows = engine.search("| makeresults count=2 | streamstats count as n "
                         "| appendpipe [table n | outputlookup append=true written.csv | where false()]")
    assert [row["n"] for row in rows] == [1, 2]
    written = engine.search("| inputlookup written.csv")
    assert [row.get("n") for row in written] == ["1", "2"]


def test_the_subpipeline_reads_the_results_as_they_were_before_later_commands(tmp_path):
    """Splunk runs the subpipeline over the results appendpipe received: what the main search does to them afterwards
    (an eval after the appendpipe) is not in what the subpipeline wrote."""
    engine = splengine.Engine(".", tmp_path)
    rows = engine.search("| makeresults count=2 | streamstats count as n | eval x=1 "
                         "| appendpipe [table n x | outputlookup append=true written.csv | where false()] | eval x=2")
    assert [(row["n"], row["x"]) for row in rows] == [(1, 2), (2, 2)]
    written = engine.search("| inputlookup written.csv")
    assert [(row.get("n"), row.get("x")) for row in written] == [("1", "1"), ("2", "1")]


def test_needs_a_subpipeline():
    with pytest.raises(SplError, match="appendpipe.*subpipeline"):
        splengine.run_search("| makeresults | appendpipe stats count")

