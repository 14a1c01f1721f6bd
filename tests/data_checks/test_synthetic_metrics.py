"""The SYNTHETIC metric and billing scenario (tools/synth_metrics.py -> samples/synthetic-metrics/) is current,
shaped like the documented formats, and holds the seasonality its negative tests rely on (a naive baseline
would alert on the batch peaks and the month-end spend; the detections must not)."""
import csv
import importlib.util
import json
import statistics
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "samples" / "synthetic-metrics"
_spec = importlib.util.spec_from_file_location("synth_metrics", REPO / "tools" / "synth_metrics.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)

# The Splunk Add-on for AWS metric event (see SOURCE.md), the CUR columns used by the macros, and the keys of
# the Cost Anomaly Detection EventBridge example in the AWS Cost Management user guide.
METRIC_KEYS = {"account_id", "region", "namespace", "metric_name", "metric_dimensions", "timestamp", "period",
               "unit", "SampleCount", "Sum", "Maximum", "Minimum", "Average"}
ANOMALY_DETAIL_KEYS = {"accountName", "anomalyEndDate", "anomalyId", "anomalyScore", "anomalyStartDate",
                       "dimensionValue", "feedback", "impact", "monitorArn", "monitorName", "monitorType",
                       "rootCauses", "subscriptionId", "subscriptionName"}


def _ndjson(relative):
    return [json.loads(line) for line in (OUT / relative).read_text(encoding="utf-8").splitlines()]


def _cur():
    with open(OUT / "billing" / "cur-daily-2026-04-06.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_committed_output_is_current(tmp_path):
    synth.write(tmp_path)
    for relative in synth.files():
        assert (tmp_path / relative).read_bytes() == (OUT / relative).read_bytes(), \
            f"samples/synthetic-metrics/{relative} is stale: rerun tools/synth_metrics.py"
    assert (OUT / "SOURCE.md").read_text().count("SYNTHETIC") >= 1


def test_metric_events_have_the_addon_keys_and_consistent_statistics():
    for row in _ndjson("cloudwatch/ec2_metrics.ndjson") + _ndjson("cloudwatch/lambda_metrics.ndjson"):
        assert set(row) == METRIC_KEYS
        assert row["Minimum"] <= row["Average"] <= row["Maximum"]
        assert abs(row["Sum"] / row["SampleCount"] - row["Average"]) < 0.01
        assert row["timestamp"] % 3_600_000 == 0 and row["period"] == 3600
        assert all(part.count("=[") == 1 and part.endswith("]") for part in row["metric_dimensions"].split(","))


def test_batch_peaks_are_daily_and_short_and_the_miners_flat():
    saturated = defaultdict(int)
    for row in _ndjson("cloudwatch/ec2_metrics.ndjson"):
        instance = row["metric_dimensions"].split("]")[0].split("[")[1]
        day = row["timestamp"] // 86_400_000
        saturated[instance, day] += row["Average"] >= 90
    batch = [n for (instance, _), n in saturated.items() if instance in synth.BATCH]
    assert batch and set(batch) == {3}
    assert saturated[synth.COMPROMISED, datetime(2026, 6, 13, tzinfo=timezone.utc).timestamp() // 86400] == 24


def test_cur_rows_have_the_dictionary_columns_and_cost_is_amount_times_rate():
    rows = _cur()
    assert list(rows[0]) == synth.CUR_COLUMNS
    for row in rows:
        amount, rate, cost = (float(row[f"lineItem/{c}"]) for c in ("UsageAmount", "UnblendedRate", "UnblendedCost"))
        assert abs(amount * rate - cost) < 1e-6
        assert row["identity/TimeInterval"] == f"{row['lineItem/UsageStartDate']}/{row['lineItem/UsageEndDate']}"


def test_month_end_spend_would_fool_a_naive_baseline():
    """Month-end batch spend is far above the median + 3 x MAD of the other days: only a seasonal baseline
    keeps it quiet (the spend detection's test asserts it does)."""
    batch = {r["lineItem/UsageStartDate"][:10]: float(r["lineItem/UnblendedCost"])
             for r in _cur() if r["lineItem/UsageType"] == "BoxUsage:c5.4xlarge"}
    ordinary = [cost for day, cost in batch.items() if day[8:] not in ("29", "30", "31")]
    median = statistics.median(ordinary)
    mad = statistics.median(abs(c - median) for c in ordinary)
    assert batch["2026-05-31"] > median + 3 * 1.4826 * mad + 50 and batch["2026-05-31"] > 5 * median


def test_cost_anomaly_events_have_the_documented_keys():
    bare = [e for e in _ndjson("notifications/cost_anomalies.ndjson") if e.get("source") == "aws.ce"]
    assert len(bare) == 2
    for event in bare:
        assert event["detail-type"] == "Anomaly Detected"
        assert set(event["detail"]) == ANOMALY_DETAIL_KEYS
        assert set(event["detail"]["rootCauses"][0]) == {"linkedAccount", "linkedAccountName", "region", "service",
                                                         "usageType"}


# The SNS notification envelope (Amazon SNS developer guide, "Parsing message formats") and the lines of the
# plain-text AWS Budgets message as published captures show them (samples/synthetic-metrics/SOURCE.md).
SNS_KEYS = {"Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
            "SigningCertURL", "UnsubscribeURL"}
BUDGET_LINES = ("Budget Name: ", "Budget Type: Cost", "Budgeted Amount: $", "Alert Type: ", "Alert Threshold: > $")


def test_budget_notifications_are_sns_text_with_amounts_from_the_cur_rows():
    sent = _ndjson("notifications/budgets.ndjson")
    assert [set(e) for e in sent] == [SNS_KEYS] * 4
    for envelope in sent:
        lines = envelope["Message"].split("\n")
        assert lines[0].startswith("AWS Budget Notification ") and lines[1] == f"AWS Account {synth.ACCOUNT}"
        assert all(any(line.startswith(prefix) for line in lines) for prefix in BUDGET_LINES)
        name = next(line for line in lines if line.startswith("Budget Name: "))[len("Budget Name: "):]
        assert envelope["Subject"] == f"AWS Budgets: {name} has exceeded your alert threshold"
    saturday = sum(float(r["lineItem/UnblendedCost"]) for r in _cur() if r["lineItem/UsageStartDate"][:10] == "2026-06-13"
                   and r["lineItem/ProductCode"] in ("AmazonEC2", "AWSLambda"))
    assert f"ACTUAL Amount: ${saturday:.2f}" in sent[2]["Message"] and saturday > 6 * synth.DAILY_LIMIT
    assert sent[3] == sent[2]     # the same message delivered twice (same MessageId)
    early = sent[0]["Message"]
    may = sum(float(r["lineItem/UnblendedCost"]) for r in _cur() if "2026-05-01" <= r["lineItem/UsageStartDate"][:10] <= "2026-05-30")
    assert f"ACTUAL Amount: ${may:.2f}" in early and 0.8 * synth.MONTHLY_LIMIT < may < synth.MONTHLY_LIMIT
