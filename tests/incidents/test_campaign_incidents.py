"""The synthetic campaign replayed with the app's schedule: every detection fires as before, and the Incident
Correlation search turns their alerts into one incident per stolen key (against the campaign's ground truth)."""
import functools
import json
from datetime import datetime, timezone

import pytest
from detection_scenarios import ASN_DB, CITY_DB, ROOT, load_events, replay
from second_actor import SECOND_KEY, SECOND_USER, second_actor

from appbuild.savedsearches import load_sources
from replay.app_overlay import offline_app
from replay.scheduler import Replay

CAMPAIGN = "samples/synthetic-campaign"
TRUTH = json.loads((ROOT / CAMPAIGN / "ground_truth.json").read_text())
INCIDENTS = "AWS Cryptomining - Incident Correlation"
LATE_REGION, LATE_BY = "eu-central-1", 45 * 60
STEMS = {spec["name"]: spec["_source"].stem for spec in load_sources() if spec["kind"] == "detection"}


def _epoch(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def incident_rows(result):
    return [(alert.trigger_time, alert.results[0]) for alert in result.alerts if alert.search_name == INCIDENTS]


def detection_alerts(result):
    return [alert for alert in result.alerts if alert.search_name in STEMS]


@functools.lru_cache(maxsize=None)
def two_actors():
    """The campaign plus a second stolen key mining at the same time, whose launches in LATE_REGION reach the
    index LATE_BY late."""
    events, _ = load_events([CAMPAIGN])
    events = events + second_actor(TRUTH, events, LATE_REGION, LATE_BY)
    with offline_app(ROOT, CITY_DB, ASN_DB) as app:
        return Replay(app, events, geoip_db=CITY_DB).run(baseline_days=14)


@pytest.fixture(scope="module")
def campaign():
    result = replay((CAMPAIGN,), 14)
    assert [run.error for run in result.errors] == []
    return result


def test_one_incident_for_the_stolen_key_updated_as_evidence_arrives(campaign):
    rows = incident_rows(campaign)
    assert {row["incident_id"] for _, row in rows} == {rows[0][1]["incident_id"]}
    assert [row["notify"] for _, row in rows] == ["new"] + ["update"] * (len(rows) - 1) and len(rows) >= 2
    assert all(row["access_keys"] == TRUTH["access_key_id"] for _, row in rows)
    assert [row["updates"] for _, row in rows] == list(range(len(rows)))
    scores = [row["score"] for _, row in rows]
    assert scores == sorted(scores) and scores[-1] > scores[0]
    last = rows[-1][1]
    assert last["confirmed"] == 1 and "GuardDuty confirms mining" in last["update_reason"]
    assert last["principals"] == TRUTH["principal"] and last["accounts"] == TRUTH["account"]
    assert set(TRUTH["instance_ids"]) <= set(last["instance_ids"])
    assert set(last["regions"]) == {x["region"] for x in TRUTH["launches"] + TRUTH["failed_launches"]}
    assert last["title"].startswith(f"Access key {TRUTH['access_key_id']} ({TRUTH['principal']}) in account "
                                    f"{TRUTH['account']}: {last['detection_count']} detections incl. GuardDuty")


def test_every_detection_still_fires_and_is_visible_in_the_incident(campaign):
    fired = {STEMS[alert.search_name] for alert in detection_alerts(campaign)}
    assert len(fired) >= 8
    assert set(incident_rows(campaign)[-1][1]["detections"]) == fired


def test_no_incident_from_the_benign_days(campaign):
    attack = _epoch(TRUTH["first_malicious_call"])
    assert campaign.start < attack - 10 * 86400          # the replay covers benign days with the schedule on
    assert all(t >= attack for t, _ in incident_rows(campaign))
    assert all(alert.trigger_time >= attack for alert in detection_alerts(campaign))


def test_at_least_ten_times_fewer_notifications_than_per_detection_alerts(campaign):
    """Each per-detection alert is one notification; the incident is one message plus its updates."""
    assert 10 * len(incident_rows(campaign)) <= len(detection_alerts(campaign))


def values(row, name):
    """A field of an incident row as a set of values (absent: none; one value: a string)."""
    value = row.get(name)
    return set(value) if isinstance(value, list) else {value} if value else set()


def test_two_simultaneous_stolen_keys_are_two_incidents_and_late_launches_join_theirs():
    result = two_actors()
    assert [run.error for run in result.errors] == []
    rows = incident_rows(result)
    new = {row["access_keys"]: row["incident_id"] for _, row in rows if row["notify"] == "new" and "access_keys" in row}
    assert set(new) == {TRUTH["access_key_id"], SECOND_KEY}
    assert {row["incident_id"] for _, row in rows} == set(new.values())       # nothing else became an incident
    own = {TRUTH["access_key_id"]: TRUTH["principal"], SECOND_KEY: SECOND_USER}     # not the other key's user
    assert all(values(row, "principals") == {own[row["access_keys"]]} for _, row in rows)
    assert all(f"({own[row['access_keys']]})" in row["title"] and
               own[other] not in row["title"] for _, row in rows for other in own if other != row["access_keys"])
    late = [x for x in TRUTH["launches"] if x["region"] == LATE_REGION]
    late_instances = {"i-" + i[2:][::-1] for x in late for i in x["instance_ids"]}
    second = [(t, row) for t, row in rows if row["incident_id"] == new[SECOND_KEY]]
    joined = [t for t, row in second if late_instances <= values(row, "instance_ids")]   # a first alert may have none
    assert joined and min(joined) >= _epoch(late[0]["time"]) + LATE_BY            # only once delivered
    assert LATE_REGION in values(second[-1][1], "regions")
    first = [row for _, row in rows if row["incident_id"] == new[TRUTH["access_key_id"]]]
    assert not late_instances & values(first[-1], "instance_ids")
