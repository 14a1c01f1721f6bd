"""Unit checks of the pieces the end-to-end tests lean on."""
import gzip
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bin"))

from slack_alert import config, escape, results, spool, transport  # noqa: E402

from .conftest import mv_encode, write_results  # noqa: E402


@given(st.lists(st.text(min_size=0, max_size=20), min_size=1, max_size=6))
def test_mv_roundtrip(values):
    assert results.decode_mv(mv_encode(values)) == values


def test_mv_malformed_is_an_error():
    with pytest.raises(results.ResultsError, match="malformed multivalue"):
        results.decode_mv("a;b")


def test_results_reader_handles_mv_and_empty_cells(tmp_path):
    path = write_results(tmp_path / "r.csv.gz", [{"a": "1", "b": ["x$", "y"]}, {"a": "", "b": "z"}])
    assert list(results.iter_rows(path)) == [{"a": "1", "b": ["x$", "y"]}, {"b": "z"}]


def test_results_reader_rejects_non_gzip(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(results.ResultsError, match="not a readable gzipped CSV"):
        list(results.iter_rows(path))
    with gzip.open(tmp_path / "empty.csv.gz", "wt") as handle:
        handle.write("")
    assert list(results.iter_rows(tmp_path / "empty.csv.gz")) == []


@given(st.text(max_size=400), st.integers(min_value=5, max_value=300))
def test_mrkdwn_is_bounded_and_inert(value, limit):
    out = escape.mrkdwn(value, limit)
    assert len(out) <= limit
    assert "<" not in out and ">" not in out and "`" not in out
    assert not any(ord(c) < 32 for c in out)


def test_backoff_is_capped():
    assert [transport.backoff(i) for i in range(7)] == [0.5, 1, 2, 4, 8, 8, 8]


def test_deadline_refuses_waits_beyond_budget():
    now = [100.0]
    deadline = transport.Deadline(10, clock=lambda: now[0])
    assert deadline.allows(4, 5)
    now[0] = 106.0
    assert not deadline.allows(1, 3)


def test_config_errors_name_the_parameter():
    base = '{"session_key": "k", "server_uri": "https://127.0.0.1:8089", "results_file": "/x", "configuration": %s}'
    with pytest.raises(config.ConfigError, match="param.credential"):
        config.parse(base % '{"credential": "bad name!"}')
    with pytest.raises(config.ConfigError, match="param.channel"):
        config.parse(base % '{"credential": "a", "channel": "<!channel>"}')
    with pytest.raises(config.ConfigError, match="param.mention_ids"):
        config.parse(base % '{"credential": "a", "mention_ids": "<!here>"}')
    with pytest.raises(config.ConfigError, match="param.budget_seconds"):
        config.parse(base % '{"credential": "a", "budget_seconds": "600"}')
    with pytest.raises(config.ConfigError, match="session_key"):
        config.parse('{"server_uri": "x", "results_file": "/x", "configuration": {"credential": "a"}}')


def test_spool_lock_is_exclusive_and_released_by_unlock(tmp_path):
    first, second = spool.Spool(str(tmp_path)), spool.Spool(str(tmp_path))
    assert first.try_lock() and not second.try_lock()
    assert not second.lock(0.1)
    first.unlock()
    assert second.try_lock()
    second.unlock()


def test_ledger_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(spool, "LEDGER_MAX", 10)
    monkeypatch.setattr(spool, "LEDGER_KEEP", 4)
    store = spool.Spool(str(tmp_path))
    for i in range(11):
        store.mark_sent(f"k{i}")
    assert store.was_sent("k10") and store.was_sent("k7") and not store.was_sent("k6")


def test_internal_error_is_one_error_line_without_the_message(monkeypatch):
    import io

    from slack_alert import action

    def boom(*args):
        raise ValueError("https://hooks.slack.com/services/T/B/SECRET")

    monkeypatch.setattr(action, "run", boom)
    stream = io.StringIO()
    assert action.main(["x", "--execute"], io.StringIO("{}"), {}, stream=stream) == 1
    line = stream.getvalue()
    assert line.startswith("ERROR action=cryptomining_slack event=internal_error ") and "SECRET" not in line
    assert 'error="ValueError"' in line and line.count("\n") == 1


def test_first_result_shows_what_changed_and_its_target():
    """Detection Telemetry Tampering's row (values of the real Stratus StopLogging alert): the message names the
    change and the trail, within Slack's 10 fields per section."""
    from types import SimpleNamespace

    from slack_alert import render

    row = {"account": "143434273843", "region": "apiso-centralnorth-2r", "user": "christophe",
           "src_ip": "86.245.153.234", "telemetry": "CloudTrail", "api_call": "StopLogging",
           "change": "trail logging stopped", "target": "stratus-red-team-ct-stop-trail-buykxbqejv",
           "outcome": "success", "severity": "high"}
    alert = SimpleNamespace(severity="high", search_name="AWS Cryptomining - Detection Telemetry Tampering",
                            mention_ids=(), sid="scheduler__admin__sid", results_link="")
    message, _ = render.build(alert, render.digest([row], 10))
    fields = message["blocks"][1]["fields"]
    assert len(fields) <= 10
    texts = [f["text"] for f in fields]
    assert "*What*\ntrail logging stopped" in texts
    assert "*Target*\nstratus-red-team-ct-stop-trail-buykxbqejv" in texts
    assert "What: trail logging stopped" in json.dumps(message["blocks"])


def test_spool_debris_is_removed_when_its_writer_is_gone_or_its_pid_was_reused(tmp_path):
    import subprocess

    from slack_alert import owner

    store = spool.Spool(str(tmp_path))
    store.ensure()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = f"{finished.stdout.strip()}-{owner.start_time(os.getpid()) or 1}"
    pid, started = owner.identity().split("-")
    reused = f"{pid}-{int(started) + 1}"  # same pid, other start time: not the writer
    names = [f"x.json.{ident}.1.tmp" for ident in (dead, reused, owner.identity())] + ["garbage"]
    for name in names:
        (tmp_path / "tmp" / name).write_text("{")
    assert store.remove_debris() == 3
    assert sorted(p.name for p in (tmp_path / "tmp").iterdir()) == [names[2]]
