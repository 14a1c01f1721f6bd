"""Issue 17 item 4 in the incident: on the labelled synthetic billing weekend (samples/synthetic-metrics), the
spend and Cost Anomaly Detection findings join the stolen key's incident through the usage its launches ran
(region and instance type), and the incident's cost and score use what was billed, not the on-demand estimate.

The detections run once each at a time after the weekend's anomaly notification, over what was indexed by then
(through the generated savedsearches.conf, so with their findings steps); then the Incident Correlation."""
from datetime import datetime, timezone

import pytest
from detection_scenarios import ASN_DB, CITY_DB, ROOT, load_events

import splengine
from replay.app_overlay import offline_app
from replay.savedsearches import load_saved_searches

NOW = datetime(2026, 6, 14, 18, 30, tzinfo=timezone.utc).timestamp()    # after Sunday's 18:05 anomaly
KEY, USER = "AKIAUQ4K7N2XW3RZ6PLD", "svc-reporting"                       # SOURCE.md: the stolen key
SEARCHES = ("AWS Cryptomining - Large or GPU EC2 Instance Launch", "AWS Cryptomining - Compute Spend Far Above Baseline",
            "AWS Cryptomining - Cost Anomaly Detection Alert on Compute")
INCIDENTS = "AWS Cryptomining - Incident Correlation"


@pytest.fixture(scope="module")
def weekend(tmp_path_factory):
    events, _ = load_events(["samples/synthetic-metrics"])
    events = [e for e in events if e.get("_indextime", e["_time"]) <= NOW]
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        conf = {s.name: s for s in load_saved_searches(app / "default" / "savedsearches.conf")}
        engine = splengine.Engine(app, tmp_path_factory.mktemp("kv"), geoip_db=CITY_DB)
        results = {name: engine.search(conf[name].search, events=events, now=NOW, earliest=conf[name].earliest,
                                       latest="now") for name in SEARCHES}
        findings = engine.search("| inputlookup aws_cryptomining_findings")
        incidents = engine.search(conf[INCIDENTS].search, now=NOW + 3600)
    return results, findings, incidents


def test_billing_findings_carry_their_usage_and_billed_spend(weekend):
    results, findings, _ = weekend
    spend = {(r["region"] + "/" + r["usage_type"].split(":")[-1]): r["cost"]
             for r in results[SEARCHES[1]] if "BoxUsage" in r["usage_type"]}
    assert set(spend) == {"ap-southeast-1/c5.9xlarge", "ap-southeast-1/g4dn.12xlarge"}
    billed = {f["usage"]: f for f in findings if f["detection"] == "spend_anomaly"}
    for usage, cost in spend.items():
        assert float(billed[usage]["spend_usd"]) == cost
        assert float(billed[usage]["spend_per_hour"]) == round(cost / 24, 4)          # a day of the report
    assert billed["us-east-1/lambda"]["spend_usd"] == "1440.28"
    [anomaly] = [f for f in findings if f["detection"] == "cost_anomaly_notification"]
    assert anomaly["usage"] == "ap-southeast-1/g4dn.12xlarge" and anomaly["spend_usd"] == "131.38"
    assert float(anomaly["spend_per_hour"]) == round(131.38 / 48, 4)   # anomalyStartDate 06-13 to EndDate 06-14
    launches = {f["usage"]: float(f["cost_per_hour"]) for f in findings if f["detection"] == "large_gpu_launch"}
    assert launches == {"ap-southeast-1/c5.9xlarge": 1.53, "ap-southeast-1/g4dn.12xlarge": 3.91}


def test_the_keys_incident_costs_what_was_billed(weekend):
    results, _, incidents = weekend
    [incident] = [row for row in incidents if row.get("access_keys") == KEY]
    assert incident["principals"] == USER
    assert sorted(incident["detections"]) == ["cost_anomaly_notification", "large_gpu_launch", "spend_anomaly"]
    box = [r["cost"] for r in results[SEARCHES[1]] if "BoxUsage" in r["usage_type"]]
    assert incident["cost_basis"] == "billed" and incident["actual_spend"] == round(sum(box), 2)
    assert incident["cost_per_hour"] == round(sum(c / 24 for c in box), 2) == 7.35      # not the anomaly's 2-day mean
    assert incident["est_cost_per_hour"] == 1.53 + 3.91
    assert incident["score"] == 40 + 10 * 2 + 5 * 2 + 1        # 7.35 $/h billed: one cost point (estimate: 0)
    assert incident["title"].endswith("2 instances in 1 region, billed $7.35/h ($176.31 so far)")
    # Lambda GB-seconds: no keyed finding ran Lambda here, so that spend stays on the account
    [account] = [row for row in incidents if row["anchor"] == "account:318640297165"]
    assert account["detections"] == "spend_anomaly" and account["cost_basis"] == "billed"
