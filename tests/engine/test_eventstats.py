"""eventstats: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eventstats"""
from splengine import run_search


def test_eventstats_adds_group_results_to_every_row_in_order():
    ev = [{"_time": 3, "host": "a", "b": "10"}, {"_time": 2, "host": "b", "b": "5"},
          {"_time": 1, "host": "a", "b": "30"}, {"_time": 0, "b": "7"}]
    out = run_search("search * | eventstats avg(b) as avg_b by host", events=ev, now=100)
    assert [r.get("avg_b") for r in out] == [20, 5, 20, None]
    out = run_search("search * | eventstats count", events=ev, now=100)
    assert all(r["count"] == 4 for r in out) and [r["_time"] for r in out] == [3, 2, 1, 0]
