"""Writers for the realistic AWS log file layouts used under samples/ (shared by the sample builders).

Deterministic on purpose: the same records always give the same bytes (gzip mtime 0, no file name in the
gzip header, compact JSON, stable names), so regenerating a sample shows no diff unless data changed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

DELIVERY_MINUTES = 5  # CloudTrail delivers a file per account and region about every 5 minutes


def compact(obj) -> str:
    """JSON the way AWS writes log files: no spaces, non-ASCII kept."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def parse_iso(text: str) -> datetime:
    """Parse CloudTrail's eventTime (YYYY-MM-DDTHH:MM:SSZ)."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


def cloudtrail_key(account: str, region: str, delivered: datetime, records: list) -> str:
    """S3 key of a CloudTrail log file: AWSLogs/<acct>/CloudTrail/<region>/Y/M/D/<acct>_CloudTrail_<region>_<ts>_<id>.json.gz."""
    digest = hashlib.sha256("".join(r["eventID"] for r in records).encode()).hexdigest()[:16]
    stamp = delivered.strftime("%Y%m%dT%H%MZ")
    return (
        f"AWSLogs/{account}/CloudTrail/{region}/{delivered:%Y/%m/%d}/"
        f"{account}_CloudTrail_{region}_{stamp}_{digest}.json.gz"
    )


def write_cloudtrail_export(root: Path, records: list) -> list[Path]:
    """Group records by account, region and 5-minute delivery window; write one {"Records":[...]} .json.gz each."""
    groups: dict[tuple, list] = defaultdict(list)
    for rec in records:
        for key in ("recipientAccountId", "awsRegion", "eventTime", "eventID"):
            if not rec.get(key):
                raise ValueError(f"CloudTrail record {rec.get('eventID')!r} lacks {key}")
        when = parse_iso(rec["eventTime"])
        window = when.replace(minute=when.minute - when.minute % DELIVERY_MINUTES, second=0)
        groups[(rec["recipientAccountId"], rec["awsRegion"], window)].append(rec)
    written = []
    for (account, region, window), recs in sorted(groups.items()):
        recs.sort(key=lambda r: r["eventTime"])
        path = root / cloudtrail_key(account, region, window, recs)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip_bytes(compact({"Records": recs}).encode("utf-8")))
        written.append(path)
    return written


def write_json_lines(path: Path, objects) -> int:
    """One compact JSON object per line (Route 53 Resolver query logs, GuardDuty findings, NDJSON CloudTrail)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [compact(o) for o in objects]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def read_cloudtrail_export(root: Path) -> list:
    """All records of every .json.gz under root (used by tests and the ground-truth check)."""
    records = []
    for path in sorted(root.rglob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            records.extend(json.load(fh)["Records"])
    return records
