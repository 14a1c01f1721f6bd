"""Soak: a few hundred alerts, concurrently (threads of one Splunk-Python process, tests/slack/action_driver.py),
against a Slack that answers a seeded random share of requests
with a fault (every fault of issue 14); then the resend search. Counts what reached the channel.

Guarantee under test (docs/slack.md): lost = 0; duplicated = 0 for bot tokens; for incoming webhooks the
only extra copies come from replies lost after Slack had posted (slow reply, dropped connection after the
post), at most one per such fault. Print the figures with `-s`.
"""
import random
import threading
from collections import Counter

from .conftest import sample_rows, write_results
from .fakes import Reply

SEED = 20261202
ALERTS = 200
FAULT_RATE = 0.1
THREADS = 8
CONF = {"webhook": {"credential": "soc-webhook", "severity": "high", "max_rows": "3"},
        "bot": {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high", "max_rows": "3"}}
FAST = {"timeout_seconds": "1", "budget_seconds": "2"}

COMMON = [
    ("5xx", lambda: Reply(500, "rollup_error")),
    ("retry_after_fraction", lambda: Reply(429, "rate_limited", {"Retry-After": "0.3"})),
    ("retry_after_negative", lambda: Reply(429, "rate_limited", {"Retry-After": "-1"})),
    ("status_line", lambda: Reply(raw=b"BOGUS STATUS\r\n\r\n")),
    ("unknown_charset", lambda: Reply(503, "x", content_type="text/plain; charset=x-no-such-zz")),
    ("invalid_utf8", lambda: Reply(502, b"\xff\xfe\xc3\x28", content_type="text/html; charset=utf-8")),
    ("dropped", lambda: Reply(drop=True)),
    ("slow_after_post", lambda: Reply(200, None, delay=1.3, accepted=True)),
]
API_ONLY = [
    ("invalid_json_after_post", lambda: Reply(200, b'{"ok": tr', content_type="application/json")),
    ("5xx_after_post", lambda: Reply(500, {"ok": False, "error": "internal_error"}, accepted=True)),
    ("dropped_after_post", lambda: Reply(drop=True, accepted=True)),
]
HISTORY = [
    ("history_5xx", lambda: Reply(500, {"ok": False, "error": "internal_error"})),
    ("history_garbage", lambda: Reply(200, b"{", content_type="application/json")),
]
AFTER_POST = {"slow_after_post", "invalid_json_after_post", "5xx_after_post", "dropped_after_post"}


class Chaos:
    """Seeded fault injection for the fake: which fault, and how many of each were served."""

    def __init__(self, seed):
        self.rng, self.lock = random.Random(seed), threading.Lock()
        self.served = Counter()

    def __call__(self, path):
        with self.lock:
            if self.rng.random() >= FAULT_RATE:
                return None
            if path.startswith("/api/conversations."):
                name, make = self.rng.choice(HISTORY)
            elif path.startswith("/api/"):
                name, make = self.rng.choice(COMMON + API_ONLY)
            else:
                name, make = self.rng.choice(COMMON)
            kind = "webhook" if path.startswith("/hooks") else "bot"
            self.served[(kind, name)] += 1
        reply = make()
        if kind == "webhook" and reply.body is None and reply.raw is None and not reply.drop:
            reply.body = "ok"
        return reply


def test_soak_random_faults_nothing_lost_nothing_twice(harness, tmp_path):
    rng = random.Random(SEED)
    alerts = [(f"soak_{i:04d}", rng.choice(("webhook", "bot"))) for i in range(ALERTS)]
    results = write_results(tmp_path / "soak.csv.gz", sample_rows()[:3])
    chaos = Chaos(SEED)
    harness.server.chaos = chaos

    runs = [(dict(CONF[kind], **FAST), {"sid": sid, "results_file": results}) for sid, kind in alerts]
    codes = Counter(r.returncode for r in harness.call_many(runs, threads=THREADS))
    harness.server.chaos = None
    rounds = 0
    while harness.pending() and rounds < 5:
        rounds += 1
        harness.resend()

    copies = Counter(harness.server.posted_sids())
    kinds = dict(alerts)
    lost = [sid for sid, _ in alerts if copies[sid] == 0]
    duplicated = {kind: sum(copies[sid] - 1 for sid in copies if kinds[sid] == kind and copies[sid] > 1)
                  for kind in ("webhook", "bot")}
    faults = sum(chaos.served.values())
    webhook_after_post = sum(n for (kind, name), n in chaos.served.items() if kind == "webhook" and name in AFTER_POST)
    print(f"\nSOAK alerts={ALERTS} faults={faults} lost={len(lost)} duplicated_bot={duplicated['bot']} "
          f"duplicated_webhook={duplicated['webhook']} (webhook replies lost after the post: {webhook_after_post}) "
          f"exit_codes={dict(codes)} resend_rounds={rounds} faults_by_kind={dict(chaos.served)}")
    assert faults >= ALERTS * FAULT_RATE * 0.5  # the faults really happened
    assert set(codes) <= {0, 6}, codes  # never an internal error, never "lost"
    assert lost == [] and harness.pending() == [] and harness.dead() == []
    assert duplicated["bot"] == 0
    assert duplicated["webhook"] <= webhook_after_post
    assert set(copies) == set(kinds)
