"""Build samples/stratus-red-team and samples/panther from the public Apache-2.0 datasets.

Stratus records become CloudTrail S3-export files (the form a real trail writes). Panther's unit-test events
were normalised by Panther's pipeline; we restore the native AWS forms the ingestion reads (ISO timestamps,
Resolver ``answers`` as a list) and leave every other byte of meaning untouched. Records without a usable
time cannot be replayed: they are listed (by source line) in the printed report and in SOURCE.md.

Usage: python3 tools/build_samples.py [--datasets DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import samples_io  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"
DEFAULT_OUT = REPO / "samples"
LICENSE_TEXT = REPO / "tests" / "data" / "ec2_instance_types_subset" / "LICENSE-Apache-2.0.txt"

# Panther-normalised times: "2024-12-16 18:41:07", "... .000", "... .000000000", "...Z"
_PANTHER_TIME = re.compile(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?Z?")


def iso_seconds(text) -> str | None:
    """CloudTrail/Resolver form YYYY-MM-DDTHH:MM:SSZ, or None when text is not a timestamp."""
    m = _PANTHER_TIME.fullmatch(text) if isinstance(text, str) else None
    return f"{m.group(1)}T{m.group(2)}Z" if m else None


def iso_millis(text: str) -> str:
    """GuardDuty form YYYY-MM-DDTHH:MM:SS.mmmZ (fraction cut or padded to 3 digits)."""
    m = _PANTHER_TIME.fullmatch(text)
    if not m:
        raise ValueError(f"not a timestamp: {text!r}")
    frac = (m.group(3) or ".")[1:4].ljust(3, "0")
    return f"{m.group(1)}T{m.group(2)}.{frac}Z"


def read_ndjson(path: Path) -> list:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def panther_cloudtrail(records: list) -> tuple[list, list]:
    kept, dropped = [], []
    for line, rec in enumerate(records, start=1):
        when = iso_seconds(rec.get("eventTime"))
        if when is None:
            dropped.append((line, rec.get("eventTime")))
            continue
        kept.append({**rec, "eventTime": when})
    return kept, dropped


def panther_guardduty(findings: list) -> list:
    out = []
    for f in findings:
        f = {**f, "createdAt": iso_millis(f["createdAt"]), "updatedAt": iso_millis(f["updatedAt"])}
        svc = dict(f["service"])
        for key in ("eventFirstSeen", "eventLastSeen"):
            if key in svc:
                svc[key] = iso_seconds(svc[key])
        out.append({**f, "service": svc})
    return out


def panther_resolver(queries: list) -> list:
    out = []
    for q in queries:
        q = {**q, "query_timestamp": iso_seconds(q["query_timestamp"])}
        if isinstance(q.get("answers"), dict):
            q["answers"] = [q["answers"]]
        out.append(q)
    return out


def build(datasets: Path, out: Path) -> dict:
    stratus_dir = out / "stratus-red-team"
    panther_dir = out / "panther"
    if (stratus_dir / "AWSLogs").exists():  # file names depend on content: clear stale ones
        shutil.rmtree(stratus_dir / "AWSLogs")
    stratus = read_ndjson(datasets / "stratus-detonation-cloudtrail" / "cloudtrail.ndjson")
    files = samples_io.write_cloudtrail_export(stratus_dir, stratus)

    src = datasets / "panther-test-events"
    ct, dropped = panther_cloudtrail(read_ndjson(src / "cloudtrail.ndjson"))
    report = {
        "stratus_records": len(stratus),
        "stratus_files": len(files),
        "panther_cloudtrail": samples_io.write_json_lines(panther_dir / "cloudtrail.ndjson", ct),
        "panther_cloudtrail_dropped": dropped,
        "panther_guardduty": samples_io.write_json_lines(
            panther_dir / "guardduty.ndjson", panther_guardduty(read_ndjson(src / "guardduty.ndjson"))
        ),
        "panther_route53_resolver": samples_io.write_json_lines(
            panther_dir / "route53_resolver.ndjson",
            panther_resolver(read_ndjson(src / "route53_resolver_vpcdns.ndjson")),
        ),
    }
    for d in (stratus_dir, panther_dir):
        shutil.copyfile(LICENSE_TEXT, d / "LICENSE-Apache-2.0.txt")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS, help="the shared datasets folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="samples folder to write")
    args = parser.parse_args(argv)
    if not (args.datasets / "stratus-detonation-cloudtrail").is_dir():
        parser.error(f"--datasets: {args.datasets} has no stratus-detonation-cloudtrail folder")
    report = build(args.datasets, args.out)
    for key, value in report.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
