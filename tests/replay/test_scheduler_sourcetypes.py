"""Idle skipping follows what a search can match: a search is only woken by the events its base search's terms
may match (the store's narrowing on index, sourcetype, eventSource, eventName), so daily billing rows or hourly
metric datapoints do not make a CloudTrail detection, or the searches that follow the event-driven ones, run
around the clock; a term the narrowing cannot judge (a bare word) wakes it for every event; and skipping
changes no alert."""
import json

from replay_helpers import at, run_instances, utc

from replay.scheduler import Replay
from replay.store import EventStore

SEARCHES = {
    "CloudTrail": 'index=aws sourcetype="aws:cloudtrail" eventName=RunInstances | stats count',
    "Any": "index=aws eventName=RunInstances | stats count",
    "Wildcard": 'index=aws sourcetype="aws:cloud*" eventName=RunInstances | stats count',
    "Term": "index=aws RunInstances | stats count",
}


def _app(tmp_path):
    default = tmp_path / "app" / "default"
    default.mkdir(parents=True)
    stanzas = [f"[{name}]\nsearch = {spl}\nenableSched = 1\ncron_schedule = */5 * * * *\n"
               "dispatch.earliest_time = -1d\ndispatch.latest_time = now\ndispatch.index_earliest = -5m@m\n"
               "dispatch.index_latest = @m\ncounttype = number of events\nrelation = greater than\n"
               "quantity = 0\n" for name, spl in SEARCHES.items()]
    (default / "savedsearches.conf").write_text("\n".join(stanzas).replace("| stats count", "| where 1=1"))
    return tmp_path / "app"


def _metric(t):
    raw = json.dumps({"metric_name": "CPUUtilization", "metric_dimensions": "InstanceId=[i-1]", "timestamp": t * 1000})
    return {"_raw": raw, "_time": t, "_indextime": t + 3900, "sourcetype": "aws:cloudwatch", "index": "aws",
            "host": "h", "source": "m"}


def _events():
    launch = utc(2024, 3, 1, 10, 2)
    hourly = [_metric(utc(2024, 3, 2) + hour * 3600) for hour in range(72)]
    return [at(run_instances(), launch, launch + 60)] + hourly


def test_only_events_a_search_may_match_wake_it(tmp_path):
    app = _app(tmp_path)
    replay = Replay(app, EventStore(_events()))
    from splengine import Engine
    spans, _ = replay.active_intervals(Engine(app), utc(2024, 3, 1), utc(2024, 3, 6))
    assert len(spans["CloudTrail"]) == len(spans["Any"]) == len(spans["Wildcard"]) == 1   # the launch only
    assert len(spans["Term"]) == 73   # the launch and every hourly metric: a bare term is not narrowed


def test_per_sourcetype_skipping_changes_no_alert(tmp_path):
    app = _app(tmp_path)
    skipped = Replay(app, EventStore(_events())).run()
    every = Replay(app, EventStore(_events()), skip_idle=False).run()
    assert skipped.errors == [] and every.errors == []
    key = sorted((a.search_name, a.trigger_time) for a in every.alerts)
    assert sorted((a.search_name, a.trigger_time) for a in skipped.alerts) == key
    assert [name for name, _ in key] == ["Any", "CloudTrail", "Term", "Wildcard"]
    cloudtrail_runs = [r for r in skipped.runs if r.search_name == "CloudTrail"]
    assert len(cloudtrail_runs) <= 3
