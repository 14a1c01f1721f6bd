"""EKS control-plane audit events (Kubernetes audit.k8s.io Events from CloudWatch Logs) are indexed as the
Add-on's aws:cloudwatchlogs at their requestReceivedTimestamp; a Resolver record keeps its own time field."""
import json

import pytest

from replay.ingest import IngestReport, read_events

EVENT = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse", "stage": "ResponseComplete",
         "verb": "create", "objectRef": {"resource": "pods", "namespace": "default", "name": "debug-shell"},
         "requestReceivedTimestamp": "2026-11-17T02:43:00.000000Z", "stageTimestamp": "2026-11-17T02:43:00.020000Z"}


def _read(tmp_path, lines):
    path = tmp_path / "kube-apiserver-audit.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = IngestReport()
    return list(read_events([path], report)), report


def test_audit_event_is_cloudwatch_logs_at_its_request_time(tmp_path):
    events, report = _read(tmp_path, [EVENT])
    assert [(e["sourcetype"], e["_time"]) for e in events] == [("aws:cloudwatchlogs", 1794883380)]
    assert report.error_count == 0


def test_audit_event_without_its_time_is_reported_with_the_field(tmp_path):
    broken = {k: v for k, v in EVENT.items() if k != "requestReceivedTimestamp"}
    events, report = _read(tmp_path, [broken, EVENT])
    assert len(events) == 1
    assert report.error_count == 1 and "missing requestReceivedTimestamp" in report.errors[0][2]


@pytest.mark.parametrize("api_version", ["v1", "audit.k8s.io.example/v1"])
def test_other_kubernetes_objects_are_not_audit_events(tmp_path, api_version):
    events, report = _read(tmp_path, [dict(EVENT, apiVersion=api_version)])
    assert events == [] and report.error_count == 1
