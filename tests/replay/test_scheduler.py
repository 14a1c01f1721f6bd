"""Replay edge behaviours over real CloudTrail records (stratus RunInstances) with the real engine."""
from pathlib import Path

import pytest
from replay_helpers import at, run_instances, utc

from replay.scheduler import Replay
from replay.store import EventStore, IndexLag

HERE = Path(__file__).resolve().parent
APP = HERE / "apps" / "replay_edges"


def replay(events, skip_idle=True, **kwargs):
    result = Replay(APP, EventStore(events), skip_idle=skip_idle).run(**kwargs)
    assert result.errors == []
    return result


def alert_times(result, name):
    return [a.trigger_time for a in result.alerts if a.search_name == name]


def test_only_enabled_scheduled_searches_run():
    t = utc(2024, 3, 1, 10, 2)
    result = replay([at(run_instances(), t, t + 60)], until=t + 900)
    assert {r.search_name for r in result.runs} == {"Edge - Time Window", "Edge - Index Window", "Edge - Throttled"}


@pytest.mark.parametrize("lag", [0, 179, 180, 181, 600, 899, 900, 3000])
def test_late_event_at_window_edge_is_seen_exactly_once_by_index_time_window(lag):
    t = utc(2024, 3, 1, 10, 2)  # 10:02:00; a lag of 180 s indexes it exactly at the 10:05 boundary
    result = replay([at(run_instances(), t, t + lag)], until=t + lag + 900)
    assert len(alert_times(result, "Edge - Index Window")) == 1
    trigger = alert_times(result, "Edge - Index Window")[0]
    assert trigger - 300 <= t + lag < trigger  # in the run whose [-5m@m, @m) index window holds it


def test_time_window_misses_events_indexed_after_their_window_ran():
    t = utc(2024, 3, 1, 10, 2)
    on_time = replay([at(run_instances(), t, t + 60)], until=t + 3600)
    late = replay([at(run_instances(), t, t + 600)], until=t + 3600)
    assert alert_times(on_time, "Edge - Time Window") == [utc(2024, 3, 1, 10, 5)]
    assert alert_times(late, "Edge - Time Window") == []
    assert alert_times(late, "Edge - Index Window") == [utc(2024, 3, 1, 10, 15)]


def test_run_sees_only_events_indexed_by_its_run_time():
    t = utc(2024, 3, 1, 10, 2)
    result = replay([at(run_instances(), t, utc(2024, 3, 1, 10, 5) + 1)], until=utc(2024, 3, 1, 10, 20),
                    skip_idle=False)
    runs = {r.run_time: r.result_count for r in result.runs if r.search_name == "Edge - Index Window"}
    assert runs[utc(2024, 3, 1, 10, 5)] == 0 and runs[utc(2024, 3, 1, 10, 10)] == 1


def test_suppression_holds_for_its_period_and_releases_after():
    start = utc(2024, 3, 1, 10, 0)
    # the same principal launches every 10 minutes for 2 hours; each event indexed 2 minutes later
    events = [at(run_instances(), start + 600 * i + 60, start + 600 * i + 180) for i in range(12)]
    result = replay(events, until=start + 7200 + 1200)
    triggers = alert_times(result, "Edge - Throttled")
    # first trigger at 10:10; held for 1h (10:20 ... 11:00 suppressed), released at 11:10, held again to 12:00
    assert triggers == [utc(2024, 3, 1, 10, 10), utc(2024, 3, 1, 11, 10)]
    held = [r for r in result.runs if r.search_name == "Edge - Throttled" and r.result_count and not r.alerts]
    assert len(held) == 10
    assert all(a.actions == ("webhook",) for a in result.alerts)


def test_replay_span_since_until_and_lag_distribution_is_reproducible():
    events = [at(run_instances(), utc(2024, 3, 1, 10, m), None) for m in range(0, 60, 7)]
    first = Replay(APP, [dict(e) for e in events], lag=IndexLag(fixed=(300, 900))).run()
    second = Replay(APP, [dict(e) for e in events], lag=IndexLag(fixed=(300, 900))).run()
    assert [(a.search_name, a.trigger_time) for a in first.alerts] == [
        (a.search_name, a.trigger_time) for a in second.alerts]
    assert len(alert_times(first, "Edge - Index Window")) >= 1
    assert sum(len(a.results) for a in first.alerts if a.search_name == "Edge - Index Window") == len(events)
    windowed = Replay(APP, [dict(e) for e in events]).run(since=utc(2024, 3, 1, 10, 30), until=utc(2024, 3, 1, 10, 40))
    assert windowed.start == utc(2024, 3, 1, 10, 30) and max(r.run_time for r in windowed.runs) <= utc(2024, 3, 1, 10, 40)


def _two_bursts():
    first, second = utc(2024, 3, 1, 10, 2), utc(2024, 3, 9, 16, 41)
    return [at(run_instances(), first, first + 300), at(run_instances(), second, second + 300)]


def test_idle_stretches_are_skipped_without_changing_any_alert():
    skipped = replay(_two_bursts())
    every_run = replay(_two_bursts(), skip_idle=False)
    key = [(a.search_name, a.trigger_time, len(a.results)) for a in every_run.alerts]
    assert [(a.search_name, a.trigger_time, len(a.results)) for a in skipped.alerts] == key
    assert len(key) == 4   # Index Window + Throttled, per burst (the time window misses 5-min-late events)
    assert len(skipped.runs) < len(every_run.runs) / 5
    # Edge - Throttled (inline _index_earliest: no window of its own) runs while the others are active
    throttled = [r.run_time for r in skipped.runs if r.search_name == "Edge - Throttled"]
    assert min(throttled) < _two_bursts()[0]["_time"] + 3600 and len(throttled) < 2 * 24 * 6 + 10
    assert skipped.idle_seconds["Edge - Time Window"] > 7 * 86400


def test_first_idle_run_after_activity_still_runs():
    t = utc(2024, 3, 1, 10, 2)
    result = replay([at(run_instances(), t, t + 60)], until=t + 86400)
    counts = [r.result_count for r in result.runs if r.search_name == "Edge - Time Window"]
    assert counts[0] == 1 and 0 in counts[1:]
    assert len(counts) < 10


def test_a_search_that_returns_rows_over_an_empty_window_is_reported(tmp_path):
    """An absence-of-data style search (stats count over its window) returns a row with no event in it: its
    skipped idle runs could have alerted, so the replay says so instead of staying silent."""
    app = tmp_path / "app" / "default"
    app.mkdir(parents=True)
    (app / "savedsearches.conf").write_text(
        "[Absence]\nsearch = index=aws eventName=RunInstances | stats count\nenableSched = 1\n"
        "cron_schedule = */5 * * * *\ndispatch.earliest_time = -5m@m\ndispatch.latest_time = @m\n"
        "counttype = number of events\nrelation = greater than\nquantity = 0\n")
    t = utc(2024, 3, 1, 10, 2)
    result = Replay(app.parent, EventStore([at(run_instances(), t, t + 60)])).run(until=t + 86400)
    assert len(result.warnings) == 1 and "'Absence'" in result.warnings[0] and "--run-idle" in result.warnings[0]


def test_idle_reach_is_the_tighter_of_event_and_index_time_bounds():
    """Edge - Index Window reads 24 h of event time but only a 5-minute index-time window: an event can only be
    seen by runs in the 5-10 minutes after it is indexed, so its active span is minutes, not a day. Edge -
    Throttled has the same shape with inline modifiers (`_index_earliest=-10m@m`), which override its 24-hour
    dispatch window: the plan's lookback takes them, so it is event-driven too, over a span of minutes."""
    t = utc(2024, 3, 1, 10, 2)
    replay_ = Replay(APP, EventStore([at(run_instances(), t, t + 60)]))
    from splengine import Engine
    spans, event_driven = replay_.active_intervals(Engine(APP), t - 3600, t + 86400)
    assert "Edge - Index Window" in event_driven and "Edge - Throttled" in event_driven
    [(low, high)] = spans["Edge - Index Window"]
    assert low == t + 60 and high - low < 20 * 60   # reach ~6 min + one 5-min period + margins
    [(low, high)] = spans["Edge - Throttled"]
    assert low == t + 60 and high - low < 30 * 60   # reach ~11 min + one 10-min period + margins


def test_appending_writes_are_skipped_when_idle_replacing_writes_are_not(tmp_path):
    """A run over an empty window appends nothing (the detections' findings: outputlookup append=true), so its
    idle runs are skipped and it records exactly what every run records; a replace-mode outputlookup rewrites
    its lookup even then, so it runs every time."""
    app = tmp_path / "app" / "default"
    app.mkdir(parents=True)
    window = ("enableSched = 1\ncron_schedule = */5 * * * *\ndispatch.earliest_time = -5m@m\n"
              "dispatch.latest_time = @m\n")
    (app / "savedsearches.conf").write_text(
        "[Appends]\nsearch = index=aws eventName=RunInstances | eval seen=now() | table seen "
        "| outputlookup append=true appended.csv\n" + window +
        "[Replaces]\nsearch = index=aws eventName=RunInstances | stats count | outputlookup replaced.csv\n" + window +
        "[Read]\nsearch = | inputlookup appended.csv | stats count\n" + window.replace("*/5 *", "59 23"))
    t = utc(2024, 3, 1, 10, 2)
    events = [at(run_instances(), t, t + 60)]
    skipped = Replay(app.parent, EventStore(events)).run(until=t + 86400)
    every = Replay(app.parent, EventStore(events), skip_idle=False).run(until=t + 86400)
    runs = [r.search_name for r in skipped.runs]
    assert runs.count("Appends") < 5 and runs.count("Replaces") == 24 * 12
    assert [r.result_count for r in skipped.runs if r.search_name == "Read"] == \
        [r.result_count for r in every.runs if r.search_name == "Read"] == [1]
