"""lookups/ec2_quota_codes.csv is rebuilt byte for byte from its Apache-2.0 source by tools/build_quota_codes.py,
covers every accelerated family the instance-type lookup classifies as gpu_accelerated, and bad input is named."""
import csv
import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_quota_codes", REPO / "tools" / "build_quota_codes.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def lookup():
    with (REPO / "lookups" / "ec2_quota_codes.csv").open(encoding="utf-8") as fh:
        return {row["quota_code"]: row for row in csv.DictReader(fh)}


def test_committed_lookup_is_current():
    assert build.main(["--check"]) == 0


def test_codes_of_the_compute_quotas():
    rows = lookup()
    assert len(rows) == 19
    assert (rows["L-1216C47A"]["market"], rows["L-1216C47A"]["instance_bucket"]) == ("on_demand", "standard")
    assert (rows["L-DB2E81BA"]["instance_bucket"], rows["L-DB2E81BA"]["accelerated"]) == ("g_vt", "true")
    assert (rows["L-3819A6DF"]["market"], rows["L-3819A6DF"]["accelerated"]) == ("spot", "true")
    assert {r["instance_bucket"] for r in rows.values() if r["accelerated"] == "true"} == {
        "g_vt", "p", "inf", "trn", "f", "dl"}
    # every accelerated bucket has an On-Demand and a Spot quota
    for bucket in ("g_vt", "p", "inf", "trn", "f", "dl", "standard"):
        assert {r["market"] for r in rows.values() if r["instance_bucket"] == bucket} == {"on_demand", "spot"}


def test_every_gpu_accelerated_family_has_a_quota_bucket():
    with (REPO / "lookups" / "ec2_instance_types.csv").open(encoding="utf-8") as fh:
        categories = {r["category"] for r in csv.DictReader(fh) if r["instance_class"] == "gpu_accelerated"}
    covered = {f.rstrip("0123456789") for r in lookup().values() for f in r["families"].split()}
    # left: gr (Graviton + GPU, whose quota name says G) and cg (cg1, a retired cluster GPU generation)
    assert categories - covered == {"gr", "cg"}, categories - covered


def test_bad_rows_are_named(tmp_path):
    source = tmp_path / "quotas.md"
    source.write_text("| Amazon EC2 | ec2 | Running On-Demand Quantum instances | L-00000000 | 0.0 |\n")
    with pytest.raises(build.SourceError, match=r"quotas.md:1: .*unknown instance bucket 'Quantum'"):
        build.rows_of(source)
    source.write_text("| Amazon EC2 | ec2 | Running On-Demand P instances | 417A185B | 0.0 |\n")
    with pytest.raises(build.SourceError, match=r"quotas.md:1: field 'Quota Code': '417A185B'"):
        build.rows_of(source)
