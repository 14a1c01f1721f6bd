"""hunt.py's ingestion on hostile files (issue 14 item 9): each bad file or line is reported with file and line
and skipped, everything readable is kept, the run never aborts, hangs or grows without bound."""
import json
import os
import subprocess
import sys
from pathlib import Path

from replay.ingest import IngestReport, read_events, reader

DATA = Path(__file__).resolve().parents[1] / "data" / "replay_ingest"
GOOD = DATA / "panther-guardduty.ndjson"  # 8 real GuardDuty findings


def _read(*paths):
    report = IngestReport()
    events = list(read_events([str(p) for p in paths], report, host="h"))
    return events, report


def _good_lines():
    return GOOD.read_bytes().splitlines(keepends=True)


def test_deeply_nested_json_is_one_error_not_a_crash(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000)
    lines = _good_lines()
    (tmp_path / "mixed.ndjson").write_bytes(lines[0] + b"[" * 100_000 + b"\n" + b"".join(lines[1:]))
    (tmp_path / "good.ndjson").write_bytes(GOOD.read_bytes())
    events, report = _read(tmp_path)
    assert len(events) == 16  # all of mixed.ndjson but the bad line, all of good.ndjson
    by_file = {(Path(source).name, line): message for source, line, message in report.errors}
    assert list(by_file) == [("deep.json", 1), ("mixed.ndjson", 2)]
    assert "nested too deeply" in by_file[("deep.json", 1)]


def test_invalid_utf8_byte_loses_only_its_line(tmp_path):
    lines = _good_lines()
    bad = lines[2].replace(b'"Finding"', b'"Find\xffing"') if b'"Finding"' in lines[2] else lines[2][:-2] + b"\xff\n"
    (tmp_path / "a.ndjson").write_bytes(b"".join(lines[:2]) + bad + b"".join(lines[3:]))
    events, report = _read(tmp_path / "a.ndjson")
    assert len(events) == 7
    assert [(line, message) for _, line, message in report.errors] == [(3, "invalid UTF-8 byte 0xff; item skipped")]


def test_invalid_utf8_in_a_json_array_document_loses_only_its_element(tmp_path):
    records = [json.loads(line) for line in _good_lines()]
    parts = [json.dumps(record, indent=1).encode() for record in records]
    parts[4] = parts[4].replace(b'"', b'"\xc3\x28', 1)  # a key of the 5th finding gets a byte that is not UTF-8
    (tmp_path / "doc.json").write_bytes(b"[\n" + b",\n".join(parts) + b"\n]\n")
    events, report = _read(tmp_path / "doc.json")
    assert len(events) == 7 and report.error_count == 1 and "invalid UTF-8 byte 0xc3" in report.errors[0][2]


def test_unreadable_folder_is_reported(tmp_path, monkeypatch):
    """Tests may run as root, for whom chmod 000 changes nothing: the walk's error is injected."""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.ndjson").write_bytes(GOOD.read_bytes())
    (tmp_path / "ok.ndjson").write_bytes(GOOD.read_bytes())
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    events, report = _read(tmp_path)
    assert len(events) == 8
    assert report.errors == [(str(tmp_path / "locked"), 0, "unreadable folder: Permission denied; skipped")]


def test_fifo_and_device_named_json_are_skipped_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    (tmp_path / "ok.ndjson").write_bytes(GOOD.read_bytes())
    code = ("import sys; from replay.ingest import IngestReport, read_events; r = IngestReport(); "
            "n = len(list(read_events(sys.argv[1:], r, host='h'))); print(n); print(r.summary())")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path), "/dev/zero"], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "8"
    for name in (str(tmp_path / "pipe.json"), str(tmp_path / "zero.json"), "/dev/zero"):
        assert f"{name}:0: not a regular file (FIFO, device or socket); skipped" in proc.stdout


def test_overlong_line_and_value_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ITEM_CHARS", 4096)
    monkeypatch.setattr(reader, "CHUNK", 512)
    lines = _good_lines()
    (tmp_path / "long.ndjson").write_bytes(lines[0] + b"x" * 50_000 + b"\r\n" + b"".join(lines[1:]))
    (tmp_path / "doc.json").write_bytes(b'[{"a": "' + b"y" * 50_000 + b'"}]')
    events, report = _read(tmp_path / "long.ndjson", tmp_path / "doc.json")
    assert len(events) == 8
    assert [(Path(s).name, line) for s, line, _ in report.errors] == [("long.ndjson", 2), ("doc.json", 1)]
    assert "line longer than 4096 characters" in report.errors[0][2]
    assert "longer than 4096 characters" in report.errors[1][2]


def test_line_ends_split_across_reads_count_once(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK", 7)
    text = "".join(line.decode() for line in _good_lines())
    (tmp_path / "crlf.ndjson").write_bytes(text.replace("\n", "\r\n").encode() + b"{oops\r\n")
    events, report = _read(tmp_path / "crlf.ndjson")
    assert len(events) == 8 and [line for _, line, _ in report.errors] == [9]
