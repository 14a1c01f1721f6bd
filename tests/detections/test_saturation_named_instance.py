"""Sustained saturation of an instance whose launch is older than the 24-hour window: severity comes from what
the other detections said about the instance (the findings collection), since the launch and its principal are
no longer in the window.

DERIVED TEST DATA: the 24 hourly CPUUtilization datapoints of web instance i-0a1b2c3d4e5f60703 on 2026-06-13
from samples/synthetic-metrics (SYNTHETIC), unchanged; the utilisation baseline and the finding are written by
the test as the baseline search and a detection would write them.
"""
from __future__ import annotations

import json

import pytest
from detection_scenarios import ASN_DB, CITY_DB, ROOT

import splengine
from replay.app_overlay import offline_app
from replay.ingest import IngestReport, read_events
from replay.savedsearches import load_saved_searches

METRICS = ROOT / "samples" / "synthetic-metrics" / "cloudwatch" / "ec2_metrics.ndjson"
SATURATION = "AWS Cryptomining - Sustained CPU or GPU Saturation"
ACCOUNT, INSTANCE = "318640297165", "i-0a1b2c3d4e5f60703"
DAY = 1781308800            # 2026-06-13T00:00:00Z
NOW = DAY + 86400 + 900     # the 00:15 run after the saturated day
# the account's metrics cover 14 days; its us-east-1 instances are saturated about 3 hours a day
BASELINE = ('| makeresults count=2 | streamstats count as n | eval account="318640297165", entity_type=if(n=1, '
            '"_coverage", "region"), entity=if(n=1, "_coverage", "us-east-1"), days=14, median_saturated_hours=3, '
            'mad_saturated_hours=1, history_start=1780099200 | fields - _time n '
            '| outputlookup aws_cryptomining_utilisation_baseline')


def _finding(detection, instances):
    return (f'| makeresults | eval finding_id="f-{detection}", account="{ACCOUNT}", detection="{detection}", '
            f'severity="high", instance_ids="{instances}", finding_time={DAY - 3 * 86400}, recorded={DAY - 3 * 86400} '
            '| fields - _time | outputlookup append=true aws_cryptomining_findings')


@pytest.fixture(scope="module")
def day_of_metrics(tmp_path_factory):
    rows = [json.loads(line) for line in METRICS.read_text(encoding="utf-8").splitlines()]
    chosen = [r for r in rows if f"InstanceId=[{INSTANCE}]" in r["metric_dimensions"]
              and r["metric_name"] == "CPUUtilization" and DAY * 1000 <= r["timestamp"] < (DAY + 86400) * 1000]
    assert len(chosen) == 24 and min(r["Average"] for r in chosen) >= 90
    path = tmp_path_factory.mktemp("metrics") / "cpu.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    report = IngestReport()
    events = list(read_events([path], report))
    assert report.error_count == 0
    return events


def _run(events, tmp_path, *seeds):
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        search = {s.name: s for s in load_saved_searches(app / "default" / "savedsearches.conf")}[SATURATION].search
        engine = splengine.Engine(app, tmp_path / "lookups", geoip_db=CITY_DB)
        for seed in (BASELINE, *seeds):
            engine.search(seed, now=NOW)
        return engine.search(search, events=events, now=NOW, earliest=DAY, latest=DAY + 86400)


def test_saturated_instance_without_launch_or_finding_is_medium(day_of_metrics, tmp_path):
    rows = _run(day_of_metrics, tmp_path, _finding("instance_repurposing", "i-0aaaaaaaaaaaaaaaa"))
    assert [(r["instance_id"], r["basis"], r["saturated_hours"], r["severity"]) for r in rows] == [
        (INSTANCE, "region history", 24, "medium")]
    assert rows[0].get("instance_alerts") is None


def test_saturated_instance_another_detection_named_is_high_and_says_which(day_of_metrics, tmp_path):
    rows = _run(day_of_metrics, tmp_path, _finding("instance_repurposing", f"i-0aaaaaaaaaaaaaaaa {INSTANCE}"),
                _finding("sustained_saturation", INSTANCE))
    assert [(r["instance_id"], r["recent_launch"], r["severity"]) for r in rows] == [(INSTANCE, "false", "high")]
    assert rows[0]["instance_alerts"] == "instance_repurposing"      # its own earlier alerts do not count
