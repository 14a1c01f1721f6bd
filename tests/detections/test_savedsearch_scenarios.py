"""Runs the `tests:` section of every savedsearches/*.yml through the scheduler replay and checks its alerts.

Each test names its data and replay options and states exactly what the detection must do over the whole
replay: how many alerts, which entities (each listed once = alerted exactly once), no alert before the
attack began (benign history raises none), rows that must be present, and sums over the alert rows.
"""
from datetime import datetime, timezone

import pytest
from detection_scenarios import alerts_of, replay

from appbuild.savedsearches import load_sources


def _cases():
    for spec in load_sources():
        for case in spec.get("tests") or []:
            yield pytest.param(spec, case, id=f"{spec['_source'].stem}: {case['name']}")


def _epoch(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def _key(row, fields):
    def text(value):
        return "|".join(map(str, value)) if isinstance(value, list) else ("" if value is None else str(value))
    return "/".join(text(row.get(f)) for f in fields)


def _rows(alerts):
    return [row for alert in alerts for row in alert.results]


@pytest.mark.parametrize("spec,case", list(_cases()))
def test_detection_scenario(spec, case):
    result = replay(tuple(case["data"]), case.get("baseline_days"))
    errors = [f"{run.search_name}: {run.error}" for run in result.errors]
    assert not errors, errors[:5]
    alerts = alerts_of(result, spec["name"])
    expect = case["expect"]
    rows = _rows(alerts)
    if "alerts" in expect:
        assert len(alerts) == expect["alerts"], [_key(r, expect.get("key", [])) for r in rows]
    if "values" in expect:
        got = sorted(_key(row, expect["key"]) for row in rows)
        assert got == sorted(expect["values"])
    if "not_before" in expect:
        early = [a for a in alerts if a.trigger_time < _epoch(expect["not_before"])]
        assert not early, [(a.trigger_time, a.results) for a in early]
    for wanted in expect.get("rows", []):
        assert any(all(_key(row, [k]) == str(v) for k, v in wanted.items()) for row in rows), wanted
    for field, total in (expect.get("sum") or {}).items():
        assert sum(float(row.get(field) or 0) for row in rows) == pytest.approx(total, abs=0.011)


def _alerting(case):
    return bool(case["expect"].get("alerts") or case["expect"].get("values"))


@pytest.mark.parametrize("spec,case", [c for c in _cases() if c.values[0]["kind"] == "detection" and _alerting(c.values[1])])
def test_risk_objects_are_fields_of_every_alert_row(spec, case):
    """ES's risk action reads action.risk.param._risk fields from the results: each risk object must be set in
    every alert row, each threat object in some row. Only scenarios that alert: with no row there is nothing
    to check."""
    rows = _rows(alerts_of(replay(tuple(case["data"]), case.get("baseline_days")), spec["name"]))
    assert rows
    for obj in spec["rba"]["risk_objects"]:
        assert all(row.get(obj["field"]) not in (None, "", []) for row in rows), obj
    for obj in spec["rba"].get("threat_objects", []):
        assert any(row.get(obj["field"]) not in (None, "", []) for row in rows), obj


def test_every_enabled_detection_has_a_scenario_that_alerts():
    """Otherwise its rows, and so its risk objects, are never checked (a 0-alert scenario passes vacuously)."""
    silent = [spec["_source"].name for spec in load_sources() if spec["kind"] == "detection"
              and not spec.get("disabled") and not any(_alerting(case) for case in spec.get("tests") or [])]
    assert silent == []
