"""Checks of the CloudWatch, billing and Cost Anomaly Detection panels over the SYNTHETIC metric scenario
(samples/synthetic-metrics, tools/synth_metrics.py): CPU and spend beside the launches, and the incident's
actual spend where billing exists (the on-demand estimate where it does not, checked on the campaign)."""
from datetime import datetime, timezone

from .panels import by, column

ACCOUNT = "318640297165"
ATTACKER = "svc-reporting"
JUNE = {"earliest": datetime(2026, 6, 3, tzinfo=timezone.utc).timestamp(),
        "latest": datetime(2026, 6, 15, tzinfo=timezone.utc).timestamp()}
SPRING = {"earliest": datetime(2026, 4, 1, tzinfo=timezone.utc).timestamp(), "latest": JUNE["latest"]}
MINING_START = datetime(2026, 6, 13, tzinfo=timezone.utc).timestamp()
CAMPAIGN_NOW = datetime(2026, 10, 2, 1, tzinfo=timezone.utc).timestamp()   # conftest.NOW: the run_panel default
MINERS = {"i-0c1b2c3d4e5f60901": "c5.9xlarge", "i-0c1b2c3d4e5f60902": "g4dn.12xlarge"}
COMPROMISED = "i-0a1b2c3d4e5f60703"
# 49 billed hours each (Friday's last hour, Saturday, Sunday) at the scenario's ap-southeast-1 rates
ACTUAL = {"g4dn.12xlarge": round(49 * 5.474, 2), "c5.9xlarge": round(49 * 1.872, 2)}


def saturation_vs_launches(rows):
    assert sum(float(r.get("instances launched") or 0) for r in rows) == 2
    before = [int(r["instances saturated (CPU/GPU)"]) for r in rows if r["_time"] < MINING_START]
    during = [int(r["instances saturated (CPU/GPU)"]) for r in rows if r["_time"] >= MINING_START]
    assert max(before) == 3          # the render node, and the two batch instances at night
    assert min(during) >= 4 and max(during) == 6   # + the three mining instances (+ batch at night)


def saturated_instances(rows):
    keyed = by(rows, "instance_id")
    for instance, instance_type in MINERS.items():
        assert keyed[instance]["launched_by"] == ATTACKER and keyed[instance]["instance_type"] == instance_type
    assert keyed["i-0c1b2c3d4e5f60902"]["resources"] == ["cpu", "gpu"]
    assert float(keyed[COMPROMISED]["saturated_hours"]) == 48
    assert float(keyed["i-0b1b2c3d4e5f60801"]["saturated_percent"]) == 12.5   # three hours a day
    assert column(rows, "instance_id")[0] == "i-0d1b2c3d4e5f60a01"   # always busy: 100 % of its hours


def spend_over_time(rows):
    assert round(sum(float(r.get("APS1-BoxUsage:g4dn.12xlarge") or 0) for r in rows), 2) == ACTUAL["g4dn.12xlarge"]
    weekend = [r for r in rows if r["_time"] >= MINING_START]
    assert all(float(r["Lambda-GB-Second"]) > 700 for r in weekend)
    assert all(float(r["Lambda-GB-Second"]) < 1 for r in rows if r["_time"] < MINING_START)


def cost_anomalies_of_june(rows):
    (row,) = rows
    assert row["usage_type"] == "APS1-BoxUsage:g4dn.12xlarge" and row["region"] == "ap-southeast-1"
    assert float(row["total_impact"]) == 131.38 and row["account"] == ACCOUNT


def cost_anomalies_of_spring(rows):
    assert column(rows, "service") == ["Amazon Elastic Compute Cloud - Compute", "Amazon Simple Storage Service"]


def incident_spend_actual(rows):
    assert {r["instance_type"]: float(r["spend"]) for r in rows} == ACTUAL
    assert all(r["spend_basis"] == "actual: billed 2026-06-12 to 2026-06-14" for r in rows)
    assert {float(r["actual_instance_hours"]) for r in rows} == {49.0}


def incident_spend_total_actual(rows):
    (row,) = rows
    assert float(row["spend"]) == round(sum(ACTUAL.values()), 2) and float(row["estimated_spend"]) == 0


def estimate_only(truth, now):
    """Without billing rows (the campaign), every row is the on-demand estimate: price x hours since each launch."""
    def check(rows):
        assert all(r["spend_basis"].startswith("estimate:") and r.get("actual_cost") is None for r in rows)
        per_hour, accrued = {}, {}
        for launch in truth.LAUNCHES:
            key = (launch["region"], launch["instance_type"])
            launched = datetime.strptime(launch["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            per_hour[key] = per_hour.get(key, 0) + launch["estimated_cost_usd_per_hour"]
            accrued[key] = accrued.get(key, 0) + launch["estimated_cost_usd_per_hour"] * (now - launched.timestamp()) / 3600
        assert {(r["region"], r["instance_type"]): float(r["est_cost_per_hour"]) for r in rows} == {
            k: round(v, 2) for k, v in per_hour.items()}
        for row in rows:
            assert abs(float(row["estimated_cost"]) - accrued[row["region"], row["instance_type"]]) < 0.01
            assert float(row["spend"]) == float(row["estimated_cost"])
    return check


def incident_spend_total_estimated(rows):
    (row,) = rows
    assert float(row["actual_spend"]) == 0 and float(row["spend"]) == float(row["estimated_spend"]) > 0
