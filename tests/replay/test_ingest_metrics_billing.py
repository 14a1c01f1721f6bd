"""Ingestion of the optional metric, billing and notification data: CloudWatch metric events (aws:cloudwatch),
Cost and Usage Report CSV rows (aws:billing:cur), Cost Anomaly Detection and AWS Budgets notifications from SQS (aws:sqs)."""
import json
from pathlib import Path

from replay.ingest import IngestReport, read_events
from replay.ingest.timeparse import iso_to_epoch
from replay.store import EventStore

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "synthetic-metrics"


def read(*paths):
    report = IngestReport()
    return list(read_events([str(p) for p in paths], report, host="testhost")), report


def test_cloudwatch_metric_events_take_their_time_from_timestamp_ms():
    events, report = read(SAMPLES / "cloudwatch" / "lambda_metrics.ndjson")
    assert report.error_count == 0 and events
    for event in events[:50]:
        value = json.loads(event["_raw"])
        assert event["sourcetype"] == "aws:cloudwatch"
        assert event["_time"] == value["timestamp"] // 1000 and isinstance(event["_time"], int)


def test_metric_timestamp_in_iso_form_and_fractional_ms(tmp_path):
    path = tmp_path / "m.json"
    rows = [{"metric_name": "CPUUtilization", "metric_dimensions": "InstanceId=[i-1]", "timestamp": "2026-06-01T10:00:00Z"},
            {"metric_name": "CPUUtilization", "metric_dimensions": "InstanceId=[i-1]", "timestamp": 1780308000500}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    events, report = read(path)
    assert report.error_count == 0
    assert [e["_time"] for e in events] == [iso_to_epoch("2026-06-01T10:00:00Z"), 1780308000.5]


def test_cur_csv_rows_carry_header_named_fields_and_usage_start_time():
    path = SAMPLES / "billing" / "cur-daily-2026-04-06.csv"
    events, report = read(path)
    lines = path.read_text().splitlines()
    assert report.error_count == 0 and len(events) == len(lines) - 1
    first = events[0]
    assert first["sourcetype"] == "aws:billing:cur" and first["_raw"] == lines[1]
    assert first["lineItem_UnblendedCost"] == lines[1].split(",")[19]
    assert first["_time"] == iso_to_epoch(first["lineItem_UsageStartDate"])
    assert first["product_region"] == "us-east-1" and first["identity_LineItemId"]


def test_cur_row_with_wrong_column_count_or_bad_date_is_reported_with_its_line(tmp_path):
    header = "identity/LineItemId,identity/TimeInterval,lineItem/UsageStartDate,lineItem/UnblendedCost"
    path = tmp_path / "cur.csv"
    path.write_text("\n".join([header, 'a,"2026-06-01T00:00:00Z/2026-06-02T00:00:00Z",2026-06-01T00:00:00Z,"1,5"',
                               "b,x,2026-06-01T00:00:00Z", "c,x,yesterday,2", "d,x,,2"]) + "\n")
    events, report = read(path)
    assert [e["lineItem_UnblendedCost"] for e in events] == ["1,5"]
    assert [(line, message) for _, line, message in report.errors] == [
        (3, "CUR row has 3 columns, its header 4"),
        (4, "lineItem/UsageStartDate is not an ISO 8601 time: 'yesterday'"),
        (5, "missing lineItem/UsageStartDate (the _time field of aws:billing:cur)")]


def test_cost_anomaly_eventbridge_event_and_sns_envelope_from_sqs():
    events, report = read(SAMPLES / "notifications" / "cost_anomalies.ndjson")
    assert report.error_count == 0
    assert [e["sourcetype"] for e in events] == ["aws:sqs"] * 3
    bare, wrapped = json.loads(events[1]["_raw"]), json.loads(events[2]["_raw"])
    assert events[1]["_time"] == iso_to_epoch(bare["time"])
    assert events[2]["_time"] == iso_to_epoch(wrapped["Timestamp"])
    assert json.loads(wrapped["Message"]) == bare



def test_budgets_sns_text_notification_from_sqs():
    """AWS Budgets publishes plain text: the SNS envelope is the event, _time its Timestamp (milliseconds kept)."""
    events, report = read(SAMPLES / "notifications" / "budgets.ndjson")
    assert report.error_count == 0
    assert [e["sourcetype"] for e in events] == ["aws:sqs"] * 4
    envelope = json.loads(events[2]["_raw"])
    assert envelope["Message"].startswith("AWS Budget Notification June 14, 2026\n")
    assert events[2]["_time"] == iso_to_epoch(envelope["Timestamp"]) == iso_to_epoch("2026-06-14T07:45:31.058Z")

def test_indexing_delays_model_hourly_metric_polls_and_daily_report_delivery():
    events, _ = read(SAMPLES / "cloudwatch" / "ec2_metrics.ndjson", SAMPLES / "billing" / "cur-daily-2026-04-06.csv")
    store = EventStore(events)
    lags = {(e["sourcetype"], e["_indextime"] - e["_time"]) for e in store.by_time}
    assert lags == {("aws:cloudwatch", 3900), ("aws:billing:cur", 129600)}
