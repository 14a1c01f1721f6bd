"""Every drilldown, clicked on the fullest row of its panel over the campaign: a linked search runs in the engine and
finds the clicked row's records; a linked dashboard receives a non-empty value for each token it passes."""
import pytest

from . import compute_truth as ct
from . import metrics_panels as m
from . import studio
from . import truth as t

SCENARIO = {  # tokens each dashboard is opened with
    "aws_cryptomining_overview": {},
    "aws_cryptomining_baseline_health": {},
    "aws_cryptomining_investigation": {"access_key_id": t.KEY},
    "aws_cryptomining_incident_report": {"access_key_id": t.KEY},
}
PANEL_SCENARIO = {  # panels that need another entry to have rows
    ("aws_cryptomining_investigation", "viz_role_calls"): {"instance_id": t.PANTHER_INSTANCE, "earliest": 0},
    ("aws_cryptomining_overview", "viz_compute_services"): ct.DAY,
    ("aws_cryptomining_investigation", "viz_compute_calls"): dict(ct.DAY, access_key_id=ct.KEY),
    ("aws_cryptomining_overview", "viz_saturated_instances"): m.JUNE,   # the synthetic CloudWatch metrics
}
HANDLERS = [(name, viz_id, i) for name in studio.DASHBOARDS
            for viz_id, viz in studio.load(name)[1]["visualizations"].items()
            for i, _ in enumerate(viz.get("eventHandlers", []))]


@pytest.mark.parametrize("name,viz_id,index", HANDLERS, ids=[f"{n[17:]}-{v}-{i}" for n, v, i in HANDLERS])
def test_drilldown_from_a_row(run_panel, run_drilldown, name, viz_id, index):
    _, definition = studio.load(name)
    viz = definition["visualizations"][viz_id]
    handler = viz["eventHandlers"][index]
    tokens = PANEL_SCENARIO.get((name, viz_id), SCENARIO[name])
    rows = run_panel(name, viz["dataSources"]["primary"], **tokens)
    assert rows, f"{name} {viz_id}: panel has no row to click"
    row = max(rows, key=lambda r: sum(1 for k, v in r.items() if k != "_time" and v not in (None, "", 0, [])))
    options = handler["options"]
    if handler["type"] == "drilldown.linkToSearch":
        found = run_drilldown(name, options["query"], row, **tokens)
        assert found, f"{name} {viz_id}: drilldown search found nothing for {row}"
    elif handler["type"] == "drilldown.linkToDashboard":
        for pair in options["tokens"]:
            if pair["value"].startswith("row."):
                value = row.get(pair["value"][4:-6])
                assert value not in (None, "", []), f"{name} {viz_id}: {pair['value']} empty in {row}"
    else:
        raise AssertionError(f"{name} {viz_id}: untested drilldown type {handler['type']}")


def test_a_multivalue_row_token_is_its_values_joined_by_commas():
    """As the framework sets a multivalue cell's row token in the browser run (test_browser.py clicks the incident
    report's containment row naming three instances): values joined by ",", each quoted and escaped under |s."""
    values = {"row.Targets.value": ["i-0a, i-0b", 'key "x"']}
    assert studio.substitute("$row.Targets.value$", values) == 'i-0a, i-0b,key "x"'
    assert studio.substitute("mvappend($row.Targets.value|s$)", values) == 'mvappend("i-0a, i-0b","key \\"x\\"")'

