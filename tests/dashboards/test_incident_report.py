"""Incident report: the playbook's report for the campaign's stolen key (and for its principal), and PDF export."""
import re
from collections import defaultdict

import pytest

from . import compute_truth as ct
from . import metrics_panels as m
from . import studio
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

D = "aws_cryptomining_incident_report"
BY_KEY = {"access_key_id": t.KEY}
BY_PRINCIPAL = {"principal": t.PRINCIPAL}
FIRST_CALL = t.GT["first_malicious_call"]
# The campaign's last call is RequestSpotInstances; the key then tampers with GuardDuty and Resolver logging.
LAST_CALL = max([r["time"] for r in t.GT["spot_requests"]] + [e["eventTime"] for e in t.KEY_TAMPERING])


def input_accounts(rows):
    assert column(rows, "account") == [t.ACCOUNT]


def activity(rows):
    assert {r["access_key_id"] for r in rows} == {t.KEY} and {r["src_ip"] for r in rows} == {t.ATTACKER_IP}
    assert {r["eventName"] for r in rows} >= {"GetCallerIdentity", "DescribeRegions", "RunInstances",
                                              "CreateKeyPair", "RequestSpotInstances"}
    assert t.iso(min(column(rows, "_time"))) == FIRST_CALL


def summary(rows):
    (row,) = rows
    # the principal's ARN without "arn:aws:iam::<account>:" (the account is its own field)
    assert t.GT["principal_arn"] == f"arn:aws:iam::{t.ACCOUNT}:user/{t.PRINCIPAL}"
    assert (row["accounts"], row["principals"], row["principal_types"], row["access_keys"], row["src_ips"]) == (
        t.ACCOUNT, f"user/{t.PRINCIPAL}", "IAMUser", t.KEY, t.ATTACKER_IP)
    assert row["first_and_last_call"] == [FIRST_CALL, LAST_CALL]
    assert row["duration"] == "01:40:53"  # 02:13:07 -> 03:54:00 (PutEventSelectors without management events)
    assert set(row["regions_touched"]) == t.REGIONS_TOUCHED


def first_call(rows):
    (row,) = rows
    assert (row["time"], row["eventSource"], row["eventName"]) == (FIRST_CALL, "sts.amazonaws.com",
                                                                   "GetCallerIdentity")
    assert (row["src_ip"], row["Country"], row["City"], row["asn"], row["as_org"], row["ip_class"]) == (
        t.ATTACKER_IP, "Sweden", "Linköping", "29518", "Bredband2 AB", "public")
    assert (row["user_arn"], row["access_key_id"]) == (t.GT["principal_arn"], t.KEY)


def sources(rows):
    (row,) = rows
    assert (row["src_ip"], row["Country"], row["asn"], row["first_seen"], row["last_seen"]) == (
        t.ATTACKER_IP, "Sweden", "29518", FIRST_CALL, LAST_CALL)


def launches(rows):
    assert len(rows) == len(t.LAUNCHES) + len(t.FAILED)
    assert round(sum(r["est_cost_per_hour"] for r in rows), 2) == t.COST_PER_HOUR


def launch_summary(rows):
    (row,) = rows
    assert row["instances_launched"] == t.GT["instances_launched"]
    assert row["instance_type_count"] == len(t.GT["instance_types"])
    # each list: its first three values (values() sorts them) and how many more
    assert_capped(row["instance_types"], sorted(t.GT["instance_types"]))
    assert_capped(row["regions_with_instances"], sorted(t.REGIONS_WITH_INSTANCES))
    assert_capped(row["regions_attempted"], sorted({x["region"] for x in t.LAUNCHES + t.FAILED}))
    assert row["failed_launch_calls"] == len(t.FAILED)
    assert row["est_cost_per_hour"] == t.COST_PER_HOUR
    assert row["est_cost_per_day"] == round(t.COST_PER_HOUR * 24, 2)
    assert row["est_cost_so_far_if_running"] > row["est_cost_per_hour"]  # running for ~22 h at NOW


def launch_types(rows):
    expected = defaultdict(lambda: [0, 0.0])
    for x in t.LAUNCHES:
        expected[x["instance_type"]][0] += x["launched"]
        expected[x["instance_type"]][1] += x["estimated_cost_usd_per_hour"]
    assert {r["instance_type"]: [r["instances"], r["est_cost_per_hour"]] for r in rows} == {
        k: [n, round(c, 2)] for k, (n, c) in expected.items()}
    assert column(rows, "est_cost_per_hour") == sorted(column(rows, "est_cost_per_hour"), reverse=True)
    assert {r["launch_class"] for r in rows} == {"GPU/accelerated"}


def launch_calls(rows):
    assert column(rows, "time") == sorted(x["time"] for x in t.LAUNCHES + t.FAILED)
    assert [r["error_code"] for r in rows if r["outcome"] == "failed"] == [
        f["error_code"] for f in sorted(t.FAILED, key=lambda f: f["time"])]


def guardduty(rows):
    expected = defaultdict(set)
    for finding_type, instance in t.GUARDDUTY:
        expected[finding_type].add(instance)
    assert {r["finding_type"]: set(mv(r["instance_ids"])) for r in rows} == expected
    assert by(rows, "finding_type")["CryptoCurrency:EC2/BitcoinTool.B!DNS"]["findings"] == 2


def shell(command) -> list[str]:
    """The commands of a containment cell as a shell reads them pasted (a line ending in " \\" goes on), blanks
    collapsed."""
    return [" ".join(line.split()) for line in "\n".join(mv(command)).replace(" \\\n", " ").split("\n")]


def targets(row) -> list[str]:
    """A containment row's Targets cell as a list: its values (capped: the first three, "+N more") two to a line,
    joined by ", " (a command's three ids take two lines, as the command does)."""
    lines = mv(row["targets"])
    assert 1 <= len(lines) <= 2 and all(line.count(", ") <= 1 for line in lines), lines
    return [value for line in lines for value in line.split(", ")]


def command_targets(row) -> list[str]:
    """What a containment row acts on: the values of its command's last option (a role's sessions are revoked in
    the console: the key in its Targets cell)."""
    (first, *_) = commands = shell(row["command"])
    if first.startswith("IAM console"):
        return targets(row)
    assert len(commands) == 1, commands
    return first.rpartition(" --")[2].split()[1:]


# What one command names at most: three instance or Spot request ids (its last line, each id on one line at every
# width: test_browser.py), one fleet id (as long as three), Auto Scaling group, launch template or key pair (the CLI
# takes one a call). A command is two lines, the call with its region and the option with its ids, or three where the
# ids line would be longer than 80 characters (the call, its region and option, its ids).
COMMAND_TARGETS = {"1. Terminate the instances": 3, "2. Cancel the Spot Instance requests": 3}


def commands_split(rows):
    """Every target in its step's command; the Targets cell shows the first three of them and how many more. A step's
    targets in a region are split, in order, into commands of COMMAND_TARGETS (one by default, the last one the
    rest), each on its own row."""
    split = defaultdict(list)
    for row in rows:
        if row["step"].startswith("6. "):   # the SCP denies families (its Targets), checked by containment()
            continue
        acted_on = command_targets(row)
        assert_capped(targets(row), acted_on)
        assert 1 <= len(acted_on) <= COMMAND_TARGETS.get(row["step"], 1), row["command"]
        split[(row["step"], row["region"])].append(acted_on)
    for (step, region), commands in split.items():
        if step[0] in "1234":
            flat = [target for command in commands for target in command]
            assert flat == sorted(set(flat)), (step, region)
            assert all(len(command) == COMMAND_TARGETS.get(step, 1) for command in commands[:-1]), (step, region)
    return split


def containment(rows):
    steps = defaultdict(set)
    for (step, _), commands in commands_split(rows).items():
        steps[step] |= {target for command in commands for target in command}
    assert steps["1. Terminate the instances"] == t.INSTANCE_IDS
    assert steps["2. Cancel the Spot Instance requests"] == t.SPOT_REQUEST_IDS
    assert steps["5. Deactivate the access key"] == {t.KEY}
    (scp,) = [r for r in rows if r["step"] == "6. Deny GPU instance families with an SCP"]
    assert_capped(targets(scp), ["g4dn", "g5", "p3", "p4d"])  # incl. failed tries
    assert shell(scp["command"]) == [
        "aws organizations create-policy --type SERVICE_CONTROL_POLICY --name DenyGpuInstanceLaunches "
        "--content file://deny-gpu.json", "aws organizations attach-policy --policy-id <policy-id> --target-id "
        "<root-or-ou-id>"]
    commands = defaultdict(set)
    for row in rows:
        if row["step"] == "1. Terminate the instances":
            (command,) = shell(row["command"])
            assert command.startswith(f"aws ec2 terminate-instances --region {row['region']} --instance-ids ")
            commands[row["region"]] |= set(command.split("--instance-ids ")[1].split())
    assert set(commands) == t.REGIONS_WITH_INSTANCES
    for region, ids in commands.items():
        assert ids == {i for i, inst in t.INSTANCES.items() if inst["region"] == region}
    (deactivate,) = [r["command"] for r in rows if r["step"] == "5. Deactivate the access key"]
    assert shell(deactivate) == [
        f"aws iam update-access-key --status Inactive --user-name {t.PRINCIPAL} --access-key-id {t.KEY}"]
    assert column(rows, "step") == sorted(column(rows, "step"))


def containment_of_every_key(rows):
    """Opened with no key (as from the nav bar) on the last 7 days: every credential's instances, more than three in
    us-east-1 (the benign fleet's)."""
    split = commands_split(rows)
    assert len(split[("1. Terminate the instances", "us-east-1")]) > 1


def first_values_capped(values, n=3) -> bool:
    """A list as aws_cryptomining_first_values(field, n) leaves it: n values and "+N more" (True), or fewer (False)."""
    values = values if isinstance(values, list) else [values]
    assert len(values) <= n + 1, values
    assert len(values) <= n or re.fullmatch(r"\+\d+ more", values[-1]), values
    return len(values) == n + 1


def summary_of_every_key(rows):
    """Opened with no key: every credential's principals, keys and source IPs, each its first three and how many more
    (a row of the summary a few lines tall, not one line per principal)."""
    (row,) = rows
    capped = [first_values_capped(row[field]) for field in ("principals", "access_keys", "src_ips")]
    assert capped[0], row["principals"]


def sources_of_every_key(rows):
    """Opened with no key: each source IP's user agents as the tools that made the calls, one line each
    (`aws_cryptomining_short_user_agent`: no comments in brackets, no SDK metadata, at most 38 characters and "..."),
    the first three and how many more. Terraform's two agents of 216.160.83.56 (api/ec2 and api/sts) read as one."""
    for row in rows:
        first_values_capped(row["user_agents"])
        for agent in mv(row["user_agents"]):
            assert len(agent) <= 41 and "(" not in agent and not re.search(r" (ua|os|lang|md|cfg|api)/", agent), agent
    agents = {row["src_ip"]: mv(row["user_agents"]) for row in rows}
    assert agents[t.ATTACKER_IP] == ["Boto3/1.35.10 Botocore/1.35.10", "aws-cli/2.17.20"]
    assert agents["216.160.83.56"] == ["APN/1.0 HashiCorp/1.0 Terraform/1.9.5 ...", "AWS Internal", "aws-cli/2.17.37"]


def instance_changes(rows):
    assert [(r["instance_id"], r.get("new_instance_type"), r["outcome"]) for r in rows] == [(t.REPURPOSED, "p3.16xlarge", "success"), (t.REPURPOSED, None, "success"),
                               ("i-0200d9ecbbd706365", "g4dn.12xlarge", "failed")]
    assert rows[0]["instance_class"] == "gpu_accelerated" and float(rows[0]["price_usd_per_hour"]) > 20
    assert rows[2]["error_code"] == "IncorrectInstanceState"


def tampering(rows):
    assert [(r["time"], r["api_call"], r["outcome"]) for r in rows] == [
        (e["eventTime"], e["eventName"], "failed" if e.get("errorCode") else "success") for e in t.KEY_TAMPERING
        if e["eventName"] != "CreateFilter" or e["requestParameters"]["action"] == "ARCHIVE"
        if e["eventName"] != "UpdateDetector" or e["requestParameters"].get("enable") is False]
    assert len(rows) == 7 and {r["src_ip"] for r in rows} == {t.ATTACKER_IP}


def compute_resources(rows):
    """What the services campaign's key created or changed beyond EC2, one row per resource with its removal step."""
    assert {r["service"] for r in rows} == ct.SERVICES
    by_resource = {(r["service"], r["resource"]): r for r in rows}
    assert ("sagemaker", "llm-finetune-02") not in by_resource  # its only call failed (quota): nothing to delete
    assert by_resource[("ecs", "system-update")]["step"].startswith("Scale the services to 0")
    assert by_resource[("lightsail", "node-0-0,node-0-1,node-0-2,node-0-3,node-0-4")]["regions"] == "us-east-1"
    assert "delete-nodegroup" in by_resource[("eks", "gpu-workers")]["step"]
    assert all(r["step"] != "Review" for r in rows)

def incident(rows):
    (row,) = rows
    assert row["access_key"] == t.KEY and row["incident_id"].startswith("INC-")
    assert t.REGIONS_WITH_INSTANCES <= set(mv(row["regions"]))
    # the first three instances (instances before network interfaces) and how many more (the containment and launch
    # panels list every one)
    *first, more = mv(row["instance_ids"])
    assert len(first) == 3 and all(i.startswith("i-") for i in first), row["instance_ids"]
    assert 3 + int(re.fullmatch(r"\+(\d+) more", more).group(1)) >= len(set(t.INSTANCE_IDS)), more


def capacity(rows):
    """Every path the key used (StartInstances: the repurposed instance), its fleet and group ids to cancel, nothing of
    Terraform's or CI's."""
    paths = {r["capacity_path"] for r in rows}
    assert paths == {"RunInstances", "RequestSpotInstances", "CreateLaunchTemplate", "CreateFleet",
                     "CreateAutoScalingGroup", "StartInstances"}
    assert len([r for r in rows if r["capacity_path"] == "RunInstances"]) == len(t.LAUNCHES) + len(t.FAILED)
    fleet, group = t.GT["capacity_requests"]
    (fleet_row,) = [r for r in rows if r["capacity_path"] == "CreateFleet"]
    (group_row,) = [r for r in rows if r["capacity_path"] == "CreateAutoScalingGroup"]
    assert (fleet_row["capacity_key"], fleet_row["outcome"]) == (fleet["fleet_id"], "failed")
    assert (group_row["capacity_key"], group_row["instance_type"]) == (group["group"], "g4dn.2xlarge")


EVERY_KEY = {"earliest": NOW - 7 * 86400, "latest": NOW}   # no key or principal: as opened from the nav bar
EXPECT = {
    "ds_input_accounts": [Case(input_accounts, BY_KEY)],
    "ds_activity": [Case(activity, BY_KEY), Case(activity, BY_PRINCIPAL)],
    "ds_summary": [Case(summary, BY_KEY), Case(summary, BY_PRINCIPAL), Case(summary_of_every_key, EVERY_KEY)],
    "ds_first_call": [Case(first_call, BY_KEY), Case(first_call, BY_PRINCIPAL)],
    "ds_sources": [Case(sources, BY_KEY), Case(sources_of_every_key, EVERY_KEY)],
    "ds_launches": [Case(launches, BY_KEY)],
    "ds_capacity": [Case(capacity, BY_KEY), Case(capacity, BY_PRINCIPAL)],
    "ds_launch_summary": [Case(launch_summary, BY_KEY), Case(launch_summary, BY_PRINCIPAL)],
    "ds_launch_types": [Case(launch_types, BY_KEY)],
    "ds_launch_calls": [Case(launch_calls, BY_KEY)],
    "ds_guardduty": [Case(guardduty, BY_KEY)],
    "ds_containment": [Case(containment, BY_KEY), Case(containment, BY_PRINCIPAL),
                       Case(containment_of_every_key, EVERY_KEY)],
    "ds_tampering": [Case(tampering, BY_KEY), Case(tampering, BY_PRINCIPAL)],
    "ds_instance_changes": [Case(instance_changes, BY_KEY), Case(instance_changes, BY_PRINCIPAL)],
    "ds_compute_resources": [Case(compute_resources, dict(ct.DAY, access_key_id=ct.KEY)),
                             Case(compute_resources, dict(ct.DAY, principal=ct.PRINCIPAL))],

    "ds_incident": [Case(incident, BY_KEY)],
    "ds_incident_spend": [Case(m.incident_spend_actual, {**m.JUNE, "principal": m.ATTACKER}),
                          Case(m.estimate_only(t, m.CAMPAIGN_NOW), BY_KEY)],
    "ds_incident_spend_total": [Case(m.incident_spend_total_actual, {**m.JUNE, "principal": m.ATTACKER}),
                                Case(m.incident_spend_total_estimated, BY_KEY)],
}


@pytest.mark.parametrize("ds_id", data_source_ids(D))
def test_panel(run_panel, ds_id):
    run_cases(run_panel, D, ds_id, EXPECT)


def test_expectations_name_existing_data_sources():
    assert_table_matches(D, EXPECT)


# Dashboard Studio's Export > Download PDF renders the canvas as laid out: keep to visualizations that render
# statically (tables, single values, markdown), show every row of the campaign's tables without paging, and keep
# export enabled.
PDF_SAFE = {"splunk.table", "splunk.singlevalue", "splunk.markdown"}


# The incident table holds the one incident the report is opened for (by incident id, access key or principal); opened
# from the nav bar it lists every incident, rows four lines tall, five to a page as on the overview.
PAGED_BY_FIVE = {"viz_incident"}


def test_pdf_export_friendly():
    root, definition = studio.load(D)
    assert {v["type"] for v in definition["visualizations"].values()} <= PDF_SAFE
    assert definition["layout"]["type"] in ("grid", "absolute")
    for viz_id, viz in definition["visualizations"].items():
        if viz["type"] == "splunk.table":
            assert viz["options"]["count"] >= (5 if viz_id in PAGED_BY_FIVE else 10), viz_id


@pytest.mark.parametrize("ds_id", ["ds_launch_calls", "ds_containment"])
def test_pdf_tables_fit_on_one_page(run_panel, ds_id):
    _, definition = studio.load(D)
    def reads(viz):   # the table reads ds_id itself or its display chain (studio.display_chain)
        primary = viz.get("dataSources", {}).get("primary", "")
        return primary == ds_id or (studio.display_chain(definition, primary) or ("",))[0] == ds_id

    viz = next(v for v in definition["visualizations"].values() if reads(v))
    assert len(run_panel(D, ds_id, **BY_KEY)) <= viz["options"]["count"]


def test_checklist_covers_the_playbook():
    _, definition = studio.load(D)
    text = definition["visualizations"]["viz_checklist"]["options"]["markdown"]
    for needle in ("Terminate the instances", "cancel-spot-instance-requests", "cancel-spot-fleet-requests",
                   "delete-auto-scaling-group", "update-access-key --status Inactive", "service control policy",
                   '"ec2:InstanceType"', "start-logging", "update-detector --enable", "--instance-type",
                   "Export > Download PDF"):
        assert needle in text, needle


def test_incident_report_opens_by_incident_id(run_panel):
    """The overview's incidents panel opens the report with the incident id: it alone finds the incident."""
    (by_key,) = run_panel(D, "ds_incident", **BY_KEY)
    (by_id,) = run_panel(D, "ds_incident", incident_id=by_key["incident_id"])
    assert by_id == by_key
    assert run_panel(D, "ds_incident", incident_id="INC-000000000000") == []


def test_incident_shows_the_first_three_recorded_detections_and_how_many_more(run_panel, engine):
    """The report's Detections cell: the first three detections the correlation search recorded for the incident and
    how many more (its title counts them all)."""
    (row,) = run_panel(D, "ds_incident", **BY_KEY)
    recorded = recorded_detections(engine, NOW)[row["incident_id"]]
    assert_capped(row["detections"], recorded)
    assert {"large_gpu_launch", "guardduty_crypto_findings", "mining_pool_dns"} <= set(recorded)
    assert f": {len(recorded)} detections incl." in row["title"]
