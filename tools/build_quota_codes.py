"""Build lookups/ec2_quota_codes.csv: the EC2 vCPU quotas (On-Demand and Spot, per instance bucket) by code.

The quota detection must know which Service Quotas codes govern EC2 capacity (and which of them govern GPU and
other accelerated families) without codes in SPL. AWS publishes no file of them; Gruntwork's
terraform-aws-utilities (Apache-2.0) generated one from the Service Quotas API, docs/quotas.md (a Markdown table:
service name, service code, quota name, quota code, AWS default value). This script keeps its EC2 rows named
"Running On-Demand <bucket> instances" and "All <bucket> Spot Instance Requests" and adds the bucket, the
families it covers and whether they are accelerated. tests/data/quota_codes holds those rows (the EC2 part of
the file at commit 04f58839), so the lookup rebuilds without a network.

Usage: python3 tools/build_quota_codes.py [--source quotas.md] [--out CSV] [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / "tests" / "data" / "quota_codes" / "quotas.md"
DEFAULT_OUT = REPO / "lookups" / "ec2_quota_codes.csv"
SOURCE_NAME = "terraform-aws-utilities@04f58839 (Gruntwork, Apache-2.0)"

QUOTA_NAME = re.compile(r"^(?:Running On-Demand (?P<od>.+) instances|All (?P<spot>.+) Spot Instance Requests)$")
# bucket as AWS names it in the quota -> (bucket id, instance families it covers, accelerated)
BUCKETS = {
    "Standard (A, C, D, H, I, M, R, T, Z)": ("standard", "a c d h i m r t z", False),
    "G and VT": ("g_vt", "g vt", True),
    "P": ("p", "p", True),
    "P4, P3 and P2": ("p", "p2 p3 p4", True),
    "P5": ("p", "p5", True),
    "Inf": ("inf", "inf", True),
    "Trn": ("trn", "trn", True),
    "F": ("f", "f", True),
    "DL": ("dl", "dl", True),
    "X": ("x", "x", False),
    "High Memory": ("high_memory", "u", False),
    "HPC": ("hpc", "hpc", False),
}
COLUMNS = ("quota_code", "service_code", "quota_name", "market", "instance_bucket", "families", "accelerated",
           "aws_default_vcpus", "source")


class SourceError(ValueError):
    """A row of the source table that cannot be read (file and line named)."""


def rows_of(source: Path):
    """The EC2 vCPU quota rows of the Markdown table, as lookup rows, sorted by code."""
    out = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[1] != "ec2":
            continue
        _service, code, name, quota_code, default = cells
        match = QUOTA_NAME.match(name)
        if not match:
            continue
        bucket_name = match.group("od") or match.group("spot")
        if bucket_name not in BUCKETS:
            raise SourceError(f"{source}:{number}: quota name '{name}': unknown instance bucket '{bucket_name}'")
        if not re.fullmatch(r"L-[0-9A-F]{8}", quota_code):
            raise SourceError(f"{source}:{number}: field 'Quota Code': '{quota_code}' is not a quota code")
        bucket, families, accelerated = BUCKETS[bucket_name]
        out.append({"quota_code": quota_code, "service_code": code, "quota_name": name,
                    "market": "on_demand" if match.group("od") else "spot", "instance_bucket": bucket,
                    "families": families, "accelerated": str(accelerated).lower(),
                    "aws_default_vcpus": str(int(float(default))), "source": SOURCE_NAME})
    if not out:
        raise SourceError(f"{source}: no EC2 vCPU quota row (Running On-Demand ... / All ... Spot Instance Requests)")
    return sorted(out, key=lambda r: r["quota_code"])


def render(rows) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh build")
    args = parser.parse_args(argv)
    try:
        text = render(rows_of(args.source))
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        return 0 if args.out.read_text(encoding="utf-8") == text else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10)) - 1} quota codes to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
