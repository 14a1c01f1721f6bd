"""The SYNTHETIC API-call scenarios (tools/synth_api_calls.py -> tests/data/<scenario>/) are current and shaped
like the real records they copy: Stratus Red Team's detonation records bundled in samples/stratus-red-team."""
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from record_shapes import key_paths

REPO = Path(__file__).resolve().parents[2]
STRATUS = REPO / "samples" / "stratus-red-team"
_spec = importlib.util.spec_from_file_location("synth_api_calls", REPO / "tools" / "synth_api_calls.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)
sys.path.insert(0, str(REPO / "tools"))
import samples_io  # noqa: E402


def scenario_records(scenario):
    path = REPO / "tests" / "data" / scenario / "cloudtrail.ndjson"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def stratus():
    """eventName -> the real Stratus record (the first of each name)."""
    by_name = {}
    for record in samples_io.read_cloudtrail_export(STRATUS):
        by_name.setdefault(record["eventName"], record)
    return by_name


def test_committed_output_is_current(tmp_path):
    assert sorted(synth.write(tmp_path).values()) == [7, 7, 12, 12, 24]
    for scenario in synth.SCENARIOS:
        fresh = (tmp_path / scenario / "cloudtrail.ndjson").read_bytes()
        committed = (REPO / "tests" / "data" / scenario / "cloudtrail.ndjson").read_bytes()
        assert fresh == committed, f"tests/data/{scenario} is stale: rerun tools/synth_api_calls.py"


@pytest.mark.parametrize("scenario", sorted(synth.SCENARIOS))
def test_envelopes_have_every_key_of_the_real_records(stratus, scenario):
    real = stratus["DeleteFlowLogs"]
    envelope = {p for p in key_paths(real) if not p.startswith(("requestParameters.", "responseElements.",
                                                                 "userIdentity."))}
    for record in scenario_records(scenario):
        # a call an AWS service makes on the account's behalf (invokedBy) reaches no public endpoint: no tlsDetails
        expected = {p for p in envelope if not p.startswith("tlsDetails")} if "invokedBy" in record["userIdentity"] \
            else envelope
        missing = expected - key_paths(record)
        assert not missing, (record["eventName"], sorted(missing))
        if record.get("errorCode"):
            assert record["errorMessage"] and record["responseElements"] is None


@pytest.mark.parametrize("call", ["StopInstances", "StartInstances", "ModifyInstanceAttribute"])
def test_ec2_responses_have_the_real_shapes(stratus, call):
    real = {p for p in key_paths(stratus[call]) if p.startswith("responseElements.")}
    made = [r for r in scenario_records("instance_repurposing") if r["eventName"] == call and not r.get("errorCode")]
    assert made
    for record in made:
        assert {p for p in key_paths(record) if p.startswith("responseElements.")} == real


def _campaign_autoscaling_launch():
    for record in samples_io.read_cloudtrail_export(REPO / "samples" / "synthetic-campaign" / "cloudtrail"):
        if "invokedBy" in record["userIdentity"]:
            return record
    raise AssertionError("the campaign has no service-made launch")


def test_identities_have_the_real_shapes(stratus):
    """IAM users as in Stratus; assumed roles as in the synthetic campaign's own Terraform records; service-linked
    roles (invokedBy) as the campaign's Auto Scaling launches."""
    iam = {p for p in key_paths(stratus["DeleteFlowLogs"]) if p.startswith("userIdentity")}
    role = {p for p in key_paths(json.loads((REPO / "tests" / "data" / "cloudtrail_reference" /
                                             "panther_runinstances_assumedrole.json").read_text(encoding="utf-8")))
            if p.startswith("userIdentity")}
    service = {p for p in key_paths(_campaign_autoscaling_launch()) if p.startswith("userIdentity")}
    for scenario in synth.SCENARIOS:
        for record in scenario_records(scenario):
            paths = {p for p in key_paths(record) if p.startswith("userIdentity")}
            if "invokedBy" in record["userIdentity"]:
                assert paths == service, record["eventName"]
                continue
            assert paths == (iam if record["userIdentity"]["type"] == "IAMUser" else role), record["eventName"]
