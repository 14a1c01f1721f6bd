"""The cryptomining_slack alert action: payload -> message -> spool flush -> delivery -> exit code.

Exit codes (splunkd logs "alert action script returned error code=N"):
  0 delivered (and spooled alerts flushed)     5 Slack refused permanently (dead-lettered)
  2 not started with --execute                6 not delivered yet: spooled for resend
  3 invalid payload or alert parameter         7 not delivered and could not be spooled (lost)
  4 credential missing/unreadable/malformed    8 results_file unreadable
  1 internal error (a bug): logged as one ERROR line with the exception type and code location only
"""
import os
import sys
import time
import traceback
from urllib.parse import urlsplit

from . import config, credentials, render, results, transport
from .logline import Log
from .spool import Spool, default_root, idempotency_key

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_CONFIG, EXIT_CREDENTIAL = 0, 1, 2, 3, 4
EXIT_REJECTED, EXIT_SPOOLED, EXIT_LOST, EXIT_RESULTS = 5, 6, 7, 8
API_URL_ENV = "CRYPTOMINING_SLACK_API_URL"  # test hook only: not settable from the alert form


def api_base_url(env):
    """Slack Web API base URL: https://slack.com/api/ unless the environment points at a loopback fake."""
    url = env.get(API_URL_ENV)
    if not url:
        return transport.DEFAULT_API_URL
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and credentials.is_loopback(parts.hostname or "")):
        return url if url.endswith("/") else url + "/"
    raise config.ConfigError(f"{API_URL_ENV} must be https, or http on a loopback address")


class Deliverer:
    """Resolves credentials (cached per name) and sends spool entries within one Deadline."""

    def __init__(self, service, settings, alert, base_url, deadline):
        self.service, self.settings, self.alert = service, settings, alert
        self.base_url, self.deadline = base_url, deadline
        self._destinations = {}

    def destination(self, name):
        if name not in self._destinations:
            self._destinations[name] = credentials.destination(self.service, name)
        return self._destinations[name]

    def send(self, entry):
        dest = self.destination(entry["credential"])
        timeout = min(float(self.alert.timeout_seconds), max(self.deadline.remaining(), 0.5))
        proxy = self.settings.proxy_url if self.settings else None
        if dest.kind == "webhook":
            if entry.get("channel") or entry.get("thread_ts"):
                raise transport.PermanentError(
                    "channel_with_webhook", "an incoming webhook always posts to its own channel; "
                    "leave channel and thread empty or use a bot-token credential")
            return transport.send_webhook(dest.secret, entry["message"], timeout=timeout,
                                          deadline=self.deadline, proxy=proxy)
        if not entry.get("channel"):
            raise transport.PermanentError("channel_required", "a bot-token credential needs param.channel")
        return transport.send_bot(dest.secret, entry["message"], channel=entry["channel"],
                                  thread_ts=entry.get("thread_ts"), timeout=timeout, deadline=self.deadline,
                                  base_url=self.base_url, proxy=proxy)


def _destination_id(entry):
    return (entry.get("credential"), entry.get("channel"), entry.get("thread_ts"))


def flush(spool, deliverer, log):
    """Deliver pending entries oldest first; a destination that fails transiently is blocked for the rest
    of the run so later entries for it keep their order. Returns (blocked destinations, permanent count)."""
    blocked, permanent = set(), 0
    for path in spool.entries():
        try:
            entry = spool.load(path)
        except (OSError, ValueError):
            spool.bury(path, reason="unreadable")
            log.error("spool_entry_unreadable", file=os.path.basename(path))
            permanent += 1
            continue
        fields = dict(key=entry["key"][:16], origin_search=entry.get("search_name"), origin_sid=entry.get("sid"))
        if spool.was_sent(entry["key"]):
            os.remove(path)
            log.info("duplicate_skipped", **fields)
            continue
        dest = _destination_id(entry)
        if dest in blocked:
            continue
        if deliverer.deadline.remaining() < 1.0:
            blocked.add(dest)
            continue
        try:
            result = deliverer.send(entry)
        except transport.TransientError as err:
            blocked.add(dest)
            entry["attempts"] = int(entry.get("attempts", 0)) + 1
            entry["last_error"] = err.code
            spool.update(path, entry)
            log.warn("resend_deferred", error=err.code, attempts=entry["attempts"], **fields)
            continue
        except (transport.PermanentError, credentials.CredentialError) as err:
            spool.bury(path, entry, reason=str(err))
            log.error("resend_rejected", error=getattr(err, "code", "credential_error"), detail=str(err), **fields)
            permanent += 1
            continue
        except credentials.SplunkdUnavailable as err:
            blocked.add(dest)
            log.warn("resend_deferred", error="splunkd_unavailable", detail=str(err), **fields)
            continue
        spool.mark_sent(entry["key"])
        os.remove(path)
        log.info("resent", transport=result.note, attempts=int(entry.get("attempts", 0)) + 1, **fields)
    return blocked, permanent


def _render(alert, settings, log):
    summary = render.digest(results.iter_rows(alert.results_file), alert.max_rows)
    allowed = settings.allowed_mentions if settings else ()
    message, rejected = render.build(alert, summary, allowed)
    if rejected:
        log.warn("mention_not_allowed", ids=",".join(rejected),
                 detail="only ids on the setup page's allowed mention list are mentioned")
    return message, summary.total


def main(argv, stdin, env, stream=None):
    """Entry point used by bin/cryptomining_slack.py; returns the exit code.

    An unexpected exception is reported without its message, which could quote a secret-bearing URL."""
    log = Log(stream=stream)
    try:
        return run(argv, stdin, env, log)
    except Exception as err:  # noqa: BLE001 - last line of defence, reported and mapped to exit 1
        frame = traceback.extract_tb(sys.exc_info()[2])[-1]
        log.error("internal_error", error=type(err).__name__,
                  where=f"{os.path.basename(frame.filename)}:{frame.lineno}")
        return EXIT_INTERNAL


def run(argv, stdin, env, log):
    """Parse, render, flush the spool, deliver; returns the exit code."""
    if argv[1:] != ["--execute"]:
        log.error("usage", detail="run by splunkd as: cryptomining_slack.py --execute (JSON payload on stdin)")
        return EXIT_USAGE
    started = time.monotonic()
    try:
        alert = config.parse(stdin.read())
        log.bind(alert.search_name, alert.sid)
        base_url = api_base_url(env)
    except config.ConfigError as err:
        log.error("config_error", detail=str(err))
        return EXIT_CONFIG
    deadline = transport.Deadline(alert.budget_seconds)
    try:
        spool = Spool(default_root(env.get("SPLUNK_HOME")))
    except OSError as err:
        log.error("spool_unavailable", detail=str(err))
        spool = None

    service = credentials.connect(alert.server_uri, alert.session_key, alert.app)
    settings, settings_error = None, None
    try:
        settings = credentials.settings(service)
    except (credentials.CredentialError, credentials.SplunkdUnavailable) as err:
        settings_error = err
        log.warn("settings_unavailable", detail=str(err))
    deliverer = Deliverer(service, settings, alert, base_url, deadline)

    entry = None
    if not alert.resend_only:
        try:
            message, total = _render(alert, settings, log)
        except results.ResultsError as err:
            log.error("results_unreadable", detail=str(err))
            return EXIT_RESULTS
        key = idempotency_key(alert.search_name, alert.sid, alert.credential, alert.channel, alert.thread_ts, message)
        entry = dict(key=key, created=int(time.time()), search_name=alert.search_name, sid=alert.sid,
                     credential=alert.credential, channel=alert.channel, thread_ts=alert.thread_ts,
                     message=message, rows=total)

    blocked, permanent, locked = set(), 0, False
    if spool is not None and settings_error is None:
        try:
            locked = spool.try_lock()
            if locked:
                blocked, permanent = flush(spool, deliverer, log)
        except OSError as err:
            log.error("spool_unavailable", detail=str(err))
        finally:
            if locked:
                spool.unlock()

    if entry is None:
        remaining = len(spool.entries()) if spool is not None else 0
        log.info("resend_finished", pending=remaining, rejected=permanent, locked=str(locked).lower())
        if permanent:
            return EXIT_REJECTED
        return EXIT_SPOOLED if remaining else EXIT_OK
    return deliver_new(entry, alert, spool, deliverer, blocked, settings_error, log, started)


def _queued_for(spool, dest):
    for path in spool.entries():
        try:
            if _destination_id(spool.load(path)) == dest:
                return True
        except (OSError, ValueError):
            continue
    return False


def _spool_or_lose(spool, entry, reason, log):
    if spool is None:
        log.error("lost", key=entry["key"][:16], detail=f"{reason}; the spool is unavailable")
        return EXIT_LOST
    try:
        path = spool.add(dict(entry, attempts=0, last_error=reason))
    except OSError as err:
        log.error("lost", key=entry["key"][:16], detail=f"{reason}; spooling failed: {err}")
        return EXIT_LOST
    log.warn("spooled", key=entry["key"][:16], reason=reason, file=os.path.basename(path))
    return EXIT_SPOOLED


def _dead_letter(spool, entry, reason, log):
    if spool is None:
        return
    try:
        spool.bury_new(dict(entry), reason)
    except OSError as err:
        log.error("dead_letter_failed", key=entry["key"][:16], detail=str(err))


def deliver_new(entry, alert, spool, deliverer, blocked, settings_error, log, started):
    """Deliver the fresh alert now, or queue it behind older alerts for the same destination."""
    dest = _destination_id(entry)
    if isinstance(settings_error, credentials.SplunkdUnavailable):
        return _spool_or_lose(spool, entry, "splunkd_unavailable", log)
    if isinstance(settings_error, credentials.CredentialError):  # never bypass a configured proxy
        _dead_letter(spool, entry, str(settings_error), log)
        log.error("credential_error", credential="settings", detail=str(settings_error))
        return EXIT_CREDENTIAL
    if spool is not None and spool.was_sent(entry["key"]):
        log.info("duplicate_skipped", key=entry["key"][:16])
        return EXIT_OK
    if dest in blocked or (spool is not None and _queued_for(spool, dest)):
        return _spool_or_lose(spool, entry, "older_alerts_pending", log)
    try:
        result = deliverer.send(entry)
    except transport.TransientError as err:
        return _spool_or_lose(spool, entry, err.code, log)
    except credentials.SplunkdUnavailable:
        return _spool_or_lose(spool, entry, "splunkd_unavailable", log)
    except credentials.CredentialError as err:
        _dead_letter(spool, entry, str(err), log)
        log.error("credential_error", credential=alert.credential, detail=str(err))
        return EXIT_CREDENTIAL
    except transport.PermanentError as err:
        _dead_letter(spool, entry, str(err), log)
        log.error("rejected", error=err.code, detail=str(err), credential=alert.credential)
        return EXIT_REJECTED
    if spool is not None:
        try:
            spool.mark_sent(entry["key"])
        except OSError as err:
            log.warn("ledger_write_failed", detail=str(err))
    log.info("delivered", transport=result.note, credential=alert.credential, rows=entry["rows"],
             key=entry["key"][:16], duration_ms=int((time.monotonic() - started) * 1000))
    return EXIT_OK
