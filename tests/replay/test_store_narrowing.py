"""The on-disk event store narrows a run's events by its base search's literal terms without ever dropping an
event the engine's own search semantics would keep, and holds no per-event Python object after ingest."""
import gc
import tracemalloc
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from replay_helpers import at, run_instances, utc

from replay.scheduler import Replay
from replay.store import EventStore, IndexLag
from splengine.events import extract
from splengine.expr.search import compile_node, parse_search_text

NAMES = ["RunInstances", "runinstances", "DescribeInstances", "Run?nstances", "RünInstances", "", None,
         ["RunInstances", "StopInstances"]]
SOURCES = ["ec2.amazonaws.com", "EC2.amazonaws.com", "sts.amazonaws.com", None]
PATTERNS = ["RunInstances", "RUNINSTANCES", "run*", "*Instances", "Run?nstances", "R*n*s", "*", "", "RünInstances",
            "10.0.0.0/8", "Describe*"]


def make_event(i, name, source, own):
    """A JSON event whose eventName/eventSource are in _raw (extracted) or set by the ingester (`own`)."""
    fields = {k: v for k, v in (("eventName", name), ("eventSource", source)) if v is not None}
    raw_fields = {} if own else fields
    raw = "{" + ", ".join(f'"{k}": "{v}"' for k, v in raw_fields.items() if type(v) is str) + f', "n": {i}}}'
    event = {"_raw": raw.replace("{, ", "{"), "_time": 1000 + i % 50, "sourcetype": "aws:cloudtrail", "index": "aws"}
    if own:
        event.update(fields)
    return event


value_test = st.builds(lambda field, pattern: f'{field}="{pattern}"', st.sampled_from(["eventName", "eventSource"]),
                       st.sampled_from(PATTERNS + SOURCES[:3]))
in_test = st.builds(lambda values: "eventName IN (" + ", ".join(f'"{v}"' for v in values) + ")",
                    st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3))
leaf = st.one_of(value_test, in_test, st.just("Instances"), st.just("sourcetype=aws:cloudtrail"),
                 st.just("eventName!=DescribeInstances"))
tree_text = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
    st.builds(lambda a, b: f"({a} {b})", inner, inner),
    st.builds(lambda a: f"NOT ({a})", inner)), max_leaves=5)
events_strategy = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(SOURCES), st.booleans()),
                           min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(spec=events_strategy, text=tree_text, visible=st.one_of(st.none(), st.integers(990, 1060)),
       window=st.sampled_from([(1010, 1040), (0, 10_000)]))
def test_narrowing_never_drops_a_match(spec, text, visible, window):
    """Short windows scan the time index; windows over an hour look the calls up by eventName/eventSource."""
    events = [make_event(i, name, source, own) for i, (name, source, own) in enumerate(spec)]
    store = EventStore([dict(e) for e in events], IndexLag(fixed=(0, 10)))
    tree = parse_search_text(text).tree
    pred = compile_node(tree, None)
    narrowed = list(store.view(visible).narrow(tree).select(*window))
    window = list(store.view(visible).select(*window))
    wanted = [extract(row) for row in window if pred(extract(row))]
    assert [row["_raw"] for row in narrowed] == [row["_raw"] for row in window if row in narrowed]
    assert {row["_raw"] for row in wanted} <= {row["_raw"] for row in narrowed}, text
    # The idle-skipping set-up's index times (looked up by eventName/eventSource when the tree names them): sorted,
    # and every event the search matches among them.
    times = list(store.index_times(tree))
    matching = Counter(row["_indextime"] for row in store.by_time if pred(extract(row)))
    assert times == sorted(times) and not matching - Counter(times), text
    store.close()


def test_narrowing_drops_what_cannot_match_before_decoding():
    events = [make_event(i, name, "ec2.amazonaws.com", False)
              for i, name in enumerate(["RunInstances", "DescribeInstances", "DescribeInstances", "runinstances"])]
    store = EventStore(events, IndexLag(fixed=(0, 0)))
    tree = parse_search_text('index=aws sourcetype="aws:cloudtrail" eventSource="ec2.amazonaws.com" '
                             'eventName IN ("RunInstances", "StartInstances")').tree
    narrowed = list(store.view(None).narrow(tree).select())
    assert sorted(row["eventName"] for row in narrowed) == ["RunInstances", "runinstances"]


def _launches(count, start):
    """The real RunInstances record re-timed (derived data) every 10 minutes, with a read-only call beside
    each: the same density of events per hour whatever `count`."""
    record = run_instances()
    for i in range(count):
        t = start + i * 300
        event = at(record, t, None) if i % 2 else dict(at(record, t, None), _raw=at(record, t, None)["_raw"]
                                                       .replace('"RunInstances"', '"DescribeInstances"'))
        event["_indextime"] = None
        yield event


CONF = """[Hourly launches]
search = index=aws sourcetype="aws:cloudtrail" eventName=RunInstances | stats count by awsRegion
enableSched = 1
cron_schedule = 5 * * * *
dispatch.earliest_time = -24h@h
dispatch.latest_time = now
dispatch.index_earliest = -1h@h
dispatch.index_latest = @h
counttype = number of events
relation = greater than
quantity = 0
"""


def _peak_and_kept(tmp_path: Path, count):
    app = tmp_path / f"app{count}"
    (app / "default").mkdir(parents=True)
    (app / "default" / "savedsearches.conf").write_text(CONF)
    gc.collect()
    tracemalloc.start()
    try:
        store = EventStore(_launches(count, utc(2024, 3, 1)))
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
        result = Replay(app, store).run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return kept, peak, result


def test_memory_does_not_grow_with_the_number_of_events(tmp_path):
    """Ingest then replay N and 4N events (same density over 4x the time): the Python memory the store keeps
    after ingest and the peak of the replay stay within a bound that does not scale with the events (the
    bisect store this replaced kept every event as a dict: 4x the events, 4x the memory)."""
    kept_small, peak_small, small = _peak_and_kept(tmp_path, 600)
    kept_large, peak_large, large = _peak_and_kept(tmp_path, 2400)
    assert len(large.alerts) > 3 * len(small.alerts) > 0   # the larger replay did 4x the work
    assert kept_large < kept_small + 64 * 1024, (kept_small, kept_large)
    assert peak_large < 1.5 * peak_small, (peak_small, peak_large)
