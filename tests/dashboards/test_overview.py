"""Overview dashboard: every panel's search over the samples, the synthetic campaign and Splunk's internal records."""
from collections import Counter

import pytest

from . import compute_truth as ct
from . import metrics_panels as m
from . import truth as t
from .conftest import NOW
from .panels import (
    Case,
    assert_capped,
    assert_table_matches,
    by,
    column,
    data_source_ids,
    mv,
    recorded_detections,
    run_cases,
)

D = "aws_cryptomining_overview"
SEPTEMBER = {"earliest": t.BENIGN_START, "latest": t.BENIGN_END}  # benign history only


def input_accounts(rows):
    assert column(rows, "account") == [t.ACCOUNT]


def input_regions(rows):
    assert set(column(rows, "region")) == t.REGIONS_TOUCHED


def input_regions_of_benign_month(rows):
    assert set(column(rows, "region")) == set(t.BENIGN["regions"])


def launches(rows):
    assert len(rows) == len(t.LAUNCHES) + len(t.FAILED)
    assert set(column(rows, "user")) == {t.PRINCIPAL} and set(column(rows, "src_ip")) == {t.ATTACKER_IP}
    launched = [r for r in rows if r["outcome"] == "launched"]
    assert sum(int(r["instance_count"]) for r in launched) == t.GT["instances_launched"]
    assert {i for r in launched for i in mv(r["instance_id"])} == t.INSTANCE_IDS
    # the ap-south-1 launch-template call names no type anywhere: it cannot be classified
    assert [r["region"] for r in rows if r["launch_class"] == "unknown (launch template)"] == ["ap-south-1"]


def launches_over_time(rows):
    assert sum(r.get("GPU/accelerated", 0) for r in rows) == t.GT["instances_launched"]
    busy = [t.iso(r["_time"]) for r in rows if r.get("GPU/accelerated")]
    assert busy[0] == "2026-10-01T02:00:00Z" and busy[-1] <= "2026-10-01T03:00:00Z"


def launches_over_time_benign(rows):
    totals = Counter()
    for row in rows:
        totals.update({k: v for k, v in row.items() if k != "_time"})
    assert totals["other"] == t.BENIGN["instances_launched"] and not totals["GPU/accelerated"]


def large_gpu(rows):
    launched = [r for r in rows if r["outcome"] == "launched"]
    assert {r["instance_type"] for r in launched} == set(t.GT["instance_types"])
    expected = {(x["region"], x["instance_type"]): round(x["estimated_cost_usd_per_hour"], 2) for x in t.LAUNCHES}
    assert {(r["region"], r["instance_type"]): r["est_cost_per_hour"] for r in launched} == expected
    failed = [r for r in rows if r["outcome"] == "failed"]
    assert sorted(r["error_code"] for r in failed) == sorted(f["error_code"] for f in t.FAILED)
    assert all(r["est_cost_per_hour"] == 0 for r in failed)
    assert column(rows, "time") == sorted(column(rows, "time"))
    assert {r["access_key_id"] for r in rows} == {t.KEY}  # the drilldown to the investigation passes it


def large_gpu_cost(rows):
    assert rows == [{"total_cost_per_hour": t.COST_PER_HOUR, "instances": t.GT["instances_launched"]}]


def launch_sources(rows):
    (row,) = rows
    assert row["src_ip"] == t.ATTACKER_IP and row["Country"] == "Sweden" and row["City"] == "Linköping"
    assert row["asn"] == "29518" and row["as_org"] == "Bredband2 AB"
    assert int(row["launch_calls"]) == len(t.LAUNCHES) + len(t.FAILED) and row["principals"] == t.PRINCIPAL
    assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180


def launch_sources_benign(rows):
    row = by(rows, "src_ip")[t.BENIGN_IP]
    assert row["Country"] == "United States" and row["asn"] == "209"
    assert set(mv(row["principals"])) == set(t.BENIGN["principals"]) - {"AWSServiceRoleForAutoScaling"}


def new_entities(rows):
    found = {}
    for row in rows:
        found.setdefault(row["entity_type"], set()).add(row["entity"])
    assert found["region"] == t.REGIONS_TOUCHED - set(t.BENIGN["regions"])
    assert found["region"] >= set(t.GT["new_regions"])
    assert found["ami"] >= set(t.GT["new_amis"])
    assert found["instance_type"] >= set(t.GT["instance_types"])
    assert found["principal"] == {t.PRINCIPAL}
    assert not found["instance_type"] & set(t.BENIGN["instance_types"])
    assert {r["baseline"] for r in rows} == {"ready"} and {r["access_key_ids"] for r in rows} == {t.KEY}


def guardduty(rows):
    assert {(r["finding_type"], r["resource_id"]) for r in rows} == t.GUARDDUTY  # incl. the EventBridge one
    assert {r["account"] for r in rows} == {t.ACCOUNT}
    for row in rows:
        assert row["region"] == t.INSTANCES[row["resource_id"]]["region"]
        assert row["instance_type"] == t.INSTANCES[row["resource_id"]]["instance_type"]
        assert row["max_severity"] == 8


def pool_dns(rows):
    assert {(r["instance_id"], r["query_name"]) for r in rows} == {
        (i, inst["pool"]["domain"] + ".") for i, inst in t.INSTANCES.items()}
    assert all(r["confidence"] == "high" and r["categories"] == "mining_pool" for r in rows)
    assert by(rows, "instance_id")["i-02f9f329db1578ef6"]["pools"] == "SupportXMR"


def pool_flows(rows):
    by_eni = {inst["eni"]: inst for inst in t.INSTANCES.values()}
    assert {r["interface_id"] for r in rows} == set(by_eni)
    for row in rows:
        inst = by_eni[row["interface_id"]]
        assert (row["dest_ip"], row["dest_port"]) == (inst["pool"]["ip"], str(inst["pool"]["port"]))
        assert row["src_ips"] == inst["private_ip"] and row["packets"] > 0


def alerts(rows):
    assert {r["detection"]: r["fired"] for r in rows} == dict(t.alerts_fired())
    assert {r["actions"] for r in rows} == {"cryptomining_slack"}
    assert by(rows, "detection")["AWS Cryptomining - GuardDuty Cryptocurrency Finding"]["last_fired"] == \
        "2026-10-01T03:15:04Z"


def alerts_over_time(rows):
    """One series per detection, named without the app's prefix (the legend has the room of a half-width panel)."""
    totals = Counter()
    for row in rows:
        totals.update({k: v for k, v in row.items() if k != "_time"})
    assert totals == {name.removeprefix("AWS Cryptomining - "): n for name, n in t.alerts_fired().items()}


def slack(rows):
    assert {(r["event"], r["search_name"]): r["messages"] for r in rows} == dict(t.slack_events())
    outcome = {r["event"]: r["outcome"] for r in rows}
    assert outcome == {"delivered": "delivered", "spooled": "deferred (spooled, retried later)", "rejected": "failed"}
    assert by(rows, "event")["rejected"]["errors"] == "channel_not_found"


def capacity_paths(rows):
    """Every path the campaign's key used shows, attributed to it; the benign month is all RunInstances (direct and
    by Auto Scaling) of small types."""
    paths = by(rows, "capacity_path")
    assert {"RunInstances", "RequestSpotInstances", "CreateLaunchTemplate", "CreateFleet", "CreateAutoScalingGroup",
            "StartInstances"} <= set(paths)
    for path in ("RequestSpotInstances", "CreateFleet", "CreateAutoScalingGroup", "CreateLaunchTemplate"):
        assert t.PRINCIPAL in mv(paths[path]["principals"]) and int(paths[path]["gpu_or_large_calls"]) >= 1, path
    assert "failed" in mv(paths["CreateFleet"]["outcomes"])


def capacity_paths_benign(rows):
    """September: Terraform/CI launches and Auto Scaling's scale-outs, none GPU or large."""
    paths = by(rows, "capacity_path")
    for path in ("RunInstances", "RunInstances by autoscaling.amazonaws.com"):
        assert int(paths[path]["gpu_or_large_calls"]) == 0 and t.PRINCIPAL not in mv(paths[path]["principals"])


def instance_changes(rows):
    """The key's resize to p3.16xlarge, new user data and failed resize; Terraform's m5.2xlarge resize is not shown."""
    assert [(r["instance_id"], r["change"], r["outcome"]) for r in rows] == [
        (t.REPURPOSED, "resized to p3.16xlarge (gpu_accelerated)", "success"),
        (t.REPURPOSED, "user data replaced (runs at the next start)", "success"),
        ("i-0200d9ecbbd706365", "resized to g4dn.12xlarge (gpu_accelerated)", "failed")]
    assert {(r["user"], r["access_key_id"], r["src_ip"]) for r in rows} == {(t.PRINCIPAL, t.KEY, t.ATTACKER_IP)}
    assert [r["time"] for r in rows] == sorted(e["eventTime"] for e in t.KEY_REPURPOSING
                                               if e["eventName"] == "ModifyInstanceAttribute")


GUARDDUTY_CHANGES = {"detector deleted", "findings auto-archived by a suppression rule", "detector suspended",
                     "member accounts no longer monitored", "account detached from its GuardDuty administrator"}


def tampering(rows):
    """One row per principal and telemetry: the campaign's key blinded GuardDuty, Resolver logging and the trail."""
    assert {(r["account"], r["region"], r["user"], r["telemetry"]) for r in rows} == {
        (t.ACCOUNT, "us-east-1", t.PRINCIPAL, telemetry)
        for telemetry in ("GuardDuty", "Route 53 Resolver query logs", "CloudTrail")}
    guardduty = by(rows, "telemetry")["GuardDuty"]
    assert set(guardduty["api_calls"]) == {"DeleteDetector", "CreateFilter", "UpdateDetector", "StopMonitoringMembers",
                                           "DisassociateFromAdministratorAccount"}
    assert set(guardduty["outcomes"]) == {"failed", "success"} and guardduty["calls"] == 5
    # the first two changes and how many more (a row stays four lines tall; the drilldown lists every call)
    assert_capped(guardduty["changes"], sorted(GUARDDUTY_CHANGES), first=2)
    assert {r["access_keys"] for r in rows} == {t.KEY} and {r["src_ips"] for r in rows} == {t.ATTACKER_IP}
    assert column(rows, "first_seen") == sorted(column(rows, "first_seen"))
    assert rows[0]["first_seen"] == "2026-10-01T03:30:00Z"  # the denied DeleteDetector


def compute_services(rows):
    """The services campaign's key on all eight services, its miner-evidence rows first; the teams' rows without."""
    mine = [r for r in rows if r["user"] == ct.PRINCIPAL]
    assert {r["service"] for r in mine} == ct.SERVICES
    assert {r["service"] for r in mine if r["miner_evidence"] == "yes"} == ct.WITH_MINER_EVIDENCE
    assert {r["service"] for r in rows[:len(ct.WITH_MINER_EVIDENCE)]} == ct.WITH_MINER_EVIDENCE
    assert all(r["miner_evidence"] == "no" for r in rows if r["user"] != ct.PRINCIPAL)
    assert {(r["access_keys"], r["src_ips"]) for r in mine} == {(ct.KEY, ct.ATTACKER_IP)}
    assert "pool.supportxmr.com" in mv(by(mine, "service")["ecs"]["mining_pools"])

def incidents(rows):
    """The campaign's stolen key is an incident confirmed by GuardDuty (the other synthetic campaigns' keys
    are incidents of their own). Its summary is the title without what the row's Access key, Principals and Account
    columns show: the principal's name reads whole in its own cell, never broken inside a sentence."""
    top = next(r for r in rows if r["access_key"] == t.KEY)
    assert top["access_key"] == t.KEY and mv(top["principals"]) == [t.PRINCIPAL] and top["account"] == t.ACCOUNT
    assert top["incident_id"].startswith("INC-") and top["status"] == "open"
    assert "incl. GuardDuty confirmation" in top["title"]
    subject = f"Access key {t.KEY} ({t.PRINCIPAL}) in account {t.ACCOUNT}: "
    assert top["title"].startswith(subject) and top["summary"] == top["title"][len(subject):]
    assert [int(r["score"]) for r in rows] == sorted((int(r["score"]) for r in rows), reverse=True)


EXPECT = {
    "ds_input_accounts": [Case(input_accounts)],
    "ds_input_regions": [Case(input_regions), Case(input_regions_of_benign_month, SEPTEMBER)],
    "ds_launches": [Case(launches)],
    "ds_launches_over_time": [Case(launches_over_time), Case(launches_over_time_benign, SEPTEMBER)],
    "ds_large_gpu": [Case(large_gpu), Case(large_gpu, {"account": t.ACCOUNT, "region": "*"})],
    "ds_large_gpu_cost": [Case(large_gpu_cost)],
    "ds_launch_sources": [Case(launch_sources), Case(launch_sources_benign, SEPTEMBER)],
    "ds_new_entities": [Case(new_entities)],
    "ds_guardduty": [Case(guardduty)],
    "ds_tampering": [Case(tampering)],
    "ds_capacity_paths": [Case(capacity_paths), Case(capacity_paths_benign, SEPTEMBER)],
    "ds_instance_changes": [Case(instance_changes), Case(instance_changes, {"account": t.ACCOUNT, "region": "us-east-1"})],
    "ds_compute_services": [Case(compute_services, ct.DAY), Case(compute_services, dict(ct.DAY, account=ct.ACCOUNT))],
    "ds_pool_dns": [Case(pool_dns)],
    "ds_pool_flows": [Case(pool_flows)],
    "ds_alerts": [Case(alerts)],
    "ds_alerts_over_time": [Case(alerts_over_time)],
    "ds_slack": [Case(slack)],
    "ds_incidents": [Case(incidents), Case(incidents, {"account": t.ACCOUNT})],
    "ds_saturation_vs_launches": [Case(m.saturation_vs_launches, m.JUNE)],
    "ds_saturated_instances": [Case(m.saturated_instances, m.JUNE)],
    "ds_spend_over_time": [Case(m.spend_over_time, m.JUNE)],
    "ds_cost_anomalies": [Case(m.cost_anomalies_of_june, m.JUNE), Case(m.cost_anomalies_of_spring, m.SPRING)],
}


def test_incidents_show_the_first_three_recorded_detections_and_how_many_more(run_panel, engine):
    """Each incident's Detections cell: the first three detections the correlation search recorded for it and how many
    more (its title counts them all); the campaign's key was caught by the launch, GuardDuty and DNS detections."""
    recorded = recorded_detections(engine, NOW)
    rows = run_panel(D, "ds_incidents")
    assert rows
    for row in rows:
        assert_capped(row["detections"], recorded[row["incident_id"]])
    top = next(r for r in rows if r["access_key"] == t.KEY)
    assert {"large_gpu_launch", "guardduty_crypto_findings", "mining_pool_dns"} <= set(recorded[top["incident_id"]])
    assert f": {len(recorded[top['incident_id']])} detections incl." in top["title"]


@pytest.mark.parametrize("ds_id", data_source_ids(D))
def test_panel(run_panel, ds_id):
    run_cases(run_panel, D, ds_id, EXPECT)


def test_expectations_name_existing_data_sources():
    assert_table_matches(D, EXPECT)


def test_region_filter_narrows_every_launch_panel(run_panel):
    rows = run_panel(D, "ds_large_gpu", account=t.ACCOUNT, region="eu-central-1")
    assert {r["region"] for r in rows} == {"eu-central-1"}
    assert sum(int(r["instance_count"]) for r in rows if r["outcome"] == "launched") == sum(
        x["launched"] for x in t.LAUNCHES if x["region"] == "eu-central-1")
    assert {r["region"] for r in run_panel(D, "ds_guardduty", region="eu-central-1")} == {"eu-central-1"}
    assert {r["region"] for r in run_panel(D, "ds_pool_dns", region="us-west-2")} == {"us-west-2"}
