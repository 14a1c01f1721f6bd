"""Every scheduled detection records its results as findings (appbuild/findings.py, the
aws_cryptomining_record_finding macro), with the entities the incident correlation groups by."""
import json
import re

import pytest
from detection_scenarios import ASN_DB, CITY_DB, ROOT, load_events

import splengine
from appbuild import findings, savedsearches
from replay.app_overlay import offline_app
from replay.savedsearches import load_saved_searches

CAMPAIGN = ROOT / "samples" / "synthetic-campaign"
TRUTH = json.loads((CAMPAIGN / "ground_truth.json").read_text())


def test_every_scheduled_detection_records_findings_under_its_yaml_stem():
    specs = [s for s in savedsearches.load_sources() if s["kind"] == "detection"]
    assert len(specs) >= 10
    for spec in specs:
        search = dict(savedsearches.settings(spec))["search"]
        step = f"`aws_cryptomining_record_finding({findings.detection_name(spec)}, {spec['alert']['severity']},"
        if (spec.get("schedule") or {}).get("realtime"):
            assert "aws_cryptomining_record_finding" not in search, spec["_source"].name
        else:
            assert search.splitlines()[-1].startswith("| appendpipe [eval finding_summary=") and step in search, \
                spec["_source"].name
    support = [s for s in savedsearches.load_sources() if s["kind"] != "detection"]
    assert not any("record_finding" in dict(savedsearches.settings(s))["search"] for s in support)


def test_unknown_mitre_technique_is_a_build_error_naming_the_file():
    assert findings.tactics_of(["T1496", "T1578.002", "T1078.004"], "x.yml") == [
        "impact", "defense-evasion", "persistence", "privilege-escalation", "initial-access"]
    with pytest.raises(findings.FindingsError, match=r"x\.yml: MITRE technique T9999 has no tactic"):
        findings.tactics_of(["T1496", "T9999"], "x.yml")


def test_summary_renders_the_rba_message_with_multivalue_and_missing_fields():
    expr = findings.summary_expression('$user$ ran "$api_call$" in $regions$ ($nothing$)')
    rows = splengine.run_search(f'| makeresults | eval user="bob", regions=split("a,b", ",") | eval s={expr}')
    assert rows[0]["s"] == 'bob ran "?" in a, b (?)'


@pytest.fixture(scope="module")
def campaign_findings(tmp_path_factory):
    """The campaign's detections that need no baseline, each run once over all of the campaign, and the
    findings they recorded (through the generated savedsearches.conf)."""
    events, _ = load_events(["samples/synthetic-campaign"])
    names = {"large_gpu_launch": "AWS Cryptomining - Large or GPU EC2 Instance Launch",
             "guardduty_crypto_findings": "AWS Cryptomining - GuardDuty Cryptocurrency Finding",
             "mining_pool_dns": "AWS Cryptomining - Mining Pool DNS Query",
             "mining_pool_flow": "AWS Cryptomining - Mining Pool Network Flow"}
    authored = {s["name"]: s["search"] for s in savedsearches.load_sources()}
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        conf = {s.name: s for s in load_saved_searches(app / "default" / "savedsearches.conf")}
        engine = splengine.Engine(app, tmp_path_factory.mktemp("lookups"), geoip_db=CITY_DB)
        results = {short: engine.search(conf[name].search, events=events, now=2e9, earliest=0)
                   for short, name in names.items()}
        recorded = engine.search("| inputlookup aws_cryptomining_findings")
        plain = splengine.Engine(app, tmp_path_factory.mktemp("plain"), geoip_db=CITY_DB)
        without = {short: plain.search(authored[name], events=events, now=2e9, earliest=0)
                   for short, name in names.items()}
    return results, recorded, without


def test_each_result_row_is_one_finding_and_the_rows_are_unchanged(campaign_findings):
    results, recorded, without = campaign_findings
    for detection, rows in results.items():
        assert rows and rows == without[detection], detection
        assert sum(f["detection"] == detection for f in recorded) == len(rows), detection
    assert len({f["finding_id"] for f in recorded}) == len(recorded)
    assert all(f["recorded"] == "2000000000" for f in recorded)


def test_findings_carry_the_entities_of_the_campaign(campaign_findings):
    _, recorded, _ = campaign_findings
    launches = [f for f in recorded if f["detection"] == "large_gpu_launch"]
    assert {f["access_key"] for f in launches} == {TRUTH["access_key_id"]}
    assert {f["principals"] for f in launches} == {TRUTH["principal"]}
    assert {f["account"] for f in recorded} == {TRUTH["account"]}
    launched = {i for f in launches for i in f.get("instance_ids", "").split()}
    assert launched == set(TRUTH["instance_ids"])
    assert {f["tactics"] for f in launches} == {"impact defense-evasion"}
    assert {f["mitre"] for f in launches} == {"T1496 T1578.002"}
    results, _, _ = campaign_findings
    costs = sum(float(row.get("est_cost_per_hour") or 0) for row in results["large_gpu_launch"])
    assert round(sum(float(f["cost_per_hour"]) for f in launches), 2) == round(costs, 2) > TRUTH["estimated_cost_usd_per_hour"] - 0.01
    assert sorted(f["severity"] for f in launches) == sorted(row["severity"] for row in results["large_gpu_launch"])
    assert {"low", "high"} <= {f["severity"] for f in launches}   # failed probes low, GPU launches high
    network = [f for f in recorded if f["detection"] in ("mining_pool_dns", "mining_pool_flow", "guardduty_crypto_findings")]
    enis = {i["eni"] for i in TRUTH["instances"]}
    assert network and all(set(f["instance_ids"].split()) <= launched | enis for f in network)
    private_ips = {i["private_ip"] for i in TRUTH["instances"]}
    flows = [f for f in network if f["detection"] == "mining_pool_flow"]
    assert flows and all(set(f["src_ips"].split()) <= private_ips for f in flows)   # links an ENI to its instance
    assert all(f.get("indicator") for f in network)
    message = next(s for s in savedsearches.load_sources() if s["_source"].stem == "large_gpu_launch")["rba"]["message"]
    def render(row):
        return re.sub(r"\$(\w+)\$", lambda m: str(row.get(m.group(1), "?")), " ".join(message.split()))
    rendered = {render(row) for row in results["large_gpu_launch"]}
    assert {f["summary"] for f in launches} == rendered


def test_a_lambda_finding_names_who_changed_the_function_and_publishes_its_usage(tmp_path):
    """lambda_abuse names the principal who last changed the function (changed_by): that is the finding's
    principal, which ties it to the key's incident; its usage (region/lambda) is what Lambda spend joins on."""
    engine = splengine.Engine(ROOT, tmp_path)
    engine.search('| makeresults | eval account="318640297165", region="us-east-1", function_name="thumbnail-resizer", '
                  'changed_by="svc-reporting", severity="high" | fields - _time '
                  '| `aws_cryptomining_record_finding(lambda_abuse, high, 60, "T1496 T1648", "impact execution")`',
                  now=2e9)
    [finding] = engine.search("| inputlookup aws_cryptomining_findings")
    assert (finding["principals"], finding["usage"], finding["indicator"]) == (
        "svc-reporting", "us-east-1/lambda", "thumbnail-resizer")


def test_a_finding_is_recorded_once_however_often_a_detection_returns_it(tmp_path):
    """spend_anomaly judges the newest billed day on each daily run, so it returns the same day again (its
    alert throttled) while billing has nothing newer: the day is the finding's time and its finding_id, and
    the finding keeps its first recording time. A new day is a new finding."""
    engine = splengine.Engine(ROOT, tmp_path)

    def run(day, now):
        engine.search(f'| makeresults | eval account="318640297165", region="us-east-1", day="{day}", '
                      'usage_type="USE1-BoxUsage:g4dn.12xlarge", product_code="AmazonEC2", cost=131.38, '
                      'severity="high" | fields - _time '
                      '| `aws_cryptomining_record_finding(spend_anomaly, high, 40, "T1496", "impact")`', now=now)

    for now in (2_000_000_000, 2_000_086_400, 2_000_172_800):
        run("2033-05-17", now)
    [finding] = engine.search("| inputlookup aws_cryptomining_findings")
    assert (finding["recorded"], finding["finding_time"]) == ("2000000000", "1999900800")   # 2033-05-17 00:00 UTC
    run("2033-05-18", 2_000_259_200)
    assert len(engine.search("| inputlookup aws_cryptomining_findings")) == 2
