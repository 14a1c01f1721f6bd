"""Investigation dashboard: entry by access key, instance id or principal, over the campaign and the real samples."""
import pytest

from . import compute_truth as ct
from . import truth as t
from .panels import Case, assert_capped, assert_table_matches, by, column, data_source_ids, mv, run_cases

D = "aws_cryptomining_investigation"
BY_KEY = {"access_key_id": t.KEY}
BY_PRINCIPAL = {"principal": t.PRINCIPAL}
MONERO_INSTANCE = "i-0bd0271f0c1fb57df"  # eu-central-1 g4dn.12xlarge mining on moneropool.ru
BY_INSTANCE = {"instance_id": MONERO_INSTANCE}
GD_INSTANCE = "i-0327d24196874f841"  # us-west-2 p3.8xlarge with a BitcoinTool.B!DNS finding
PANTHER = {"instance_id": t.PANTHER_INSTANCE, "earliest": 0}  # Panther's real sample (2024), all time


def input_accounts(rows):
    assert t.ACCOUNT in column(rows, "account")


def launches_by_key(rows):
    assert len(rows) == len(t.LAUNCHES) + len(t.FAILED)
    assert {(r["user"], r["principal_type"], r["src_ip"], r["user_agent"]) for r in rows} == {
        (t.PRINCIPAL, t.GT["principal_type"], t.ATTACKER_IP, t.GT["user_agent"])}
    assert column(rows, "time") == sorted(column(rows, "time"))
    assert {i for r in rows for i in mv(r.get("instance_id"))} == t.INSTANCE_IDS


def launches_by_instance(rows):
    (row,) = rows
    launch = next(x for x in t.LAUNCHES if MONERO_INSTANCE in x["instance_ids"])
    assert MONERO_INSTANCE in mv(row["instance_id"]) and row["instance_type"] == launch["instance_type"]
    assert (row["region"], row["access_key_id"], row["user_arn"]) == (
        launch["region"], t.KEY, t.GT["principal_arn"])
    assert row["est_cost_per_hour"] == round(launch["estimated_cost_usd_per_hour"], 2)


def launches_from_templates(rows):
    """Panther's real sample: the EKS node group's dry-run RunInstances from a launch template, and its template."""
    templates = {(r["user_arn"], r["launch_template"]) for r in rows if r.get("launch_template")}
    assert templates == {
        ("arn:aws:sts::123123123123:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS", "lt-0622a7ff26539376a")}


def role_calls(rows):
    (row,) = rows
    assert (row["instance_id"], row["role"], row["eventName"], row["outcome"]) == (
        t.PANTHER_INSTANCE, "MyAppRole", "DescribeInstances", "success")
    assert row["calls"] == 2 and set(row["src_ips"]) == {"45.33.32.156", "52.42.146.205"}


def dns_by_key(rows):
    mining = [r for r in rows if r.get("mining_indicator")]
    assert {r["query_name"].rstrip(".") for r in mining} == t.POOL_DOMAINS
    assert rows[:len(mining)] == mining  # mining pools first
    assert sum(int(r["queries"]) for r in mining) == 12 * len(t.INSTANCES)
    supportxmr = by(mining, "query_name")["pool.supportxmr.com."]
    assert supportxmr["mining_pool"] == "SupportXMR" and supportxmr["answers"] == "104.140.244.186"
    # the first three instances and how many more (the Instances column counts them)
    assert_capped(supportxmr["instance_ids"], sorted(
        i for i, inst in t.INSTANCES.items() if inst["pool"]["domain"] == "pool.supportxmr.com"))


def dns_by_instance(rows):
    (row,) = rows
    assert (row["query_name"], row["instance_ids"], row["answers"]) == ("moneropool.ru.", MONERO_INSTANCE,
                                                                         "37.59.43.136")
    assert row["mining_confidence"] == "high" and row["queries"] == "12"


def flows_by_key(rows):
    assert {(r["dest_ip"], r["dest_port"]) for r in rows} == t.POOL_ENDPOINTS
    assert not any(r["dest_ip"].startswith(("10.", "172.31.", "192.168.")) for r in rows)
    packets = [int(r["packets"]) for r in rows]
    assert packets == sorted(packets, reverse=True)  # top talkers first
    assert all(r["mining_confidence"] == "high" for r in rows)
    top = rows[0]
    talkers = [inst for inst in t.INSTANCES.values() if inst["pool"]["ip"] == top["dest_ip"]]
    assert_capped(top["interfaces"], sorted(inst["eni"] for inst in talkers))   # the first three and how many more
    assert_capped(top["src_ips"], sorted(inst["private_ip"] for inst in talkers))


def flows_by_instance(rows):
    (row,) = rows
    inst = t.INSTANCES[MONERO_INSTANCE]
    assert (row["dest_ip"], row["dest_port"], row["interfaces"], row["src_ips"]) == (
        inst["pool"]["ip"], str(inst["pool"]["port"]), inst["eni"], inst["private_ip"])


def guardduty_by_key(rows):
    assert {(r["finding_type"], r["instance_id"]) for r in rows} == t.GUARDDUTY
    assert column(rows, "time") == sorted(column(rows, "time"))


def guardduty_by_instance(rows):
    (row,) = rows
    assert (row["finding_type"], row["region"], row["gd_severity"]) == (
        "CryptoCurrency:EC2/BitcoinTool.B!DNS", "us-west-2", "8")
    assert row["title"] and row["finding_id"]


def timeline_by_key(rows):
    assert {r["source"] for r in rows} == {"CloudTrail", "CloudTrail (credential)", "Route 53 Resolver", "VPC Flow",
                                           "GuardDuty"}
    assert column(rows, "time") == sorted(column(rows, "time"))
    assert (rows[0]["time"], rows[0]["what"]) == (t.GT["first_malicious_call"], "GetCallerIdentity")
    assert rows[0]["who"] == f"{t.PRINCIPAL} ({t.KEY}) from {t.ATTACKER_IP}"
    launches = [r for r in rows if r["source"] == "CloudTrail"]
    assert (launches[0]["time"], launches[0]["what"]) == (FAILED_FIRST, "RunInstances failed: Client.DryRunOperation")
    credential = {r["what"] for r in rows if r["source"] == "CloudTrail (credential)"}
    assert {"DescribeRegions", "CreateKeyPair", "RequestSpotInstances"} <= credential
    assert {r["subject"] for r in rows if r["source"] == "Route 53 Resolver"} == t.INSTANCE_IDS
    assert {r["subject"] for r in rows if r["source"] == "VPC Flow"} == {i["eni"] for i in t.INSTANCES.values()}
    assert {r["subject"] for r in rows if r["source"] == "GuardDuty"} == {i for _, i in t.GUARDDUTY}


def timeline_by_instance(rows):
    sources = column(rows, "source")
    assert sources.index("CloudTrail") < sources.index("Route 53 Resolver")  # launch, then mining
    assert {"CloudTrail", "Route 53 Resolver", "VPC Flow"} <= set(sources)
    assert "CloudTrail (credential)" not in sources  # no key or principal given: not every call in the account
    assert {r["subject"] for r in rows if r["source"] == "VPC Flow"} == {t.INSTANCES[MONERO_INSTANCE]["eni"]}


def timeline_panther(rows):
    assert {r["source"] for r in rows} == {"CloudTrail (instance role)"}
    assert {r["subject"] for r in rows} == {t.PANTHER_INSTANCE}


def tampering_in_campaign(rows):
    """Account-wide, whatever the key: the campaign's key blinding GuardDuty and Resolver logging (synthetic)."""
    assert [r["api_call"] for r in rows] == [
        "DeleteDetector", "CreateFilter", "UpdateDetector", "StopMonitoringMembers",
        "DisassociateFromAdministratorAccount", "DisassociateResolverQueryLogConfig", "PutEventSelectors"]  # by time
    assert {(r["account"], r["user"], r["access_key_id"], r["src_ip"]) for r in rows} == {
        (t.ACCOUNT, t.PRINCIPAL, t.KEY, t.ATTACKER_IP)}
    assert (rows[0]["outcome"], rows[0]["error_code"]) == ("failed", "AccessDeniedException")
    assert rows[2]["change"] == "detector suspended" and rows[-2]["telemetry"] == "Route 53 Resolver query logs"
    assert rows[-1]["change"] == "trail no longer logs management events"  # the SOC's restore is not listed


def tampering_stratus(rows):
    (row,) = rows
    assert (row["api_call"], row["target"], row["telemetry"], row["outcome"]) == (
        "DeleteFlowLogs", "fl-0e17aa62a21d4bbfe", "VPC Flow Logs", "success")


FAILED_FIRST = min(f["time"] for f in t.FAILED)

def compute_calls(rows):
    """Every compute-service call of the services campaign's key, in time order, with the miner evidence."""
    assert {r["service"] for r in rows} == ct.SERVICES
    assert {(r["user"], r["access_key_id"], r["src_ip"]) for r in rows} == {(ct.PRINCIPAL, ct.KEY, ct.ATTACKER_IP)}
    assert [r["time"] for r in rows] == sorted(r["time"] for r in rows)
    ecs = [r for r in rows if r["api_call"] == "RegisterTaskDefinition"]
    assert [(r["resource"], r["image"], r["mining_indicator"]) for r in ecs] == [
        ("system-update", "docker.io/metal3d/xmrig:latest", "pool.supportxmr.com")]
    assert [(r["api_call"], r["error_code"]) for r in rows if r.get("error_code")] == [
        ("CreateTrainingJob", "ResourceLimitExceeded")]


def capacity_by_key(rows):
    """The key's capacity from every path (RunInstances, Spot request, launch template, fleet, Auto Scaling group, and
    StartInstances of the instance it repurposed)."""
    assert {r["capacity_path"] for r in rows} == {"RunInstances", "RequestSpotInstances", "CreateLaunchTemplate",
                                                  "CreateFleet", "CreateAutoScalingGroup", "StartInstances"}
    assert {r["access_key_id"] for r in rows} == {t.KEY}
    # what attributes the fleet's and the group's launches: their ids and the group's launch template
    fleet, group = t.GT["capacity_requests"]
    (fleet_row,) = [r for r in rows if r["capacity_path"] == "CreateFleet"]
    (group_row,) = [r for r in rows if r["capacity_path"] == "CreateAutoScalingGroup"]
    assert fleet_row["capacity_key"] == fleet["fleet_id"]
    assert (group_row["capacity_key"], group_row["launch_template"]) == (group["group"], group["launch_template"])


def capacity_by_instance(rows):
    assert [r["capacity_path"] for r in rows] == ["RunInstances"] and rows[0]["outcome"] == "launched"


EXPECT = {
    "ds_input_accounts": [Case(input_accounts, BY_KEY)],
    "ds_launches": [Case(launches_by_key, BY_KEY), Case(launches_by_key, BY_PRINCIPAL),
                    Case(launches_by_instance, BY_INSTANCE),
                    Case(launches_from_templates, {"account": "123123123123", "earliest": 0})],
    "ds_capacity": [Case(capacity_by_key, BY_KEY), Case(capacity_by_key, BY_PRINCIPAL),
                    Case(capacity_by_instance, BY_INSTANCE)],
    "ds_role_calls": [Case(role_calls, PANTHER)],
    "ds_dns": [Case(dns_by_key, BY_KEY), Case(dns_by_instance, BY_INSTANCE)],
    "ds_flows": [Case(flows_by_key, BY_KEY), Case(flows_by_instance, BY_INSTANCE)],
    "ds_guardduty": [Case(guardduty_by_key, BY_KEY), Case(guardduty_by_instance, {"instance_id": GD_INSTANCE})],
    "ds_timeline": [Case(timeline_by_key, BY_KEY), Case(timeline_by_instance, BY_INSTANCE),
                    Case(timeline_panther, PANTHER)],
    "ds_compute_calls": [Case(compute_calls, dict(ct.DAY, access_key_id=ct.KEY)),
                         Case(compute_calls, dict(ct.DAY, principal=ct.PRINCIPAL))],
    "ds_tampering": [Case(tampering_in_campaign, BY_KEY), Case(tampering_in_campaign, BY_INSTANCE),
                     Case(tampering_stratus, {"account": "498376118699", "earliest": 0})],
}


@pytest.mark.parametrize("ds_id", data_source_ids(D))
def test_panel(run_panel, ds_id):
    run_cases(run_panel, D, ds_id, EXPECT)


def test_expectations_name_existing_data_sources():
    assert_table_matches(D, EXPECT)


@pytest.mark.parametrize("ds_id", ["ds_launches", "ds_dns", "ds_flows", "ds_guardduty", "ds_timeline", "ds_compute_calls"])
def test_a_key_that_launched_nothing_shows_nothing(run_panel, ds_id):
    """An unknown key must not widen the instance subsearches to every instance (explicit format emptystr)."""
    assert run_panel(D, ds_id, access_key_id="AKIAIOSFODNN7EXAMPLE") == []
