"""A busy scheduler (replay.dispatch): continuous scheduling loses no index-time window, real-time loses some.

The app's own saved searches are dispatched over a day with a load spike (every slot held by other
searches for an hour); each run's index-time window is resolved at its scheduled time, and the windows of
every windowed search must tile the day exactly once. The same searches with realtime_schedule = 1 leave
gaps: the check that passes for the shipped conf fails for the default setting.
"""
import dataclasses
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from replay_helpers import at, run_instances, utc

from replay import cron
from replay.dispatch import Load, dispatch
from replay.savedsearches import SavedSearch, load_saved_searches
from replay.scheduler import Replay
from replay.store import EventStore
from splengine.timemod import parse_time_modifier

UTC = ZoneInfo("UTC")
DAY = utc(2024, 3, 4)
SPIKE = Load(slots=4, duration=lambda name, t: 120, busy=((DAY + 2 * 3600, DAY + 3 * 3600, 4),))


def period(search, t):
    return cron.period_seconds(search.cron_schedule, t, UTC)


def runs(searches, start, end):
    streams = [[(t, order, s) for t in cron.run_times(s.cron_schedule, start, end, UTC)]
               for order, s in enumerate(searches) if s.scheduled]
    return sorted((item for stream in streams for item in stream), key=lambda i: (i[0], i[1]))


def window_problems(plan, windowed):
    """Per windowed search: gaps, overlaps or a missing window among the runs that started."""
    problems = []
    for search in windowed:
        mine = [i for i in plan if i.search.name == search.name]
        done = sorted((parse_time_modifier(search.index_earliest, i.scheduled, UTC),
                       parse_time_modifier(search.index_latest, i.scheduled, UTC)) for i in mine if i.start is not None)
        if len(done) != len(mine):
            problems.append(f"{search.name}: {len(mine) - len(done)} of {len(mine)} runs skipped")
        problems += [f"{search.name}: window {a} then {b}" for a, b in zip(done, done[1:]) if a[1] != b[0]]
    return problems


@pytest.fixture(scope="module")
def app_searches(staged_app):
    return load_saved_searches(staged_app / "default" / "savedsearches.conf")


def test_every_index_window_of_every_windowed_search_is_searched_once_under_load(app_searches):
    windowed = [s for s in app_searches if s.scheduled and s.index_earliest]
    assert len(windowed) >= 12
    plan = dispatch(runs(app_searches, DAY, DAY + 86400), SPIKE, period)
    assert window_problems(plan, windowed) == []
    delayed = [i for i in plan if i.start is not None and i.start > i.scheduled]
    assert delayed and max(i.start - i.scheduled for i in delayed) >= 3600   # the load did bite


def test_real_time_scheduling_of_the_same_searches_loses_windows(app_searches):
    as_default = [dataclasses.replace(s, settings={**s.settings, "realtime_schedule": "1"}) for s in app_searches]
    windowed = [s for s in as_default if s.scheduled and s.index_earliest]
    plan = dispatch(runs(as_default, DAY, DAY + 86400), SPIKE, period)
    problems = window_problems(plan, windowed)
    assert len(problems) >= len(windowed)   # every windowed search lost the spike's windows
    assert all("skipped" in i.reason for i in plan if i.start is None)


def test_every_windowed_search_is_continuous_and_on_time_alerts_have_priority(app_searches):
    for search in (s for s in app_searches if s.scheduled and s.index_earliest):
        assert search.settings.get("realtime_schedule") == "0", search.name
        if search.is_alert and str(search.schedule_window) == "0":
            assert search.settings.get("schedule_priority") == "higher", search.name


def search(name, cron_schedule="*/5 * * * *", **settings):
    return SavedSearch(name=name, search="index=x", enable_sched=True, cron_schedule=cron_schedule,
                       index_earliest="-5m@m", index_latest="@m", settings=settings)


def test_priority_tiers_and_max_concurrent():
    t = utc(2024, 3, 1, 10)
    rt_default = search("rt", realtime_schedule="1")
    css_higher = search("css-h", realtime_schedule="0", schedule_priority="higher")
    css_highest = search("css-H", realtime_schedule="0", schedule_priority="highest")
    plan = dispatch([(t, 0, css_higher), (t, 1, rt_default), (t, 2, css_highest)], Load(slots=1), period)
    assert [(i.search.name, i.start) for i in plan] == [("css-H", t), ("rt", None), ("css-h", t + 60)]
    # max_concurrent = 1: a continuous search's runs never overlap and start in order
    slow = search("slow", cron_schedule="* * * * *", realtime_schedule="0")
    plan = dispatch([(t + 60 * k, 0, slow) for k in range(4)], Load(slots=5, duration=lambda n, s: 150), period)
    assert [i.start - t for i in plan] == [0, 150, 300, 450]


def test_real_time_run_waits_within_its_schedule_window_then_is_skipped():
    t = utc(2024, 3, 1, 10)
    windowed = dataclasses.replace(search("w", cron_schedule="0 * * * *"), schedule_window="5")
    busy = Load(slots=1, busy=((t, t + 240, 1),))
    assert dispatch([(t, 0, windowed)], busy, period)[0].start == t + 240
    busy = Load(slots=1, busy=((t, t + 400, 1),))
    assert dispatch([(t, 0, windowed)], busy, period)[0].reason.startswith("skipped")


EDGE_CONF = Path(__file__).resolve().parent / "apps" / "replay_edges"


@pytest.mark.parametrize("realtime_schedule, lost", [("0", 0), ("1", 6)])
def test_replay_under_load_keeps_every_alert_only_when_continuous(tmp_path, realtime_schedule, lost):
    """End to end over the real RunInstances record: one launch every 10 minutes for two hours, scheduler
    full for the first hour. Continuous: the alerts of an idle scheduler, later; real-time: the spike's lost."""
    app = tmp_path / "app"
    shutil.copytree(EDGE_CONF, app)
    conf = app / "default" / "savedsearches.conf"
    conf.write_text(conf.read_text().replace(
        "dispatch.index_latest = @m\n", f"dispatch.index_latest = @m\nrealtime_schedule = {realtime_schedule}\n"))
    start = utc(2024, 3, 1, 10, 0)
    events = [at(run_instances(), start + 600 * i + 60, start + 600 * i + 120) for i in range(12)]
    load = Load(slots=2, busy=((start, start + 3600, 2),))

    def index_window_alerts(replay_load):
        result = Replay(app, EventStore(events), load=replay_load).run(until=start + 3 * 3600)
        assert result.errors == []
        return sorted(a.trigger_time for a in result.alerts if a.search_name == "Edge - Index Window"), result

    idle, _ = index_window_alerts(None)
    busy, result = index_window_alerts(load)
    assert len(idle) == 12
    assert len(busy) == 12 - lost
    if lost:
        assert {name for name, _, _ in result.skipped} >= {"Edge - Index Window"}
    else:
        assert busy == idle   # same windows, so the same trigger (scheduled) times
