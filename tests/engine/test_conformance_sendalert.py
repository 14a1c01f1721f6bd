"""Conformance cases for sendalert (issue 20), from its Search Reference page (help.splunk.com, SPL Search
Reference 9.4, search-commands/sendalert). The page shows no output: every case is derived from its text.
Offline the action is recorded, never executed (splengine/SEMANTICS.md, "Alert actions")."""
import pytest

from splengine import Engine
from splengine.errors import SplError

SENDALERT = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/sendalert"


@pytest.fixture()
def engine(tmp_path):
    """An app whose alert_actions.conf configures the page's three actions."""
    (tmp_path / "app" / "default").mkdir(parents=True)
    (tmp_path / "app" / "default" / "alert_actions.conf").write_text(
        "[myaction]\nis_custom = 1\n\n[hipchat]\nis_custom = 1\n\n[servicenow]\nis_custom = 1\n")
    return Engine(tmp_path / "app", tmp_path / "scratch")


@pytest.mark.parametrize("args,params", [
    # Example 1: "Invoke an alert action without any arguments"
    ("myaction", {}),
    # Example 2: "Trigger the hipchat custom alert action and pass in room and message as custom parameters"
    ('hipchat param.room="SecOps" param.message="There is a security problem!"',
     {"room": "SecOps", "message": "There is a security problem!"}),
    # Example 3: "Trigger the servicenow alert option"
    ('servicenow param.severity="3" param.assigned_to="DevOps" '
     'param.short_description="Splunk Alert: this is a potential security issue"',
     {"severity": "3", "assigned_to": "DevOps", "short_description": "Splunk Alert: this is a potential security issue"}),
])
def test_sendalert_page_examples(engine, args, params):
    """Derived (SENDALERT examples 1-3): the action named, with the page's param.<name>="value" pairs as its
    parameters; the search results are left as they were."""
    rows = engine.search(f"| makeresults count=2 | eval n=1 | sendalert {args}", now=1000)
    assert [r["n"] for r in rows] == [1, 1]
    sent, = rows.sent_alerts
    assert (sent["action"], sent["params"]) == (args.split()[0], params)


def test_sendalert_action_must_be_configured(engine):
    """Derived (SENDALERT alert_action_name: "The name of the alert action configured in the alert_actions.conf
    file"): an action the file does not configure is an error naming it."""
    with pytest.raises(SplError, match="'jira'"):
        engine.search("| makeresults | sendalert jira")
