"""savedsearches.conf reading and alert conditions / suppression on given result lists."""
import textwrap

import pytest

from replay.alerting import AlertState, evaluate
from replay.savedsearches import ConfError, load_saved_searches, parse_saved_search


def conf(tmp_path, text):
    path = tmp_path / "savedsearches.conf"
    path.write_text(textwrap.dedent(text))
    return load_saved_searches(path)


def test_reads_schedule_window_alerting_and_actions_with_continuations(tmp_path):
    searches = conf(tmp_path, r"""
        [default]
        dispatch.latest_time = now
        [Detect - Unseen Region]
        search = `aws_cryptomining_cloudtrail` eventName=RunInstances \
        | stats count by awsRegion
        enableSched = 1
        cron_schedule = */5 * * * *
        dispatch.earliest_time = -1h@h
        dispatch.index_earliest = -10m@m
        dispatch.index_latest = -5m@m
        schedule_window = auto
        counttype = number of events
        relation = greater than
        quantity = 0
        alert.digest_mode = 0
        alert.suppress = 1
        alert.suppress.fields = awsRegion, recipientAccountId
        alert.suppress.period = 24h
        action.slack = 1
        action.slack.param.channel = #sec
        action.email = 0
        action.risk = true
        [Support - Update]
        search = | makeresults
        disabled = 1
        enableSched = 1
        cron_schedule = 0 * * * *
        """)
    detect, support = searches
    assert detect.search == "`aws_cryptomining_cloudtrail` eventName=RunInstances \n| stats count by awsRegion"
    assert (detect.earliest, detect.latest, detect.index_earliest, detect.index_latest) == (
        "-1h@h", "now", "-10m@m", "-5m@m")
    assert detect.scheduled and detect.schedule_window == "auto"
    assert (detect.counttype, detect.relation, detect.quantity) == ("number of events", "greater than", 0)
    assert detect.digest_mode is False and detect.suppress and detect.suppress_period == 86400
    assert detect.suppress_fields == ("awsRegion", "recipientAccountId")
    assert detect.actions == ("risk", "slack") and detect.is_alert
    assert support.disabled and not support.scheduled and not support.is_alert


@pytest.mark.parametrize("settings, message", [
    ({"counttype": "number of results"}, "counttype"),
    ({"counttype": "number of events", "relation": "bigger"}, "relation"),
    ({"counttype": "number of events", "relation": "greater than", "quantity": "x"}, "quantity"),
    ({"counttype": "custom"}, "alert_condition"),
    ({"cron_schedule": "0 * * * mon"}, "names"),
    ({"alert.suppress": "1"}, "alert.suppress.period"),
    ({"alert.suppress": "1", "alert.suppress.period": "1h", "alert.digest_mode": "0"}, "alert.suppress.fields"),
    ({"alert.suppress": "1", "alert.suppress.period": "1 fortnight"}, "alert.suppress.period"),
    ({"schedule_window": "soon"}, "schedule_window"),
    ({"disabled": "maybe"}, "disabled"),
])
def test_rejects_invalid_settings_naming_them(settings, message):
    with pytest.raises(ConfError, match=message):
        parse_saved_search("S", {"search": "index=aws", **settings})


def search(**settings):
    return parse_saved_search("S", {"search": "index=aws", **settings})


ROWS = [{"user": "alice", "region": "us-east-1"}, {"user": "bob", "region": "eu-west-1"}]


def test_number_of_events_relations():
    state = AlertState()
    gt0 = search(counttype="number of events", relation="greater than", quantity="0")
    assert evaluate(gt0, [], 100, state) == []
    alerts = evaluate(gt0, ROWS, 200, state)
    assert len(alerts) == 1 and alerts[0].results == ROWS and alerts[0].digest
    lt = search(counttype="number of events", relation="less than", quantity="1")
    assert len(evaluate(lt, [], 0, AlertState())) == 1


def test_drops_by_compares_with_previous_run():
    drops = search(counttype="number of events", relation="drops by", quantity="50%")
    state = AlertState()
    assert evaluate(drops, ROWS * 2, 0, state) == []  # no previous run
    assert evaluate(drops, ROWS, 60, state) != []     # 4 -> 2 is a 50% drop
    assert evaluate(drops, ROWS, 120, state) == []    # 2 -> 2


def test_hosts_and_custom_condition():
    hosts = search(counttype="number of hosts", relation="greater than", quantity="1")
    rows = [{"host": "a"}, {"host": "a"}, {"host": "b"}]
    assert evaluate(hosts, rows[:2], 0, AlertState()) == []
    assert evaluate(hosts, rows, 0, AlertState()) != []
    custom = search(counttype="custom", alert_condition="search user=bob")
    seen = []
    alerts = evaluate(custom, ROWS, 0, AlertState(), custom_condition=lambda rows: seen.append(rows) or rows[1:])
    assert seen == [ROWS] and len(alerts) == 1


def test_per_result_alerts_one_per_row_and_always_with_no_rows_sends_nothing():
    per = search(**{"alert.digest_mode": "false"})
    alerts = evaluate(per, ROWS, 0, AlertState())
    assert [a.results for a in alerts] == [[ROWS[0]], [ROWS[1]]]
    assert evaluate(per, [], 0, AlertState()) == []


def test_digest_suppression_holds_for_the_period_and_releases_after():
    throttled = search(counttype="number of events", relation="greater than", quantity="0",
                       **{"alert.suppress": "1", "alert.suppress.period": "1h"})
    state = AlertState()
    assert len(evaluate(throttled, ROWS, 0, state)) == 1
    assert evaluate(throttled, ROWS, 1800, state) == []
    assert evaluate(throttled, ROWS, 3599, state) == []
    assert len(evaluate(throttled, ROWS, 3600, state)) == 1


def test_field_suppression_per_result_and_in_digest():
    per = search(**{"alert.digest_mode": "0", "alert.suppress": "1", "alert.suppress.fields": "user",
                    "alert.suppress.period": "10m"})
    state = AlertState()
    first = evaluate(per, ROWS + [{"user": "alice", "region": "ap-south-1"}], 0, state)
    assert [a.results[0]["user"] for a in first] == ["alice", "bob"]
    carol = {"user": "carol", "region": "us-east-1"}
    assert [a.results[0]["user"] for a in evaluate(per, ROWS + [carol], 300, state)] == ["carol"]
    assert [a.results[0]["user"] for a in evaluate(per, ROWS, 600, state)] == ["alice", "bob"]
    digest = search(counttype="number of events", relation="greater than", quantity="0",
                    **{"alert.suppress": "1", "alert.suppress.fields": "user", "alert.suppress.period": "10m"})
    state = AlertState()
    assert evaluate(digest, ROWS[:1], 0, state)[0].results == ROWS[:1]
    assert evaluate(digest, ROWS, 60, state)[0].results == ROWS[1:]
    assert evaluate(digest, ROWS, 120, state) == []


def test_local_savedsearches_conf_overrides_default_key_by_key(tmp_path):
    """As Splunk layers an app: local/ wins per key, [default] of either layer fills unset keys, and a stanza
    only local/ defines is a saved search too. The scheduler replay reads the app this way."""
    from replay.savedsearches import load_app_saved_searches
    from replay.scheduler import Replay

    (tmp_path / "default").mkdir()
    (tmp_path / "local").mkdir()
    (tmp_path / "default" / "savedsearches.conf").write_text(textwrap.dedent("""
        [default]
        dispatch.latest_time = now
        [Detect]
        search = index=main | stats count
        enableSched = 1
        cron_schedule = */5 * * * *
        alert.severity = 4
        """))
    (tmp_path / "local" / "savedsearches.conf").write_text(textwrap.dedent("""
        [default]
        dispatch.earliest_time = -2h
        [Detect]
        cron_schedule = 7 * * * *
        disabled = on
        [Admin search]
        search = index=main | head 1
        """))
    searches = {s.name: s for s in load_app_saved_searches(tmp_path)}
    detect = searches["Detect"]
    assert (detect.cron_schedule, detect.disabled, detect.severity) == ("7 * * * *", True, 4)
    assert (detect.earliest, detect.latest) == ("-2h", "now")
    assert searches["Admin search"].search == "index=main | head 1"
    assert [s.name for s in Replay(tmp_path, []).searches] == ["Detect", "Admin search"]
