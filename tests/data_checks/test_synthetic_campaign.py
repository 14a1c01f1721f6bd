"""The synthetic campaign: deterministic, shaped like real records, and consistent with its ground truth."""

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from record_shapes import key_paths

REPO = Path(__file__).resolve().parents[2]
CAMPAIGN = REPO / "samples" / "synthetic-campaign"
REFERENCE = REPO / "tests" / "data" / "cloudtrail_reference"
sys.path.insert(0, str(REPO / "tools"))
import samples_io  # noqa: E402

_spec = importlib.util.spec_from_file_location("synth_campaign", REPO / "tools" / "synth_campaign.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)


def tree_digest(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("campaign")
    synth.generate(out)
    return out


@pytest.fixture(scope="module")
def truth():
    return json.loads((CAMPAIGN / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records():
    return samples_io.read_cloudtrail_export(CAMPAIGN / "cloudtrail")


def test_same_seed_same_bytes_and_committed_output_is_current(generated, tmp_path):
    synth.generate(tmp_path)
    again = tree_digest(tmp_path)
    assert again == tree_digest(generated)
    committed = {k: v for k, v in tree_digest(CAMPAIGN).items() if not k.endswith(".md") and "SYNTHETIC" not in k}
    assert committed == again, "samples/synthetic-campaign is stale: rerun tools/synth_campaign.py"


def test_other_seed_changes_the_data(tmp_path, generated):
    synth.generate(tmp_path, seed=7)
    assert tree_digest(tmp_path) != tree_digest(generated)


# ------------------------------------------------------------------ shapes against real records


def reference(name):
    return key_paths(json.loads((REFERENCE / name).read_text(encoding="utf-8")))


def without_identity(paths):
    return {p for p in paths if not p.startswith("userIdentity")}


# Paths that exist only when the caller passes that argument or uses the console; not part of "the shape".
CALLER_OPTIONAL = (
    "requestParameters.networkInterfaceSet", "requestParameters.instancesSet.items.keyName",
    "requestParameters.tagSpecificationSet", "sessionCredentialFromConsole",
    "responseElements.instancesSet.items.tagSet.items", "responseElements.instancesSet.items.iamInstanceProfile",
    "requestParameters.availabilityZone", "responseElements.instancesSet.items.clientToken",
    "requestParameters.privateDnsNameOptions", "requestParameters.ebsOptimized",
)
LAUNCH_TEMPLATE_ONLY = ("requestParameters.launchTemplate",)
TYPE_AND_IMAGE = ("requestParameters.instanceType", "requestParameters.instancesSet.items.imageId")


def required(paths, *optional_groups):
    drop = tuple(p for group in optional_groups for p in group)
    return {p for p in paths if not p.startswith(drop)}


def runs(records, pred):
    found = [r for r in records if r["eventName"] == "RunInstances" and pred(r)]
    assert found
    return found


def test_successful_launches_have_every_key_of_real_ones(records):
    ref = required(without_identity(reference("panther_runinstances_assumedrole.json")), CALLER_OPTIONAL)
    for rec in runs(records, lambda r: "errorCode" not in r and "invokedBy" not in r["userIdentity"]):
        optional = TYPE_AND_IMAGE if "launchTemplate" in rec["requestParameters"] else ()
        missing = required(ref, optional) - key_paths(rec)
        assert not missing, (rec["eventID"], sorted(missing))


def test_autoscaling_launches_match_the_real_autoscaling_record(records):
    ref = reference("panther_runinstances_autoscaling.json")
    for rec in runs(records, lambda r: "invokedBy" in r["userIdentity"]):
        missing = ref - key_paths(rec)
        assert not missing, sorted(missing)


def test_failed_launches_have_every_key_of_real_failures(records):
    ref = without_identity(reference("stratus_runinstances_unauthorized.json"))
    dry = without_identity(reference("panther_runinstances_dryrun_launchtemplate.json"))
    for rec in runs(records, lambda r: "errorCode" in r):
        optional = TYPE_AND_IMAGE if "launchTemplate" in rec["requestParameters"] else ()
        assert not required(ref, optional) - key_paths(rec), rec["eventID"]
        assert not required(dry, optional, LAUNCH_TEMPLATE_ONLY) - key_paths(rec), rec["eventID"]
        assert rec["responseElements"] is None


def test_identities_have_the_real_shapes(records):
    iam = {p for p in reference("panther_getcalleridentity_iamuser.json") if p.startswith("userIdentity")}
    role = {p for p in reference("panther_runinstances_assumedrole.json") if p.startswith("userIdentity")}
    for rec in records:
        paths = {p for p in key_paths(rec) if p.startswith("userIdentity")}
        kind = rec["userIdentity"]["type"]
        if kind == "IAMUser":
            assert paths == iam, rec["eventID"]
        else:
            assert kind == "AssumedRole"
            assert role - {"userIdentity.accessKeyId", "userIdentity.sessionContext.webIdFederationData"} <= paths


def test_get_caller_identity_matches_real(records):
    ref = reference("panther_getcalleridentity_iamuser.json")
    calls = [r for r in records if r["eventName"] == "GetCallerIdentity" and r["userIdentity"]["type"] == "IAMUser"]
    assert len(calls) == 1
    assert ref <= key_paths(calls[0])


# ------------------------------------------------------------------ ground truth against the files


def attacker(records, truth):
    return [r for r in records if r["userIdentity"].get("accessKeyId") == truth["access_key_id"]]


def test_first_malicious_call_and_principal(records, truth):
    mine = sorted(attacker(records, truth), key=lambda r: r["eventTime"])
    assert mine[0]["eventTime"] == truth["first_malicious_call"] == "2026-10-01T02:13:07Z"
    assert mine[0]["eventName"] == "GetCallerIdentity"
    assert {r["userIdentity"]["arn"] for r in mine} == {truth["principal_arn"]}
    assert {r["sourceIPAddress"] for r in mine} == {truth["source_ip"]}
    assert truth["access_key_id"].startswith("AKIA") and truth["principal_type"] == "IAMUser"
    others = [r for r in records if r not in mine]
    assert all(r["eventTime"] < "2026-10-01T00:00:00Z" for r in others)


def test_benign_month_is_benign(records, truth):
    benign = [r for r in records if r["eventTime"] < truth["first_malicious_call"]]
    assert {r["awsRegion"] for r in benign} == {"us-east-1", "eu-west-1"}
    launches = [r for r in benign if r["eventName"] == "RunInstances"]
    assert len(launches) == truth["benign"]["run_instances_events"]
    types = {i["instanceType"] for r in launches for i in r["responseElements"]["instancesSet"]["items"]}
    assert types == set(truth["benign"]["instance_types"]) <= {"t3.micro", "t3.small", "t3.medium", "m5.large",
                                                               "m5.xlarge"}
    roles = {r["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"] for r in launches}
    assert roles == set(truth["benign"]["principals"])
    assert all("errorCode" not in r for r in benign)
    assert benign[0]["eventTime"] >= "2026-09-01" and max(r["eventTime"] for r in benign) < "2026-10-01"


def test_launches_and_instance_ids_match(records, truth):
    mine = [r for r in attacker(records, truth) if r["eventName"] == "RunInstances"]
    ok = [r for r in mine if "errorCode" not in r]
    ids = [i["instanceId"] for r in ok for i in r["responseElements"]["instancesSet"]["items"]]
    assert sorted(ids) == sorted(truth["instance_ids"]) and len(ids) == truth["instances_launched"] == 14
    assert {i["instanceType"] for r in ok for i in r["responseElements"]["instancesSet"]["items"]} == set(
        truth["instance_types"])
    assert {i["imageId"] for r in ok for i in r["responseElements"]["instancesSet"]["items"]} == set(truth["new_amis"])
    assert not set(truth["new_amis"]) & set(truth["benign"]["amis"].values())
    regions = {r["awsRegion"] for r in attacker(records, truth)} - {"us-east-1", "eu-west-1"}
    assert sorted(regions) == truth["new_regions"]
    assert sorted({r["awsRegion"] for r in ok} - {"us-east-1"}) == truth["new_regions_with_instances"]
    errors = sorted(r["errorCode"] for r in mine if "errorCode" in r)
    assert errors == sorted(f["error_code"] for f in truth["failed_launches"]) == [
        "Client.DryRunOperation", "Client.UnauthorizedOperation", "Client.VcpuLimitExceeded",
        "Client.VcpuLimitExceeded", "Server.InsufficientInstanceCapacity"]
    by_id = {r["eventID"]: r for r in mine}
    for launch in truth["launches"]:
        req = by_id[launch["event_id"]]["requestParameters"]
        assert req["instancesSet"]["items"][0]["maxCount"] == launch["max_count"]
        assert ("instanceType" in req) == launch["type_in_request"]
        assert ("instanceMarketOptions" in req) == launch["spot"]


def test_launch_template_launches_without_a_type(records, truth):
    by_id = {r["eventID"]: r for r in attacker(records, truth)}
    no_type = [f for f in truth["failed_launches"] if f["instance_type"] is None]
    assert len(no_type) == 1
    rec = by_id[no_type[0]["event_id"]]
    assert "launchTemplate" in rec["requestParameters"] and "instanceType" not in json.dumps(rec)
    lt_ok = [x for x in truth["launches"] if not x["type_in_request"]]
    assert len(lt_ok) == 1 and by_id[lt_ok[0]["event_id"]]["requestParameters"]["launchTemplate"]


def test_costs_use_the_lookup_prices(truth):
    prices = {"p3.8xlarge": 12.24, "g4dn.12xlarge": 3.912, "g4dn.xlarge": 0.526, "p4d.24xlarge": 21.957642,
              "g4dn.2xlarge": 0.752, "g5.12xlarge": 5.672}
    for launch in truth["launches"]:
        assert launch["estimated_cost_usd_per_hour"] == pytest.approx(launch["launched"] * prices[launch["instance_type"]])
    assert truth["estimated_cost_usd_per_hour"] == pytest.approx(
        sum(x["estimated_cost_usd_per_hour"] for x in truth["launches"]))


def test_spot_request(records, truth):
    spots = [r for r in attacker(records, truth) if r["eventName"] == "RequestSpotInstances"]
    assert len(spots) == len(truth["spot_requests"]) == 1
    assert spots[0]["requestParameters"]["instanceCount"] == truth["spot_requests"][0]["instance_count"] == 6


def test_resolver_queries_come_from_campaign_instances(truth):
    lines = [json.loads(x) for x in (CAMPAIGN / "route53-resolver" / "resolver-query-logs.jsonl").open()]
    assert len(lines) == truth["files"]["resolver_queries"]
    pool_domains = {p["domain"] + "." for p in truth["mining_pools"]}
    mining = [q for q in lines if q["query_name"] in pool_domains]
    assert {q["srcids"]["instance"] for q in mining} == set(truth["instance_ids"])
    assert all(q["query_timestamp"] >= truth["first_malicious_call"] for q in mining)
    assert not [q for q in lines if q["query_name"] not in pool_domains and q["srcids"]["instance"] in
                set(truth["instance_ids"])]
    for q in lines:
        assert list(q) == ["version", "account_id", "region", "vpc_id", "query_timestamp", "query_name",
                           "query_type", "query_class", "rcode", "answers", "srcaddr", "srcport", "transport",
                           "srcids"]


def test_flow_logs_reach_pools_from_campaign_enis(truth):
    enis = {i["eni"]: i for i in truth["instances"]}
    pools = {(p["ip"], str(p["port"])) for p in truth["mining_pools"]}
    total = 0
    for path in sorted((CAMPAIGN / "vpcflow").glob("*.log")):
        lines = path.read_text().splitlines()
        assert lines[0] == synth.FLOW_HEADER
        for line in lines[1:]:
            f = line.split(" ")
            assert len(f) == 14 and f[0] == "2" and f[1] == truth["account"] and f[12] == "ACCEPT"
            assert f[2] in enis
            assert (f[4], f[6]) in pools or (f[3], f[5]) in pools
            total += 1
    assert total == truth["files"]["vpcflow_records"]


def test_guardduty_findings_match_truth(truth):
    bare = [json.loads(x) for x in (CAMPAIGN / "guardduty" / "findings.jsonl").open()]
    wrapped = [json.loads(x) for x in (CAMPAIGN / "guardduty" / "eventbridge-findings.jsonl").open()]
    assert wrapped[0]["detail-type"] == "GuardDuty Finding" and wrapped[0]["source"] == "aws.guardduty"
    got = [(f["type"], f["resource"]["instanceDetails"]["instanceId"], f["region"], False) for f in bare]
    got += [(w["detail"]["type"], w["detail"]["resource"]["instanceDetails"]["instanceId"], w["region"], True)
            for w in wrapped]
    want = [(g["type"], g["instance_id"], g["region"], g["eventbridge"]) for g in truth["guardduty"]]
    assert got == want
    assert {t for t, *_ in got} == {"CryptoCurrency:EC2/BitcoinTool.B!DNS", "Impact:EC2/BitcoinDomainRequest.Reputation",
                                    "CryptoCurrency:EC2/BitcoinTool.B", "CryptoCurrency:Runtime/BitcoinTool.B"}


def test_guardduty_shape_follows_the_sample_finding(truth):
    """Top-level, resource and service keys of GuardDuty's own CryptoCurrency sample finding (listed here)."""
    top = {"schemaVersion", "accountId", "region", "partition", "id", "arn", "type", "resource", "service",
           "severity", "createdAt", "updatedAt", "title", "description"}
    details = {"instanceId", "instanceType", "launchTime", "platform", "productCodes", "networkInterfaces", "tags",
               "instanceState", "availabilityZone", "imageId", "imageDescription"}
    service = {"serviceName", "detectorId", "action", "resourceRole", "additionalInfo", "eventFirstSeen",
               "eventLastSeen", "archived", "count"}
    for line in (CAMPAIGN / "guardduty" / "findings.jsonl").open():
        f = json.loads(line)
        assert top <= set(f) and details <= set(f["resource"]["instanceDetails"]) and service <= set(f["service"])


def test_labelled_synthetic(truth):
    assert truth["synthetic"] is True
    assert "SYNTHETIC" in (CAMPAIGN / "SOURCE.md").read_text()
    assert (CAMPAIGN / "SYNTHETIC-DATA.txt").is_file()
    assert "synthetic" in CAMPAIGN.name


def test_other_capacity_paths(records, truth):
    """Quota reconnaissance and increase, a failed instant EC2 Fleet and an empty Auto Scaling group on the GPU
    template, all by the stolen key after its first call, as ground_truth.json lists them."""
    mine = attacker(records, truth)
    quota = sorted((r for r in mine if r["eventSource"] == "servicequotas.amazonaws.com"), key=lambda r: r["eventTime"])
    assert [(r["eventName"], r["awsRegion"]) for r in quota] == [(q["api_call"], q["region"]) for q in truth["quota_calls"]]
    assert {r["requestParameters"]["quotaCode"] for r in quota} == {"L-DB2E81BA"}
    assert quota[-1]["responseElements"]["requestedQuota"]["status"] == "PENDING"
    fleet, group = truth["capacity_requests"]
    fleets = [r for r in mine if r["eventName"] == "CreateFleet"]
    assert len(fleets) == 1 and fleets[0]["awsRegion"] == fleet["region"]
    response = fleets[0]["responseElements"]["CreateFleetResponse"]
    assert response["fleetId"] == fleet["fleet_id"] and response["fleetInstanceSet"] == ""
    assert response["errorSet"]["item"]["errorCode"] == fleet["error_code"]
    groups = [r for r in mine if r["eventName"] == "CreateAutoScalingGroup"]
    assert len(groups) == 1 and groups[0]["responseElements"] is None
    assert groups[0]["requestParameters"]["launchTemplate"]["launchTemplateId"] == group["launch_template"]
    assert min(r["eventTime"] for r in quota + fleets + groups) > truth["first_malicious_call"]
