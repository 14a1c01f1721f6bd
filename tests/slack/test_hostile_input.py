"""Hostile payloads and values: NUL bytes on every Splunk Python, Unicode format characters, bad server_uri."""
import json
import subprocess
import sys
import unicodedata

import pytest
from slack_alert import config, escape

from .conftest import sample_rows

WEBHOOK = {"credential": "soc-webhook", "severity": "high", "max_rows": "5"}


def test_nul_bytes_in_result_values_are_delivered_on_python_3_9_and_3_13(harness, splunk_python, staged_app):
    """Python 3.9's csv refuses NUL ("line contains NUL"); the alert must still go out, the same on both."""
    rows = [dict(sample_rows()[0], user="evil\x00user", user_agent="\x00\x00aws-cli")] + sample_rows()[1:3]
    proc = harness.run(WEBHOOK, rows=rows, python=splunk_python[0], script=staged_app / "bin" / "cryptomining_slack.py")
    assert proc.returncode == 0, proc.stderr
    text = json.dumps(harness.server.requests(harness.webhook_path)[0]["body"], ensure_ascii=False)
    assert "evil user" in text and "\\u0000" not in text and "3 result(s)" in text


def test_every_format_character_is_in_the_fixed_table():
    """The table covers every Cf character the running Python knows, so 3.9 removes what 3.13 knows."""
    missing = [hex(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
               and not any(low <= c <= high for low, high in escape.INVISIBLE_RANGES)]
    assert missing == []


def test_format_characters_are_removed_on_python(splunk_python, repo_root):
    """U+061C, U+00AD, U+2061-2064, the tag block (assigned or not on 3.9's Unicode 13) and U+13439 (Cf since
    Unicode 15, unknown to 3.9) are removed under each Splunk Python."""
    code = ("import sys; sys.path.insert(0, 'bin'); from slack_alert import escape; "
            "print(ascii(escape.mrkdwn('a\\u061cb\\u00adc\\u2061\\u2062\\u2063\\u2064d\\U000e0000\\U000e0041"
            "\\U000e007fe\\U00013439f\\u180eg', 200)))")
    out = subprocess.run(splunk_python + ["-c", code], cwd=repo_root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "'abcdefg'"


@pytest.mark.parametrize("uri", ["ftp://127.0.0.1:8089", "https://127.0.0.1:99999", "https://127.0.0.1:port",
                                 "https://127.0.0.1:0", "https://:8089", "127.0.0.1:8089"])
def test_bad_server_uri_is_a_configuration_error(harness, uri):
    proc = harness.call(WEBHOOK, server_uri=uri)
    assert proc.returncode == 3, proc.stderr
    assert "event=config_error" in proc.stderr and "server_uri" in proc.stderr
    assert harness.pending() == [] and harness.server.requests(harness.webhook_path) == []


def test_server_uri_check_accepts_what_splunkd_sends():
    base = '{"session_key": "k", "server_uri": "%s", "results_file": "/x", "configuration": {"credential": "a"}}'
    for uri in ("https://127.0.0.1:8089", "http://[::1]:8089", "https://sh1.example.com"):
        assert config.parse(base % uri).server_uri == uri
