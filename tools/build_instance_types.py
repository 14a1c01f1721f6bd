"""Build lookups/ec2_instance_types.csv from the EC2 instance-type catalog.

The detections classify RunInstances by a lookup, not a hard-coded list. This script keeps only the
columns they read and adds ``instance_class`` with one documented rule (see ``classify``), so the
shipped lookup is small and reproducible from its Apache-2.0 source (../shared/intel/ec2-instance-types).

Usage: python3 tools/build_instance_types.py [--source CSV] [--out CSV] [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "intel" / "ec2-instance-types" / "instance_types.csv"
DEFAULT_OUT = REPO / "lookups" / "ec2_instance_types.csv"

# Families whose whole purpose is an accelerator (GPU, Inferentia, Trainium, Gaudi/AI100, FPGA, video).
ACCELERATED_CATEGORIES = frozenset({"p", "g", "gr", "inf", "trn", "dl", "f", "vt"})
LARGE_VCPU = 32

# output column -> source column (None: computed here)
COLUMNS = {
    "instance_type": "instance_type",
    "family": "family",
    "category": "category",
    "size": "size",
    "vcpu": "vcpu",
    "memory_gib": "memory_gib",
    "gpu_count": "gpu_count",
    "gpu_model": "gpu_model",
    "accelerator": "accelerator",
    "accelerator_count": "accelerator_count",
    "bare_metal": "bare_metal",
    "price_usd_per_hour": "on_demand_usd_per_hour_linux_us_east_1",
    "instance_class": None,
    "source": "source",
}


class SourceError(ValueError):
    """The source catalog does not have the shape this build expects."""


def _number(row: dict, column: str, line: int) -> float:
    """Parse a numeric cell; empty means 0 (no GPU, no accelerator)."""
    text = row[column].strip()
    if not text:
        return 0.0
    try:
        return float(text)
    except ValueError:
        raise SourceError(f"line {line}: column {column!r} is not a number: {text!r}") from None


def classify(row: dict, line: int = 0) -> str:
    """gpu_accelerated: accelerated family or any GPU/accelerator; large: *.metal or vcpu >= 32; else other."""
    if (
        row["category"] in ACCELERATED_CATEGORIES
        or _number(row, "gpu_count", line) > 0
        or _number(row, "accelerator_count", line) > 0
    ):
        return "gpu_accelerated"
    if row["bare_metal"] == "true" or row["size"].startswith("metal"):
        return "large"
    if _number(row, "vcpu", line) >= LARGE_VCPU:
        return "large"
    return "other"


def build(source_text: str) -> str:
    """Return the lookup CSV text for the catalog CSV text (rows sorted by instance_type)."""
    reader = csv.DictReader(io.StringIO(source_text))
    needed = [c for c in COLUMNS.values() if c]
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(f"source CSV lacks column(s): {', '.join(missing)}")
    rows = []
    seen = set()
    for line, src in enumerate(reader, start=2):
        name = src["instance_type"].strip()
        if not name:
            raise SourceError(f"line {line}: empty instance_type")
        if name in seen:
            raise SourceError(f"line {line}: duplicate instance_type {name!r}")
        if src["bare_metal"] not in ("true", "false"):
            raise SourceError(f"line {line}: bare_metal must be true/false, got {src['bare_metal']!r}")
        seen.add(name)
        out = {k: (src[v] if v else "") for k, v in COLUMNS.items()}
        out["instance_class"] = classify(src, line)
        rows.append(out)
    rows.sort(key=lambda r: r["instance_type"])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="instance_types.csv of the catalog")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="lookup CSV to write")
    parser.add_argument("--check", action="store_true", help="fail if --out differs from a fresh build")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        parser.error(f"--source: no such file: {args.source}")
    text = build(args.source.read_text(encoding="utf-8"))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is stale: rerun tools/build_instance_types.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} instance types)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
