"""Hostile chunks for the commands (issue 14 items 5 and 7), under Splunk's interpreters 3.9 and 3.13:
NUL bytes in a record keep the chunk (Python 3.9's csv refuses NUL), and a chunk cut short by the end of
input is refused with a clear error instead of being read with a cut value and a missing record."""
import json
import re
import subprocess

from conftest import DATA, command_argv, ndjson_records, run_command

from splengine.chunked import encode_rows

HEADER = re.compile(rb"chunked 1\.0,(\d+),(\d+)\n")


def test_nul_bytes_keep_the_chunk_and_the_value(splunk_python, staged_app):
    """miningpool (ipcontext reads chunks through the same intel_commands.record_io)."""
    rows = ndjson_records(DATA / "commands_route53" / "route53_resolver_vpcdns.ndjson")
    rows[1] = dict(rows[1], query_name="evil\x00.moneropool.ru", srcaddr="10.0.0.1\x00")
    out, messages = run_command(splunk_python, staged_app, "miningpool", [], rows, chunk_size=4)
    assert [r.get("query_name") for r in out] == [r.get("query_name") for r in rows]  # every record, NUL kept
    assert out[1]["srcaddr"] == "10.0.0.1\x00"
    assert any(r.get("mining_indicator") == "moneropool.ru" for r in out)  # the rest still matched
    assert not [text for kind, text in messages if kind in ("ERROR", "FATAL")]


def _chunks(data):
    """(metadata, body) of every chunk the command wrote."""
    out, position = [], 0
    while True:
        match = HEADER.match(data, position)
        if match is None:
            return out
        meta_len, body_len = int(match.group(1)), int(match.group(2))
        start = match.end()
        out.append((json.loads(data[start:start + meta_len] or b"{}"), data[start + meta_len:start + meta_len + body_len]))
        position = start + meta_len + body_len


def test_truncated_chunk_is_refused_with_a_clear_error(splunk_python, staged_app):
    argv = command_argv(splunk_python, staged_app, "miningpool")
    getinfo = json.dumps({"action": "getinfo", "preview": False, "searchinfo": {
        "args": [], "raw_args": [], "dispatch_dir": str(staged_app), "sid": "t", "app": "aws_cryptomining",
        "owner": "admin", "username": "admin", "session_key": "", "splunkd_uri": "https://127.0.0.1:8089",
        "splunk_version": "9.4.0", "earliest_time": "0", "latest_time": "0", "search": "%7C%20miningpool",
        "command": "miningpool", "maxresultrows": 50000}}).encode()
    body = encode_rows([{"query_name": "pool.minexmr.com"}, {"query_name": "example.org"}])
    meta = json.dumps({"action": "execute", "finished": True}).encode()
    cut = body[:-7]  # the header announces the whole body; the input ends 7 bytes early
    stdin = (b"chunked 1.0,%d,0\n" % len(getinfo) + getinfo
             + b"chunked 1.0,%d,%d\n" % (len(meta), len(body)) + meta + cut)
    proc = subprocess.run(argv, input=stdin, capture_output=True, timeout=60, cwd=str(staged_app))
    assert proc.returncode != 0
    replies = _chunks(proc.stdout)
    errors = [text for meta_out, _ in replies
              for kind, text in (meta_out.get("inspector") or {}).get("messages", []) if kind == "ERROR"]
    assert len(errors) == 1 and "truncated" in errors[0] and f"of the {len(body)} bytes" in errors[0], replies
    assert all(b"example.org" not in out_body for _, out_body in replies)  # no record of the cut chunk
