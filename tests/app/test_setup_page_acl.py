"""The setup page against a splunkd fake on 127.0.0.1: secrets' ACLs and app.conf is_configured (items 6, 7).

The page's script runs in node (tests/app/setup_page_driver.js) with its fetch sent over HTTP to this fake,
which answers as splunkd does for the calls the page makes (storage/passwords create, update, list, acl;
configs/conf-app; apps/local/<app>/_reload) and refuses an ACL change without `owner` and `sharing`
(required by the REST API's access-control endpoints).
"""
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from appbuild.layout import ROOT

PREFIX = "/en-US/splunkd/__raw/servicesNS/nobody/aws_cryptomining/"
DRIVER = Path(__file__).with_name("setup_page_driver.js")
SCRIPT = ROOT / "appserver" / "static" / "cryptomining_slack_setup.js"


class FakeSplunkd:
    def __init__(self):
        self.passwords = {}   # "realm:name" -> {"password": ..., "acl": {...} or None (inherited: read *)}
        self.app_conf = {"install": {"is_configured": "false"}}
        self.reloads = 0
        self.requests = []

    def handle(self, method, path, form):
        self.requests.append((method, path))
        if not path.startswith(PREFIX):
            return 404, {}
        rest = path[len(PREFIX):]
        if rest == "storage/passwords" and method == "GET":
            return 200, {"entry": [{"content": {"realm": k.split(":")[0], "username": k.split(":")[1]}}
                                   for k in self.passwords]}
        if rest == "storage/passwords" and method == "POST":
            key = f"{form['realm']}:{form['name']}"
            if key in self.passwords:
                return 409, {"messages": [{"text": "already exists"}]}
            self.passwords[key] = {"password": form["password"], "acl": None}
            return 201, {}
        if rest.startswith("storage/passwords/"):
            entity = unquote(rest[len("storage/passwords/"):])
            acl = entity.endswith(":/acl")
            key = entity[:-len(":/acl")] if acl else entity.rstrip(":")
            if key not in self.passwords:
                return 404, {"messages": [{"text": "not found"}]}
            if acl:
                if "owner" not in form or "sharing" not in form:
                    return 400, {"messages": [{"text": "owner and sharing are required"}]}
                self.passwords[key]["acl"] = {k: form[k] for k in form}
            elif method == "POST":
                self.passwords[key]["password"] = form["password"]
            elif method == "DELETE":
                del self.passwords[key]
            return 200, {}
        if rest == "configs/conf-app/install" and method == "POST":
            self.app_conf["install"].update(form)
            return 200, {}
        if rest == "apps/local/aws_cryptomining/_reload":
            self.reloads += 1
            return 200, {}
        return 404, {}


@pytest.fixture
def splunkd():
    fake = FakeSplunkd()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            form = {k: v[0] for k, v in parse_qs(body).items()}
            status, payload = fake.handle(self.command, url.path, form)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def drive(splunkd, steps):
    proc = subprocess.run(["node", str(DRIVER), str(SCRIPT), splunkd.base, json.dumps(steps)],
                          capture_output=True, text=True, timeout=60, check=True)
    return proc.stdout


def test_every_secret_the_page_writes_is_readable_by_admin_roles_only(splunkd):
    page = drive(splunkd, [
        ({"cms-cred-name": "soc-webhook", "cms-cred-secret": "https://hooks.slack.com/services/T/B/S1"}, "Save credential"),
        ({"cms-cred-secret": "https://hooks.slack.com/services/T/B/S2"}, "Save credential"),   # replace
        ({"cms-proxy-url": "http://proxy.example.com:3128", "cms-proxy-user": "u", "cms-proxy-pass": "p"}, "Save proxy"),
        ({"cms-mentions": "U0SOC"}, "Save allowed mentions"),
    ])
    assert "HTTP " not in page
    assert set(splunkd.passwords) == {"aws_cryptomining_slack:soc-webhook", "aws_cryptomining_slack_settings:proxy",
                                      "aws_cryptomining_slack_settings:allowed_mentions"}
    for entry in splunkd.passwords.values():
        assert entry["acl"] == {"owner": "nobody", "sharing": "app", "perms.read": "admin,sc_admin",
                                "perms.write": "admin,sc_admin"}
    assert splunkd.passwords["aws_cryptomining_slack:soc-webhook"]["password"].endswith("/S2")


def test_saving_a_credential_marks_the_app_configured(splunkd):
    drive(splunkd, [({"cms-cred-name": "soc-bot", "cms-cred-secret": "xoxb-1-2-abc"}, "Save credential")])
    assert splunkd.app_conf["install"]["is_configured"] == "true" and splunkd.reloads == 1


def test_setup_can_be_completed_without_slack(splunkd):
    page = drive(splunkd, [({}, "Mark setup complete")])
    assert "Setup complete." in page
    assert splunkd.app_conf["install"]["is_configured"] == "true" and splunkd.reloads == 1
    assert splunkd.passwords == {}


def test_the_app_ships_unconfigured_with_its_setup_view():
    app_conf = (ROOT / "default" / "app.conf").read_text()
    assert "is_configured = false" in app_conf and "setup_view = cryptomining_slack_setup" in app_conf


@pytest.fixture(autouse=True)
def _node_is_required():
    assert shutil.which("node"), "node runs the setup page's script in these tests"
