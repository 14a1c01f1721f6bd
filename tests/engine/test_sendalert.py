"""sendalert offline: the action must exist in alert_actions.conf; the invocation is recorded, never executed,
and the results pass through unchanged."""
from pathlib import Path

import pytest

from splengine import Engine
from splengine.errors import SplError

ROOT = Path(__file__).resolve().parents[2]


def test_invocation_is_recorded_with_its_parameters_and_results_pass_through(tmp_path):
    engine = Engine(ROOT, tmp_path)
    rows = engine.search('| makeresults count=2 | eval n=1 | sendalert cryptomining_slack param.resend_only=1 '
                         'param.channel="#soc alerts" results_link="https://sh:8000/app/search"', now=1000)
    assert [r["n"] for r in rows] == [1, 1]
    assert rows.sent_alerts == [{"action": "cryptomining_slack", "params": {"resend_only": "1", "channel": "#soc alerts"},
                                       "options": {"results_link": "https://sh:8000/app/search"}, "results": 2,
                                       "now": 1000.0}]
    again = engine.search("| makeresults | eval n=2", now=2000)
    assert again.sent_alerts == [] and rows.sent_alerts[0]["now"] == 1000.0   # each run returns its own actions


def test_an_invocation_inside_a_subsearch_is_returned_with_the_outer_results(tmp_path):
    rows = Engine(ROOT, tmp_path).search("| makeresults | eval n=1 | append [| makeresults count=3 "
                                         "| sendalert cryptomining_slack param.resend_only=1]", now=1000)
    assert len(rows) == 4
    assert [(a["action"], a["results"]) for a in rows.sent_alerts] == [("cryptomining_slack", 3)]


@pytest.mark.parametrize("spl,message", [
    ("| makeresults | sendalert no_such_action", "alert action 'no_such_action' is not defined in alert_actions.conf"),
    ("| makeresults | sendalert", "expected the alert action name"),
    ("| makeresults | sendalert cryptomining_slack channel=x", "unsupported option 'channel'"),
    ("| makeresults | sendalert cryptomining_slack param.x", "unexpected argument 'param.x'"),
])
def test_bad_arguments_are_named(tmp_path, spl, message):
    with pytest.raises(SplError, match=message):
        Engine(ROOT, tmp_path).search(spl)


def test_the_shipped_resend_search_runs_in_the_replay():
    from replay.app_overlay import offline_app
    from replay.savedsearches import load_saved_searches

    searches = {s.name: s for s in load_saved_searches(ROOT / "default" / "savedsearches.conf")}
    resend = searches["AWS Cryptomining - Slack - Resend Queued Alerts"]
    assert resend.scheduled and resend.cron_schedule == "*/5 * * * *"
    with offline_app(ROOT, ROOT / "tests" / "data" / "geoip" / "GeoLite2-City-Test.mmdb") as app:
        engine = Engine(app)
        rows = engine.search(resend.search, now=1790000000)
    assert len(rows) == 1
    assert rows.sent_alerts[0]["action"] == "cryptomining_slack"
    assert rows.sent_alerts[0]["params"] == {"resend_only": "1"}


def test_replay_reports_the_resend_runs_without_alerting():
    from replay.app_overlay import offline_app
    from replay.scheduler import Replay
    from tests.detections.detection_scenarios import load_events

    events, _ = load_events(("samples/stratus-red-team",))
    with offline_app(ROOT, ROOT / "tests" / "data" / "geoip" / "GeoLite2-City-Test.mmdb") as app:
        result = Replay(app, events).run()
    resend = [r for r in result.runs if r.search_name == "AWS Cryptomining - Slack - Resend Queued Alerts"]
    assert resend and not result.errors
    assert len(result.sent_alerts) == len(resend)
    assert [(name, t) for name, t, _ in result.sent_alerts] == [(r.search_name, r.run_time) for r in resend]
    assert not [a for a in result.alerts if a.search_name == resend[0].search_name]
