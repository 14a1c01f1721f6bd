"""Edge cases of the launch detections and their baselines, replayed through the app's real schedule.

Each test replays default/savedsearches.conf (every enabled scheduled search, at its cron times, with index
lag) over a small DERIVED event set: copies of the SYNTHETIC campaign's RunInstances records, re-timed and
re-keyed by edge_events.derive (see its docstring). The assertions are exact: which search fires, for which
entity, at which run (computed from the search's index-time window), how many times, and what the baseline
collections hold before and after.
"""
from __future__ import annotations

import pytest
from edge_events import (
    ABNORMAL,
    ACCOUNT,
    GUARDDUTY,
    INITIAL,
    LARGE_GPU,
    LARGE_GPU_RT,
    READINESS,
    UNSEEN,
    UPDATE,
    VOLUME_BASELINE,
    abnormal_run,
    allowlist_seed,
    campaign_events,
    conf_with,
    daily,
    derive,
    iso,
    large_gpu_run,
    replay,
    template,
    unseen_run,
    utc,
)

from appbuild.savedsearches import load_sources

DAY, HOUR, MINUTE = 86400, 3600, 60
# An account's history: terraform-apply launching one t3 instance in us-east-1 every morning.
D0 = utc(2026, 11, 2, 9, 0)
# The stolen-key launch of the campaign: ap-southeast-1, its own AMI, p4d.24xlarge, IAM user svc-backup-uploader.
NEW = {"region": "ap-southeast-1", "ami": "ami-0e29c7a4f18b5d360", "instance_type": "p4d.24xlarge",
       "principal": "svc-backup-uploader"}
LAGS = [0, 4 * MINUTE + 59, 5 * MINUTE, 14 * MINUTE, 55 * MINUTE, 2 * HOUR]


@pytest.fixture(scope="module")
def known():
    """terraform-apply's us-east-1 launch (derived copies form every test's known history)."""
    return template("terraform-apply", region="us-east-1")


@pytest.fixture(scope="module")
def stolen():
    return template("svc-backup-uploader", region="ap-southeast-1")


def unseen_alerts(outcome):
    """entity type -> [(trigger time, entity)] of every unseen-entity alert row."""
    return {kind: outcome.fired(name, "entity") for kind, name in UNSEEN.items()}


def rows_by_entity(rows):
    return {(r["account"], r["entity_type"], r["entity"]): r for r in rows}


# -- 1. an update run whose window holds no launches never shrinks the baseline -------------------------------
def _index_window(now):
    hour = now - now % HOUR
    return hour - 2 * HOUR, hour - HOUR


def test_empty_update_runs_keep_the_baseline(app, known, stolen):
    """History days 0-9, then three quiet days and one new launch: every update run whose index window holds no
    successful launch (the first idle run after each active stretch, and runs seeing only failed calls) leaves the
    collection exactly as it was; runs that see launches only add or extend entries."""
    failed = template("svc-backup-uploader", failed=True)
    events = daily(known, D0, 10) + [derive(failed, D0 + 10 * DAY + 3 * HOUR, lag=300, tag="probe")] \
        + [derive(stolen, D0 + 13 * DAY, lag=600)]
    out = replay(app, events, baseline_days=8)
    updates = out.engine.runs_of(UPDATE)
    successful = [e for e in events if '"errorCode"' not in e["_raw"]]
    empty = [p for p in updates
             if not any(_index_window(p.now)[0] <= e["_indextime"] < _index_window(p.now)[1] for e in successful)]
    assert len(empty) >= 3, [iso(p.now) for p in updates]
    assert any(p.before for p in empty)
    for probe in empty:
        assert rows_by_entity(probe.after) == rows_by_entity(probe.before), iso(probe.now)
    for probe in updates:
        before, after = rows_by_entity(probe.before), rows_by_entity(probe.after)
        assert set(before) <= set(after), iso(probe.now)
        for key, row in before.items():
            assert float(after[key]["last_seen"]) >= float(row["last_seen"])
            assert float(after[key]["count"]) >= float(row["count"])
            assert after[key]["first_seen"] == row["first_seen"]
    final = rows_by_entity(updates[-1].after)
    assert final[(ACCOUNT, "region", "us-east-1")]["count"] == "10"
    assert final[(ACCOUNT, "region", "ap-southeast-1")]["first_seen"] == str(D0 + 13 * DAY)
    assert final[(ACCOUNT, "_coverage", "_coverage")]["first_seen"] == str(D0)


def test_update_never_empties_a_seeded_baseline_when_it_sees_only_failed_launches(app):
    """The baseline as an admin's Initial Build left it (seeded rows), then only failed RunInstances calls (the
    campaign's quota probes, re-timed): every update run finds no successful launch and keeps every row."""
    seeded = [(ACCOUNT, "region", "us-east-1"), (ACCOUNT, "instance_type", "t3.micro"), (ACCOUNT, "_coverage", "_coverage")]
    start = D0 + 30 * DAY
    cases = ", ".join(f'n={n}, "{v}"' for n, v in enumerate((s[2] for s in seeded), 1))
    types = ", ".join(f'n={n}, "{v}"' for n, v in enumerate((s[1] for s in seeded), 1))
    seed = (f"| makeresults count={len(seeded)} | streamstats count as n | eval account=\"{ACCOUNT}\", "
            f"entity_type=case({types}), entity=case({cases}), first_seen={D0}, last_seen={start - DAY}, count=5 "
            "| fields - _time n | outputlookup aws_cryptomining_launch_baseline",)
    probes = [derive(template("svc-backup-uploader", failed=True), start + k * HOUR, lag=600, tag=str(k))
              for k in range(3)]
    out = replay(app, probes, seed=seed)
    updates = out.engine.runs_of(UPDATE)
    assert len(updates) >= 3
    for probe in updates:
        assert sorted(rows_by_entity(probe.after)) == sorted(seeded), iso(probe.now)


# -- 2. a new entity alerts exactly once, across overlapping windows and late events ---------------------------
@pytest.mark.parametrize("lag", LAGS, ids=[f"lag{lag}s" for lag in LAGS])
def test_new_entity_alerts_exactly_once(app, known, stolen, lag):
    """The stolen key's launch (new region, AMI, type and principal) five times: at T and T+7m with index lag
    `lag`, at T+40m and T+3h on time, and at T+26h (after the 24 h throttle, when the entity is in the baseline).
    T sits on a 10-minute boundary, so 4m59s and 5m fall on both sides of a window edge."""
    t = D0 + 9 * DAY + 5 * HOUR + 5 * MINUTE
    new = [derive(stolen, t, lag=lag, tag="a"), derive(stolen, t + 7 * MINUTE, lag=lag, tag="b"),
           derive(stolen, t + 40 * MINUTE, tag="c"), derive(stolen, t + 3 * HOUR, tag="d"),
           derive(stolen, t + 26 * HOUR, lag=lag, tag="e")]
    out = replay(app, daily(known, D0, 9) + new, baseline_days=8)
    first_indexed = min(e["_indextime"] for e in new)
    expected = unseen_run(first_indexed)
    assert unseen_alerts(out) == {kind: [(expected, entity)] for kind, entity in NEW.items()}
    final = rows_by_entity(out.engine.runs_of(UPDATE)[-1].after)
    assert final[(ACCOUNT, "region", "ap-southeast-1")]["first_seen"] == str(t)
    assert final[(ACCOUNT, "region", "ap-southeast-1")]["count"] == "5"   # each event merged exactly once
    assert final[(ACCOUNT, "principal", "svc-backup-uploader")]["last_seen"] == str(t + 26 * HOUR)


# -- 3. an hour with only new entities still alerts ------------------------------------------------------------
@pytest.mark.parametrize("with_known", [False, True], ids=["only-new", "new-and-known"])
def test_hour_with_only_new_entities_alerts(app, known, stolen, with_known):
    """A day-9 hour whose only launch has four new entities (no known entity anywhere in the window) alerts in
    every unseen detection, exactly as when a known launch shares the window."""
    t = D0 + 9 * DAY + 14 * HOUR + 2 * MINUTE
    events = daily(known, D0, 9) + [derive(stolen, t, lag=9 * MINUTE)]
    if with_known:
        events.append(derive(known, t + MINUTE, lag=9 * MINUTE, tag="same-hour"))
    else:
        assert not [e for e in events if abs(e["_time"] - t) < 12 * HOUR and e["_time"] != t]
    out = replay(app, events, baseline_days=8)
    assert unseen_alerts(out) == {kind: [(unseen_run(t + 9 * MINUTE), entity)] for kind, entity in NEW.items()}


# -- 4. warm-up and readiness -----------------------------------------------------------------------------------
def test_warm_up_silences_unseen_alerts_and_readiness_reports_it(app, known, stolen):
    """Cold start (no initial build): terraform-apply launches daily from day 0; on day 3 a launch in eu-west-1
    (new region and AMI) is still warm-up, on day 9 the stolen key's launch alerts. Readiness (06:30 daily)
    says "warming up" until the baseline covers 7 days, then "ready"."""
    eu_west = template("terraform-apply", region="eu-west-1")
    events = daily(known, D0, 11) + [derive(eu_west, D0 + 3 * DAY + 2 * HOUR, lag=600),
                                      derive(stolen, D0 + 9 * DAY + 2 * HOUR, lag=600)]
    out = replay(app, events, watch=(UPDATE, READINESS))
    t = unseen_run(D0 + 9 * DAY + 2 * HOUR + 600)
    assert unseen_alerts(out) == {kind: [(t, entity)] for kind, entity in NEW.items()}
    readiness = [(iso(p.now), [(r["account"], r["status"], float(r["baseline_days"])) for r in p.rows])
                 for p in out.engine.runs_of(READINESS)]
    day = lambda n: iso(D0 - 9 * HOUR + n * DAY + 6 * HOUR + 30 * MINUTE)  # noqa: E731
    expected = [(day(n), [(ACCOUNT, "ready" if n >= 8 else "warming up", round(n - 0.1, 1))]) for n in range(1, 12)]
    assert readiness[:len(expected)] == expected
    assert readiness[0][0] == day(1)   # the replay starts at the first launch (day 0 09:00): no run before


def test_warm_up_boundary_is_not_rounded(app, known, stolen):
    """Coverage starts at day 0 09:00; a new-region launch at day 7 08:00 (on time) is judged at 08:10, when the
    baseline covers 6.97 days < 7: no unseen alert may fire for it."""
    events = daily(known, D0, 7) + [derive(stolen, D0 + 7 * DAY - HOUR)]
    out = replay(app, events)
    assert unseen_alerts(out) == {kind: [] for kind in UNSEEN}


# -- 5. forget window ------------------------------------------------------------------------------------------
def test_entity_forgotten_after_90_days_alerts_again(app, known):
    """eu-west-1 (with its AMI) last launched on day 1, ca-central-1 (re-keyed, own AMI) on day 6;
    us-east-1 launches every 3 days. On day 95 both regions reappear: eu-west-1 (94 days) is forgotten (its
    entry stays, past the forget window) and alerts again, ca-central-1 (89 days) is still known and does not.
    Update runs only upsert the hour's entities (a read-back of the whole collection is capped at limits.conf
    max_rows_per_query), so no run removes a row; the forgotten entity's entry restarts when it returns."""
    eu_west = template("terraform-apply", region="eu-west-1")
    ca_ami = "ami-0b4d7e21c9f3a6085"   # invented for the derived ca-central-1 copies
    back = D0 + 95 * DAY + 4 * HOUR
    events = daily(known, D0, 100, every=3) + [
        derive(eu_west, D0 + DAY + HOUR, lag=600, tag="old"),
        derive(known, D0 + 6 * DAY + HOUR, lag=600, region="ca-central-1", ami=ca_ami, tag="old"),
        derive(eu_west, back, lag=600, tag="back"),
        derive(known, back + MINUTE, lag=600, region="ca-central-1", ami=ca_ami, tag="back"),
    ]
    out = replay(app, events, baseline_days=8)
    run = unseen_run(back + 600)
    assert unseen_alerts(out) == {"region": [(run, "eu-west-1")], "ami": [(run, "ami-0d71ea30463e0ff8d")],
                                  "instance_type": [], "principal": []}
    updates = out.engine.runs_of(UPDATE)
    assert all(set(rows_by_entity(p.before)) <= set(rows_by_entity(p.after)) for p in updates)
    final = rows_by_entity(updates[-1].after)
    assert final[(ACCOUNT, "region", "eu-west-1")]["first_seen"] == str(back)   # a fresh entry, count restarted
    assert final[(ACCOUNT, "region", "eu-west-1")]["count"] == "1"
    assert final[(ACCOUNT, "region", "ca-central-1")]["count"] == "2"


def test_dormant_account_does_not_fall_back_into_warm_up(app, known):
    """terraform-apply launches daily for 10 days, then the account is silent for 110 days while a second
    account (a re-keyed copy) keeps launching: every entity of the first account is forgotten, but its coverage
    row is not, so a launch in a new region on day 120 alerts at once instead of starting another 7-day warm-up."""
    other = dict(known, _raw=known["_raw"].replace(ACCOUNT, "111122223333"))
    back = D0 + 120 * DAY
    events = daily(known, D0, 10) + daily(other, D0, 130, every=3)
    events.append(derive(known, back, lag=600, region="eu-north-1", tag="back"))
    out = replay(app, events, baseline_days=8)
    assert out.fired(UNSEEN["region"], "entity") == [(unseen_run(back + 600), "eu-north-1")]


def _quiet_then_back(known):
    eu_west = template("terraform-apply", region="eu-west-1")
    back = D0 + 95 * DAY + 4 * HOUR
    events = daily(known, D0, 9) + [derive(known, D0 + 60 * DAY, lag=600, tag="day60"),
                                    derive(eu_west, D0 + DAY + HOUR, lag=600, tag="old"),
                                    derive(eu_west, back, lag=600, tag="back")]
    return events, unseen_run(back + 600)


def test_forgetting_happens_without_launch_activity(app, known):
    """us-east-1 daily on days 0-8 and once on day 60; eu-west-1 on day 1, then again on day 95. Splunk's hourly
    update runs of day 91 drop eu-west-1 (us-east-1's day-60 row keeps the output non-empty), so day 95 alerts."""
    events, run = _quiet_then_back(known)
    out = replay(app, events, baseline_days=8)
    assert out.fired(UNSEEN["region"], "entity") == [(run, "eu-west-1")]


def test_forgetting_without_launch_activity_with_every_update_run(app, known, tmp_path):
    """The same data with every scheduled run (no idle skipping) of the real update and unseen-region stanzas:
    eu-west-1 is forgotten once past the forget window (no run needs to delete it) and its reappearance alerts,
    so the saved searches are right, and the default replay (above) agrees with it."""
    events, run = _quiet_then_back(known)
    conf = conf_with({UPDATE, INITIAL, UNSEEN["region"]}, tmp_path / "savedsearches.conf")
    out = replay(app, events, baseline_days=8, skip_idle=False, conf_path=conf)
    assert out.fired(UNSEEN["region"], "entity") == [(run, "eu-west-1")]
    updates = out.engine.runs_of(UPDATE)
    entry = rows_by_entity(updates[-1].after)[(ACCOUNT, "region", "eu-west-1")]
    assert int(entry["last_seen"]) == D0 + DAY + HOUR   # never deleted: forgotten because it is past the window


# -- 8. large/GPU launch: late records alerted exactly once; the real-time variant stays disabled ---------------
@pytest.mark.parametrize("lag", LAGS, ids=[f"lag{lag}s" for lag in LAGS])
def test_late_large_gpu_launch_alerts_exactly_once(app, stolen, lag):
    """The stolen key's p4d.24xlarge launch indexed `lag` late, and a g5.12xlarge copy 10 minutes later indexed
    on time: each is alerted once, by the run whose 5-minute index window holds its _indextime, even when the
    later launch was alerted first."""
    t = D0 + 5 * MINUTE
    late = derive(stolen, t, lag=lag, tag="late")
    on_time = derive(stolen, t + 10 * MINUTE, instance_type="g5.12xlarge", tag="on-time")
    out = replay(app, [late, on_time])
    assert sorted(out.fired(LARGE_GPU, "instance_type", "user", "outcome")) == sorted([
        (large_gpu_run(t + lag), "p4d.24xlarge", "svc-backup-uploader", "launched"),
        (large_gpu_run(t + 10 * MINUTE), "g5.12xlarge", "svc-backup-uploader", "launched"),
    ])
    assert out.searches[LARGE_GPU_RT].disabled
    assert out.runs(LARGE_GPU_RT) == [] and out.alerts(LARGE_GPU_RT) == []


# -- 6. abnormal launch volume ---------------------------------------------------------------------------------
OCT1 = utc(2026, 10, 1)


def _volume_events(known):
    """The campaign's benign September (terraform-apply, ci-deploy, AutoScaling launches; the attack of Oct 1 is
    left out) plus derived launches on Oct 1:
    - terraform-apply (a month of 1-2 instance launches): 4 calls x 10 instances 14:00-14:30, then 2 x 10 at
      15:05-15:15 (two windows above its threshold);
    - batch-nightly (re-keyed terraform role): 1 instance a day on Sep 1-3, quiet since, then one call of 6;
    - ml-training (re-keyed): 1 instance a day on Sep 28-30 (3 days of history), then 4 x 10 instances at 17:00."""
    benign = [e for e in campaign_events("cloudtrail") if e["_time"] < OCT1]
    derived = [derive(known, OCT1 + 14 * HOUR + k * 10 * MINUTE, lag=600, count=10, tag=f"burst{k}") for k in range(4)]
    derived += [derive(known, OCT1 + 15 * HOUR + 5 * MINUTE + k * 10 * MINUTE, lag=600, count=10, tag=f"more{k}")
                for k in range(2)]
    derived += daily(known, utc(2026, 9, 1, 2), 3, user="batch-nightly")
    derived.append(derive(known, OCT1 + 16 * HOUR, lag=600, count=6, user="batch-nightly", tag="after-quiet"))
    derived += daily(known, utc(2026, 9, 28, 2), 3, user="ml-training")
    derived += [derive(known, OCT1 + 17 * HOUR + k * MINUTE, lag=600, count=10, user="ml-training", tag=f"new{k}")
                for k in range(4)]
    return benign + derived


def test_abnormal_volume_alerts_once_and_respects_floor_and_min_history(app, known):
    out = replay(app, _volume_events(known), since=OCT1 - DAY, watch=(VOLUME_BASELINE,))
    assert out.fired(ABNORMAL, "user", "instances", "launch_calls") == [
        (abnormal_run(OCT1 + 14 * HOUR + 30 * MINUTE + 600), "terraform-apply", 40, 4)]
    row = out.alerts(ABNORMAL)[0].results[0]
    assert float(row["threshold"]) == 10.0 and float(row["history_days"]) >= 29
    oct1, = [p for p in out.engine.runs_of(VOLUME_BASELINE) if p.now == OCT1 + 20 * MINUTE]   # the day's history
    history = {r["user"]: r for r in oct1.rows}
    # batch-nightly: avg 1 instance/h, stdev 0 -> avg + 3 sigma = 1 < 6 launched: only the floor (10) spares it
    quiet = history["batch-nightly"]
    assert (float(quiet["avg_instances"]), float(quiet["stdev_instances"])) == (1.0, 0.0)
    assert OCT1 + 16 * HOUR - float(quiet["history_start"]) > 28 * DAY
    # ml-training launched 40 in an hour but its history spans 2 days < 7: not judged
    assert (OCT1 + 18 * HOUR - float(history["ml-training"]["history_start"])) < 7 * DAY


def test_abnormal_volume_honours_the_allowlist(app, known):
    seed = (allowlist_seed(("abnormal_launch_volume", "*", "terraform-*")),)
    out = replay(app, _volume_events(known), since=OCT1 - DAY, seed=seed)
    assert out.alerts(ABNORMAL) == []



def test_abnormal_volume_judges_a_principal_back_from_a_quiet_month(app, known):
    """batch-nightly launched 1 instance a day for three weeks in August, then nothing for 41 days; on Oct 1 it
    launches 4 x 10 m5.xlarge in one hour. It has weeks of history (the floor of 10 applies): one alert."""
    events = [e for e in campaign_events("cloudtrail") if e["_time"] < OCT1]
    events += daily(known, utc(2026, 7, 31, 2), 21, user="batch-nightly")
    events += [derive(known, OCT1 + 14 * HOUR + k * MINUTE, lag=600, count=10, user="batch-nightly", tag=f"b{k}")
               for k in range(4)]
    out = replay(app, events, since=utc(2026, 7, 31), baseline_days=61)   # initial build over Jul 31 - Sep 30
    assert unseen_alerts(out)["principal"] == []   # known for 2 months: rightly not new
    assert out.fired(ABNORMAL, "user", "instances") == [(abnormal_run(OCT1 + 14 * HOUR + 600), "batch-nightly", 40)]

# -- 7. the allowlist ------------------------------------------------------------------------------------------
# Every detection whose search applies the allowlist macro (read from the sources, so a new one is covered).
HONOURING = [spec["name"] for spec in load_sources() if "`aws_cryptomining_allowlist(" in spec["search"]]
CONTROL = OCT1 + 3 * HOUR + 5 * MINUTE


@pytest.fixture(scope="module")
def campaign_with_control(stolen):
    """The campaign's CloudTrail and GuardDuty data plus a control: the stolen key's ap-southeast-1 p4d.24xlarge
    launch re-keyed to another IAM user, svc-render-farm, at 03:05 (before the attack's launches enter the
    baseline). Replayed from Sep 23 with a 7-day initial build, so the account is past warm-up on Oct 1."""
    return campaign_events("cloudtrail", "guardduty") + [derive(stolen, CONTROL, lag=600, user="svc-render-farm",
                                                                tag="control")]


def _campaign_replay(app, events, rows):
    seed = (allowlist_seed(*rows),) if rows else ()
    return replay(app, [dict(e) for e in events], since=OCT1 - 8 * DAY, baseline_days=7, seed=seed)


@pytest.fixture(scope="module")
def without_allowlist(app, campaign_with_control):
    out = _campaign_replay(app, campaign_with_control, ())
    assert {r[1] for r in out.fired(LARGE_GPU, "user")} == {"svc-backup-uploader", "svc-render-farm"}
    assert [e for _, e in out.fired(UNSEEN["principal"], "entity")] == ["svc-backup-uploader", "svc-render-farm"]
    assert out.alerts(GUARDDUTY)
    return out


def _all_alerts(outcome):
    """search name -> [(trigger time, user, users, entity, instance type, region)] for every alerting detection
    (the incident correlation follows the detections' findings: an allowlisted detection changes its updates)."""
    return {name: outcome.fired(name, "user", "users", "entity", "instance_type", "region")
            for name in {a.search_name for a in outcome.result.alerts} if name != "AWS Cryptomining - Incident Correlation"}


def test_allowlist_row_suppresses_its_principal_in_its_detection_only(app, campaign_with_control, without_allowlist):
    """(large_gpu_launch, the account, svc-backup-*) drops every large/GPU alert of the stolen key and nothing
    else: svc-render-farm still alerts there, and the unseen-entity alerts of svc-backup-uploader all remain. A
    row for another account does not match."""
    rows = [("large_gpu_launch", ACCOUNT, "svc-backup-*"), ("large_gpu_launch", "111122223333", "svc-render-*")]
    out = _campaign_replay(app, campaign_with_control, rows)
    before, after = _all_alerts(without_allowlist), _all_alerts(out)
    assert after.pop(LARGE_GPU) == [a for a in before.pop(LARGE_GPU) if a[1] == "svc-render-farm"]
    assert after == before


def test_allowlist_wildcard_detection_covers_every_unseen_detection(app, campaign_with_control, without_allowlist):
    """(unseen_*, *, SVC-BACKUP-UPLOADER): matching is wildcard and case-insensitive (the row is stored with
    capitals, which a KV store lookup never matches in Splunk, until the scheduled Allowlist - Lowercase Entries
    search rewrites it in lower case, within the replay's first 5 minutes). The stolen key raises no
    unseen-entity alert; the control's launch, minutes later, is now the first use of ap-southeast-1, its AMI and
    p4d.24xlarge and alerts for them; large/GPU launch alerts are unchanged."""
    out = _campaign_replay(app, campaign_with_control, [("unseen_*", "*", "SVC-BACKUP-UPLOADER")])
    run = unseen_run(CONTROL + 600)
    assert unseen_alerts(out) == {"region": [(run, "ap-southeast-1")], "ami": [(run, "ami-0e29c7a4f18b5d360")],
                                  "instance_type": [(run, "p4d.24xlarge")], "principal": [(run, "svc-render-farm")]}
    before, after = _all_alerts(without_allowlist), _all_alerts(out)
    for name in UNSEEN.values():
        before.pop(name), after.pop(name)
    assert after == before


def test_allowlist_catch_all_row_silences_honouring_detections_only(app, campaign_with_control, without_allowlist):
    """(*, *, *) silences every detection that honours the allowlist; GuardDuty findings still alert."""
    out = _campaign_replay(app, campaign_with_control, [("*", "*", "*")])
    before, after = _all_alerts(without_allowlist), _all_alerts(out)
    for name in HONOURING:
        before.pop(name, None)
    assert after == before and GUARDDUTY in after
