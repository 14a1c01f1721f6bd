"""Incident alerts: one Slack message per incident, updates as replies in its thread (bot token, thread ts
kept in the aws_cryptomining_incident_threads KV collection) or compact follow-ups quoting the id (webhook)."""
import json

INCIDENTS = "AWS Cryptomining - Incident Correlation"
BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high"}
WEBHOOK = {"credential": "soc-webhook", "severity": "high"}
DETECTIONS = ["large_gpu_launch", "unseen_region", "mining_pool_dns"]


def incident_row(incident_id, notify, updates=0, detections=DETECTIONS, reason=None):
    row = {"incident_id": incident_id, "notify": notify, "updates": str(updates), "score": str(80 + 20 * updates),
           "severity": "high", "title": f"Access key AKIAEXAMPLE (svc) in account 111122223333: {len(detections)} "
                                        "detections, 4 instances in 2 regions, est. $21.96/h",
           "first_seen": "2026-10-01T02:13:07Z", "last_seen": "2026-10-01T02:40:00Z", "detections": detections,
           "access_keys": "AKIAEXAMPLE", "principals": "svc", "accounts": "111122223333",
           "regions": ["us-east-1", "us-west-2"], "cost_per_hour": "21.96"}
    if reason:
        row["update_reason"] = reason
    return row


def _notify(harness, config, rows, n):
    return harness.call(config, rows=rows, search_name=INCIDENTS, sid=f"scheduler__admin__incidents_{n}")


def test_bot_token_posts_one_message_per_incident_and_updates_in_its_thread(harness):
    alerts = [incident_row("INC-AAAAAAAAAAAA", "new"), incident_row("INC-BBBBBBBBBBBB", "new"),
              incident_row("INC-AAAAAAAAAAAA", "update", 1, DETECTIONS + ["guardduty_crypto_findings"],
                           "1 new detection(s), GuardDuty confirms mining, score 80 -> 100"),
              incident_row("INC-AAAAAAAAAAAA", "update", 2, reason="2 new region(s)")]
    for n, row in enumerate(alerts):
        assert _notify(harness, BOT, [row], n).returncode == 0
    posted = harness.server.posted
    roots = [m for m in posted if not m["thread_ts"]]
    assert len(posted) == 4 and len(roots) == 2
    first_a = roots[0]
    assert [m["thread_ts"] for m in posted[2:]] == [first_a["ts"], first_a["ts"]]
    assert "Incident INC-AAAAAAAAAAAA" in first_a["body"]["text"]
    root_text = json.dumps(first_a["body"]["blocks"])
    assert all(d in root_text for d in DETECTIONS) and "AKIAEXAMPLE" in root_text
    update = posted[2]["body"]
    assert update["text"].startswith("Update to incident INC-AAAAAAAAAAAA (score 100): 1 new detection(s), "
                                     "GuardDuty confirms mining")
    assert "guardduty_crypto_findings" in json.dumps(update["blocks"])
    threads = harness.server.kvstore["aws_cryptomining_incident_threads"]
    assert sorted(r["incident_id"] for r in threads.values()) == ["INC-AAAAAAAAAAAA", "INC-BBBBBBBBBBBB"]
    assert {r["thread_ts"] for r in threads.values()} == {m["ts"] for m in roots}


def test_webhook_updates_are_compact_follow_ups_quoting_the_incident(harness):
    _notify(harness, WEBHOOK, [incident_row("INC-AAAAAAAAAAAA", "new")], 0)
    _notify(harness, WEBHOOK, [incident_row("INC-AAAAAAAAAAAA", "update", 1, reason="1 new region(s)")], 1)
    first, second = (r["body"] for r in harness.server.requests(harness.webhook_path))
    assert first["blocks"][0]["type"] == "header" and "INC-AAAAAAAAAAAA" in first["blocks"][0]["text"]["text"]
    assert second["text"].startswith("Update to incident INC-AAAAAAAAAAAA (score 100): 1 new region(s).")
    assert len(second["blocks"]) == 2 and "thread_ts" not in second
    assert "aws_cryptomining_incident_threads" not in harness.server.kvstore


def test_incident_values_are_escaped(harness):
    row = incident_row("INC-AAAAAAAAAAAA", "new")
    row["title"] = "<!channel> <https://evil.example|click> & co"
    assert _notify(harness, BOT, [row], 0).returncode == 0
    text = json.dumps(harness.server.posted[0]["body"])
    assert "<!channel>" not in text and "<https://evil.example" not in text


def test_an_incident_with_billed_spend_shows_it_instead_of_the_estimate(harness):
    estimated = incident_row("INC-AAAAAAAAAAAA", "new")
    billed = {**incident_row("INC-BBBBBBBBBBBB", "new"), "cost_basis": "billed", "cost_per_hour": "5.47",
              "actual_spend": "131.38"}
    for n, row in enumerate([estimated, billed]):
        assert _notify(harness, BOT, [row], n).returncode == 0
    facts = [{f["text"].split("\n")[0]: f["text"].split("\n")[1] for f in m["body"]["blocks"][1]["fields"]}
             for m in harness.server.posted]
    assert facts[0]["*Est. cost per hour*"] == "21.96" and "*Billed cost per hour*" not in facts[0]
    assert facts[1]["*Billed cost per hour*"] == "5.47 (USD 131.38 so far)" and "*Est. cost per hour*" not in facts[1]
