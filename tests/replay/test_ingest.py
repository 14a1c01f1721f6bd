"""Ingestion of real AWS log files: sourcetypes, _time, verbatim _raw, Add-on field names, errors."""
import gzip
import json
from pathlib import Path

import pytest

from replay.ingest import IngestReport, read_events
from replay.ingest.timeparse import iso_to_epoch

DATA = Path(__file__).resolve().parents[1] / "data" / "replay_ingest"


def read(*paths, **options):
    report = IngestReport()
    events = list(read_events([str(DATA / p) for p in paths], report, host="testhost", **options))
    return events, report


def test_cloudtrail_json_array_file_keeps_each_record_verbatim():
    events, report = read("stratus-ec2-launch-unusual-instances.json")
    records = json.loads((DATA / "stratus-ec2-launch-unusual-instances.json").read_text())
    assert report.error_count == 0
    assert len(events) == len(records)
    for event, record in zip(events, records):
        assert event["sourcetype"] == "aws:cloudtrail"
        assert json.loads(event["_raw"]) == record
        assert event["_raw"] in (DATA / "stratus-ec2-launch-unusual-instances.json").read_text()
        assert event["_time"] == iso_to_epoch(record["eventTime"])
        assert (event["index"], event["host"]) == ("aws", "testhost")
    run = [json.loads(e["_raw"]) for e in events if '"RunInstances"' in e["_raw"]]
    assert run and run[0]["requestParameters"]["instanceType"] == "p2.xlarge"


def test_cloudtrail_s3_export_gz_nested_in_awslogs_folders():
    events, report = read("AWSLogs")
    assert report.error_count == 0 and report.files == 1
    assert len(events) == 45
    assert all(e["source"].endswith(".json.gz") and e["sourcetype"] == "aws:cloudtrail" for e in events)
    path = next((DATA / "AWSLogs").rglob("*.json.gz"))
    records = json.loads(gzip.open(path, "rt").read())["Records"]
    assert [json.loads(e["_raw"]) for e in events] == records
    assert not events[0]["_raw"].startswith('{"Records"')


def test_records_file_is_streamed_in_small_chunks(monkeypatch, tmp_path):
    from replay.ingest import reader
    monkeypatch.setattr(reader, "CHUNK", 7)
    records = json.loads((DATA / "stratus-ec2-launch-unusual-instances.json").read_text())
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"Records": records}, indent=1))
    events = list(read_events([str(path)], IngestReport(), host="h"))
    assert [json.loads(e["_raw"]) for e in events] == records


def test_ndjson_with_malformed_and_untimed_lines_reports_file_and_line(tmp_path):
    events, report = read("panther-cloudtrail-head40.ndjson")
    lines = (DATA / "panther-cloudtrail-head40.ndjson").read_text().splitlines()
    untimed = [n for n, line in enumerate(lines, 1) if "eventTime" not in json.loads(line)]
    assert untimed, "the sample must contain events without eventTime"
    assert len(events) + report.error_count == len(lines)
    assert sorted(line for _, line, _ in report.errors) == untimed
    # lines 32-34 carry lower-cased keys (not real CloudTrail); the others lack eventTime
    assert all("eventTime" in message or "unrecognised" in message for _, _, message in report.errors)
    assert sum("missing eventTime" in message for _, _, message in report.errors) == 4
    bad = tmp_path / "bad.ndjson"
    bad.write_text(lines[0] + "\n{\"eventName\": \n" + lines[1] + "\n")
    events, report = list(read_events([str(bad)], (r := IngestReport()), host="h")), r
    assert len(events) == 2
    assert [(src, line) for src, line, _ in report.errors] == [(str(bad), 2)]
    assert "invalid JSON" in report.errors[0][2]


def test_vpcflow_text_formats_header_and_default_orders():
    events, report = read("elastic/vpcflow/beats-accept-reject-traffic.log",
                          "elastic/vpcflow/integrations-test-tcp-flag-sequence.log",
                          "elastic/vpcflow/integrations-test-v5-all-fields.log",
                          "elastic/vpcflow/integrations-test-extra-samples.log")
    assert report.error_count == 0
    first = events[0]
    assert first["_raw"] == ("2 123456789010 eni-1235b8ca123456789 78.24.182.42 158.109.0.1 20641 22 6 20 4249 "
                             "1418530010 1418530070 ACCEPT OK")
    assert (first["sourcetype"], first["_time"]) == ("aws:cloudwatchlogs:vpcflow", 1418530010)
    assert {k: first[k] for k in ("src_ip", "dest_ip", "src_port", "dest_port", "protocol_code",
                                  "vpcflow_action", "log_status", "account_id", "interface_id",
                                  "start_time", "end_time", "bytes", "packets", "version")} == {
        "src_ip": "78.24.182.42", "dest_ip": "158.109.0.1", "src_port": "20641", "dest_port": "22",
        "protocol_code": "6", "vpcflow_action": "ACCEPT", "log_status": "OK", "account_id": "123456789010",
        "interface_id": "eni-1235b8ca123456789", "start_time": "1418530010", "end_time": "1418530070",
        "bytes": "4249", "packets": "20", "version": "2"}
    v3 = [e for e in events if e["version"] == "3"][0]
    assert (v3["tcp_flags"], v3["pkt_srcaddr"], v3["bytes"], v3["packets"]) == ("2", "52.213.180.42", "568", "8")
    v5 = [e for e in events if e["version"] == "5"][0]
    assert (v5["flow_direction"], v5["pkt_dst_aws_service"], v5["region"]) == ("ingress", "CLOUDFRONT", "us-east-1")
    nodata = [e for e in events if e["log_status"] == "NODATA"]
    assert nodata and nodata[0]["src_ip"] == "-"


def test_vpcflow_unknown_layout_is_reported_and_format_flag_reads_it():
    events, report = read("elastic/vpcflow/integrations-test-ecs-samples.log")
    lines = [n for n, t in enumerate((DATA / "elastic/vpcflow/integrations-test-ecs-samples.log")
                                     .read_text().splitlines(), 1) if t.strip()]
    assert events == [] and [line for _, line, _ in report.errors] == lines
    assert "--vpcflow-format" in report.errors[0][2]
    with pytest.raises(ValueError, match="unknown flow-log field"):
        read("elastic/vpcflow/integrations-test-ecs-samples.log", vpcflow_format="version bogus-field start")


def test_vpcflow_cloudwatch_message_wrapping():
    events, report = read("elastic/vpcflow/integrations-test-with-message-field.log")
    assert report.error_count == 0 and len(events) == 1
    assert events[0]["_raw"] == "2 428961148399 eni-0e0bf7be352692297 - - - - - - - 1671029698 1671029728 - NODATA"
    assert events[0]["_time"] == 1671029698 and events[0]["log_status"] == "NODATA"


def test_route53_resolver_query_logs():
    events, report = read("elastic/route53_resolver/test-route53.log", "panther-route53-resolver.ndjson")
    assert report.error_count == 0
    assert {e["sourcetype"] for e in events} == {"aws:cloudwatchlogs"}
    assert events[0]["_time"] == iso_to_epoch("2021-12-11T22:46:23Z")
    pools = [json.loads(e["_raw"])["query_name"] for e in events if "moneropool" in e["_raw"]]
    assert pools
    panther = [e for e in events if e["source"].endswith("panther-route53-resolver.ndjson")]
    assert panther[0]["_time"] == iso_to_epoch(json.loads(panther[0]["_raw"])["query_timestamp"])


def test_guardduty_bare_findings_container_and_eventbridge_envelope():
    events, report = read("elastic/guardduty/integrations-test-guardduty.log", "panther-guardduty.ndjson",
                          "eventbridge-guardduty-crypto.json")
    assert report.error_count == 0
    assert {e["sourcetype"] for e in events} == {"aws:cloudwatch:guardduty"}
    bare = json.loads(events[0]["_raw"])
    assert events[0]["_time"] == iso_to_epoch(bare["updatedAt"])
    wrapped = events[-1]
    envelope = json.loads(wrapped["_raw"])
    assert envelope["detail"]["type"] == "CryptoCurrency:EC2/BitcoinTool.B!DNS"
    assert wrapped["_time"] == iso_to_epoch(envelope["time"])
    assert wrapped["_raw"] == (DATA / "eventbridge-guardduty-crypto.json").read_text().strip()


def test_sourcetype_override_and_unrecognised_events(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text('{"srcAddr": "10.0.0.1", "dstPort": 3333}\nnot a log line at all\n')
    events, report = list(read_events([str(path)], (r := IngestReport()), host="h")), r
    assert events == [] and [line for _, line, _ in report.errors] == [1, 2]
    with pytest.raises(ValueError, match="--sourcetype"):
        list(read_events([str(path)], sourcetype="aws:bogus"))
    forced, report = read("panther-guardduty.ndjson", sourcetype="aws:cloudtrail")
    assert forced == [] and all("eventTime" in m for _, _, m in report.errors)


def test_directory_walk_reports_skipped_files_and_missing_paths(tmp_path):
    (tmp_path / "notes.md").write_text("# not a log\n")
    (tmp_path / "a.json").write_text((DATA / "panther-guardduty.ndjson").read_text())
    events, report = list(read_events([str(tmp_path)], (r := IngestReport()), host="h")), r
    assert len(events) == 8 and report.skipped_files == [str(tmp_path / "notes.md")]
    assert "skipped 1 file" in report.summary()
    with pytest.raises(FileNotFoundError, match="does-not-exist"):
        list(read_events([str(tmp_path / "does-not-exist")]))


def test_truncated_gzip_is_reported(tmp_path):
    data = gzip.compress((DATA / "panther-guardduty.ndjson").read_bytes())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(data[: len(data) // 2])
    events, report = list(read_events([str(path)], (r := IngestReport()), host="h")), r
    assert report.error_count == 1 and report.errors[0][2].startswith("gzip truncated")
    assert len(events) < 8  # the events before the cut are kept, the rest is reported
