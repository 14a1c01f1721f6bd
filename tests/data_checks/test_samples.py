"""The bundled real samples: realistic layouts, native AWS shapes, licences."""

import gzip
import importlib.util
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"

_spec = importlib.util.spec_from_file_location("build_samples", REPO / "tools" / "build_samples.py")
build_samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_samples)

KEY = re.compile(
    r"AWSLogs/(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d\d)/(\d\d)/"
    r"\1_CloudTrail_\2_(\d{8}T\d{4}Z)_[0-9a-f]{16}\.json\.gz"
)
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.mark.parametrize("folder,count", [("stratus-red-team", 310), ("synthetic-campaign/cloudtrail", None)])
def test_cloudtrail_exports_follow_the_s3_layout(folder, count):
    root = SAMPLES / folder
    files = sorted(root.rglob("*.json.gz"))
    total = 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        m = KEY.fullmatch(rel)
        assert m, rel
        raw = path.read_bytes()
        assert raw[4:8] == b"\0\0\0\0", "gzip mtime must be 0 for byte-stable rebuilds"
        records = json.loads(gzip.decompress(raw))["Records"]
        for rec in records:
            assert rec["recipientAccountId"] == m.group(1) and rec["awsRegion"] == m.group(2)
            assert ISO.fullmatch(rec["eventTime"])
            assert rec["eventTime"][:10] == f"{m.group(3)}-{m.group(4)}-{m.group(5)}"
        total += len(records)
    assert files and (count is None or total == count)


def test_stratus_keeps_the_failed_gpu_launch():
    recs = [r for p in (SAMPLES / "stratus-red-team").rglob("*.json.gz")
            for r in json.loads(gzip.decompress(p.read_bytes()))["Records"] if r["eventName"] == "RunInstances"]
    assert len(recs) == 1
    assert recs[0]["requestParameters"]["instanceType"] == "p2.xlarge"
    assert recs[0]["errorCode"] == "Client.UnauthorizedOperation"
    assert recs[0]["requestParameters"]["instancesSet"]["items"][0]["maxCount"] == 10


def lines(name):
    return [json.loads(x) for x in (SAMPLES / "panther" / name).open(encoding="utf-8")]


def test_panther_cloudtrail_in_native_form():
    recs = lines("cloudtrail.ndjson")
    assert len(recs) == 445
    assert all(ISO.fullmatch(r["eventTime"]) for r in recs)
    runs = [r for r in recs if r.get("eventName") == "RunInstances"]
    assert len(runs) == 10
    asg = [r for r in runs if r["userIdentity"].get("invokedBy") == "autoscaling.amazonaws.com"]
    assert {json.dumps(r["requestParameters"]["instanceType"]) for r in asg} == {'"p2.xlarge"', '{"value": "p2.xlarge"}'}
    assert asg[0]["eventTime"] == "2024-12-16T18:41:07Z"


def test_panther_guardduty_and_resolver_in_native_form():
    findings = lines("guardduty.ndjson")
    assert len(findings) == 8
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", f["createdAt"]) for f in findings)
    queries = lines("route53_resolver.ndjson")
    assert len(queries) == 13
    assert all(ISO.fullmatch(q["query_timestamp"]) for q in queries)
    assert all(isinstance(q["answers"], list) for q in queries if "answers" in q)
    pool = [q for q in queries if q["query_name"].rstrip(".").endswith("moneropool.ru")]
    assert len(pool) == 4 and {q["srcids"]["instance"] for q in pool} == {"i-0abc234"}


@pytest.mark.parametrize("text,want", [
    ("2024-12-16 18:41:07.000000000", "2024-12-16T18:41:07Z"),
    ("2022-10-20 14:16:43", "2022-10-20T14:16:43Z"),
    ("2024-01-01 00:00:00.000", "2024-01-01T00:00:00Z"),
    ("2019-01-01T00:00:00Z", "2019-01-01T00:00:00Z"),
    ("redacted", None), ("...", None), (None, None),
])
def test_time_normalisation(text, want):
    assert build_samples.iso_seconds(text) == want


def test_guardduty_millis():
    assert build_samples.iso_millis("2025-02-25 20:40:06.721") == "2025-02-25T20:40:06.721Z"
    assert build_samples.iso_millis("2025-02-25 20:40:06") == "2025-02-25T20:40:06.000Z"
    with pytest.raises(ValueError, match="not a timestamp"):
        build_samples.iso_millis("yesterday")


def test_every_sample_folder_has_source_and_no_elastic_data():
    for folder in ("stratus-red-team", "panther", "synthetic-campaign"):
        source = (SAMPLES / folder / "SOURCE.md").read_text(encoding="utf-8")
        assert "Licence" in source
    for folder in ("stratus-red-team", "panther"):
        assert "Apache-2.0" in (SAMPLES / folder / "SOURCE.md").read_text(encoding="utf-8")
        assert (SAMPLES / folder / "LICENSE-Apache-2.0.txt").is_file()
    # accounts that only occur in the Elastic-2.0 test logs (Resolver, GuardDuty sample, VPC flow fixtures)
    elastic_only = ("626345947581", "973743533182", "b2bf27df0abba4c0f818e407dd634e1b", "eni-1235b8ca123456789")
    for path in SAMPLES.rglob("*"):
        if path.is_file() and path.suffix in (".ndjson", ".jsonl", ".log", ".gz"):
            raw = path.read_bytes()
            text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
            assert not [m for m in elastic_only if m in text], path
