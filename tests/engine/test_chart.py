"""chart: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/chart"""
import pytest

from splengine import run_search
from splengine.errors import SplSyntaxError, SplUnsupportedError

EV = [{"_time": 100 - i, "host": h, "status": s, "bytes": str(b)} for i, (h, s, b) in enumerate(
    [("web1", "200", 10), ("web2", "404", 20), ("web1", "404", 30), ("web1", "200", 40), ("web3", "500", 50)])]


def run(spl, events=EV):
    return run_search("search * | " + spl, events=events, now=1000)


def test_chart_over():
    assert run("chart count over host") == [{"host": "web1", "count": 3}, {"host": "web2", "count": 1},
                                           {"host": "web3", "count": 1}]


def test_chart_over_by_makes_series_columns():
    out = run("chart count over host by status")
    # empty count cells are 0, as in the chart page's examples
    assert out == [{"host": "web1", "200": 2, "404": 1, "500": 0}, {"host": "web2", "200": 0, "404": 1, "500": 0},
                   {"host": "web3", "200": 0, "404": 0, "500": 1}]
    assert run("chart count by host status") == out       # "by X Y" is the same as "over X by Y"


def test_chart_limit_and_other():
    out = run("chart sum(bytes) over host by status limit=1")
    # series ranked by total: 200 -> 50, 404 -> 50, 500 -> 50; ties go in lexicographic order of the series
    assert out == [{"host": "web1", "200": 50, "OTHER": 30}, {"host": "web2", "OTHER": 20}, {"host": "web3", "OTHER": 50}]
    out = run("chart sum(bytes) over host by status limit=1 useother=f")
    assert out == [{"host": "web1", "200": 50}, {"host": "web2"}, {"host": "web3"}]
    out = run("chart sum(bytes) over host by status limit=bottom1")
    assert out == [{"host": "web1", "200": 50, "OTHER": 30}, {"host": "web2", "OTHER": 20}, {"host": "web3", "OTHER": 50}]


def test_chart_multiple_functions_name_columns():
    out = run("chart count, max(bytes) over host by status limit=0")
    assert out[0] == {"host": "web1", "count: 200": 2, "count: 404": 1, "count: 500": 0, "max(bytes): 200": 40,
                      "max(bytes): 404": 30}


def test_chart_null_series():
    ev = EV + [{"_time": 1, "host": "web1", "bytes": "5"}]
    out = run("chart count over host by status", ev)
    assert out[0] == {"host": "web1", "200": 2, "404": 1, "500": 0, "NULL": 1}
    out = run("chart count over host by status usenull=f", ev)
    assert out[0] == {"host": "web1", "200": 2, "404": 1, "500": 0}


def test_chart_errors():
    with pytest.raises(SplSyntaxError):
        run("chart count by a b c")
    with pytest.raises(SplUnsupportedError, match="where clause function 'dc'"):
        run("chart count by host status where dc in top5")
