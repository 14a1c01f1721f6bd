"""The cryptomining_slack alert action: payload -> message -> write-ahead spool -> ordered flush -> exit code.

The new alert is persisted in the spool before anything is sent; only the process holding flush.lock sends,
oldest first, so an alert is never lost to a crash and never sent by two processes at once.

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

from splunklib import binding

from . import config, credentials, faultpoint, incident, owner, render, results, transport
from .flush import EXIT_CREDENTIAL, EXIT_OK, EXIT_REJECTED, EXIT_SPOOLED, Flush
from .logline import Log
from .shared_queue import SharedQueue
from .spool import Spool, default_root, idempotency_key

EXIT_INTERNAL, EXIT_USAGE, EXIT_CONFIG, EXIT_LOST, EXIT_RESULTS = 1, 2, 3, 7, 8
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


LOCK_WAIT_SECONDS = 10  # a flusher delivers a burst of alerts in seconds; then their own runs see them sent
HISTORY_MARGIN_SECONDS = 600  # clock skew between this host and Slack when searching the channel history


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

    def send(self, entry, log, check_first=False):
        """Deliver one entry. An entry with an earlier attempt may already be in Slack: a bot-token delivery
        looks for it in the channel before posting."""
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
        sender = transport.BotSender(dest.secret, timeout=timeout, deadline=self.deadline,
                                     base_url=self.base_url, proxy=proxy)
        since = float(entry.get("first_attempt") or time.time()) - HISTORY_MARGIN_SECONDS
        incident_id = entry.get("incident_id")
        thread_ts = entry.get("thread_ts") or (
            incident.thread_of(self.service, incident_id, entry["channel"]) if incident_id else None)
        try:
            result = sender.send(entry["message"], channel=entry["channel"], thread_ts=thread_ts,
                                 key=entry["key"], since=since, check_first=check_first)
            if incident_id and not thread_ts and result.ts:
                self._remember_thread(incident_id, entry["channel"], result.ts, log)
            return result
        finally:
            if sender.history_error:
                log.warn("history_unavailable", error=sender.history_error, credential=entry["credential"],
                         detail="cannot check the channel for an earlier copy before re-posting; "
                                "grant channels:history and groups:history")


    def _remember_thread(self, incident_id, channel, ts, log):
        """The incident's first message is its thread; if it cannot be kept, updates start a new one."""
        try:
            incident.remember(self.service, incident_id, channel, ts)
        except (OSError, binding.HTTPError) as err:
            log.warn("thread_not_kept", incident_id=incident_id, error=type(err).__name__,
                     detail="the incident's updates will not be replies in its thread")


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
    """Parse, render, persist, flush the spool in order (the new alert included); returns the exit code."""
    if argv[1:] != ["--execute"]:
        log.error("usage", detail="run by splunkd as: cryptomining_slack.py --execute (JSON payload on stdin)")
        return EXIT_USAGE
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
    queue = SharedQueue(service, alert.server_host, owner.identity())

    if alert.resend_only:
        return resend(spool, deliverer, settings_error, log, queue)
    try:
        row = incident.first_row(alert.results_file)
        message, total = (incident.message(alert, row), 1) if row else _render(alert, settings, log)
    except results.ResultsError as err:
        log.error("results_unreadable", detail=str(err))
        return EXIT_RESULTS
    key = idempotency_key(alert.search_name, alert.sid, alert.credential, alert.channel, alert.thread_ts, message)
    entry = dict(key=key, created=int(time.time()), search_name=alert.search_name, sid=alert.sid,
                 credential=alert.credential, channel=alert.channel, thread_ts=alert.thread_ts,
                 message=message, rows=total, attempts=0)
    if row:
        entry["incident_id"] = row["incident_id"]
    path = None
    if spool is not None:
        try:
            path = spool.add(entry)
        except OSError as err:
            log.error("spool_unavailable", detail=f"the alert could not be persisted before sending: {err}")
    faultpoint.reached("spooled")
    if path is None:
        return deliver_unspooled(entry, deliverer, settings_error, log)
    return deliver_spooled(entry, path, spool, deliverer, settings_error, log, queue)


def resend(spool, deliverer, settings_error, log, queue):
    """The scheduled resend search: flush the shared queue and this member's spool unless another run on this
    member is flushing them. On a search head cluster any member's run delivers every member's alerts."""
    if spool is None:
        return EXIT_SPOOLED
    flusher = Flush(spool, deliverer, log, queue=queue)
    if settings_error is None:
        try:
            flusher.run(wait_seconds=0.0)
        except OSError as err:
            log.error("spool_unavailable", detail=str(err))
        purge(flusher.queue, log)
    remaining = flusher.remaining()
    log.info("resend_finished", pending=remaining, rejected=flusher.permanent,
             locked=str(flusher.locked_once).lower())
    if flusher.permanent:
        return EXIT_REJECTED
    return EXIT_SPOOLED if remaining else EXIT_OK


def purge(queue, log):
    """The resend search also deletes old delivered and refused alerts from the shared queue (best effort)."""
    if queue is None:
        return
    try:
        purged = queue.purge()
    except credentials.SplunkdUnavailable as err:
        log.warn("queue_unavailable", detail=f"old records not purged: {err}")
        return
    if purged:
        log.info("queue_purged", records=purged)


def deliver_spooled(entry, path, spool, deliverer, settings_error, log, queue):
    """The alert is persisted: take the flush lock (waiting for another flusher at most LOCK_WAIT_SECONDS)
    and flush, which sends it in order. Whoever holds the lock sends it; this run reports where it ended."""
    key = entry["key"]
    if isinstance(settings_error, credentials.SplunkdUnavailable):
        spool.update(path, dict(entry, last_error="splunkd_unavailable"))
        log.warn("spooled", key=key[:16], reason="splunkd_unavailable", file=os.path.basename(path))
        return EXIT_SPOOLED
    if isinstance(settings_error, credentials.CredentialError):  # never bypass a configured proxy
        spool.bury(path, entry, reason=str(settings_error))
        log.error("credential_error", credential="settings", detail=str(settings_error))
        return EXIT_CREDENTIAL
    flusher = Flush(spool, deliverer, log, own_key=key, queue=queue)
    try:
        flusher.run(wait_seconds=min(LOCK_WAIT_SECONDS, max(deliverer.deadline.remaining() - 1.0, 0.0)))
    except OSError as err:
        log.error("spool_unavailable", detail=str(err))
    if key in flusher.outcomes:
        return flusher.outcomes[key].exit_code
    if spool.was_sent(key):
        log.info("delivered", key=key[:16], detail="sent by the run that held the flush lock")
        return EXIT_OK
    if os.path.exists(os.path.join(spool.dead, os.path.basename(path))):
        log.error("rejected", key=key[:16], detail="refused when the run holding the flush lock sent it")
        return EXIT_REJECTED
    log.warn("spooled", key=key[:16], reason="flush_in_progress", file=os.path.basename(path))
    return EXIT_SPOOLED


def deliver_unspooled(entry, deliverer, settings_error, log):
    """No spool: one delivery attempt within the budget; a failure loses the alert (logged as lost)."""
    key = entry["key"][:16]
    if settings_error is not None:
        log.error("lost", key=key, detail=f"{settings_error}; the spool is unavailable")
        return EXIT_CREDENTIAL if isinstance(settings_error, credentials.CredentialError) else EXIT_LOST
    try:
        result = deliverer.send(entry, log)
    except (transport.TransientError, credentials.SplunkdUnavailable) as err:
        log.error("lost", key=key, detail=f"{err}; the spool is unavailable")
        return EXIT_LOST
    except credentials.CredentialError as err:
        log.error("credential_error", credential=entry["credential"], detail=str(err))
        return EXIT_CREDENTIAL
    except transport.PermanentError as err:
        log.error("rejected", error=err.code, detail=str(err), credential=entry["credential"])
        return EXIT_REJECTED
    log.info("delivered", transport=result.note, credential=entry["credential"], rows=entry["rows"], key=key,
             detail="without the spool")
    return EXIT_OK
