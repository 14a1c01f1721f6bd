"""Conformance cases for chart and timechart (issue 20) from the Search Reference pages (help.splunk.com, SPL
Search Reference 9.4). The inputs are synthetic rows built so that the page's example table is the answer
(labelled per case); "derived" cases use only what the page's text states."""
import pytest

from splengine import run_search

REF = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands"
CHART = f"{REF}/chart"
TIMECHART = f"{REF}/timechart"


def rows_from_table(columns, table, make):
    """Synthetic events: for every cell, ``value`` events made by ``make(row_key, column, i)``."""
    events = []
    for row_key, cells in table:
        for column, value in zip(columns, cells):
            events += [make(row_key, column, i) for i in range(value)]
    return events


def search(spl, events, **kw):
    return run_search(spl, events=[{"_raw": "x", "_time": 0, **e} for e in events],
                      now=kw.pop("now", 2_000_000_000), **kw)


# -- CHART extended example 1: "chart sum(sales) BY products quarter" over the page's 12 sales rows
def test_chart_row_split_and_column_split_documented_example():
    sales = [("ProductA", "QTR1", 1200), ("ProductB", "QTR1", 1400), ("ProductC", "QTR1", 1650),
             ("ProductA", "QTR2", 1425), ("ProductB", "QTR2", 1175), ("ProductC", "QTR2", 1550),
             ("ProductA", "QTR3", 1300), ("ProductB", "QTR3", 1250), ("ProductC", "QTR3", 1375),
             ("ProductA", "QTR4", 1550), ("ProductB", "QTR4", 1700), ("ProductC", "QTR4", 1625)]
    rows = search("search * | chart sum(sales) BY products quarter",
                  [{"products": p, "quarter": q, "sales": str(s)} for p, q, s in sales])
    assert [list(r.items()) for r in rows] == [
        [("products", "ProductA"), ("QTR1", 1200), ("QTR2", 1425), ("QTR3", 1300), ("QTR4", 1550)],
        [("products", "ProductB"), ("QTR1", 1400), ("QTR2", 1175), ("QTR3", 1250), ("QTR4", 1700)],
        [("products", "ProductC"), ("QTR1", 1650), ("QTR2", 1550), ("QTR3", 1375), ("QTR4", 1625)]]


CATEGORIES = ["ACCESSORIES", "ARCADE", "SHOOTER", "SIMULATION", "SPORTS", "STRATEGY", "TEE"]


def test_chart_dc_over_by_usenull_false_documented_example():
    """CHART extended example 5: "chart dc(clientip) OVER date_hour BY categoryId usenull=f"; the page's table
    (synthetic purchases with that many distinct client IPs per cell, plus purchases without categoryId):
    columns in lexicographic order, cells without purchases show 0, no NULL column."""
    table = [(0, [2, 6, 0, 4, 0, 4, 4]), (1, [4, 7, 2, 3, 0, 10, 5]), (2, [2, 2, 2, 1, 1, 2, 0]),
             (3, [3, 5, 3, 5, 0, 7, 1]), (4, [3, 4, 0, 0, 1, 4, 0]), (5, [3, 0, 3, 0, 1, 6, 1])]
    events = rows_from_table(CATEGORIES, table, lambda h, c, i: {"date_hour": str(h), "categoryId": c,
                                                                  "clientip": f"10.0.{h}.{i}"})
    events += [{"date_hour": "0", "clientip": "10.9.9.9"}, {"date_hour": "0", "categoryId": "ARCADE",
                                                           "clientip": "10.0.0.0"}]   # a repeated IP
    rows = search("search * | chart dc(clientip) OVER date_hour BY categoryId usenull=f", events)
    assert [list(r) for r in rows] == [["date_hour", *CATEGORIES]] * 6
    assert [(int(r["date_hour"]), [r[c] for c in CATEGORIES]) for r in rows] == [(h, v) for h, v in table]


def test_chart_count_by_two_fields_useother_false_documented_example():
    """CHART extended example 6: "chart count BY mag place useother=f" (Alaska earthquakes): the page's ten
    place columns and counts (synthetic quakes; two more places with one quake each are below the default
    limit of 10 series and, with useother=f, are dropped rather than merged into OTHER)."""
    places = ["145km ENE of Chirikof Island, Alaska", "225km SE of Kodiak, Alaska", "250km SE of Kodiak, Alaska",
              "252km SE of Kodiak, Alaska", "254km SE of Kodiak, Alaska", "255km SE of Kodiak, Alaska",
              "259km SE of Kodiak, Alaska", "264km SE of Kodiak, Alaska", "265km SE of Kodiak, Alaska",
              "Gulf of Alaska"]
    table = [("3.5", [1, 1, 0, 1, 0, 1, 0, 0, 2, 2]), ("3.6", [0, 0, 1, 0, 0, 0, 0, 1, 0, 1]),
             ("3.7", [0, 0, 0, 0, 1, 0, 0, 0, 0, 2]), ("3.8", [0, 1, 0, 0, 0, 0, 1, 1, 0, 3]),
             ("3.9", [0, 0, 1, 0, 1, 0, 0, 0, 0, 0]), ("4", [0, 0, 0, 0, 1, 1, 0, 0, 0, 1]),
             ("4.1", [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), ("4.2", [0, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
             ("4.3", [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), ("4.4", [0, 0, 0, 0, 0, 0, 1, 0, 0, 1]),
             ("4.6", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), ("5", [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])]
    events = rows_from_table(places, table, lambda m, p, i: {"mag": m, "place": p})
    events += [{"mag": "3.5", "place": "10km N of Anchor Point, Alaska"}, {"mag": "4", "place": "Yukon, Alaska"}]
    rows = search("search * | chart count BY mag place useother=f | rename mag AS Magnitude", events)
    assert [[c for c in r if c != "Magnitude"] for r in rows] == [places] * 12
    assert [(r["Magnitude"], [r[p] for p in places]) for r in rows] == table


def test_timechart_count_by_usenull_false_documented_example():
    """TIMECHART extended example 2: "timechart span=1d count by categoryId usenull=f"; the page's table of daily
    purchases per category (synthetic purchases, plus purchases without categoryId that usenull=f ignores)."""
    table = [("2018-03-29", [5, 17, 6, 3, 5, 32, 9]), ("2018-03-30", [62, 63, 39, 30, 22, 127, 56]),
             ("2018-03-31", [65, 94, 38, 42, 34, 128, 60]), ("2018-04-01", [54, 82, 42, 39, 13, 115, 66]),
             ("2018-04-02", [52, 63, 45, 42, 22, 124, 52]), ("2018-04-03", [46, 76, 34, 42, 19, 123, 59]),
             ("2018-04-04", [57, 70, 36, 38, 20, 130, 56]), ("2018-04-05", [46, 72, 35, 37, 13, 106, 46])]
    day0 = 1_522_281_600    # 2018-03-29T00:00:00Z
    days = {d: day0 + k * 86400 for k, (d, _) in enumerate(table)}
    events = rows_from_table(CATEGORIES, table, lambda d, c, i: {"_time": days[d] + 60 * i, "categoryId": c})
    events += [{"_time": day0 + 5}]
    rows = search("search * | timechart span=1d count by categoryId usenull=f", events)
    assert [list(r) for r in rows] == [["_time", *CATEGORIES]] * 8
    assert [[r[c] for c in CATEGORIES] for r in rows] == [v for _, v in table]


HOSTS = "| makeresults count={n} | streamstats count as i | eval _time=1000 + (i % 3) * 60"


@pytest.mark.parametrize("clause,kept", [
    # "Show the 5 most rare series based on the minimum count values": WHERE min in bottom5
    ("WHERE min in bottom5", ["s01", "s02", "s03", "s04", "s05"]),
    # "Show the 5 most frequent series based on the maximum values": WHERE max in top5
    ("WHERE max in top5", ["s08", "s09", "s10", "s11", "s12"]),
    # "only where the total number of events is larger than 100" (here 15): WHERE count > 15 / WHERE sum > 15
    ("WHERE count > 15", ["s08", "s09", "s10", "s11", "s12"]),
    ("WHERE sum > 15", ["s08", "s09", "s10", "s11", "s12"]),
    # limit=N keeps "the top or bottom N values ..., based on the sum of each series"
    ("limit=bottom2", ["s01", "s02"]),
    ("limit=3", ["s10", "s11", "s12"]),
])
def test_timechart_where_clause_and_limit_keep_series_and_merge_the_rest_into_other(clause, kept):
    """TIMECHART where clause examples (derived): "These two searches return six data series: the five top or
    bottom series specified and the series labeled other"; series s<k> has 2k events spread over 3 buckets."""
    events = [{"_time": 1000 + (i % 3) * 60, "source": f"s{k:02d}"} for k in range(1, 13) for i in range(2 * k)]
    rows = search(f"search * | timechart span=1m count by source {clause}", events)
    assert list(rows[0]) == ["_time", *kept, "OTHER"]
    total = sum(r[c] for r in rows for c in r if c != "_time")
    assert total == len(events)
    rows = search(f"search * | timechart span=1m count by source {clause} useother=f", events)
    assert list(rows[0]) == ["_time", *kept]


def test_timechart_where_clause_overrides_limit():
    """CHART Usage, X-axis: "The limit and agg options are ignored if an explicit where-clause is provided"."""
    events = [{"_time": 1000, "source": f"s{k}"} for k in range(1, 4) for _ in range(k)]
    rows = search("search * | timechart span=1m limit=1 count by source WHERE count > 1", events)
    assert list(rows[0]) == ["_time", "s2", "s3", "OTHER"]


def test_chart_nullstr_otherstr_and_limit_zero():
    """CHART tc options (derived): nullstr names the series "for events that do not contain the split-by
    field", otherstr the series of the data series left out; "If limit=0, all results are returned"."""
    events = [{"h": "a", "s": f"v{k:02d}"} for k in range(12) for _ in range(k + 1)]
    row, = search("search * | chart count over h by s limit=2 otherstr=rest", events)
    assert list(row) == ["h", "v10", "v11", "rest"] and row["rest"] == sum(range(1, 11))
    row, = search("search * | chart count over h by s limit=0 nullstr=none", events + [{"h": "a"}])
    assert list(row) == ["h", *[f"v{k:02d}" for k in range(12)], "none"] and row["none"] == 1


def test_timechart_cont_false_keeps_only_buckets_with_data():
    """TIMECHART cont (derived): "If cont=false, replots the x-axis so that a noncontinuous sequence of x-value
    bins show up adjacently in the output. If cont=true, bins that have no values will display with a count of
    0 or null values"."""
    events = [{"_time": t} for t in (0, 60, 300)]
    assert [r["_time"] for r in search("search * | timechart span=1m count", events)] == [0, 60, 120, 180, 240, 300]
    rows = search("search * | timechart span=1m cont=false count", events)
    assert [(r["_time"], r["count"]) for r in rows] == [(0, 1), (60, 1), (300, 1)]
