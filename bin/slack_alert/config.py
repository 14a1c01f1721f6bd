"""Validate the JSON payload splunkd writes to the action's stdin (payload_format = json).

Every problem raises ConfigError naming the offending field, so the failure is clear in
splunkd.log instead of a silent fallback.
"""
import json
import re
import socket
from dataclasses import dataclass
from typing import Tuple
from urllib.parse import urlsplit

CREDENTIAL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
CHANNEL = re.compile(r"^[#@]?[A-Za-z0-9._-]{1,80}$")
THREAD_TS = re.compile(r"^\d{1,12}\.\d{1,9}$")
MENTION_ID = re.compile(r"^[UWS][A-Z0-9]{2,20}$")
SEVERITIES = ("info", "low", "medium", "high", "critical")
MAX_BUDGET_SECONDS = 90  # alert_actions.conf maxtime is 2m: the delivery must end well before it


class ConfigError(Exception):
    """The payload or an alert parameter is invalid (not retryable, not spooled)."""


@dataclass(frozen=True)
class Alert:
    """Everything the action needs from one invocation."""

    search_name: str
    sid: str
    session_key: str
    server_uri: str
    app: str
    server_host: str  # splunkd's serverName: which search head cluster member runs this action
    results_file: str
    results_link: str
    credential: str
    channel: str
    thread_ts: str
    severity: str
    max_rows: int
    mention_ids: Tuple[str, ...]
    timeout_seconds: float
    budget_seconds: float
    resend_only: bool


def _int_param(config, name, default, low, high):
    raw = str(config.get(name, default)).strip() or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"param.{name} must be an integer, got {raw[:20]!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"param.{name} must be between {low} and {high}, got {value}")
    return value


def _required(payload, name):
    value = payload.get(name)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"payload field {name!r} is missing or empty")
    return value


def _server_uri(payload):
    """splunkd's management URI: http(s), a host, and a port in 1-65535 when one is given."""
    uri = _required(payload, "server_uri")
    parts = urlsplit(uri)
    try:
        port = parts.port
    except ValueError:
        raise ConfigError("payload field 'server_uri' has an invalid port (expected 1-65535)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("payload field 'server_uri' must be an http(s) URL with a host, like https://127.0.0.1:8089")
    if port == 0:
        raise ConfigError("payload field 'server_uri' has an invalid port (expected 1-65535)")
    return uri


def parse(raw_text, default_app="aws_cryptomining"):
    """Parse the stdin payload into an Alert."""
    try:
        payload = json.loads(raw_text)
    except ValueError as err:
        raise ConfigError(f"payload on stdin is not JSON: {err}") from None
    if not isinstance(payload, dict):
        raise ConfigError("payload on stdin is not a JSON object")
    config = payload.get("configuration") or {}
    if not isinstance(config, dict):
        raise ConfigError("payload field 'configuration' is not an object")
    resend_only = str(config.get("resend_only", "0")).strip().lower() in ("1", "true", "yes")

    credential = str(config.get("credential", "")).strip()
    if not CREDENTIAL_NAME.match(credential) and not (resend_only and credential == ""):
        raise ConfigError("param.credential must name a Slack credential from the setup page "
                          "(letters, digits, '_', '.', '-', at most 64)")
    channel = str(config.get("channel", "")).strip()
    if channel and not CHANNEL.match(channel):
        raise ConfigError("param.channel must be a channel id (C0123ABC) or #name")
    thread_ts = str(config.get("thread_ts", "")).strip()
    if thread_ts and not THREAD_TS.match(thread_ts):
        raise ConfigError("param.thread_ts must be a Slack message timestamp like 1700000000.123456")
    severity = str(config.get("severity", "high")).strip().lower() or "high"
    if severity not in SEVERITIES:
        raise ConfigError(f"param.severity must be one of {', '.join(SEVERITIES)}")
    mentions = tuple(m.strip() for m in str(config.get("mention_ids", "")).split(",") if m.strip())
    for mention in mentions:
        if not MENTION_ID.match(mention):
            raise ConfigError("param.mention_ids must be Slack user (U/W...) or user-group (S...) ids")

    results_file = payload.get("results_file") or ""
    if not resend_only:
        results_file = _required(payload, "results_file")
    return Alert(
        search_name=str(payload.get("search_name") or "adhoc"),
        sid=str(payload.get("sid") or "unknown"),
        session_key=_required(payload, "session_key"),
        server_uri=_server_uri(payload),
        app=str(payload.get("app") or default_app),
        server_host=str(payload.get("server_host") or socket.gethostname()),
        results_file=results_file,
        results_link=str(payload.get("results_link") or ""),
        credential=credential,
        channel=channel,
        thread_ts=thread_ts,
        severity=severity,
        max_rows=_int_param(config, "max_rows", 10, 1, 40),
        mention_ids=mentions,
        timeout_seconds=_int_param(config, "timeout_seconds", 10, 1, 30),
        budget_seconds=_int_param(config, "budget_seconds", 60, 2, MAX_BUDGET_SECONDS),
        resend_only=resend_only,
    )

