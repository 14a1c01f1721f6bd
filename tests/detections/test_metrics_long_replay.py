"""The metric and spend detections replayed the way the main job replays it: samples/synthetic-metrics (SYNTHETIC, see its
SOURCE.md) with `--baseline-days 14`, default index lag and idle skipping, and a replay that runs on long after
the last Cost and Usage Report row, as it does in the main job, whose other samples end in November 2026.

The detection's YAML test replays the folder alone, which ends two days after the last bill row; there a daily
search that judges "the newest day of each account" sees each day once or twice. In the main job the same
newest day stays in its 63-day window for 63 more daily runs, and a throttle keyed on account, region and usage
type for 72 hours let it alert again every third day (51 alerts for 3 anomalous usage types). A SOC wants one
alert per anomalous account, region, usage type and day. The saturation and Lambda detections read 24 and 6
hours of metrics, so the long tail cannot repeat them; the test holds them to their YAML tests' counts too.
"""
from __future__ import annotations

from collections import Counter

import pytest
from detection_scenarios import CITY_DB, load_events
from edge_events import ASN_DB, ROOT, conf_with, utc

from replay.app_overlay import offline_app
from replay.scheduler import Replay

SPEND = "AWS Cryptomining - Compute Spend Far Above Baseline"
SATURATION = "AWS Cryptomining - Sustained CPU or GPU Saturation"
LAMBDA = "AWS Cryptomining - Lambda Function Duration, Concurrency or Invocations Far Above History"
# the detections and the support searches they read (utilisation, Lambda and launch baselines)
STANZAS = {SPEND, SATURATION, LAMBDA, "AWS Cryptomining - Baseline - Instance Utilisation",
           "AWS Cryptomining - Baseline - Lambda Metrics", "AWS Cryptomining - Baseline - Launch Entities - Initial Build",
           "AWS Cryptomining - Baseline - Launch Entities - Update"}
LAST_BILL_DAY = utc(2026, 6, 14)
# 63-day window + a week: every run that can still see the last bill day, and some that cannot
UNTIL = LAST_BILL_DAY + 70 * 86400
ANOMALOUS_DAYS = {
    ("318640297165", "ap-southeast-1", "APS1-BoxUsage:c5.9xlarge", "2026-06-13"),
    ("318640297165", "ap-southeast-1", "APS1-BoxUsage:g4dn.12xlarge", "2026-06-13"),
    ("318640297165", "us-east-1", "Lambda-GB-Second", "2026-06-13"),
    ("318640297165", "ap-southeast-1", "APS1-BoxUsage:c5.9xlarge", "2026-06-14"),
    ("318640297165", "ap-southeast-1", "APS1-BoxUsage:g4dn.12xlarge", "2026-06-14"),
    ("318640297165", "us-east-1", "Lambda-GB-Second", "2026-06-14"),
}


@pytest.fixture(scope="module")
def long_replay(tmp_path_factory):
    events, _ = load_events(("samples/synthetic-metrics",))
    conf = conf_with(STANZAS, tmp_path_factory.mktemp("metrics") / "savedsearches.conf")
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        return Replay(app, events, conf_path=conf, geoip_db=CITY_DB).run(baseline_days=14, until=UNTIL)


def _keys(alerts):
    return [(row["account"], row["region"], row["usage_type"], row["day"]) for a in alerts for row in a.results]


def test_spend_alerts_once_per_anomalous_day_however_long_the_replay_runs(long_replay):
    assert not long_replay.errors, [(r.search_name, r.error) for r in long_replay.errors][:3]
    runs = [r for r in long_replay.runs if r.search_name == SPEND]
    # the daily search kept finding the stale newest day (06-14) for weeks after the last bill row, until the
    # window's rows no longer span `aws_cryptomining_spend_min_history_days`
    stale = [r for r in runs if r.run_time > LAST_BILL_DAY + 30 * 86400 and r.result_count == 3]
    assert len(stale) >= 15
    alerts = [a for a in long_replay.alerts if a.search_name == SPEND]
    keys = _keys(alerts)
    assert Counter(keys) == Counter(ANOMALOUS_DAYS), Counter(keys).most_common(3)
    # each day is alerted by the first run that judges it (the report arrives a day late)
    assert all(a.trigger_time < utc(2026, 6, 16) for a in alerts if a.results[0]["day"] == "2026-06-13")
    assert all(a.trigger_time < utc(2026, 6, 17) for a in alerts)
    assert {row["excess"] for a in alerts for row in a.results if row["usage_type"].startswith("APS1")} == {44.93, 131.38}


def test_saturation_and_lambda_alert_as_in_their_yaml_tests_however_long_the_replay_runs(long_replay):
    def alerted(name, field):
        return sorted(row[field] for a in long_replay.alerts if a.search_name == name for row in a.results)

    assert alerted(SATURATION, "instance_id") == ["i-0a1b2c3d4e5f60703", "i-0c1b2c3d4e5f60901", "i-0c1b2c3d4e5f60902"]
    assert alerted(LAMBDA, "function_name") == ["thumbnail-resizer"]
