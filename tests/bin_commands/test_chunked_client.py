"""splengine.chunked against a real splunklib streaming command (subprocess, SCP v2 as splunkd speaks it)."""
import sys
from pathlib import Path

import pytest

from splengine.chunked import (
    ChunkedCommandError,
    ChunkedCommandProcess,
    ChunkedProtocolError,
    decode_mv,
    decode_rows,
    encode_mv,
    encode_rows,
)

PASSTHROUGH = Path(__file__).parent / "scripts" / "passthrough.py"

# Two Route 53 Resolver query records, fields as the TA extracts them (from panther-test-events, Apache-2.0).
DNS_ROWS = [
    {"_time": "1656947126", "query_name": "moneropool.ru.", "query_type": "A", "srcaddr": "10.0.54.11",
     "srcids": ["i-0bc3a3e8b8c1d2f44", "eni-0a1b2c3d"], "rcode": "NOERROR"},
    {"_time": "1656947127", "query_name": "cloudfront.net.", "query_type": "AAAA", "srcaddr": "10.0.54.12",
     "rcode": "NXDOMAIN", "answers": ["$1.2", "a$$b", ""]},
]


def passthrough(*extra):
    return ChunkedCommandProcess([sys.executable, str(PASSTHROUGH), *extra])


def test_mv_encoding_matches_splunklib():
    from splunklib.searchcommands.search_command import SearchCommand

    values = ["plain", "with $ dollar", "$$", "", "semi;colon", "new\nline"]
    encoded = encode_mv(values)
    assert encoded == "$plain$;$with $$ dollar$;$$$$$$;$$;$semi;colon$;$new\nline$"
    assert SearchCommand._decode_list(encoded) == values
    assert decode_mv(encoded) == values


def test_encode_rows_layout_is_splunkds():
    body = encode_rows(DNS_ROWS).decode()
    header = body.splitlines()[0].split(",")
    plain = ["_time", "query_name", "query_type", "srcaddr", "srcids", "rcode", "answers"]
    assert header == plain + ["__mv_" + name for name in plain]
    assert decode_rows(body.encode()) == DNS_ROWS


def test_getinfo_returns_streaming_configuration():
    with passthrough() as proc:
        info = proc.getinfo([])
        assert info["type"] == "streaming"
        proc.execute([], finished=True)
    assert proc.returncode == 0


def test_rows_round_trip_in_order_with_multivalues():
    with passthrough() as proc:
        proc.getinfo([])
        meta, rows = proc.execute(DNS_ROWS, finished=False)
        assert meta["finished"] is False
        assert rows[0] == DNS_ROWS[0]
        assert rows[1]["answers"] == ["$1.2", "a$$b", ""]
        meta, rows = proc.execute(DNS_ROWS[::-1], finished=True)
        assert meta["finished"] is True
        assert [r["query_name"] for r in rows] == ["cloudfront.net.", "moneropool.ru."]


def test_added_field_comes_back():
    with passthrough() as proc:
        proc.getinfo(["tag=seen"])
        _, rows = proc.execute(DNS_ROWS, finished=True)
    assert [r["tag"] for r in rows] == ["seen", "seen"]


def test_bad_argument_raises_with_commands_message():
    with passthrough() as proc:
        with pytest.raises(ChunkedCommandError) as caught:
            proc.getinfo(["nosuchoption=1"])
    assert "Unrecognized option: nosuchoption=1" in str(caught.value)
    assert caught.value.returncode == 1


def test_exception_in_stream_is_reported():
    with passthrough() as proc:
        proc.getinfo(["fail_on=boom"])
        with pytest.raises(ChunkedCommandError) as caught:
            proc.execute([{"action": "boom"}], finished=True)
    assert "record asked to fail: boom" in str(caught.value)


def test_stdout_print_is_a_protocol_error(tmp_path):
    script = tmp_path / "noisy.py"
    script.write_text("print('hello')\n")
    with ChunkedCommandProcess([sys.executable, str(script)]) as proc:
        with pytest.raises(ChunkedProtocolError, match="invalid chunk header"):
            proc.getinfo([])


def test_dead_command_reports_exit_code(tmp_path):
    script = tmp_path / "dies.py"
    script.write_text("import sys\nsys.stderr.write('cannot start\\n')\nsys.exit(3)\n")
    with ChunkedCommandProcess([sys.executable, str(script)]) as proc:
        with pytest.raises(ChunkedCommandError, match=r"exit code 3: cannot start"):
            proc.getinfo([])


def test_no_chunk_after_finished():
    with passthrough() as proc:
        proc.getinfo([])
        proc.execute([{"a": "1"}], finished=True)
        with pytest.raises(ChunkedCommandError, match="already finished"):
            proc.execute([{"a": "2"}], finished=True)
