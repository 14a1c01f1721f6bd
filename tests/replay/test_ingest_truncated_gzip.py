"""A truncated or damaged `.gz` keeps the records it still holds and says how much was read (issue 21 item 3).

The inputs are real files cut with a byte count, as an interrupted copy or download leaves them: the CloudTrail
S3 object of tests/data/replay_ingest/AWSLogs (45 real Stratus records, see SOURCE.md) and the real GuardDuty
NDJSON gzip'd here. The oracle is the standard library's zlib over the same cut bytes, not the code under test.
"""
import gzip
import io
import json
import zlib
from pathlib import Path

import orjson

from hunt import main
from replay.ingest import IngestReport, read_events

DATA = Path(__file__).resolve().parents[1] / "data" / "replay_ingest"
CLOUDTRAIL_GZ = next((DATA / "AWSLogs").rglob("*.json.gz"))
GUARDDUTY = DATA / "panther-guardduty.ndjson"


def _read(path):
    report = IngestReport()
    return list(read_events([str(path)], report, host="h")), report


def _prefix(cut):
    """What zlib can decompress from the cut bytes (everything before the cut)."""
    return zlib.decompressobj(wbits=31).decompress(cut)


def test_truncated_cloudtrail_gz_keeps_the_complete_records_and_reports_the_loss(tmp_path):
    whole = CLOUDTRAIL_GZ.read_bytes()
    records = orjson.loads(gzip.decompress(whole))["Records"]
    cut = whole[: len(whole) * 3 // 5]
    path = tmp_path / "cut.json.gz"
    path.write_bytes(cut)
    prefix = _prefix(cut).decode()
    complete, pos = [], prefix.index("[") + 1
    while True:   # the records json can decode from the prefix, one after the other
        try:
            record, pos = json.JSONDecoder().raw_decode(prefix, pos)
        except json.JSONDecodeError:
            break
        complete.append(record)
        pos += 1  # the comma
    events, report = _read(path)
    assert 0 < len(events) < len(records)
    assert [orjson.loads(e["_raw"]) for e in events] == complete == records[: len(complete)]
    assert report.error_count == 1
    source, line, message = report.errors[0]
    assert source == str(path) and line == 1   # one-line S3 object: the cut is on its line 1
    assert message.startswith("gzip truncated: the compressed data ends before the gzip end-of-stream marker")
    assert (f"kept {len(events)} event(s) from the {len(cut)} compressed bytes read ({len(prefix.encode())} bytes, "
            "0 line break(s) decompressed)") in message


def _cloudtrail_lines():
    """The 45 real records as NDJSON, one per line (as CloudWatch Logs exports hold them)."""
    records = orjson.loads(gzip.decompress(CLOUDTRAIL_GZ.read_bytes()))["Records"]
    return [orjson.dumps(record) + b"\n" for record in records]


def test_truncated_ndjson_gz_loses_only_the_cut_line(tmp_path):
    lines = _cloudtrail_lines()
    whole = gzip.compress(b"".join(lines))
    cut = whole[: len(whole) // 2]
    prefix = _prefix(cut)
    kept = prefix.count(b"\n")
    assert 0 < kept < len(lines)
    path = tmp_path / "cloudtrail.ndjson.gz"
    path.write_bytes(cut)
    events, report = _read(path)
    assert [e["_raw"] for e in events] == [line.decode().strip() for line in lines[:kept]]
    assert [(line, message.split(";")[0]) for _, line, message in report.errors] == [
        (kept + 1, "gzip truncated: the compressed data ends before the gzip end-of-stream marker")]
    assert f"({len(prefix)} bytes, {kept} line break(s) decompressed)" in report.errors[0][2]


def test_whole_and_multi_member_gzip_read_as_before(tmp_path):
    lines = GUARDDUTY.read_bytes().splitlines(keepends=True)
    path = tmp_path / "members.ndjson.gz"
    path.write_bytes(gzip.compress(b"".join(lines[:3])) + gzip.compress(b"".join(lines[3:])) + b"\0" * 8)
    events, report = _read(path)
    assert len(events) == len(lines) and report.error_count == 0
    events, report = _read(CLOUDTRAIL_GZ)
    assert len(events) == 45 and report.error_count == 0


def test_corrupt_gzip_keeps_what_precedes_the_damage(tmp_path):
    lines = _cloudtrail_lines()
    damaged = bytearray(gzip.compress(b"".join(lines * 20), compresslevel=1))
    middle = len(damaged) // 2
    damaged[middle:middle + 64] = bytes(64)
    path = tmp_path / "damaged.ndjson.gz"
    path.write_bytes(bytes(damaged))
    events, report = _read(path)
    assert 0 < len(events) < len(lines) * 20
    assert any("gzip corrupt compressed data" in message for _, _, message in report.errors)


def test_hunt_search_counts_the_kept_events_and_warns(tmp_path):
    whole = CLOUDTRAIL_GZ.read_bytes()
    path = tmp_path / "cut.json.gz"
    path.write_bytes(whole[: len(whole) // 2])
    expected = len(_read(path)[0])
    out, err = io.StringIO(), io.StringIO()
    assert main(["--json", "--search", "index=aws | stats count", str(path)], out=out, err=err) == 0
    assert orjson.loads(out.getvalue()) == {"count": expected} and expected > 0
    assert f"{path}:1: gzip truncated" in err.getvalue()
