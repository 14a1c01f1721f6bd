"""The shipped compute-type lookup (SageMaker, CodeBuild, Lightsail): classes, prices, rebuilt from its sources."""
import csv
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOOKUP = REPO / "lookups" / "compute_types.csv"
SUBSET = REPO / "tests" / "data" / "compute_types_subset" / "sagemaker_ml_types.csv"
CATALOGS = REPO / "tools" / "catalogs"

_spec = importlib.util.spec_from_file_location("build_compute_types", REPO / "tools" / "build_compute_types.py")
bct = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bct)


def _rows(text):
    return {r["compute_type"]: r for r in csv.DictReader(io.StringIO(text))}


@pytest.fixture(scope="module")
def lookup():
    return _rows(LOOKUP.read_text(encoding="utf-8"))


def _fresh():
    return _rows(bct.build(SUBSET.read_text(encoding="utf-8"), (CATALOGS / "codebuild_compute_types.csv").read_text(),
                           (CATALOGS / "lightsail_bundles.csv").read_text()))


def test_rows_rebuilt_from_the_sources_equal_the_shipped_ones(lookup):
    fresh = _fresh()
    assert "ml.eia2.medium" not in fresh  # Elastic Inference attachments are not instances
    assert len(fresh) == 8 + 10 + 7
    for name, row in fresh.items():
        assert lookup[name] == row, name


@pytest.mark.parametrize("name,klass,vcpu,gpus,price", [
    ("ml.t3.medium", "other", "2", "0", "0.0416"),
    ("ml.m5.24xlarge", "large", "96", "0", "4.608"),
    ("ml.p3.16xlarge", "gpu_accelerated", "64", "8", "24.48"),
    ("ml.inf1.xlarge", "gpu_accelerated", "4", "0", "0.228"),       # Inferentia: an accelerator, no GPU
    ("ml.trn1.32xlarge", "gpu_accelerated", "128", "0", "21.5"),
    ("BUILD_GENERAL1_SMALL", "other", "2", "0", ""),
    ("BUILD_GENERAL1_2XLARGE", "large", "72", "0", ""),
    ("lightsail:2xlarge", "other", "8", "0", "0.2247"),             # 164 USD a month / 730 h
])
def test_known_compute_types(lookup, name, klass, vcpu, gpus, price):
    row = lookup[name]
    assert (row["compute_class"], row["vcpu"], row["gpu_count"], row["price_usd_per_hour"]) == (klass, vcpu, gpus, price)


def test_every_sagemaker_accelerated_family_is_gpu_accelerated(lookup):
    accelerated = [n for n, r in lookup.items() if r["service"] == "sagemaker"
                   and re.match(r"ml\.([a-z]+)", n).group(1) in bct.ACCELERATED_FAMILIES]
    assert len(accelerated) > 50
    assert all(lookup[n]["compute_class"] == "gpu_accelerated" for n in accelerated)


def test_lightsail_rows_from_get_bundles_output():
    bundles = {"bundles": [
        {"bundleId": "2xlarge_3_0", "cpuCount": 8, "ramSizeInGb": 32.0, "price": 164.0, "isActive": True,
         "supportedPlatforms": ["LINUX_UNIX"]},
        {"bundleId": "2xlarge_win_3_0", "cpuCount": 8, "ramSizeInGb": 32.0, "price": 240.0, "isActive": True,
         "supportedPlatforms": ["WINDOWS"]},
        {"bundleId": "large_2_0", "cpuCount": 2, "ramSizeInGb": 8.0, "price": 40.0, "isActive": False,
         "supportedPlatforms": ["LINUX_UNIX"]}]}
    rows = bct.lightsail_rows(json.dumps(bundles), from_json=True)
    assert [(r["compute_type"], r["vcpu"], r["price_usd_per_hour"]) for r in rows] == [("lightsail:2xlarge", "8", "0.2247")]


def test_bad_source_names_the_line_and_column():
    text = SUBSET.read_text(encoding="utf-8").replace("ml.p3.16xlarge,p3.16xlarge,p3,16xlarge,64,", "ml.p3.16xlarge,p3.16xlarge,p3,16xlarge,many,")
    with pytest.raises(bct.SourceError, match=r"line \d+: not a number: 'many'"):
        bct.sagemaker_rows(text)
    with pytest.raises(bct.SourceError, match="lacks column"):
        bct.codebuild_rows("compute_type,cpus\nX,1\n")


def test_check_mode_detects_a_stale_lookup(tmp_path):
    stale = tmp_path / "compute_types.csv"
    stale.write_text("compute_type\n", encoding="utf-8")
    args = ["--sagemaker", str(SUBSET), "--out", str(stale), "--check"]
    assert bct.main(args) == 1
    assert bct.main(args[:-1]) == 0 and bct.main(args) == 0
