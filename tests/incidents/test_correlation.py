"""The Incident Correlation search over findings written by the test: grouping, stable ids, windows, updates."""
from datetime import datetime, timezone

import pytest
from correlation import HOUR, Correlation

T0 = 1_790_000_100          # a scheduled minute
KEY_A, KEY_B = "AKIAAAAAAAAAAAAAAAAA", "AKIABBBBBBBBBBBBBBBB"


@pytest.fixture
def corr(tmp_path):
    return Correlation(tmp_path)


def _iso(epoch):
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def test_findings_sharing_instances_ips_and_principal_are_one_incident_per_key(corr):
    corr.record("large_gpu_launch", T0, key=KEY_A, principal="alice", instances="i-0a1 i-0a2", cost=24.5)
    corr.record("large_gpu_launch", T0, key=KEY_B, principal="bob", instances="i-0b1")
    corr.record("mining_pool_dns", T0 + 300, instances="i-0a1", src_ips="172.31.1.10", tactics="command-and-control")
    corr.record("mining_pool_flow", T0 + 300, instances="eni-0a9", src_ips="172.31.1.10", tactics="command-and-control")
    corr.record("unseen_region", T0 + 300, principal="bob", severity="medium", regions="sa-east-1",
                tactics="defense-evasion impact")
    rows = {row["access_keys"]: row for row in corr.run(T0 + 600)}
    assert set(rows) == {KEY_A, KEY_B}
    a, b = rows[KEY_A], rows[KEY_B]
    assert sorted(a["detections"]) == ["large_gpu_launch", "mining_pool_dns", "mining_pool_flow"]
    assert sorted(a["instance_ids"]) == ["eni-0a9", "i-0a1", "i-0a2"] and a["instance_count"] == 2
    assert sorted(b["detections"]) == ["large_gpu_launch", "unseen_region"]
    assert sorted(b["regions"]) == ["sa-east-1", "us-east-1"]
    assert a["notify"] == b["notify"] == "new" and a["incident_id"] != b["incident_id"]
    assert a["score"] == 40 + 10 * 2 + 5 * 2 + 4    # high, two more detections, two tactics, $24.5/h
    assert a["title"] == (f"Access key {KEY_A} (alice) in account 111122223333: 3 detections, 2 instances in "
                          "1 region, est. $24.50/h")
    assert a["first_seen"] == _iso(T0 - 600) and a["last_seen"] == _iso(T0 + 300 - 600) and a["status"] == "open"



def test_an_incidents_principals_are_those_of_its_keys_own_findings(corr):
    """A first-seen AMI launched by both keys names both users and ties to both incidents through their
    instances: it counts in both, but each incident names only the user its own key's findings name."""
    corr.record("large_gpu_launch", T0, key=KEY_A, principal="alice", instances="i-0a1")
    corr.record("large_gpu_launch", T0, key=KEY_B, principal="bob", instances="i-0b1")
    corr.record("unseen_ami", T0 + 300, principal="alice bob", instances="i-0a1 i-0b1", severity="medium")
    rows = {row["access_keys"]: row for row in corr.run(T0 + 600)}
    assert {key: sorted(row["detections"]) for key, row in rows.items()} == {
        KEY_A: ["large_gpu_launch", "unseen_ami"], KEY_B: ["large_gpu_launch", "unseen_ami"]}
    assert (rows[KEY_A]["principals"], rows[KEY_B]["principals"]) == ("alice", "bob")
    assert rows[KEY_A]["title"].startswith(f"Access key {KEY_A} (alice) in account")

def test_a_later_finding_joins_the_open_incident_and_a_new_class_of_evidence_updates_it(corr):
    corr.record("large_gpu_launch", T0, key=KEY_A, principal="alice", instances="i-0a1")
    [first] = corr.run(T0 + 300)
    assert first["notify"] == "new" and first["updates"] == 0
    assert corr.run(T0 + 600) == []                                   # nothing new: silent
    corr.record("large_gpu_launch", T0 + 700, key=KEY_A, instances="i-0a3")
    assert corr.run(T0 + 900) == []                                   # same evidence class, same score band
    corr.record("guardduty_crypto_findings", T0 + 1000, instances="i-0a1")
    [update] = corr.run(T0 + 1200)                                    # GuardDuty confirmation: at once
    assert (update["incident_id"], update["notify"], update["updates"]) == (first["incident_id"], "update", 1)
    assert "GuardDuty confirms mining" in update["update_reason"] and update["confirmed"] == 1
    corr.record("unseen_region", T0 + 1300, key=KEY_A, regions="ap-south-1", severity="medium")
    assert corr.run(T0 + 1500) == []                                  # within the re-notify interval
    [later] = corr.run(T0 + 1200 + 1800)                              # accumulated changes, one update
    assert later["notify"] == "update" and later["update_reason"].startswith("1 new detection(s), 1 new region(s)")
    assert corr.state()[first["incident_id"]]["updates"] == "2"


def test_key_reused_after_the_window_opens_a_new_incident(corr):
    corr.record("large_gpu_launch", T0, key=KEY_A, instances="i-0a1")
    [first] = corr.run(T0 + 300)
    corr.record("large_gpu_launch", T0 + 20 * HOUR, key=KEY_A, instances="i-0a2")   # within 24 h: same
    assert corr.run(T0 + 20 * HOUR + 300) == []
    corr.record("large_gpu_launch", T0 + 45 * HOUR, key=KEY_A, instances="i-0a3")   # 25 h after the last
    [second] = corr.run(T0 + 45 * HOUR + 300)
    assert second["notify"] == "new" and second["incident_id"] != first["incident_id"]
    assert second["instance_ids"] == "i-0a3"
    state = corr.state()
    assert state[first["incident_id"]]["status"] == "closed" and len(state) == 2


def test_a_late_record_joins_the_incident_it_belongs_to(corr):
    """A CloudTrail launch delivered hours late is recorded late with its early event time: it joins the key's
    open incident (same id, first_seen moves back), not a new one, and ties the instance's findings to it."""
    corr.record("large_gpu_launch", T0, key=KEY_A, instances="i-0a1")
    corr.record("large_gpu_launch", T0, key=KEY_B, instances="i-0b1")
    rows = {row["access_keys"]: row for row in corr.run(T0 + 300)}
    corr.record("mining_pool_dns", T0 + 600, instances="i-0a7", tactics="command-and-control")
    assert corr.run(T0 + 900) == []               # an instance alone waits for the launch that ties it
    corr.record("large_gpu_launch", T0 + 2 * HOUR, finding_time=T0 - HOUR, key=KEY_A, instances="i-0a7",
                regions="eu-west-1")
    [update] = corr.run(T0 + 2 * HOUR + 300)
    assert update["incident_id"] == rows[KEY_A]["incident_id"] and update["notify"] == "update"
    assert sorted(update["detections"]) == ["large_gpu_launch", "mining_pool_dns"]
    assert update["first_seen"] < rows[KEY_A]["first_seen"]
    assert corr.run(T0 + 3 * HOUR) == []          # the instance never became an incident of its own


def test_an_instance_never_tied_to_a_key_alerts_after_the_link_delay(corr):
    corr.record("mining_pool_dns", T0, instances="i-0c1", tactics="command-and-control")
    assert corr.run(T0 + 1800) == []
    [row] = corr.run(T0 + 3600)
    assert row["anchor"] == "instance:111122223333/i-0c1" and row["notify"] == "new"
    assert row["title"].startswith("Instance i-0c1 in account 111122223333: 1 detection")


def test_weak_single_findings_are_no_incident(corr):
    """A lone low or medium finding stays a finding, however many tactics its technique maps to (T1078: four);
    a second detection of the same key corroborates it into an incident."""
    corr.record("large_gpu_launch", T0, key=KEY_A, severity="low", instances="")
    corr.record("unseen_ami", T0, principal="carol", severity="medium", tactics="impact")
    corr.record("unseen_principal", T0, key=KEY_B, severity="medium",
                tactics="defense-evasion persistence privilege-escalation initial-access impact")
    assert corr.run(T0 + 3600) == [] and corr.state() == {}
    corr.record("unseen_region", T0 + 3600, key=KEY_B, severity="medium", tactics="defense-evasion impact")
    [row] = corr.run(T0 + 3900)
    assert row["access_keys"] == KEY_B and row["score"] == 25 + 10 + 5 * 5


DAY = 86400
G4DN = "ap-southeast-1/g4dn.12xlarge"


def test_billed_spend_of_the_keys_usage_replaces_the_on_demand_estimate(corr):
    """Billing findings (spend, Cost Anomaly Detection: no key) join the incident of the key that ran their usage
    that day; the incident then costs what was billed, not the on-demand estimate, and is not double counted
    across detections that report the same launch or the same spend."""
    day = T0 // DAY
    corr.record("large_gpu_launch", T0, key=KEY_A, instances="i-0a1", regions="ap-southeast-1", cost=3.91, usage=G4DN)
    corr.record("capacity_fanout", T0, key=KEY_A, regions="ap-southeast-1", cost=3.91, usage=G4DN)
    [first] = corr.run(T0 + 300)
    assert (first["cost_basis"], first["cost_per_hour"], first["est_cost_per_hour"]) == ("estimate", 3.91, 3.91)
    assert first["title"].endswith("1 instance in 1 region, est. $3.91/h") and "actual_spend" not in first
    billed = dict(severity="high", regions="ap-southeast-1", usage=G4DN, spend_day=day + 1)
    corr.record("spend_anomaly", T0 + 20 * HOUR, spend_usd=131.38, spend_per_hour=5.4742, **billed)
    corr.record("cost_anomaly_notification", T0 + 20 * HOUR, spend_usd=131.38, spend_per_hour=2.7371, **billed)
    corr.record("spend_anomaly", T0 + 20 * HOUR, regions="us-east-1", usage="us-east-1/m5.large",
                spend_day=day + 1, spend_usd=40.0, spend_per_hour=1.6667)                # another usage
    corr.record("spend_anomaly", T0 + 20 * HOUR, spend_usd=99.0, spend_per_hour=4.125,
                **{**billed, "spend_day": day + 9})                                      # long after the key ran it
    rows = corr.run(T0 + 20 * HOUR + 300)
    [update] = [row for row in rows if row["incident_id"] == first["incident_id"]]
    assert update["notify"] == "update"
    assert sorted(update["detections"]) == ["capacity_fanout", "cost_anomaly_notification", "large_gpu_launch",
                                            "spend_anomaly"]
    assert update["finding_count"] == 4                              # neither the other usage nor the later day
    assert (update["cost_basis"], update["actual_spend"], update["cost_per_hour"]) == ("billed", 131.38, 5.47)
    assert update["est_cost_per_hour"] == 3.91
    assert update["score"] == 40 + 10 * 3 + 5 * 1 + 1             # $5.47/h billed: one cost point (estimate: 0)
    assert update["title"].endswith("1 instance in 1 region, billed $5.47/h ($131.38 so far)")
    assert all(row["anchor"] == "account:111122223333" for row in rows if row is not update)
