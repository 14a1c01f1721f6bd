"""Event store windows: bisect selection equals a brute-force filter; lag is deterministic."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from replay.store import EventStore, IndexLag, parse_lag


def make_events(n, seed=1):
    rng = random.Random(seed)
    return [{"_raw": f"e{i}", "_time": rng.randrange(0, 10_000), "_indextime": None, "sourcetype": "aws:cloudtrail"}
            for i in range(n)]


def brute(events, earliest, latest, ie, il, visible):
    chosen = [e for e in events
              if (earliest is None or e["_time"] >= earliest) and (latest is None or e["_time"] < latest)
              and (ie is None or e["_indextime"] >= ie) and (il is None or e["_indextime"] < il)
              and (visible is None or e["_indextime"] <= visible)]
    return sorted(e["_raw"] for e in chosen)


bound = st.one_of(st.none(), st.integers(-100, 11_500))


@settings(max_examples=200, deadline=None)
@given(earliest=bound, latest=bound, ie=bound, il=bound, visible=bound)
def test_select_matches_brute_force(earliest, latest, ie, il, visible):
    store = EventStore(make_events(300), IndexLag(fixed=(0, 900)))
    got = list(store.view(visible).select(earliest, latest, ie, il))
    assert sorted(e["_raw"] for e in got) == brute(store.by_time, earliest, latest, ie, il, visible)
    assert [e["_time"] for e in got] == sorted((e["_time"] for e in got), reverse=True)


def test_default_lags_by_sourcetype_are_deterministic_and_in_range():
    events = [{"_raw": f"r{i}", "_time": 1000, "sourcetype": st}
              for i, st in enumerate(["aws:cloudtrail"] * 50 + ["aws:cloudwatchlogs"] * 50)]
    store = EventStore([dict(e) for e in events])
    again = EventStore([dict(e) for e in events])
    lags = {e["_raw"]: e["_indextime"] - e["_time"] for e in store.by_time}
    assert lags == {e["_raw"]: e["_indextime"] - e["_time"] for e in again.by_time}
    ct = [lags[f"r{i}"] for i in range(50)]
    dns = [lags[f"r{i}"] for i in range(50, 100)]
    assert min(ct) >= 300 and max(ct) <= 900 and len(set(ct)) > 10
    assert min(dns) >= 60 and max(dns) <= 300


def test_parse_lag_and_existing_indextime_is_kept():
    assert parse_lag("10m") == (600, 600) and parse_lag("5m-15m") == (300, 900) and parse_lag("90") == (90, 90)
    store = EventStore([{"_raw": "x", "_time": 5, "_indextime": 7}])
    assert store.by_time[0]["_indextime"] == 7
