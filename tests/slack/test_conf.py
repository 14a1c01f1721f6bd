"""The shipped alert_actions.conf, spec, form and setup view agree with each other and with the code."""
import json
import re
import sys
from pathlib import Path

from addonfactory_splunk_conf_parser_lib import TABConfigParser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bin"))

from slack_alert import config  # noqa: E402


def _conf(path):
    parser = TABConfigParser()
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_alert_actions_conf_declares_every_parameter_with_valid_defaults():
    conf = _conf(ROOT / "default" / "alert_actions.conf")
    stanza = dict(conf.items("cryptomining_slack"))
    assert stanza["payload_format"] == "json" and stanza["is_custom"] == "1"
    assert stanza["python.version"] == "python3.9" and "python.required" not in stanza  # docs/platform.md
    assert (ROOT / "appserver" / "static" / stanza["icon_path"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not any(key.startswith("param.") and ("token" in key or "url" in key or "password" in key)
                   for key in stanza), "no secret-bearing parameter may exist"
    maxtime = int(stanza["maxtime"].rstrip("m")) * 60
    assert config.MAX_BUDGET_SECONDS < maxtime
    params = {k[len("param."):]: v for k, v in stanza.items() if k.startswith("param.")}
    spec = (ROOT / "README" / "alert_actions.conf.spec").read_text()
    for name in params:
        assert f"param.{name} =" in spec
    payload = ('{"session_key": "k", "server_uri": "https://127.0.0.1:8089", "results_file": "/r.csv.gz", '
               '"configuration": %s}')
    alert = config.parse(payload % json.dumps(dict(params, credential="soc")))
    assert alert.severity == "high" and alert.max_rows == 10 and alert.budget_seconds == 60


def test_alert_form_fields_exist_in_conf():
    conf = _conf(ROOT / "default" / "alert_actions.conf")
    params = {k for k in dict(conf.items("cryptomining_slack")) if k.startswith("param.")}
    html = (ROOT / "default" / "data" / "ui" / "alerts" / "cryptomining_slack.html").read_text()
    names = set(re.findall(r'name="action\.cryptomining_slack\.(param\.[a-z_]+)"', html))
    assert names and names <= params
    assert "<script" not in html.lower()


def test_setup_view_loads_its_script():
    view = (ROOT / "default" / "data" / "ui" / "views" / "cryptomining_slack_setup.xml").read_text()
    assert 'version="1.1"' in view and 'script="cryptomining_slack_setup.js"' in view
    js = (ROOT / "appserver" / "static" / "cryptomining_slack_setup.js").read_text()
    assert '"aws_cryptomining_slack"' in js and '"aws_cryptomining_slack_settings"' in js
    assert "innerHTML" not in js
