"""AWS CLI outputs a responder has at hand are read as the records the Add-on would index (issue 21 item 3).

Inputs (tests/data/replay_ingest/awscli, see SOURCE.md): the real Stratus CloudTrail records and the real
GuardDuty crypto finding of tests/data/replay_ingest, re-shaped as `aws cloudtrail lookup-events`,
`aws guardduty get-findings` and CloudTrail Lake `get-query-results` print them (derived, shapes per the AWS API
reference pages cited there), and GuardDuty's S3 export (`.jsonl.gz`, one finding per line).
"""
import gzip
import io
import json
from datetime import datetime
from pathlib import Path

from hunt import main
from replay.ingest import IngestReport, read_events

DATA = Path(__file__).resolve().parents[1] / "data" / "replay_ingest"
CLI = DATA / "awscli"
STRATUS = json.loads((DATA / "stratus-ec2-launch-unusual-instances.json").read_text())
FINDING = json.loads((DATA / "eventbridge-guardduty-crypto.json").read_text())["detail"]


def _read(*paths):
    report = IngestReport()
    return list(read_events([str(p) for p in paths], report, host="h")), report


def test_lookup_events_output_yields_the_cloudtrail_records_verbatim():
    events, report = _read(CLI / "cloudtrail-lookup-events.json")
    assert report.error_count == 0 and len(events) == len(STRATUS) == 3
    assert [json.loads(e["_raw"]) for e in events] == STRATUS
    assert {e["sourcetype"] for e in events} == {"aws:cloudtrail"}
    assert events[0]["_time"] == 1722511823   # 2024-08-01T11:30:23Z, the record's eventTime
    document = json.loads((CLI / "cloudtrail-lookup-events.json").read_text())
    assert [e["_raw"] for e in events] == [entry["CloudTrailEvent"] for entry in document["Events"]]


def test_get_findings_output_yields_the_finding_under_its_wire_names():
    events, report = _read(CLI / "guardduty-get-findings.json")
    assert report.error_count == 0 and len(events) == 1
    assert events[0]["sourcetype"] == "aws:cloudwatch:guardduty"
    assert json.loads(events[0]["_raw"]) == FINDING   # AccountId -> accountId ..., the EventBridge/S3 form
    updated = datetime.fromisoformat(FINDING["updatedAt"].replace("Z", "+00:00")).timestamp()
    assert events[0]["_time"] == updated   # a bare finding's time is its updatedAt


def test_cloudtrail_lake_query_results_yield_one_record_per_row():
    events, report = _read(CLI / "cloudtrail-lake-get-query-results.json")
    assert report.error_count == 0 and len(events) == 3
    first = json.loads(events[0]["_raw"])
    assert (first["eventName"], first["awsRegion"], first["userIdentity"]["type"]) == (
        STRATUS[0]["eventName"], STRATUS[0]["awsRegion"], STRATUS[0]["userIdentity"]["type"])
    assert [e["_time"] for e in events] == [e["_time"] for e in _read(DATA / "stratus-ec2-launch-unusual-instances.json")[0]]


def test_lake_row_without_the_time_column_is_reported_with_its_line(tmp_path):
    path = tmp_path / "lake.json"
    path.write_text('{"QueryStatus": "FINISHED",\n "QueryResultRows": [\n  [{"eventName": "RunInstances"}]\n ]}\n')
    events, report = _read(path)
    assert events == [] and report.errors == [
        (str(path), 3, "CloudTrail Lake row without eventTime, eventSource (select them to replay the row)")]


def test_guardduty_s3_export_jsonl_gz_is_read(tmp_path):
    lines = (DATA / "panther-guardduty.ndjson").read_bytes()
    folder = tmp_path / "AWSLogs" / "123456789012" / "GuardDuty" / "us-east-1" / "2024" / "07" / "30"
    folder.mkdir(parents=True)
    (folder / "0e3a2f0b-example.jsonl.gz").write_bytes(gzip.compress(lines))
    events, report = _read(tmp_path)
    assert report.error_count == 0 and len(events) == lines.count(b"\n") == 8
    assert {e["sourcetype"] for e in events} == {"aws:cloudwatch:guardduty"}


def test_hunt_search_over_the_cli_outputs():
    out, err = io.StringIO(), io.StringIO()
    assert main(["--json", "--search", "index=aws | stats count by sourcetype", str(CLI)], out=out, err=err) == 0
    counts = {row["sourcetype"]: row["count"] for row in map(json.loads, out.getvalue().splitlines())}
    assert counts == {"aws:cloudtrail": 6, "aws:cloudwatch:guardduty": 1}, err.getvalue()


def test_one_bad_cli_entry_is_reported_and_the_others_are_kept(tmp_path):
    """lookup-events output whose second entry lost its CloudTrailEvent: entries 1 and 3 are read, entry 2 is
    reported with its line (an AWS CLI output array is many events, not one)."""
    document = json.loads((CLI / "cloudtrail-lookup-events.json").read_text())
    del document["Events"][1]["CloudTrailEvent"]
    path = tmp_path / "lookup.json"
    path.write_text(json.dumps(document, indent=1))
    events, report = _read(path)
    assert [json.loads(e["_raw"]) for e in events] == [STRATUS[0], STRATUS[2]]
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text == "  {" and i > 3
                and '"EventId": "' + document["Events"][1]["EventId"] in path.read_text().splitlines()[i])
    assert report.errors == [(str(path), line, "lookup-events entry without a CloudTrailEvent string")]
