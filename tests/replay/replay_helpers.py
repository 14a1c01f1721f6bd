"""Shared helpers of the replay tests: the real stratus RunInstances record, re-timed."""
import copy
import json
from datetime import datetime, timezone
from pathlib import Path

from replay.ingest import IngestReport, read_events

DATA = Path(__file__).resolve().parents[1] / "data" / "replay_ingest"


def utc(*parts):
    return int(datetime(*parts, tzinfo=timezone.utc).timestamp())


def run_instances():
    """The real RunInstances record of the stratus detonation (p2.xlarge, UnauthorizedOperation)."""
    events = [e for e in read_events([str(DATA / "stratus-ec2-launch-unusual-instances.json")], IngestReport(),
                                     host="h") if '"RunInstances"' in e["_raw"]]
    assert len(events) == 1
    return events[0]


def at(event, t, indextime):
    """The same record re-timed (derived test data): eventTime and _time moved to t."""
    record = json.loads(event["_raw"])
    record["eventTime"] = datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    moved = copy.deepcopy(event)
    moved.update(_raw=json.dumps(record), _time=t, _indextime=indextime)
    return moved
