"""Attacker-controlled result values must come out of the action neutralised, and Slack's limits hold."""
import json
import re
import unicodedata

from .conftest import sample_rows

WEBHOOK = {"credential": "soc-webhook", "severity": "medium", "max_rows": "40"}

# Values an attacker can place in CloudTrail fields the detections pass through (user names, tags, agents).
CORPUS = [
    "<!channel>", "<!here>", "<!everyone>", "<!subteam^S0ADMINS>", "<@U0CEO>", "<#C0SECRET>",
    "<https://evil.example/reset|Reset your password>", "<mailto:x@evil.example|support>",
    "@channel please check", "&lt;!channel&gt;", "a & b < c > d",
    "line1\nline2\r\n\tINFO action=cryptomining_slack event=delivered",
    "\x00\x07\x1b[31mred\x1b[0m\x7f", "\u202egnp.exe\u202c \u200bzero\u200dwidth",
    "\u77ff\u5de5 \U0001F680 na\u00efve caf\u00e9", "*bold* _it_ ~strike~ `code` ```block```",
    "x" * 100_000,
    # Unicode format characters (Cf) that Slack renders invisibly or that reorder text
    "ev\u061cil\u00adsoft\u2061\u2062\u2063\u2064hy\U000e0041\U000e0067\U000e007f\U000e0000tag\u180e\ufff9x",
    # what Slack auto-parses in plain text: mention words, channel names, bare URLs, mail addresses
    "@here @channel @everyone ping #general",
    "see https://evil.example/reset www.evil.example mailto:x@evil.example",
]


def _injected_rows():
    base = sample_rows()[0]
    rows = []
    for i, value in enumerate(CORPUS):
        rows.append(dict(base, user=value, instance_type=value, src_ip=value, account=value,
                         region=value, src_country=value, count=str(i + 1), user_agent=value))
    rows.append(dict(base, user=list(CORPUS[:4])))  # multivalue with injections
    return rows


def _all_texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text",) and isinstance(value, str):
                yield value
            else:
                yield from _all_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _all_texts(item)


def _mrkdwn_objects(node):
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            yield node
        for value in node.values():
            yield from _mrkdwn_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _mrkdwn_objects(item)


def test_injection_corpus_is_neutralised(harness):
    proc = harness.run(WEBHOOK, rows=_injected_rows(), search_name="Crypto <!channel> & test")
    assert proc.returncode == 0, proc.stderr
    body = harness.server.requests(harness.webhook_path)[0]["body"]
    texts = list(_all_texts(body))
    joined = "\n".join(texts)
    assert "<" not in joined and ">" not in joined
    assert body["blocks"][0]["text"]["text"] == "MEDIUM: Crypto &lt;!channel&gt; &amp; test"
    for text in texts:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200b-\u200f]", text), text[:80]
        assert "```" not in text and "`" not in text
    assert "&lt;!channel&gt;" in joined and "&lt;https[:]//evil.example/reset|Reset your password&gt;" in joined
    for char in joined:
        assert unicodedata.category(char) != "Cf" and not 0xE0000 <= ord(char) <= 0xE007F, hex(ord(char))
    assert "evilsofthytagx" in joined
    assert "\uff20here \uff20channel \uff20everyone ping \uff03general" in joined
    assert "see https[:]//evil.example/reset www[.]evil.example mailto[:]x\uff20evil.example" in joined
    for auto_parsed in ("@here", "@channel", "@everyone", "#general", "://", "www.evil", "mailto:"):
        assert auto_parsed not in joined, auto_parsed
    assert all(t.get("verbatim") is True for t in _mrkdwn_objects(body)), "Slack's auto-parsing must be off"
    assert "&amp;lt;!channel&amp;gt;" in joined  # pre-escaped input is escaped again, never decoded
    assert "a &amp; b &lt; c &gt; d" in joined
    assert "\u77ff\u5de5 \U0001F680 na\u00efve caf\u00e9" in joined
    assert "x" * 100_000 not in joined and "x" * 79 + "\u2026" in joined and "x" * 81 not in joined
    assert "gnp.exe zerowidth" in joined
    # the forged log line inside a value stays one message line, never a new stderr line
    assert all(line.startswith(("INFO ", "WARN ", "ERROR ")) for line in proc.stderr.splitlines())
    assert len(json.dumps(body)) < 40_000


def test_slack_limits_hold_for_large_alert(harness):
    rows = [dict(r, user=f"arn:aws:iam::111122223333:user/{'u' * 150}{i}") for i, r in
            enumerate(sample_rows() * 100)]
    proc = harness.run(WEBHOOK, rows=rows)
    assert proc.returncode == 0, proc.stderr
    body = harness.server.requests(harness.webhook_path)[0]["body"]
    blocks = body["blocks"]
    assert len(blocks) <= 50
    assert len(blocks[0]["text"]["text"]) <= 150
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
            for field in block.get("fields", []):
                assert len(field["text"]) <= 2000
            assert len(block.get("fields", [])) <= 10
    assert len(body["text"]) <= 3000
    text = json.dumps(blocks)
    assert "1100 result(s)" in text and "and 1060 more" in text
    assert "40. " in text and "41. " not in text
