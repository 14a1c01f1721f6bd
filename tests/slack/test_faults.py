"""Every reply the action cannot understand is a failed attempt: retried within the budget, then spooled,
never lost and never an internal error (issue 14 item 1). Against the loopback fake, through the action driver."""
import json

import pytest

from .fakes import Reply

WEBHOOK = {"credential": "soc-webhook", "severity": "high", "max_rows": "5"}
BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high", "max_rows": "5"}
FAST = {"timeout_seconds": "1", "budget_seconds": "3"}

# (name, destination, fault reply): each one is answered once, then Slack answers normally. A bot-token fault
# answered with 200 is one where Slack had posted the message: the retry finds it in the channel instead.
FAULTS = [
    ("retry_after_fraction", "webhook", Reply(429, "rate_limited", {"Retry-After": "0.5"})),
    ("retry_after_negative", "bot", Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "-1"})),
    ("retry_after_garbage", "webhook", Reply(429, "rate_limited", {"Retry-After": "soon"})),
    ("not_http_status_line", "webhook", Reply(raw=b"SLACK-ISH 200 maybe\r\n\r\nok")),
    ("not_http_status_line_api", "bot", Reply(raw=b"\x00\x01garbage\r\n\r\n")),
    ("5xx_unknown_charset", "webhook", Reply(503, "unavailable", content_type="text/plain; charset=x-no-such-zz")),
    ("5xx_invalid_utf8", "bot", Reply(502, b"\xff\xfe bad \xc3\x28", content_type="text/html; charset=utf-8")),
    ("api_invalid_json", "bot", Reply(200, b'{"ok": tru', content_type="application/json")),
    ("api_html_200", "bot", Reply(200, "<html>proxy error</html>")),
    ("api_json_without_ok", "bot", Reply(200, {"channel": "C0SOCALERT"})),
    ("webhook_200_not_ok", "webhook", Reply(200, "<html>captive portal</html>", accepted=False)),
    ("dropped_connection", "webhook", Reply(drop=True)),
]


def _path(harness, kind):
    return harness.webhook_path if kind == "webhook" else harness.api_path


def test_unreadable_reply_is_a_failed_attempt_then_retried(harness, splunk_python):
    """Each fault once, each for its own alert, under Python 3.9 and 3.13 (their http.client and codecs
    differ): every alert delivered exactly once, none spooled or lost."""
    for name, kind, fault in FAULTS:
        harness.server.script(_path(harness, kind), fault)
        before = len(harness.server.requests(_path(harness, kind)))
        proc = harness.call(dict(WEBHOOK if kind == "webhook" else BOT, timeout_seconds="2", budget_seconds="10"),
                            sid=name, python=splunk_python[0])
        assert proc.returncode == 0, (name, proc.stderr)
        assert harness.server.posted_sids().count(name) == 1, name  # delivered exactly once
        attempts = len(harness.server.requests(_path(harness, kind))) - before
        assert attempts == (1 if fault.accepted else 2), name  # a bot-token copy Slack had is found instead
    assert "internal_error" not in "".join(harness.outputs)
    assert harness.pending() == [] and harness.dead() == []


def test_fractional_retry_after_is_honoured(harness):
    harness.server.script(harness.webhook_path, Reply(429, "rate_limited", {"Retry-After": "1.5"}))
    assert harness.call(WEBHOOK).returncode == 0
    first, second = harness.server.requests(harness.webhook_path)
    assert second["at"] - first["at"] >= 1.5


@pytest.mark.parametrize("kind", ["webhook", "bot"])
def test_malformed_replies_for_the_whole_budget_are_spooled_then_resent(harness, kind):
    garbage = Reply(500, b"\xff\xfe", content_type="text/plain; charset=utf-8")
    harness.server.script(_path(harness, kind), *[garbage] * 30)
    proc = harness.call(dict(WEBHOOK if kind == "webhook" else BOT, **FAST))
    assert proc.returncode == 6, proc.stderr
    assert 'event=spooled' in proc.stderr and 'reason="malformed_reply"' in proc.stderr
    [path] = harness.pending()
    assert json.loads(path.read_text())["attempts"] == 1
    harness.server._scripts.clear()
    proc = harness.resend()
    assert proc.returncode == 0, proc.stderr
    assert harness.server.posted_sids() == [harness.payload({})["sid"]]
    assert harness.pending() == []


def test_permanent_refusal_with_a_slack_error_code_is_still_permanent(harness):
    harness.server.script(harness.api_path, Reply(200, {"ok": False, "error": "channel_not_found"}))
    proc = harness.call(BOT)
    assert proc.returncode == 5 and 'error="channel_not_found"' in proc.stderr
    assert len(harness.dead()) == 1 and harness.pending() == []
