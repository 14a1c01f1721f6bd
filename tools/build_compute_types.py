"""Build lookups/compute_types.csv: the compute types of SageMaker, CodeBuild and Lightsail, classified.

The detections beyond EC2 classify a SageMaker ml.* type, a CodeBuild compute type or a Lightsail bundle by
this lookup (vCPU, GPU, hourly price, class), never by a list in SPL. One row per compute type, keyed by
`compute_type`: the ml.* name for SageMaker, the ComputeType enum value for CodeBuild, `lightsail:<size>` for
a Lightsail bundle size (nano ... 2xlarge; the detections strip the bundle's generation suffix, e.g. _3_0).

Sources (see tools/catalogs/SOURCE.md):
- SageMaker: ../shared/intel/ec2-instance-types/sagemaker_ml_types.csv (Apache-2.0; botocore's ml.* enums with
  the specs of the EC2 type underneath). The price column is that EC2 type's on-demand price: a lower bound of
  SageMaker's own price, which no licence-clean catalog publishes.
- CodeBuild: tools/catalogs/codebuild_compute_types.csv, transcribed from the CodeBuild API reference
  (ProjectEnvironment.computeType).
- Lightsail: tools/catalogs/lightsail_bundles.csv (Linux bundles of the Lightsail pricing page), or the JSON
  output of `aws lightsail get-bundles` given with --lightsail-json.

The class rule is the EC2 lookup's (tools/build_instance_types.py): gpu_accelerated for an accelerated family or
any GPU/accelerator, large for at least 32 vCPUs, else other.

Usage: python3 tools/build_compute_types.py [--sagemaker CSV] [--lightsail-json FILE] [--out CSV] [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATALOGS = Path(__file__).resolve().parent / "catalogs"
DEFAULT_SAGEMAKER = REPO.parent / "shared" / "intel" / "ec2-instance-types" / "sagemaker_ml_types.csv"
DEFAULT_OUT = REPO / "lookups" / "compute_types.csv"
ACCELERATED_FAMILIES = frozenset({"p", "g", "gr", "inf", "trn", "dl", "f", "vt"})  # as build_instance_types.py
LARGE_VCPU = 32
HOURS_PER_MONTH = 730  # AWS's monthly-to-hourly convention on its pricing pages
COLUMNS = ["compute_type", "service", "vcpu", "memory_gib", "gpu_count", "gpu_model", "accelerator",
           "price_usd_per_hour", "compute_class", "source"]


class SourceError(ValueError):
    """A source catalog does not have the shape this build expects."""


def _number(value: str, where: str) -> float:
    text = (value or "").strip()
    if not text:
        return 0.0
    try:
        return float(text)
    except ValueError:
        raise SourceError(f"{where}: not a number: {text!r}") from None


def classify(family: str, vcpu: float, gpu_count: float, accelerator: str) -> str:
    category = re.match(r"[a-z]*", family or "").group(0)
    if category in ACCELERATED_FAMILIES or gpu_count > 0 or accelerator not in ("", "none"):
        return "gpu_accelerated"
    return "large" if vcpu >= LARGE_VCPU else "other"


def _read_csv(text: str, needed: list, name: str):
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(f"{name} lacks column(s): {', '.join(missing)}")
    return enumerate(reader, start=2)


def sagemaker_rows(text: str) -> list:
    rows = []
    needed = ["ml_instance_type", "family", "vcpu", "memory_gib", "gpu_count", "gpu_model", "accelerator",
              "ec2_on_demand_usd_per_hour_linux_us_east_1"]
    for line, src in _read_csv(text, needed, "sagemaker catalog"):
        name = src["ml_instance_type"].strip()
        if not name.startswith("ml."):
            raise SourceError(f"sagemaker catalog line {line}: not an ml.* type: {name!r}")
        if name.startswith("ml.eia"):  # Elastic Inference attachments (retired), not instances
            continue
        where = f"sagemaker catalog line {line}"
        vcpu, gpus = _number(src["vcpu"], where), _number(src["gpu_count"], where)
        rows.append({"compute_type": name, "service": "sagemaker", "vcpu": src["vcpu"],
                     "memory_gib": src["memory_gib"], "gpu_count": src["gpu_count"], "gpu_model": src["gpu_model"],
                     "accelerator": src["accelerator"] or "none",
                     "price_usd_per_hour": src["ec2_on_demand_usd_per_hour_linux_us_east_1"],
                     "compute_class": classify(src["family"], vcpu, gpus, src["accelerator"]),
                     "source": "ec2-instance-types/sagemaker_ml_types.csv (EC2 price of the same type)"})
    return rows


def codebuild_rows(text: str) -> list:
    rows = []
    for line, src in _read_csv(text, ["compute_type", "vcpu", "memory_gib"], "codebuild catalog"):
        vcpu = _number(src["vcpu"], f"codebuild catalog line {line}")
        rows.append({"compute_type": src["compute_type"], "service": "codebuild", "vcpu": src["vcpu"],
                     "memory_gib": src["memory_gib"], "gpu_count": "0", "gpu_model": "", "accelerator": "none",
                     "price_usd_per_hour": "", "compute_class": classify("", vcpu, 0, "none"),
                     "source": "CodeBuild API reference, ProjectEnvironment.computeType"})
    return rows


def _lightsail_row(bundle_id, vcpu, memory, monthly, source):
    size = bundle_id.split("_", 1)[0]
    return {"compute_type": f"lightsail:{size}", "service": "lightsail", "vcpu": str(vcpu),
            "memory_gib": str(memory), "gpu_count": "0", "gpu_model": "", "accelerator": "none",
            "price_usd_per_hour": f"{float(monthly) / HOURS_PER_MONTH:.4f}",
            "compute_class": classify("", float(vcpu), 0, "none"), "source": source}


def lightsail_rows(text: str, from_json: bool = False) -> list:
    if from_json:
        bundles = json.loads(text).get("bundles")
        if not isinstance(bundles, list):
            raise SourceError("lightsail JSON has no 'bundles' list (expected `aws lightsail get-bundles` output)")
        linux = [b for b in bundles if "LINUX_UNIX" in (b.get("supportedPlatforms") or []) and b.get("isActive")]
        return [_lightsail_row(b["bundleId"], b["cpuCount"], b["ramSizeInGb"], b["price"], "aws lightsail get-bundles")
                for b in linux]
    return [_lightsail_row(src["bundle_id"], src["vcpu"], src["memory_gib"], src["price_usd_per_month"],
                           "Lightsail pricing page (Linux bundles)")
            for _, src in _read_csv(text, ["bundle_id", "vcpu", "memory_gib", "price_usd_per_month"],
                                    "lightsail catalog")]


def build(sagemaker_text: str, codebuild_text: str, lightsail_text: str, lightsail_json: bool = False) -> str:
    rows = sagemaker_rows(sagemaker_text) + codebuild_rows(codebuild_text) + lightsail_rows(lightsail_text,
                                                                                            lightsail_json)
    seen = {}
    for row in rows:
        if row["compute_type"] in seen and seen[row["compute_type"]] != row:
            raise SourceError(f"compute type {row['compute_type']!r} defined twice with different specs")
        seen[row["compute_type"]] = row
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(seen.values(), key=lambda r: (r["service"], r["compute_type"])))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sagemaker", type=Path, default=DEFAULT_SAGEMAKER, help="sagemaker_ml_types.csv")
    parser.add_argument("--codebuild", type=Path, default=CATALOGS / "codebuild_compute_types.csv")
    parser.add_argument("--lightsail", type=Path, default=CATALOGS / "lightsail_bundles.csv")
    parser.add_argument("--lightsail-json", type=Path, help="`aws lightsail get-bundles` output instead of the CSV")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="fail if --out differs from a fresh build")
    args = parser.parse_args(argv)
    lightsail = args.lightsail_json or args.lightsail
    for path in (args.sagemaker, args.codebuild, lightsail):
        if not path.is_file():
            parser.error(f"no such file: {path}")
    text = build(args.sagemaker.read_text(encoding="utf-8"), args.codebuild.read_text(encoding="utf-8"),
                 lightsail.read_text(encoding="utf-8"), lightsail_json=bool(args.lightsail_json))
    if args.check:
        if not args.out.is_file() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is stale: rerun tools/build_compute_types.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} compute types)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
