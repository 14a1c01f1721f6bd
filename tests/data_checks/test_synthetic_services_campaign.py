"""The SYNTHETIC services campaign (tools/synth_services_campaign.py -> samples/synthetic-campaign-services) is
current, labelled, and shaped like the real records it copies (Stratus Red Team's, bundled in samples/)."""
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from record_shapes import key_paths

REPO = Path(__file__).resolve().parents[2]
CAMPAIGN = REPO / "samples" / "synthetic-campaign-services"
sys.path.insert(0, str(REPO / "tools"))
import samples_io  # noqa: E402

_spec = importlib.util.spec_from_file_location("synth_services_campaign", REPO / "tools" / "synth_services_campaign.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)


@pytest.fixture(scope="module")
def records():
    return samples_io.read_cloudtrail_export(CAMPAIGN / "cloudtrail")


@pytest.fixture(scope="module")
def stratus():
    by_name = {}
    for record in samples_io.read_cloudtrail_export(REPO / "samples" / "stratus-red-team"):
        by_name.setdefault(record["eventName"], record)
    return by_name


def test_committed_output_is_current(tmp_path):
    count = synth.generate(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    committed = {p.relative_to(CAMPAIGN): p.read_bytes() for p in sorted(CAMPAIGN.rglob("*"))
                 if p.is_file() and p.suffix in (".gz", ".jsonl")}
    assert count == 224 and fresh == committed, "rerun tools/synth_services_campaign.py"


def test_labelled_synthetic():
    assert "SYNTHETIC" in (CAMPAIGN / "SYNTHETIC-DATA.txt").read_text(encoding="utf-8")
    assert "**Everything in this folder is SYNTHETIC.**" in (CAMPAIGN / "SOURCE.md").read_text(encoding="utf-8")


def test_the_stolen_key_spreads_across_eight_services(records):
    attacker = [r for r in records if r["userIdentity"].get("userName") == "amplify-ci-legacy"]
    assert {r["eventSource"].split(".")[0] for r in attacker} == {
        "ecs", "sagemaker", "codebuild", "lambda", "batch", "eks", "lightsail", "amplify"}
    assert {r["sourceIPAddress"] for r in attacker} == {"67.43.156.10"}


def test_envelopes_have_every_key_of_the_real_records(records, stratus):
    envelope = {p for p in key_paths(stratus["DeleteFlowLogs"])
                if not p.startswith(("requestParameters.", "responseElements.", "userIdentity."))}
    for record in records:
        assert not envelope - key_paths(record), record["eventName"]
        if record.get("errorCode"):
            assert record["errorMessage"] and record["responseElements"] is None


def test_identities_have_the_real_shapes(records, stratus):
    iam = {p for p in key_paths(stratus["DeleteFlowLogs"]) if p.startswith("userIdentity")}
    for record in records:
        if record["userIdentity"]["type"] == "IAMUser":
            assert {p for p in key_paths(record) if p.startswith("userIdentity")} == iam


def test_lambda_records_look_like_the_real_lambda_records(records, stratus):
    """Versioned event names and a responseElements that is the function configuration, as in Stratus's."""
    real = {p for p in key_paths(stratus["UpdateFunctionConfiguration20150331v2"]) if p.startswith("responseElements.")}
    made = [r for r in records if r["eventSource"] == "lambda.amazonaws.com"]
    assert Counter(r["eventName"] for r in made).keys() <= {
        "CreateFunction20150331", "UpdateFunctionConfiguration20150331v2", "UpdateFunctionCode20150331v2"}
    for record in made:
        assert {p for p in key_paths(record) if p.startswith("responseElements.")} <= real | {
            "responseElements.runtime", "responseElements.handler"}


def test_eks_audit_events_are_kubernetes_audit_events():
    """Shaped like the Kubernetes audit.k8s.io/v1 Event EKS writes to /aws/eks/<cluster>/cluster: the stolen key's
    IAM identity in the authenticator's extra fields, the request object at the RequestResponse level."""
    path = CAMPAIGN / "eks-audit" / "aws" / "eks" / "prod-eks" / "cluster" / "kube-apiserver-audit.jsonl"
    events = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    required = {"kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "user", "sourceIPs",
                "userAgent", "objectRef", "responseStatus", "requestObject", "requestReceivedTimestamp",
                "stageTimestamp", "annotations"}
    assert all(required <= set(e) and e["kind"] == "Event" and e["apiVersion"] == "audit.k8s.io/v1" for e in events)
    assert all(e["requestURI"].startswith(("/api/v1/namespaces/", "/apis/")) for e in events)
    keys = {e["user"]["extra"]["accessKeyId"][0] for e in events if e["sourceIPs"] == ["67.43.156.10"]}
    assert keys == {"AKIAXK4Q7N2RSWLDT6HZ"}
