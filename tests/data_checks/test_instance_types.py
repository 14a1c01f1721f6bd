"""The shipped instance-type lookup: classes, prices, reproducibility from its source."""

import csv
import importlib.util
import io
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOOKUP = REPO / "lookups" / "ec2_instance_types.csv"
SUBSET = REPO / "tests" / "data" / "ec2_instance_types_subset" / "instance_types.csv"

_spec = importlib.util.spec_from_file_location("build_instance_types", REPO / "tools" / "build_instance_types.py")
bit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bit)


def _rows(text):
    return {r["instance_type"]: r for r in csv.DictReader(io.StringIO(text))}


@pytest.fixture(scope="module")
def lookup():
    return _rows(LOOKUP.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source_subset():
    return _rows(SUBSET.read_text(encoding="utf-8"))


# (type, class, price as in the source catalog, vcpu, gpu_count, accelerator)
KNOWN = [
    ("p2.xlarge", "gpu_accelerated", "0.9", "4", "1", "gpu"),
    ("g5.48xlarge", "gpu_accelerated", "16.288", "192", "8", "gpu"),
    ("t3.micro", "other", "0.0104", "2", "0", "none"),
    ("m5.24xlarge", "large", "4.608", "96", "0", "none"),
    ("c5.metal", "large", "4.08", "96", "0", "none"),
    ("inf2.xlarge", "gpu_accelerated", "0.7582", "4", "0", "inferentia"),
    ("trn1.32xlarge", "gpu_accelerated", "21.5", "128", "0", "trainium"),
    ("f1.2xlarge", "gpu_accelerated", "1.65", "8", "0", "fpga"),
    ("dl1.24xlarge", "gpu_accelerated", "13.10904", "96", "8", "gpu"),
    ("vt1.3xlarge", "gpu_accelerated", "0.65", "12", "0", "media"),
    ("m5.8xlarge", "large", "1.536", "32", "0", "none"),
    ("c5.9xlarge", "large", "1.53", "36", "0", "none"),
    ("t3.large", "other", "0.0832", "2", "0", "none"),
    ("g6f.large", "gpu_accelerated", "0.202", "2", "0.125", "gpu"),
    ("mac1.metal", "large", "", "12", "0", "none"),
    ("m9g.metal-24xl", "large", "", "96", "0", "none"),
    ("hs1.8xlarge", "other", "", "", "0", "none"),
    ("cg1.4xlarge", "gpu_accelerated", "", "16", "2", "gpu"),
    ("p4d.24xlarge", "gpu_accelerated", "21.957642", "96", "8", "gpu"),
]


@pytest.mark.parametrize("itype,klass,price,vcpu,gpus,accel", KNOWN)
def test_known_types(lookup, source_subset, itype, klass, price, vcpu, gpus, accel):
    row = lookup[itype]
    assert row["instance_class"] == klass
    assert row["price_usd_per_hour"] == price
    assert row["price_usd_per_hour"] == source_subset[itype]["on_demand_usd_per_hour_linux_us_east_1"]
    assert (row["vcpu"], row["gpu_count"], row["accelerator"]) == (vcpu, gpus, accel)


def test_columns_are_the_documented_ones():
    header = LOOKUP.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == list(bit.COLUMNS)


def test_lookup_covers_every_ec2_type_once(lookup):
    text = LOOKUP.read_text(encoding="utf-8")
    assert len(text.splitlines()) - 1 == len(lookup) == 1437
    assert list(lookup) == sorted(lookup)


def test_every_row_follows_the_class_rule(lookup):
    """Re-derive the class from the lookup's own columns, independent of classify()."""
    for name, r in lookup.items():
        accelerated = (
            r["category"] in {"p", "g", "gr", "inf", "trn", "dl", "f", "vt"}
            or float(r["gpu_count"] or 0) > 0
            or float(r["accelerator_count"] or 0) > 0
        )
        large = r["bare_metal"] == "true" or float(r["vcpu"] or 0) >= 32
        expected = "gpu_accelerated" if accelerated else "large" if large else "other"
        assert r["instance_class"] == expected, name


def test_every_gpu_family_of_the_catalog_is_accelerated(lookup):
    families = {"p2", "p3", "p4d", "p5", "g4dn", "g5", "g6", "gr6", "inf1", "inf2", "trn1", "trn2", "dl1", "dl2q", "f1", "f2", "vt1"}
    for name, r in lookup.items():
        if r["family"] in families:
            assert r["instance_class"] == "gpu_accelerated", name


def test_rebuild_of_source_subset_matches_committed_lookup(lookup):
    rebuilt = _rows(bit.build(SUBSET.read_text(encoding="utf-8")))
    assert len(rebuilt) == 31
    for name, row in rebuilt.items():
        assert row == lookup[name], name


def test_missing_source_column_is_named():
    text = SUBSET.read_text(encoding="utf-8").replace("accelerator_count", "acc_count", 1)
    with pytest.raises(bit.SourceError, match="accelerator_count"):
        bit.build(text)


def test_bad_number_names_line_and_column():
    lines = SUBSET.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",0,,,,none,", ",zero,,,,none,", 1)
    with pytest.raises(bit.SourceError, match=r"line 4: column 'gpu_count'"):
        bit.build("\n".join(lines) + "\n")


def test_duplicate_type_is_rejected():
    lines = SUBSET.read_text(encoding="utf-8").splitlines()
    with pytest.raises(bit.SourceError, match="duplicate instance_type"):
        bit.build("\n".join(lines + [lines[1]]) + "\n")


def test_check_mode_detects_stale_output(tmp_path, capsys):
    out = tmp_path / "lookup.csv"
    assert bit.main(["--source", str(SUBSET), "--out", str(out)]) == 0
    assert bit.main(["--source", str(SUBSET), "--out", str(out), "--check"]) == 0
    out.write_text(out.read_text().replace("gpu_accelerated", "other", 1))
    assert bit.main(["--source", str(SUBSET), "--out", str(out), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
