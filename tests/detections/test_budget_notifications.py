"""AWS Budgets notifications on the shared SQS queue: what the normalisation macro and the detection make of the
messages the synthetic scenario does not hold (see samples/synthetic-metrics/SOURCE.md for the text's origin).

DERIVED TEST DATA: every message here is a copy of the daily compute budget's SNS envelope of
samples/synthetic-metrics/notifications/budgets.ndjson (SYNTHETIC) with its amounts, threshold sign or lines
changed, plus a CloudWatch alarm SNS envelope shaped like the one in the same public capture (cds-snc/sre-bot,
mock_cloudwatch_alarm), which shares the queue in practice.
"""
from __future__ import annotations

import json

import pytest
from detection_scenarios import ASN_DB, CITY_DB, ROOT

import splengine
from replay.app_overlay import offline_app
from replay.ingest import IngestReport, read_events
from replay.savedsearches import load_saved_searches

BUDGETS = ROOT / "samples" / "synthetic-metrics" / "notifications" / "budgets.ndjson"
DETECTION = "AWS Cryptomining - AWS Budgets Spend Above Budget"
NORMALISED = ("account budget_name budget_type period alert_type threshold_op alert_threshold budgeted_amount "
              "amount notification_date")


def _daily():
    return json.loads(BUDGETS.read_text(encoding="utf-8").splitlines()[2])


def _variant(message_id, replace):
    envelope = _daily()
    for old, new in replace:
        assert old in envelope["Message"], old
        envelope["Message"] = envelope["Message"].replace(old, new)
    envelope["MessageId"] = message_id
    return envelope


CASES = {
    # thousands separators, as a large spend may be written
    "thousands": _variant("00000000-0000-4000-8000-000000000001", [
        ("Budgeted Amount: $150.00", "Budgeted Amount: $1,500.00"), ("Alert Threshold: > $150.00", "Alert Threshold: > $1,500.00"),
        ("ACTUAL Amount: $979.72", "ACTUAL Amount: $15,212.40"), ("compute-daily", "compute-daily-large")]),
    # a "less than" alert (how utilisation and coverage budgets alert): below its threshold is not overspend
    "less than": _variant("00000000-0000-4000-8000-000000000002", [
        ("Alert Threshold: > $150.00", "Alert Threshold: < $150.00"), ("compute-daily", "compute-daily-floor")]),
    # a message whose layout AWS changed: no amount line, so it cannot be judged and is dropped
    "no amount": _variant("00000000-0000-4000-8000-000000000003", [
        ("ACTUAL Amount: $979.72\n", ""), ("compute-daily", "compute-daily-reworded")]),
    # spend just above the budget: medium, not high
    "just above": _variant("00000000-0000-4000-8000-000000000004", [
        ("ACTUAL Amount: $979.72", "ACTUAL Amount: $151.00"), ("compute-daily", "compute-daily-close")]),
}
ALARM = {"Type": "Notification", "MessageId": "00000000-0000-4000-8000-000000000005",
         "TopicArn": "arn:aws:sns:us-east-1:318640297165:budget-alerts", "Subject": 'ALARM: "cpu-high" in US East (N. Virginia)',
         "Message": json.dumps({"AlarmName": "cpu-high", "AWSAccountId": "318640297165", "NewStateValue": "ALARM",
                                "StateChangeTime": "2026-06-14T07:50:00.000+0000", "Region": "US East (N. Virginia)"}),
         "Timestamp": "2026-06-14T07:50:01.000Z", "SignatureVersion": "1", "Signature": "EXAMPLE",
         "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem",
         "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=EXAMPLE"}


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("budgets")
    path = folder / "queue.ndjson"
    path.write_text("".join(json.dumps(e) + "\n" for e in [*CASES.values(), ALARM]), encoding="utf-8")
    report = IngestReport()
    events = list(read_events([path], report))
    assert report.error_count == 0 and len(events) == len(CASES) + 1
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        conf = {s.name: s for s in load_saved_searches(app / "default" / "savedsearches.conf")}
        engine = splengine.Engine(app, folder / "lookups", geoip_db=CITY_DB)

        def run(spl):
            return engine.search(spl, events=events, now=2e9, earliest=0)

        yield {"normalised": run(f"`aws_cryptomining_budget_notifications` | table {NORMALISED}"),
               "alerts": run(conf[DETECTION].search),
               "anomalies": run("`aws_cryptomining_cost_anomalies`")}


def test_normalisation_reads_separators_and_signs_and_drops_what_it_cannot_read(searched):
    rows = {row["budget_name"]: row for row in searched["normalised"]}
    assert set(rows) == {"compute-daily-large", "compute-daily-floor", "compute-daily-close"}   # no alarm, no reworded
    large = rows["compute-daily-large"]
    assert (large["budgeted_amount"], large["alert_threshold"], large["amount"]) == (1500.0, 1500.0, 15212.4)
    assert (large["account"], large["period"], large["alert_type"], large["threshold_op"]) == (
        "318640297165", "per day", "ACTUAL", ">")
    assert rows["compute-daily-floor"]["threshold_op"] == "<"


def test_detection_alerts_on_overspend_only_with_severity_by_ratio(searched):
    got = {(row["budget_name"], row["ratio"], row["severity"]) for row in searched["alerts"]}
    assert got == {("compute-daily-large", 10.14, "high"), ("compute-daily-close", 1.01, "medium")}


def test_cost_anomaly_normalisation_ignores_budget_and_alarm_messages(searched):
    assert searched["anomalies"] == []
