"""Lookups across runs: written by one run, read by the next, never shrunk by an empty run
unless the search says so (outputlookup's default override_if_empty=true)."""
from pathlib import Path

from replay_helpers import at, run_instances, utc

from replay.scheduler import Replay
from replay.store import EventStore

APP = Path(__file__).resolve().parent / "apps" / "replay_lookups"


def test_empty_update_run_keeps_the_lookup_only_with_override_if_empty_false():
    t = utc(2024, 3, 1, 10, 2)
    before = {p.name for p in (APP).rglob("*")}
    result = Replay(APP, EventStore([at(run_instances(), t, t + 120)]), skip_idle=False).run(until=utc(2024, 3, 1, 13, 40))
    reads = {(r.search_name, r.run_time): (r.result_count, r.error) for r in result.runs if r.search_name.startswith("Read")}
    # 10:30: nothing written yet; 11:07 update saw the event (indexed 10:04); 12:07 and 13:07 runs are empty
    assert reads[("Read Kept", utc(2024, 3, 1, 11, 30))] == (1, None)
    assert reads[("Read Overridden", utc(2024, 3, 1, 11, 30))] == (1, None)
    assert reads[("Read Kept", utc(2024, 3, 1, 12, 30))] == (1, None)
    assert reads[("Read Kept", utc(2024, 3, 1, 13, 30))] == (1, None)
    assert reads[("Read Overridden", utc(2024, 3, 1, 12, 30))][0] == 0
    assert {p.name for p in (APP).rglob("*")} == before  # the app's own files are never written
