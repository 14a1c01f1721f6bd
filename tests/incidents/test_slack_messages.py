"""Slack on the campaign, counted on the local Slack fake: every per-detection alert is a message; the incident
alerts are one message per incident and replies in its thread (bot token)."""
import pytest
from detection_scenarios import replay

from tests.slack.conftest import SESSION_KEY, Harness, action_python, action_script  # noqa: F401 - fixtures used below
from tests.slack.fakes import FakeServer

CAMPAIGN = ("samples/synthetic-campaign",)
INCIDENTS = "AWS Cryptomining - Incident Correlation"
BOT = {"credential": "soc-bot", "channel": "C0SOCALERT", "severity": "high"}


@pytest.fixture
def harness(tmp_path, action_script):  # noqa: F811
    script, extra_env = action_script
    with FakeServer(SESSION_KEY) as server:
        yield Harness(tmp_path, server, script, extra_env)


def _send(harness, alerts):
    for n, alert in enumerate(alerts):
        done = harness.call(BOT, rows=alert.results, search_name=alert.search_name, sid=f"scheduler__{n}")
        assert done.returncode == 0, done.stderr


def test_campaign_is_one_slack_message_with_its_updates_in_the_thread(harness):
    result = replay(CAMPAIGN, 14)
    incidents = [a for a in result.alerts if a.search_name == INCIDENTS]
    detections = [a for a in result.alerts if a.search_name != INCIDENTS]
    _send(harness, incidents)
    posted = harness.server.posted
    roots = [m for m in posted if not m["thread_ts"]]
    replies = [m for m in posted if m["thread_ts"]]
    assert len(roots) == 1 and len(replies) == len(incidents) - 1 >= 1
    assert {m["thread_ts"] for m in replies} == {roots[0]["ts"]}
    last = replies[-1]["body"]["blocks"][-1]["elements"][0]["text"]   # the update lists every detection
    assert last == "Detections: " + ", ".join(incidents[-1].results[0]["detections"])
    per_detection = len(detections)        # one message each with the per-detection Slack action on
    assert per_detection >= 10 * len(roots) and per_detection >= 10 * len(posted)
    print(f"\nSlack on the campaign: {per_detection} per-detection messages; incident: {len(roots)} message + "
          f"{len(replies)} thread replies")
