"""Search head cluster: an alert queued on one member is delivered by the resend search on another, once.

Two members: two SPLUNK_HOMEs (two spools, server_host sh1 and sh2) sharing one splunkd fake on 127.0.0.1
whose KV store plays the cluster's replicated collections (tests/slack/fakes.py: a duplicate _key insert
is refused with 409, as the KV store captain does). Member A queues alerts while Slack is down, then dies;
member B's resend search delivers them. Under Python 3.9 and 3.13 (fixture `splunk_python`).
"""
import shutil
import signal
import threading
import time
from collections import Counter

import pytest
from slack_alert.faultpoint import ENV
from slack_alert.shared_queue import CLAIMS, CLOCK_SKEW_SECONDS, MAXTIME_SECONDS, QUEUE, RETENTION_SECONDS

from .conftest import Harness
from .fakes import Reply

WEBHOOK = {"credential": "soc-webhook", "severity": "high", "max_rows": "3"}
BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high", "max_rows": "3"}
FAST = {"timeout_seconds": "1", "budget_seconds": "2"}


@pytest.fixture
def member_b(harness, tmp_path):
    """Member B: its own SPLUNK_HOME and spool, the same splunkd fake (KV store) and Slack as member A."""
    (tmp_path / "b").mkdir()
    member = Harness(tmp_path / "b", harness.server, harness.script, harness.python, member="sh2")
    yield member
    member.close()


def _slack_down(harness, path, replies=40):
    harness.server.script(path, *[Reply(503, "unavailable")] * replies)


def _queue(harness):
    return harness.server.kvstore.get(QUEUE, {})


def test_member_a_queues_dies_and_member_b_delivers_once(harness, member_b, splunk_python):
    python = splunk_python[0]
    _slack_down(harness, harness.webhook_path)
    sids = [f"sh1_alert_{i}" for i in range(3)]
    for sid in sids:
        assert harness.call(dict(WEBHOOK, **FAST), sid=sid, python=python).returncode == 6
    harness.server._scripts.clear()
    assert harness.server.posted_sids() == [] and len(harness.pending()) == 3
    assert {r["state"] for r in _queue(harness).values()} == {"pending"}
    shutil.rmtree(harness.splunk_home)  # member A is gone, its disk with it

    proc = member_b.call({"resend_only": "1"}, python=python)
    assert proc.returncode == 0, proc.stderr
    assert harness.server.posted_sids() == sids  # in order, each once
    assert {(r["state"], r["sent_by"]) for r in _queue(harness).values()} == {("sent", "sh2")}
    assert member_b.resend().returncode == 0 and harness.server.posted_sids() == sids


def test_member_killed_in_flight_is_taken_over_after_its_claim_ends(harness, member_b, splunk_python):
    """A is killed after Slack accepted its bot-token post and before anything was recorded. B does not send
    while A's claim may still be live; once it has ended (maxtime), B finds the post in the channel instead of
    posting again; A, back, settles its spool without sending."""
    python = splunk_python[0]
    killed = harness.run(dict(BOT, **FAST), env={ENV: "accepted"}, python=python)
    assert killed.returncode == -signal.SIGKILL
    sid = harness.payload({})["sid"]
    assert harness.server.posted_sids() == [sid]

    held = member_b.call({"resend_only": "1"}, python=python)
    assert held.returncode == 6, held.stderr
    assert harness.server.posted_sids() == [sid]
    [claim] = harness.server.kvstore[CLAIMS].values()
    assert claim["member"] == "sh1" and claim["until"] > time.time()

    claim["until"] = time.time() - MAXTIME_SECONDS - CLOCK_SKEW_SECONDS - 1  # A's maxtime has long passed
    proc = member_b.call({"resend_only": "1"}, python=python)
    assert proc.returncode == 0, proc.stderr
    assert "event=duplicate_skipped" in proc.stderr and "found in the channel" in proc.stderr
    assert harness.server.posted_sids() == [sid]

    back = harness.call({"resend_only": "1"}, python=python)
    assert back.returncode == 0, back.stderr
    assert harness.pending() == [] and harness.server.posted_sids() == [sid]
    assert 'sent_by="sh2"' in back.stderr


def test_two_members_flushing_at_once_send_each_alert_once(harness, member_b):
    """Both members' resend searches run at the same moment over the same queue: the claim decides."""
    _slack_down(harness, harness.webhook_path, replies=200)
    sids = [f"race_{i:02d}" for i in range(12)]
    for i, sid in enumerate(sids):
        member = harness if i % 2 else member_b
        assert member.call(dict(WEBHOOK, **FAST), sid=sid).returncode == 6
    harness.server._scripts.clear()
    harness.server.script(harness.webhook_path, *[Reply(200, "ok", delay=0.05)] * 12)

    runs = [threading.Thread(target=m.call, args=({"resend_only": "1"},))
            for m in (harness, member_b)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert Counter(harness.server.posted_sids()) == Counter(sids)  # every alert once, by one member or the other
    assert {r["state"] for r in _queue(harness).values()} == {"sent"}
    assert {r["sent_by"] for r in _queue(harness).values()} == {"sh1", "sh2"}  # both really flushed
    for member in (harness, member_b):  # each member's next run settles its spool: nothing is sent again
        assert member.resend().returncode == 0
    assert harness.pending() == [] and member_b.pending() == []
    assert Counter(harness.server.posted_sids()) == Counter(sids)


def test_kv_store_down_delivers_from_the_spool_and_keeps_published_alerts_queued(harness, member_b):
    """No KV store: an alert that was never published is delivered from its member's spool as on a standalone
    search head; one already published stays queued (another member may be sending it) until the KV store
    answers again."""
    _slack_down(harness, harness.webhook_path)
    assert harness.call(dict(WEBHOOK, **FAST), sid="published_before").returncode == 6
    harness.server._scripts.clear()
    harness.server.kv_down = True
    proc = harness.call(WEBHOOK, sid="during_outage")
    assert proc.returncode == 0, proc.stderr
    assert "event=queue_unavailable" in proc.stderr
    assert harness.server.posted_sids() == ["during_outage"]
    assert harness.resend().returncode == 6 and harness.server.posted_sids() == ["during_outage"]
    harness.server.kv_down = False
    assert member_b.resend().returncode == 0
    assert harness.server.posted_sids() == ["during_outage", "published_before"]
    assert harness.resend().returncode == 0 and harness.pending() == []


def test_resend_purges_alerts_delivered_or_refused_more_than_a_week_ago(harness, member_b):
    """The collections do not grow without bound: the resend search deletes a delivered or refused alert's
    record and claims once they are older than the retention; queued alerts are never purged."""
    _slack_down(harness, harness.webhook_path)
    for sid in ("old_sent", "recent_sent", "old_pending"):
        assert harness.call(dict(WEBHOOK, **FAST), sid=sid).returncode == 6
    harness.server._scripts.clear()
    queue = _queue(harness)
    keys = {r["sid"]: k for k, r in queue.items()}
    stuck = queue.pop(keys["old_pending"])  # held back while the other two are delivered
    assert member_b.resend().returncode == 0
    queue[keys["old_pending"]] = dict(stuck, updated=time.time() - RETENTION_SECONDS - 60)
    queue[keys["old_sent"]]["updated"] = time.time() - RETENTION_SECONDS - 60
    claims = harness.server.kvstore[CLAIMS]
    assert {c["alert_key"] for c in claims.values()} >= {keys["old_sent"], keys["recent_sent"]}

    proc = member_b.call({"resend_only": "1"})
    assert 'event=queue_purged' in proc.stderr and 'records="1"' in proc.stderr
    assert keys["old_sent"] not in _queue(harness) and keys["recent_sent"] in _queue(harness)
    assert keys["old_sent"] not in {c["alert_key"] for c in claims.values()}
    assert keys["recent_sent"] in {c["alert_key"] for c in claims.values()}
    assert harness.server.posted_sids().count("old_pending") == 1  # the stuck one was then delivered, once
