"""Slack accepted the message but the reply never arrived (read timeout): the retry must not post it again
where Slack lets us check (issue 14 item 3). A bot token looks for the alert key in the message metadata of
the channel (or thread) history; an incoming webhook cannot be read back, so that window stays: measured."""
from urllib.parse import parse_qs

from .fakes import Reply

BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high", "max_rows": "5",
       "timeout_seconds": "1", "budget_seconds": "10"}
WEBHOOK = {"credential": "soc-webhook", "severity": "high", "max_rows": "5", "timeout_seconds": "1",
           "budget_seconds": "10"}
SLOW_BUT_ACCEPTED = dict(delay=1.6, accepted=True)


def test_bot_read_timeout_after_slack_accepted_is_not_posted_twice(harness):
    harness.server.script(harness.api_path, Reply(200, None, **SLOW_BUT_ACCEPTED))
    proc = harness.call(BOT)
    assert proc.returncode == 0, proc.stderr
    assert harness.server.posted_sids() == [harness.payload({})["sid"]]
    assert len(harness.server.requests(harness.api_path)) == 1
    assert "event=duplicate_skipped" in proc.stderr and "found in the channel" in proc.stderr
    [history] = harness.server.requests("/api/conversations.history")
    form = parse_qs(history["body"])
    assert form["include_all_metadata"] == ["1"] and form["channel"] == ["C0SOCALERT"]
    assert harness.pending() == []


def test_bot_thread_reply_is_looked_up_in_the_thread(harness):
    harness.server.script(harness.api_path, Reply(200, None, **SLOW_BUT_ACCEPTED))
    proc = harness.call(dict(BOT, thread_ts="1732449600.000200"))
    assert proc.returncode == 0, proc.stderr
    assert len(harness.server.posted) == 1 and harness.server.posted[0]["thread_ts"] == "1732449600.000200"
    [replies] = harness.server.requests("/api/conversations.replies")
    assert parse_qs(replies["body"])["ts"] == ["1732449600.000200"]


def test_bot_read_timeout_before_slack_posted_is_posted_once(harness):
    harness.server.script(harness.api_path, Reply(503, {"ok": False, "error": "service_unavailable"}, delay=1.6))
    assert harness.call(BOT).returncode == 0
    assert harness.server.posted_sids() == [harness.payload({})["sid"]]
    assert len(harness.server.requests(harness.api_path)) == 2


def test_bot_without_history_scope_reposts_and_says_why(harness):
    """No channels:history scope: the action cannot look, so it posts again (at least once) and warns."""
    harness.server.script(harness.api_path, Reply(200, None, **SLOW_BUT_ACCEPTED))
    harness.server.script("/api/conversations.history", Reply(200, {"ok": False, "error": "missing_scope",
                                                                     "needed": "channels:history"}))
    proc = harness.call(BOT)
    assert proc.returncode == 0, proc.stderr
    assert "WARN action=cryptomining_slack event=history_unavailable" in proc.stderr
    assert 'error="missing_scope"' in proc.stderr
    assert len(harness.server.posted_sids()) == 2


def test_history_unreadable_now_defers_instead_of_reposting(harness):
    harness.server.script(harness.api_path, Reply(200, None, **SLOW_BUT_ACCEPTED))
    harness.server.script("/api/conversations.history", *[Reply(500, {"ok": False, "error": "internal_error"})] * 9)
    proc = harness.call(dict(BOT, budget_seconds="3"))
    assert proc.returncode == 6, proc.stderr
    assert len(harness.server.posted_sids()) == 1
    harness.server._scripts.clear()
    assert harness.resend().returncode == 0
    assert len(harness.server.posted_sids()) == 1 and harness.pending() == []


def test_webhook_read_timeout_after_slack_accepted_is_the_documented_window(harness):
    """An incoming webhook cannot be read: the retry posts a second copy. This is the measured bound."""
    harness.server.script(harness.webhook_path, Reply(200, "ok", **SLOW_BUT_ACCEPTED))
    assert harness.call(WEBHOOK).returncode == 0
    assert harness.server.posted_sids() == [harness.payload({})["sid"]] * 2
