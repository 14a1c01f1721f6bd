"""CloudTrail Lake query results saved to S3 (`result_N.csv.gz` + `result_sign.json`) are read and checked (issue 21).

Input (tests/data/replay_ingest/lake_s3, see SOURCE.md): the 3 real Stratus CloudTrail records of
stratus-ec2-launch-unusual-instances.json written as Lake result CSV files in the delivered folder layout, and the
sign file shaped as AWS documents it, with the real SHA-256 of each file. AWS publishes no sample of the CSV
content: its shape (header row of the selected columns, values as get-query-results returns them) is the contract
stated in replay/ingest/lakecsv.py, so these files are derived, not captured.
"""
import csv
import gzip
import hashlib
import io
import json
import shutil
import zlib
from pathlib import Path

from hunt import main
from replay.ingest import IngestReport, read_events

DATA = Path(__file__).resolve().parents[1] / "data" / "replay_ingest"
LAKE = DATA / "lake_s3"
QUERY = next(LAKE.rglob("result_sign.json")).parent
STRATUS = json.loads((DATA / "stratus-ec2-launch-unusual-instances.json").read_text())
CITY_DB = str(Path(__file__).resolve().parents[1] / "data" / "geoip" / "GeoLite2-City-Test.mmdb")
NOT_SELECTED = ("managementEvent", "readOnly", "resources")   # the fixture's query did not select these columns


def _read(*paths):
    report = IngestReport()
    return list(read_events([str(p) for p in paths], report, host="h")), report


def _selected(record):
    """The record as the fixture's query returns it: the selected columns, a null value being an empty cell."""
    return {key: value for key, value in record.items() if key not in NOT_SELECTED and value is not None}


def _csv(header, rows):
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def _rows(path):
    with gzip.open(path, "rt", newline="") as file:
        return list(csv.reader(file))


def test_result_files_yield_one_cloudtrail_record_per_row_and_the_sign_file_is_checked():
    events, report = _read(LAKE)
    assert report.error_count == 0 and report.files == 2   # result_1, result_2; result_sign.json is no log file
    assert [json.loads(e["_raw"]) for e in events] == [_selected(r) for r in STRATUS]
    assert {e["sourcetype"] for e in events} == {"aws:cloudtrail"}
    assert [e["_time"] for e in events] == [1722511823, 1722511822, 1722511821]   # each row's eventTime
    assert [e["source"] for e in events] == [str(QUERY / "result_1.csv.gz")] * 2 + [str(QUERY / "result_2.csv.gz")]
    assert report.integrity == [
        f"{QUERY / 'result_sign.json'}: 2 of 2 listed result file(s) match their SHA-256; the RSA signature is not "
        "verified (it needs AWS's public key online: aws cloudtrail verify-query-results)"]
    assert report.integrity[0] in report.summary()


def test_sign_file_lists_the_files_with_their_real_sha256():
    sign = json.loads((QUERY / "result_sign.json").read_text())
    assert set(sign) == {"version", "region", "files", "hashAlgorithm", "signatureAlgorithm", "queryCompleteTime",
                         "hashSignature", "publicKeyFingerprint"}   # the documented sample's fields
    assert [(f["fileName"], f["fileHashValue"]) for f in sign["files"]] == [
        (name, hashlib.sha256((QUERY / name).read_bytes()).hexdigest()) for name in ("result_1.csv.gz",
                                                                                    "result_2.csv.gz")]


def test_row_without_a_required_column_is_reported_with_its_line_and_the_others_are_kept(tmp_path):
    header, *rows = _rows(QUERY / "result_1.csv.gz") + _rows(QUERY / "result_2.csv.gz")[1:]
    rows = [row for row in rows if row != header]
    rows[0][header.index("errorMessage")] = "line one\nline two"   # a quoted line break: row 2 ends on line 3
    rows[1][header.index("eventSource")] = ""
    path = tmp_path / "result_1.csv"
    path.write_text(_csv(header, rows), newline="")
    events, report = _read(path)
    assert [json.loads(e["_raw"])["eventTime"] for e in events] == [rows[0][header.index("eventTime")],
                                                                    rows[2][header.index("eventTime")]]
    assert json.loads(events[0]["_raw"])["errorMessage"] == "line one\nline two"
    assert report.errors == [(str(path), 4, "CloudTrail Lake row without eventSource (select them to replay the row)")]


def test_results_without_the_event_time_column_report_every_row(tmp_path):
    header, *rows = _rows(QUERY / "result_1.csv.gz")
    keep = [i for i, name in enumerate(header) if name != "eventTime"]
    path = tmp_path / "result_1.csv.gz"
    path.write_bytes(gzip.compress(_csv([header[i] for i in keep], [[row[i] for i in keep] for row in rows]).encode()))
    events, report = _read(path)
    assert events == [] and report.errors == [
        (str(path), line, "CloudTrail Lake row without eventTime (select them to replay the row)") for line in (2, 3)]


def test_truncated_gzip_keeps_the_whole_rows_read_and_drops_the_row_cut_in_its_last_column(tmp_path):
    header, *rows = _rows(QUERY / "result_1.csv.gz")
    rows = [row[:] for row in rows * 20]
    for number, row in enumerate(rows):   # a distinct eventID per row, as in real results
        row[header.index("eventID")] = f"{number:08d}" + row[header.index("eventID")][8:]
    text = _csv(header, rows).encode()
    stored = gzip.compress(text, compresslevel=0, mtime=0)   # stored blocks: the cut falls where we put it
    path = tmp_path / "result_1.csv.gz"
    path.write_bytes(stored[:-8 - 12])   # trailer and the last 12 bytes of data gone: inside the last row's tlsDetails
    events, report = _read(path)
    assert len(events) == 39 and report.error_count == 1
    (source, _, message), = report.errors
    assert source == str(path) and "gzip truncated" in message and "kept 39 event(s)" in message

    compressed = gzip.compress(text, mtime=0)
    cut = compressed[:len(compressed) * 4 // 5]
    path.write_bytes(cut)
    kept = zlib.decompressobj(wbits=31).decompress(cut)
    events, report = _read(path)
    assert len(events) == kept.count(b"\r\n") - 1 > 0   # every row whose line break was read, the header not
    assert report.error_count == 1 and f"kept {len(events)} event(s)" in report.errors[0][2]


def test_changed_missing_and_unlisted_result_files_are_named_and_what_is_there_is_read(tmp_path):
    folder = tmp_path / "query"
    shutil.copytree(QUERY, folder)
    changed = gzip.compress(gzip.decompress((folder / "result_1.csv.gz").read_bytes()), compresslevel=1)
    (folder / "result_1.csv.gz").write_bytes(changed)   # the same rows, other bytes: not what CloudTrail delivered
    (folder / "result_2.csv.gz").rename(folder / "result_3.csv.gz")
    events, report = _read(folder)
    assert len(events) == 3 and report.error_count == 0
    sign = folder / "result_sign.json"
    expected = json.loads(sign.read_text())["files"][0]["fileHashValue"]
    assert report.integrity == [
        f"WARNING {folder / 'result_1.csv.gz'}: SHA-256 {hashlib.sha256(changed).hexdigest()} is not the sign "
        f"file's fileHashValue {expected}: the file changed after CloudTrail delivered it",
        f"WARNING {folder / 'result_2.csv.gz'}: listed in result_sign.json but missing: the query results are "
        "incomplete",
        f"WARNING {folder / 'result_3.csv.gz'}: not listed in result_sign.json: not part of the delivered query "
        "results",
        f"{sign}: 0 of 2 listed result file(s) match their SHA-256; the RSA signature is not verified (it needs "
        "AWS's public key online: aws cloudtrail verify-query-results)"]


def test_unreadable_sign_file_is_a_warning_and_never_events(tmp_path):
    (tmp_path / "result_sign.json").write_text('{"version": "1.0", "files": ')
    shutil.copy(QUERY / "result_1.csv.gz", tmp_path)
    events, report = _read(tmp_path)
    assert len(events) == 2 and report.error_count == 0 and report.files == 1
    assert len(report.integrity) == 1 and report.integrity[0].startswith(
        f"WARNING {tmp_path / 'result_sign.json'}: unreadable sign file (")


def test_other_csv_and_text_files_are_not_taken_for_lake_results(tmp_path):
    """The Cost and Usage Report CSV keeps its sourcetype; a VPC flow header and NDJSON are not CSV headers."""
    cur = tmp_path / "cur.csv"
    cur.write_text("identity/LineItemId,lineItem/UsageStartDate,lineItem/ProductCode\n"
                   "a1,2024-08-01T00:00:00Z,AmazonEC2\n")
    flow = tmp_path / "flow.log"
    flow.write_text("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start "
                    "end action log-status\n2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1722511800 1722511860 "
                    "ACCEPT OK\n")
    ndjson = tmp_path / "events.ndjson"
    ndjson.write_text("".join(json.dumps(r) + "\n" for r in STRATUS))
    events, report = _read(cur, flow, ndjson)
    assert report.error_count == 0
    assert [e["sourcetype"] for e in events] == ["aws:billing:cur", "aws:cloudwatchlogs:vpcflow"] + ["aws:cloudtrail"] * 3
    assert [json.loads(e["_raw"]) for e in events[2:]] == STRATUS


def test_hunt_replay_of_the_lake_folder_gives_the_alerts_of_the_same_records_as_ndjson(tmp_path):
    """The app's full schedule over the delivered folder and over the same records (the selected columns) as
    NDJSON: the same alert rows (the index lag fixed: by default it is drawn from a hash of _raw, whose JSON
    spacing differs between the two inputs)."""
    ndjson = tmp_path / "stratus.ndjson"
    ndjson.write_text("".join(json.dumps(_selected(r)) + "\n" for r in STRATUS))
    results = []
    for path in (LAKE, ndjson):
        out, err = io.StringIO(), io.StringIO()
        assert main(["--json", "--index-lag", "10m", "--geoip-db", CITY_DB, str(path)], out=out, err=err) == 0
        results.append(([json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()))
    (lake_rows, lake_err), (ndjson_rows, _) = results
    assert lake_rows == ndjson_rows and [r["_alert"]["search_name"] for r in lake_rows] == [
        "AWS Cryptomining - Large or GPU EC2 Instance Launch"]
    assert lake_rows[0]["instance_type"] == "p2.xlarge"
    assert "2 of 2 listed result file(s) match their SHA-256; the RSA signature is not verified" in lake_err


def test_hunt_search_prints_the_sign_file_check():
    out, err = io.StringIO(), io.StringIO()
    assert main(["--json", "--search", "index=aws | stats count by eventName", str(LAKE)], out=out, err=err) == 0
    assert {row["eventName"]: row["count"] for row in map(json.loads, out.getvalue().splitlines())} == {
        "RunInstances": 1, "AssumeRole": 2}
    assert "2 of 2 listed result file(s) match their SHA-256" in err.getvalue()
