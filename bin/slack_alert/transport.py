"""Deliver one message over an incoming webhook or chat.postMessage, retrying within a shared Deadline.

slack_sdk sends each request and maps its reply (WebhookClient, WebClient); the retry loop is ours because
slack_sdk's retry handlers cannot do what delivery needs: they call int() on Retry-After (a reply of `1.5`
raises), they let an unreadable reply (bad status line, unknown charset, invalid UTF-8 or JSON) escape as an
exception, and they re-post after a read timeout without asking whether Slack already has the message.

Every reply is classified as Delivered, PermanentError (an admin must fix something: invalid_payload,
channel_not_found, no_service, invalid_auth, any other 4xx / ok:false with a Slack error code) or
TransientError (429, 5xx, network trouble, and any reply the action cannot understand). A transient error is
`ambiguous` when Slack may have posted the message anyway (read timeout, dropped connection, 5xx, unreadable
reply); before re-posting after one, a bot-token delivery looks for the message in the channel (see
find_posted); an incoming webhook has no way to ask, which is the one window documented in docs/slack.md.
"""
import http.client
import logging
import re
import socket
import ssl
import time
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient

from . import faultpoint

MAX_RETRIES = 4
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
DEFAULT_API_URL = "https://slack.com/api/"
METADATA_EVENT = "aws_cryptomining_alert"
HISTORY_PAGE = 100
HISTORY_PAGES = 5
SLACK_ERROR_CODE = re.compile(r"^[a-z][a-z0-9_]{1,60}$")  # Slack's documented error codes: snake_case words
TRANSIENT_API_ERRORS = frozenset(("ratelimited", "rate_limited", "internal_error", "fatal_error",
                                  "service_unavailable", "request_timeout"))
UNREADABLE_REPLY = (http.client.HTTPException, ValueError, LookupError)  # status line, charset, UTF-8, JSON

_SDK_LOGGER = logging.getLogger("cryptomining_slack.sdk")
_SDK_LOGGER.addHandler(logging.NullHandler())
_SDK_LOGGER.propagate = False  # slack_sdk logs request URLs; a webhook URL is a secret


class Delivered:
    """Slack accepted the message (`found` when an earlier attempt's copy was found in the channel)."""

    def __init__(self, attempts_note, ts=None, found=False):
        self.note = attempts_note
        self.ts = ts
        self.found = found


class DeliveryError(Exception):
    """Base for classified delivery failures; `code` is a short Slack/HTTP/network error name."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}{': ' + detail if detail else ''}")
        self.code = code


class PermanentError(DeliveryError):
    """Slack refused the message for a reason a retry cannot fix."""


class TransientError(DeliveryError):
    """Rate limit, server or network trouble, or an unreadable reply; `ambiguous` when Slack may have posted."""

    def __init__(self, code, detail="", ambiguous=False, retry_after=None):
        super().__init__(code, detail)
        self.ambiguous = ambiguous
        self.retry_after = retry_after


class Deadline:
    """Wall-clock budget shared by all attempts of one run."""

    def __init__(self, seconds, clock=time.monotonic):
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self):
        return self._end - self._clock()

    def allows(self, sleep_seconds, request_seconds):
        return self.remaining() > sleep_seconds + request_seconds


def backoff(attempt):
    """Exponential backoff, base * 2**attempt, never longer than the cap."""
    return min(BACKOFF_BASE_SECONDS * (2 ** attempt), BACKOFF_CAP_SECONDS)


def retry_after(headers):
    """Seconds from a Retry-After header (delta-seconds, fractions accepted), None when absent or invalid
    (a negative or non-numeric value then falls back to the exponential backoff)."""
    for key, values in (headers or {}).items():
        if str(key).lower() == "retry-after":
            value = values[0] if isinstance(values, (list, tuple)) else values
            try:
                seconds = float(str(value).strip())
            except ValueError:
                return None
            return seconds if 0 <= seconds < float("inf") else None
    return None


def _network_error(err):
    reason = getattr(err, "reason", err)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return PermanentError("tls_verify_failed", "the server certificate did not verify")
    if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
        return TransientError("connection_error", type(reason).__name__)  # the request never reached Slack
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return TransientError("timeout", ambiguous=True)
    return TransientError("connection_error", type(reason).__name__, ambiguous=True)


def _unreadable(err):
    return TransientError("malformed_reply", type(err).__name__, ambiguous=True)


def with_retries(attempt, deadline, timeout, before_retry=None, sleep=time.sleep):
    """Run `attempt` until it delivers, fails permanently, or the retries or the budget are used up.

    After an ambiguous failure `before_retry()` may return a Delivered found in Slack instead of re-posting."""
    failures = 0
    while True:
        try:
            return attempt()
        except TransientError as err:
            wait = err.retry_after if err.retry_after is not None else backoff(failures)
            failures += 1
            if failures > MAX_RETRIES or not deadline.allows(wait, timeout):
                raise
            faultpoint.reached("backoff")
            sleep(wait)
            if err.ambiguous and before_retry is not None:
                found = before_retry()
                if found is not None:
                    return found


def send_webhook(url, message, *, timeout, deadline, proxy=None, ssl_context=None):
    """POST the message to an incoming webhook. Webhooks post to their own fixed channel and cannot be read."""
    client = WebhookClient(url, timeout=timeout, ssl=ssl_context, proxy=proxy, logger=_SDK_LOGGER,
                           retry_handlers=[])
    body = dict(message, unfurl_links=False, unfurl_media=False)

    def attempt():
        faultpoint.reached("attempt")
        try:
            response = client.send_dict(body)
        except (URLError, OSError) as err:
            raise _network_error(err) from None
        except UNREADABLE_REPLY as err:
            raise _unreadable(err) from None
        status, text = response.status_code, (response.body or "").strip()
        if status == 200 and text == "ok":
            return Delivered("webhook")
        if status == 200:
            raise TransientError("malformed_reply", "HTTP 200 without Slack's 'ok'", ambiguous=True)
        if status == 429:
            raise TransientError("rate_limited", "HTTP 429", retry_after=retry_after(response.headers))
        code = text.splitlines()[0][:60] if text and SLACK_ERROR_CODE.match(text.splitlines()[0]) else f"http_{status}"
        if status >= 500:
            raise TransientError(code, f"HTTP {status}", ambiguous=True)
        raise PermanentError(code, f"HTTP {status}")

    return with_retries(attempt, deadline, timeout)


def _api_error(err):
    response = err.response
    status = response.status_code
    data = response.data if isinstance(response.data, dict) else {}
    error = data.get("error")
    if status == 429 or error in ("ratelimited", "rate_limited"):
        return TransientError("rate_limited", f"HTTP {status}", retry_after=retry_after(response.headers))
    if not isinstance(error, str) or not SLACK_ERROR_CODE.match(error):
        return TransientError("malformed_reply", f"HTTP {status} without a Slack error code", ambiguous=True)
    if status >= 500 or error in TRANSIENT_API_ERRORS:
        return TransientError(error, f"HTTP {status}", ambiguous=True)
    return PermanentError(error, f"HTTP {status}")


def _api_call(method, **kwargs):
    """One Web API call; every failure classified."""
    try:
        return method(**kwargs)
    except SlackApiError as err:
        raise _api_error(err) from None
    except SlackRequestError as err:
        raise PermanentError("request_error", type(err).__name__) from None
    except (URLError, OSError) as err:
        raise _network_error(err) from None
    except UNREADABLE_REPLY as err:
        raise _unreadable(err) from None


def find_posted(client, channel, thread_ts, key, oldest, deadline, timeout):
    """ts of the message carrying `key` in its metadata, posted in the channel (or thread) since `oldest`.

    Needs the channels:history / groups:history scope. Returns None when not found; raises PermanentError
    when the history cannot be read at all (missing scope ...), TransientError when it cannot be read now."""
    kwargs = dict(channel=channel, oldest=f"{oldest:.6f}", inclusive=True, limit=HISTORY_PAGE,
                  include_all_metadata=True)
    cursor = None
    for _ in range(HISTORY_PAGES):
        if not deadline.allows(0, timeout):
            raise TransientError("history_timeout", "no budget left to read the channel history")
        page = dict(kwargs, cursor=cursor) if cursor else kwargs
        if thread_ts:
            response = _api_call(client.conversations_replies, ts=thread_ts, **page)
        else:
            response = _api_call(client.conversations_history, **page)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("alert_key") == key:
                return message.get("ts")
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None


class BotSender:
    """chat.postMessage with link_names and unfurling off, the alert key in the message metadata, and a
    look in the channel's history before any re-post that could duplicate an accepted message."""

    def __init__(self, token, *, timeout, deadline, base_url=DEFAULT_API_URL, proxy=None, ssl_context=None):
        self.client = WebClient(token=token, base_url=base_url, timeout=timeout, ssl=ssl_context, proxy=proxy,
                                logger=_SDK_LOGGER, retry_handlers=[])
        self.timeout, self.deadline = timeout, deadline
        self.history_error = None

    def already_posted(self, channel, thread_ts, key, since):
        """Delivered when the channel already has the alert; None when it has not or cannot be read."""
        try:
            ts = find_posted(self.client, channel, thread_ts, key, since, self.deadline, self.timeout)
        except PermanentError as err:
            self.history_error = err.code  # e.g. missing_scope: re-post (at least once) and say why
            return None
        return Delivered("bot", ts=ts, found=True) if ts else None

    def send(self, message, *, channel, thread_ts, key, since, check_first):
        kwargs = dict(channel=channel, text=message["text"], blocks=message["blocks"], link_names=False,
                      unfurl_links=False, unfurl_media=False, parse="none",
                      metadata={"event_type": METADATA_EVENT, "event_payload": {"alert_key": key}})
        if thread_ts:
            kwargs["thread_ts"] = thread_ts

        def attempt():
            faultpoint.reached("attempt")
            response = _api_call(self.client.chat_postMessage, **kwargs)
            return Delivered("bot", ts=response.get("ts"))

        def before_retry():
            return self.already_posted(channel, thread_ts, key, since)

        if check_first:
            found = before_retry()
            if found is not None:
                return found
        return with_retries(attempt, self.deadline, self.timeout, before_retry)
