"""kill -9 at every named point of delivery and spooling, then the resend search: nothing lost, nothing twice.

The action runs as splunkd runs it (a process under Splunk's Python, payload on stdin) and kills itself with SIGKILL at the point
named by CRYPTOMINING_SLACK_KILL_AT (bin/slack_alert/faultpoint.py). Then the flusher of the scheduled
"Slack - Resend Queued Alerts" search runs, and the fake Slack counts what reached the channel.
The one window no Slack API can close: an incoming webhook killed after Slack accepted the message and
before the ledger write is sent twice (measured here; docs/slack.md). A bot token finds its earlier copy in
the channel history instead.
"""
import json
import signal
import subprocess
import time

import pytest
from slack_alert.faultpoint import ENV, POINTS

from .fakes import Reply

WEBHOOK = {"credential": "soc-webhook", "severity": "high", "max_rows": "5"}
BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high", "max_rows": "5"}
FAILS_ONCE = {"backoff"}  # points reached only after a failed attempt

# (point, destination, copies in the channel after the resend search)
CASES = [(point, "webhook", 2 if point == "accepted" else 1) for point in POINTS if point != "spool_write"]
CASES += [(point, "bot", 1) for point in ("backoff", "accepted")]  # where a bot token differs: history look-up
CASES += [("spool_write:2", "webhook", 1)]  # inside the write that records the attempt


def _debris(harness):
    tmp = harness.spool_root / "tmp"
    return sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


def _path(harness, kind):
    return harness.webhook_path if kind == "webhook" else harness.api_path


@pytest.mark.parametrize("point,kind,copies", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_kill_at_point_then_resend_loses_nothing(harness, point, kind, copies):
    if point in FAILS_ONCE:
        harness.server.script(_path(harness, kind), Reply(500, "rollup_error"))
    proc = harness.run(dict(WEBHOOK if kind == "webhook" else BOT, timeout_seconds="2", budget_seconds="10"),
                       env={ENV: point})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    resent = harness.resend()
    assert resent.returncode == 0, resent.stderr
    sid = harness.payload({})["sid"]
    assert harness.server.posted_sids() == [sid] * copies  # lost = 0; duplicated = 0 except the webhook window
    assert harness.pending() == [] and harness.dead() == [] and _debris(harness) == []


def test_kill_inside_the_first_spool_write_leaves_no_temporary_file(harness):
    """Before the alert is persisted nothing has been sent; the killed write leaves debris that the next run
    removes (and splunkd logs the action's failure: the alert was never accepted by the action)."""
    proc = harness.run(WEBHOOK, env={ENV: "spool_write"})
    assert proc.returncode == -signal.SIGKILL
    assert len(_debris(harness)) == 1 and harness.pending() == []
    assert harness.resend().returncode == 0
    assert _debris(harness) == [] and harness.server.posted_sids() == []


@pytest.mark.parametrize("kind,accepted", [("webhook", False), ("bot", True)])
def test_sigkill_while_the_first_request_is_in_flight(harness, splunk_python, kind, accepted):
    """The literal incident: SIGKILL from outside while Slack is still answering the first attempt (under
    Python 3.9 and 3.13)."""
    harness.server.script(_path(harness, kind), Reply(200, "ok" if kind == "webhook" else None, delay=3,
                                                      accepted=accepted))
    proc = subprocess.Popen(splunk_python + [str(harness.script), "--execute"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=harness.env())
    proc.stdin.write(json.dumps(harness.payload(WEBHOOK if kind == "webhook" else BOT)))
    proc.stdin.close()
    deadline = time.monotonic() + 20
    while not harness.server.requests(_path(harness, kind)) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()
    assert harness.resend().returncode == 0
    assert harness.server.posted_sids() == [harness.payload({})["sid"]]
    assert harness.pending() == []


def test_killed_flusher_does_not_stall_the_next_one(harness, splunk_python):
    """A flusher killed while holding flush.lock: the next run takes over at once, not after 300 s."""
    harness.server.script(harness.webhook_path, *[Reply(503, "unavailable")] * 10)
    assert harness.call(dict(WEBHOOK, timeout_seconds="1", budget_seconds="2")).returncode == 6
    harness.server._scripts.clear()
    killed = harness.run({"resend_only": "1"}, env={ENV: "flush_locked"}, python=splunk_python[0])
    assert killed.returncode == -signal.SIGKILL
    assert (harness.spool_root / "flush.lock").exists()
    started = time.monotonic()
    proc = harness.resend()
    assert proc.returncode == 0, proc.stderr
    assert 'locked="true"' in proc.stderr and time.monotonic() - started < 5
    assert harness.server.posted_sids() == [harness.payload({})["sid"]]
