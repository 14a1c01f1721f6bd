"""Attribution of service-made launches when the owner's record is late (issue 15: "replay edge cases (late
records, attribution across the lookback)"), replayed through the app's real schedule.

The records are the SYNTHETIC capacity_paths scenario's (tests/data/capacity_paths, tools/synth_api_calls.py):
the stolen key (svc-backup-uploader) creates the GPU launch template lt-... and the Auto Scaling group
batch-workers on it at 04:00/04:09 UTC; Auto Scaling launches 3 x g5.12xlarge for the group at 04:13. Only their
index times are chosen here: CloudTrail can deliver the group's creation after the launch it caused.
"""
from __future__ import annotations

import json

import pytest
from detection_scenarios import load_events
from edge_events import LARGE_GPU, large_gpu_run, replay

MINUTE, HOUR = 60, 3600


@pytest.fixture(scope="module")
def records():
    events, _ = load_events(("tests/data/capacity_paths",))

    def pick(name, **where):
        for event in events:
            record = json.loads(event["_raw"])
            identity = record["userIdentity"]
            if record["eventName"] == name and all(
                    (identity.get(k) if k in identity else record.get(k)) == v for k, v in where.items()):
                return event
        raise LookupError(f"capacity_paths has no {name} {where}")

    return {
        "template": pick("CreateLaunchTemplate", userName="svc-backup-uploader"),
        "group": pick("CreateAutoScalingGroup", userName="svc-backup-uploader"),
        "launch": pick("RunInstances", invokedBy="autoscaling.amazonaws.com"),
    }


def _indexed(records, **lags):
    """Copies of the three records, each indexed `lags[name]` seconds after its event time (default 5 min)."""
    out = []
    for name, event in records.items():
        copy = dict(event)
        copy["_indextime"] = int(copy["_time"]) + lags.get(name, 5 * MINUTE)
        out.append(copy)
    return out


def _launch_alerts(outcome):
    return [row for row in outcome.fired(LARGE_GPU, "capacity_path", "user", "access_key_id", "attributed",
                                         "service_principal") if "RunInstances" in (row[1] or "")]


def _group_alerts(outcome):
    return [row for row in outcome.fired(LARGE_GPU, "capacity_path", "user") if row[1] == "CreateAutoScalingGroup"]


def test_owner_indexed_before_the_launch_is_searched_is_named(app, records):
    events = _indexed(records)
    launch = next(e for e in events if "autoscaling.amazonaws.com" in e["_raw"] and "RunInstances" in e["_raw"])
    out = replay(app, events, watch=())
    assert _launch_alerts(out) == [(large_gpu_run(launch["_indextime"]), "RunInstances by autoscaling.amazonaws.com",
                                    "svc-backup-uploader", "AKIA2KZ5XQ7WHR4TVN3Q", "true",
                                    "AWSServiceRoleForAutoScaling")]


def test_owner_indexed_after_the_launch_was_searched(app, records):
    """The group's creation arrives two hours late: the launch's run cannot know its owner and alerts once as the
    service's (attributed=false); the late creation then alerts on its own, naming the key. Nothing twice."""
    events = _indexed(records, group=2 * HOUR)
    group = next(e for e in events if '"CreateAutoScalingGroup"' in e["_raw"])
    launch = next(e for e in events if "autoscaling.amazonaws.com" in e["_raw"] and "RunInstances" in e["_raw"])
    out = replay(app, events, watch=())
    assert _launch_alerts(out) == [(large_gpu_run(launch["_indextime"]), "RunInstances by autoscaling.amazonaws.com",
                                    "AWSServiceRoleForAutoScaling", None, "false", "AWSServiceRoleForAutoScaling")]
    assert _group_alerts(out) == [(large_gpu_run(group["_indextime"]), "CreateAutoScalingGroup",
                                   "svc-backup-uploader")]


def test_late_launch_still_finds_an_owner_indexed_earlier(app, records):
    """The launch itself is indexed an hour late, after its owner: the lookback (index time, 7 days) finds the owner."""
    events = _indexed(records, launch=HOUR)
    launch = next(e for e in events if "autoscaling.amazonaws.com" in e["_raw"] and "RunInstances" in e["_raw"])
    out = replay(app, events, watch=())
    assert [row[:5] for row in _launch_alerts(out)] == [(large_gpu_run(launch["_indextime"]),
                                                         "RunInstances by autoscaling.amazonaws.com",
                                                         "svc-backup-uploader", "AKIA2KZ5XQ7WHR4TVN3Q", "true")]
