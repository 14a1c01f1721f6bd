"""End-to-end: the action as splunkd runs it, against the loopback Slack and splunkd fakes."""
import base64
import json
import socket

from .conftest import BOT_TOKEN, PROXY_PASSWORD, SECRETS, sample_rows, write_results
from .fakes import Reply

WEBHOOK = {"credential": "soc-webhook", "severity": "high", "max_rows": "5"}
BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "critical", "max_rows": "5"}
FAST = {"timeout_seconds": "1", "budget_seconds": "4"}


def _lines(proc):
    return [line for line in proc.stderr.splitlines() if line]


def test_webhook_delivers_block_kit_message(harness):
    proc = harness.run(WEBHOOK)
    assert proc.returncode == 0, proc.stderr
    [request] = harness.server.requests(harness.webhook_path)
    body = request["body"]
    assert body["unfurl_links"] is False and body["unfurl_media"] is False
    blocks = body["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "emoji": False,
                                                     "text": "HIGH: Cryptomining - Large or GPU EC2 launch"}}
    first = "\n".join(f["text"] for f in blocks[1]["fields"])
    assert "*Instance type*\np2.xlarge" in first and "*Account*\n111122223333" in first
    assert "*Region*\nus-west-2" in first and "*Est. cost / hour (USD)*\n0.9" in first
    assert "*Country*\n\u2014" in first  # absent in the data: shown as a dash, not dropped silently
    texts = json.dumps(blocks, ensure_ascii=False)
    assert ("*11 result(s)* \u00b7 5 account(s) \u00b7 3 region(s) \u00b7 30 instance(s) \u00b7 "
            "est. $20.24/hour in total") in texts
    assert "\u2026and 6 more" in texts
    assert blocks[-1]["elements"][0]["url"].startswith("https://splunk.example.com:8000/app/aws_cryptomining/")
    # the first row has no access key: the investigation opens on its instance
    assert blocks[-1]["elements"][1] == {"type": "button", "text": {"type": "plain_text", "text": "Investigate"},
                                         "url": "https://splunk.example.com:8000/app/aws_cryptomining/"
                                                "aws_cryptomining_investigation?form.instance_id=i-07d06021b0da55115"}
    assert "[HIGH] Cryptomining - Large or GPU EC2 launch: 11 result(s)" in body["text"]
    [line] = _lines(proc)
    assert line.startswith("INFO action=cryptomining_slack event=delivered ")
    assert 'search_name="Cryptomining - Large or GPU EC2 launch"' in line
    assert 'sid="scheduler__admin__aws_cryptomining__RMD5_at_1732449600_42"' in line


def test_multivalue_fields_are_decoded(harness):
    rows = [dict(sample_rows()[6], instance_type=["p3.2xlarge", "g4dn.xlarge"])]
    assert harness.run(WEBHOOK, rows=rows).returncode == 0
    text = json.dumps(harness.server.requests(harness.webhook_path)[0]["body"]["blocks"])
    assert "p3.2xlarge, g4dn.xlarge" in text and "$;$" not in text


def test_bot_token_posts_to_channel_and_thread(harness):
    proc = harness.run(dict(BOT, thread_ts="1732449600.000200"))
    assert proc.returncode == 0, proc.stderr
    [request] = harness.server.requests(harness.api_path)
    assert request["headers"]["Authorization"] == f"Bearer {BOT_TOKEN}"
    body = request["body"]
    assert body["channel"] == "C0SOCALERT" and body["thread_ts"] == "1732449600.000200"
    assert body["link_names"] is False and body["unfurl_links"] is False and body["parse"] == "none"
    assert body["blocks"][0]["text"]["text"].startswith("CRITICAL: ")


def test_429_honours_retry_after_then_delivers(harness):
    harness.server.script(harness.webhook_path, Reply(429, "rate_limited", {"Retry-After": "1"}))
    proc = harness.run(WEBHOOK)
    assert proc.returncode == 0, proc.stderr
    first, second = harness.server.requests(harness.webhook_path)
    assert second["at"] - first["at"] >= 1.0


def test_api_429_then_ok(harness):
    harness.server.script(harness.api_path, Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}))
    proc = harness.run(BOT)
    assert proc.returncode == 0, proc.stderr
    assert len(harness.server.requests(harness.api_path)) == 2


def test_500_then_ok_is_retried(harness):
    harness.server.script(harness.webhook_path, Reply(500, "rollup_error"))
    harness.server.script(harness.api_path, Reply(503, {"ok": False, "error": "service_unavailable"}))
    assert harness.run(WEBHOOK).returncode == 0
    assert harness.run(BOT).returncode == 0
    assert len(harness.server.requests(harness.webhook_path)) == 2
    assert len(harness.server.requests(harness.api_path)) == 2


def test_timeout_is_retried(harness):
    harness.server.script(harness.webhook_path, Reply(200, "ok", delay=2.5))
    proc = harness.run(dict(WEBHOOK, timeout_seconds="1", budget_seconds="8"))
    assert proc.returncode == 0, proc.stderr
    assert len(harness.server.requests(harness.webhook_path)) == 2


def test_invalid_payload_is_permanent_and_not_retried(harness):
    harness.server.script(harness.webhook_path, Reply(400, "invalid_payload"))
    proc = harness.run(WEBHOOK)
    assert proc.returncode == 5
    assert len(harness.server.requests(harness.webhook_path)) == 1
    assert _lines(proc)[-1].startswith("ERROR action=cryptomining_slack event=rejected ")
    assert 'error="invalid_payload"' in proc.stderr
    assert len(harness.dead()) == 1 and harness.pending() == []


def test_channel_not_found_is_permanent(harness):
    harness.server.script(harness.api_path, Reply(200, {"ok": False, "error": "channel_not_found"}))
    proc = harness.run(BOT)
    assert proc.returncode == 5
    assert len(harness.server.requests(harness.api_path)) == 1
    assert 'error="channel_not_found"' in proc.stderr


def test_no_service_webhook_404(harness):
    harness.server.script(harness.webhook_path, Reply(404, "no_service"))
    assert harness.run(WEBHOOK).returncode == 5
    assert len(harness.server.requests(harness.webhook_path)) == 1


def test_persistent_failure_spools_and_next_run_delivers_in_order(harness):
    harness.server.script(harness.webhook_path, *[Reply(500, "rollup_error")] * 20)
    proc = harness.run(dict(WEBHOOK, **FAST), sid="sid_first")
    assert proc.returncode == 6, proc.stderr
    assert "WARN action=cryptomining_slack event=spooled" in proc.stderr
    assert len(harness.pending()) == 1
    harness.server._scripts.clear()
    before = len(harness.server.requests(harness.webhook_path))
    proc = harness.run(WEBHOOK, sid="sid_second")
    assert proc.returncode == 0, proc.stderr
    sent = harness.server.requests(harness.webhook_path)[before:]
    assert ["sid_first" in json.dumps(r["body"]) for r in sent] == [True, False]
    assert "sid_second" in json.dumps(sent[1]["body"])
    assert harness.pending() == []


def test_new_alert_queues_behind_undeliverable_older_alert(harness):
    harness.server.script(harness.webhook_path, *[Reply(503, "unavailable")] * 40)
    assert harness.run(dict(WEBHOOK, **FAST), sid="sid_a").returncode == 6
    assert harness.run(dict(WEBHOOK, **FAST), sid="sid_b").returncode == 6
    names = [json.loads(p.read_text())["sid"] for p in harness.pending()]
    assert names == ["sid_a", "sid_b"]


def test_resend_mode_flushes_spool_once(harness):
    harness.server.script(harness.api_path, *[Reply(500, {"ok": False, "error": "internal_error"})] * 20)
    assert harness.run(dict(BOT, **FAST)).returncode == 6
    harness.server._scripts.clear()
    before = len(harness.server.requests(harness.api_path))
    proc = harness.run({"resend_only": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "event=resent" in proc.stderr and harness.pending() == []
    assert len(harness.server.requests(harness.api_path)) == before + 1
    proc = harness.run({"resend_only": "1"})
    assert proc.returncode == 0 and len(harness.server.requests(harness.api_path)) == before + 1


def test_entry_already_sent_is_never_resent(harness):
    """Crash window: delivered and recorded in the ledger, but the spool file survived."""
    harness.server.script(harness.webhook_path, *[Reply(500, "x")] * 20)
    assert harness.run(dict(WEBHOOK, **FAST)).returncode == 6
    [path] = harness.pending()
    key = json.loads(path.read_text())["key"]
    (harness.spool_root / "sent.keys").write_text(f"{key} 1732449600\n")
    harness.server._scripts.clear()
    before = len(harness.server.requests(harness.webhook_path))
    proc = harness.run({"resend_only": "1"})
    assert proc.returncode == 0 and "event=duplicate_skipped" in proc.stderr
    assert len(harness.server.requests(harness.webhook_path)) == before and harness.pending() == []


def test_missing_credential_is_a_credential_error(harness):
    proc = harness.run(dict(WEBHOOK, credential="nope"))
    assert proc.returncode == 4
    assert "ERROR action=cryptomining_slack event=credential_error" in proc.stderr
    assert harness.server.requests(harness.webhook_path) == []


def test_webhook_with_channel_is_refused_clearly(harness):
    proc = harness.run(dict(WEBHOOK, channel="C0OTHER"))
    assert proc.returncode == 5 and "channel_with_webhook" in proc.stderr
    assert harness.server.requests(harness.webhook_path) == []


def test_bad_payload_and_usage(harness):
    assert harness.run(dict(WEBHOOK, max_rows="lots")).returncode == 3
    assert harness.run(dict(WEBHOOK, severity="urgent")).returncode == 3
    assert harness.run(WEBHOOK, args=()).returncode == 2
    proc = harness.run(WEBHOOK, results_file=harness.tmp / "missing.csv.gz")
    assert proc.returncode == 8 and "event=results_unreadable" in proc.stderr


def test_mentions_only_from_admin_list(harness):
    harness.server.passwords[("aws_cryptomining_slack_settings", "allowed_mentions")] = "U0SOCLEAD,S0SOCTEAM"
    proc = harness.run(dict(WEBHOOK, mention_ids="U0SOCLEAD,S0SOCTEAM,U0ATTACKER"))
    assert proc.returncode == 0, proc.stderr
    body = harness.server.requests(harness.webhook_path)[0]["body"]
    text = json.dumps(body)
    assert "<@U0SOCLEAD>" in text and "<!subteam^S0SOCTEAM>" in text and "U0ATTACKER" not in text
    assert 'WARN action=cryptomining_slack event=mention_not_allowed' in proc.stderr


def test_secrets_never_written_anywhere(harness):
    harness.server.passwords[("aws_cryptomining_slack_settings", "proxy")] = json.dumps(
        {"url": "", "username": "", "password": ""})
    harness.run(WEBHOOK, sid="s1")
    harness.run(BOT, sid="s2")
    harness.server.script(harness.webhook_path, Reply(400, "invalid_payload"))
    harness.run(WEBHOOK, sid="s3")
    harness.server.script(harness.api_path, Reply(200, {"ok": False, "error": "invalid_auth"}))
    harness.run(BOT, sid="s4")
    harness.server.script(harness.webhook_path, *[Reply(500, "x")] * 20)
    harness.run(dict(WEBHOOK, **FAST), sid="s5")
    harness.server._scripts.clear()
    harness.server.script(harness.webhook_path, Reply(200, "ok", delay=2))
    harness.run(dict(WEBHOOK, timeout_seconds="1", budget_seconds="2"), sid="s6")
    written = harness.all_written_text()
    sent = json.dumps([r["body"] for r in harness.server.requests() if r["method"] == "POST"])
    for secret in SECRETS:
        assert secret not in written
        assert secret not in sent
    events = [line.split(" ")[2] for out in harness.outputs for line in out.splitlines()]
    assert events.count("event=delivered") == 2 and events.count("event=rejected") == 2
    assert events.count("event=spooled") == 2 and len(harness.dead()) == 2 and len(harness.pending()) == 2


def test_proxy_with_credentials_is_used(harness):
    harness.server.passwords[("aws_cryptomining_slack_settings", "proxy")] = json.dumps(
        {"url": harness.server.base, "username": "svc-splunk", "password": PROXY_PASSWORD})
    proc = harness.run(WEBHOOK)
    assert proc.returncode == 0, proc.stderr
    [request] = harness.server.requests(harness.webhook_path)
    expected = base64.b64encode(f"svc-splunk:{PROXY_PASSWORD}".encode()).decode()
    assert request["headers"]["Proxy-Authorization"] == f"Basic {expected}"
    assert PROXY_PASSWORD not in harness.all_written_text()


def test_malformed_proxy_setting_is_reported_not_ignored(harness):
    harness.server.passwords[("aws_cryptomining_slack_settings", "proxy")] = "not json"
    proc = harness.run(WEBHOOK)
    assert "WARN action=cryptomining_slack event=settings_unavailable" in proc.stderr
    assert "proxy setting is malformed" in proc.stderr
    assert proc.returncode == 4 and harness.server.requests(harness.webhook_path) == []  # never bypasses the proxy
    assert len(harness.dead()) == 1


def test_splunkd_unreachable_spools_without_secret(harness, tmp_path):
    results = write_results(tmp_path / "r.csv.gz", sample_rows())
    payload_env = {}
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    original = harness.server.base
    harness.server.base = f"http://127.0.0.1:{port}"
    try:
        proc = harness.run(WEBHOOK, results_file=results, env=payload_env)
    finally:
        harness.server.base = original
    assert proc.returncode == 6, proc.stderr
    [entry] = [json.loads(p.read_text()) for p in harness.pending()]
    assert entry["credential"] == "soc-webhook" and entry["last_error"] == "splunkd_unavailable"


def test_investigate_link_prefers_the_access_key_and_encodes_hostile_values():
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bin"))
    from slack_alert.render import investigation_url

    link = "https://sh.example.com:8000/en-GB/app/aws_cryptomining/@go?sid=1"
    row = {"access_key_id": "AKIA2KZ5XQ7WHR4TVN3Q", "instance_id": ["i-0abc", "i-0def"], "user": "x"}
    assert investigation_url(link, row) == ("https://sh.example.com:8000/en-GB/app/aws_cryptomining/"
                                            "aws_cryptomining_investigation?form.access_key_id=AKIA2KZ5XQ7WHR4TVN3Q")
    hostile = investigation_url(link, {"user": "<!channel>&form.x=1 \"evil\""})
    assert hostile.endswith("?form.principal=%3C%21channel%3E%26form.x%3D1%20%22evil%22")
    assert investigation_url(link, {"instance": "eni-0af8498242dfdfa5c"}) is None   # not an instance id
    assert investigation_url("javascript:alert(1)", row) is None
