"""The setup page's script, run by node against a minimal DOM and a fake storage/passwords endpoint."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the setup page script")
def test_setup_page_adds_replaces_deletes_without_showing_secrets():
    proc = subprocess.run(["node", str(Path(__file__).with_name("setup_page_harness.js")),
                           str(ROOT / "appserver" / "static" / "cryptomining_slack_setup.js")],
                          capture_output=True, text=True, timeout=60, check=True)
    out = json.loads(proc.stdout)
    writes = [(c["method"], c["path"].rsplit("/passwords", 1)[1], c["body"]) for c in out["calls"]
              if c["method"] != "GET" and "/storage/passwords" in c["path"] and not c["path"].endswith("/acl")]
    assert writes[0] == ("POST", "", "name=soc-webhook&realm=aws_cryptomining_slack&password=https%3A%2F%2Fhooks.slack.com"
                         "%2Fservices%2FT%2FB%2FSECRET1")
    assert writes[1][:2] == ("POST", "/aws_cryptomining_slack%3Asoc-webhook%3A")  # replace in place
    assert writes[-1] == ("DELETE", "/aws_cryptomining_slack%3Asoc-webhook%3A", "")
    assert all(c["csrf"] == "csrf123" for c in out["calls"])
    assert out["badStatus"] is True
    assert json.loads(out["store"]["aws_cryptomining_slack_settings:proxy"]) == {
        "url": "http://proxy.example.com:3128", "username": "svc", "password": "pw"}
    assert out["store"]["aws_cryptomining_slack_settings:allowed_mentions"] == "U0SOC,S0TEAM"
    assert "aws_cryptomining_slack:soc-webhook" not in out["store"]
    assert "SECRET" not in out["page"]
