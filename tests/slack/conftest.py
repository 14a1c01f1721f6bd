"""Harness: run bin/cryptomining_slack.py --execute as splunkd does, against loopback fakes.

The action runs from the staged app under Splunk's Python 3.9 (or, where a test asks, 3.13) with only its
vendored bin/lib (tests/splunk_pythons.py): `harness.run` as splunkd runs it, one process per alert;
`harness.call` through tests/slack/action_driver.py, one process running main() for many alerts.
"""
import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.splunk_pythons import SPLUNK_PYTHONS, MissingInterpreter, isolated_python

from .fakes import FakeServer

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bin") not in sys.path:
    sys.path.insert(0, str(ROOT / "bin"))
DATA = ROOT / "tests" / "data" / "slack"
DRIVER = Path(__file__).resolve().parent / "action_driver.py"
SESSION_KEY = "Wv0Fake^SessionKey_7f3b2c1d9e8a"
WEBHOOK_SECRET_PATH = "/services/T0SOC/B0CRYPTO/Xq9SecretWebhookPathZ"
BOT_TOKEN = "xoxb-111-222-SuperSecretBotTokenValue"
PROXY_PASSWORD = "Pr0xyS3cretPassw0rd"
SECRETS = (WEBHOOK_SECRET_PATH, BOT_TOKEN, PROXY_PASSWORD, SESSION_KEY)


def sample_rows():
    """The real-derived rows of tests/data/slack, instance_ids as a multivalue list."""
    with open(DATA / "runinstances_alert_rows.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        ids = [i for i in row["instance_ids"].split("\n") if i]
        row["instance_ids"] = ids if len(ids) > 1 else (ids[0] if ids else "")
    return rows


def mv_encode(values):
    return ";".join("$" + str(v).replace("$", "$$") + "$" for v in values)


def write_results(path, rows):
    """Write rows as splunkd writes results.csv.gz: a list value fills `f` (newline-joined) and `__mv_f`."""
    fields = []
    for row in rows:
        for key in row:
            if key not in fields:
                fields.append(key)
    header = []
    for field in fields:
        header += [field, "__mv_" + field]
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            cells = []
            for field in fields:
                value = row.get(field, "")
                if isinstance(value, list):
                    cells += ["\n".join(map(str, value)), mv_encode(value)]
                else:
                    cells += [value, ""]
            writer.writerow(cells)
    return path


@pytest.fixture(scope="session")
def action_python(tmp_path_factory):
    """Splunk 9.x's Python 3.9 in a package-free venv (only the staged app's vendored bin/lib importable): the
    interpreter of harness.run. Tests that must pass on every Splunk Python pass `python=splunk_python[0]`."""
    try:
        return str(isolated_python(SPLUNK_PYTHONS[0], tmp_path_factory.mktemp("slack_python")))
    except MissingInterpreter as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def action_script(staged_app, action_python):
    """(script path of the staged app's action, interpreter) as splunkd runs it."""
    return Path(staged_app) / "bin" / "cryptomining_slack.py", action_python


class Harness:
    """One fake Slack/splunkd, one SPLUNK_HOME, and a runner for the action."""

    def __init__(self, tmp_path, server, script, python, member="sh1"):
        self.tmp, self.server, self.script, self.python, self.member = tmp_path, server, script, python, member
        self._drivers = {}
        self.splunk_home = tmp_path / "splunk_home"
        self.splunk_home.mkdir()
        self.outputs = []
        server.passwords[("aws_cryptomining_slack", "soc-webhook")] = server.base + "/hooks" + WEBHOOK_SECRET_PATH
        server.passwords[("aws_cryptomining_slack", "soc-bot")] = BOT_TOKEN
        self.webhook_path = "/hooks" + WEBHOOK_SECRET_PATH
        self.api_path = "/api/chat.postMessage"
        self.spool_root = self.splunk_home / "var" / "run" / "splunk" / "aws_cryptomining" / "slack_spool"

    def payload(self, configuration, rows=None, sid="scheduler__admin__aws_cryptomining__RMD5_at_1732449600_42",
                search_name="Cryptomining - Large or GPU EC2 launch", results_file=None, server_uri=None):
        if results_file is None:
            results_file = write_results(self.tmp / f"results_{len(self.outputs)}.csv.gz",
                                         sample_rows() if rows is None else rows)
        return {
            "app": "aws_cryptomining", "owner": "admin", "search_name": search_name, "sid": sid,
            "server_host": self.member, "server_uri": server_uri or self.server.base, "session_key": SESSION_KEY,
            "results_file": str(results_file),
            "results_link": "https://splunk.example.com:8000/app/aws_cryptomining/@go?sid=" + sid,
            "configuration": configuration,
            "result": {},
        }

    def env(self, extra=None):
        return {"PATH": os.environ.get("PATH", ""), "SPLUNK_HOME": str(self.splunk_home),
                "CRYPTOMINING_SLACK_API_URL": self.server.base + "/api/", **(extra or {})}

    def run(self, configuration, timeout=60, args=("--execute",), env=None, python=None, script=None,
            **payload_kwargs):
        """Run the action as splunkd does: a new process, JSON payload on stdin."""
        payload = self.payload(configuration, **payload_kwargs)
        proc = subprocess.run([python or self.python, str(script or self.script), *args],
                              input=json.dumps(payload), capture_output=True, text=True, timeout=timeout,
                              env=self.env(env))
        self.outputs.append(proc.stdout + proc.stderr)
        return proc

    def call(self, configuration, python=None, **payload_kwargs):
        """Run the action's main() in this harness's driver process (Splunk's Python, vendored libraries only,
        no interpreter start-up per run): for the fault matrix and the soak. Returns returncode and stderr."""
        [result] = self.call_many([(configuration, payload_kwargs)], python=python)
        return result

    def call_many(self, runs, threads=1, python=None):
        """Run [(configuration, payload kwargs)] in the driver, `threads` at a time; results in order."""
        driver = self._driver(python or self.python)
        request = {"env": self.env(), "threads": threads,
                   "payloads": [self.payload(configuration, **kwargs) for configuration, kwargs in runs]}
        driver.stdin.write(json.dumps(request) + "\n")
        driver.stdin.flush()
        line = driver.stdout.readline()
        if not line:
            raise RuntimeError(f"the action driver died: {driver.stderr.read()[-2000:]}")
        results = [SimpleNamespace(returncode=r["code"], stderr=r["stderr"]) for r in json.loads(line)]
        self.outputs.extend(r.stderr for r in results)
        return results

    def _driver(self, python):
        if python not in self._drivers:
            self._drivers[python] = subprocess.Popen(
                [python, str(DRIVER), str(self.script.parent)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, env=self.env())
        return self._drivers[python]

    def close(self):
        for driver in self._drivers.values():
            driver.stdin.close()
            driver.wait(timeout=30)
            driver.stdout.close()
            driver.stderr.close()

    def resend(self):
        """One run of the scheduled resend search (Slack - Resend Queued Alerts)."""
        return self.call({"resend_only": "1"})

    def pending(self):
        directory = self.spool_root / "pending"
        return sorted(directory.iterdir()) if directory.is_dir() else []

    def dead(self):
        directory = self.spool_root / "dead"
        return sorted(directory.iterdir()) if directory.is_dir() else []

    def all_written_text(self):
        """Every byte the action produced: outputs plus every file under SPLUNK_HOME (spool, ledger)."""
        texts = list(self.outputs)
        for path in self.splunk_home.rglob("*"):
            if path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)


@pytest.fixture
def harness(tmp_path, action_script):
    script, python = action_script
    with FakeServer(SESSION_KEY) as server:
        harness = Harness(tmp_path, server, script, python)
        yield harness
        harness.close()

