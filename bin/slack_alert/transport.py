"""Deliver one message over an incoming webhook or chat.postMessage, with slack_sdk's retry handlers.

Retries are slack_sdk's own handlers, each bounded by a shared Deadline so the whole delivery ends
within the action's budget: 429 honours Retry-After, 5xx and connection errors back off exponentially
with a cap. Permanent Slack errors are never retried. The outcome is classified for exit codes and the
spool: Delivered, PermanentError (an admin must fix something: invalid_payload, channel_not_found,
no_service, invalid_auth and any other 4xx / ok:false answer) or TransientError (429 beyond the budget,
5xx, timeouts and connection errors: spool and resend).
"""
import logging
import socket
import ssl
import time
from http.client import RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

MAX_RETRIES = 4
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
DEFAULT_API_URL = "https://slack.com/api/"

_SDK_LOGGER = logging.getLogger("cryptomining_slack.sdk")
_SDK_LOGGER.addHandler(logging.NullHandler())
_SDK_LOGGER.propagate = False  # slack_sdk logs request URLs; a webhook URL is a secret


class Delivered:
    """Slack accepted the message."""

    def __init__(self, attempts_note, ts=None):
        self.note = attempts_note
        self.ts = ts


class DeliveryError(Exception):
    """Base for classified delivery failures; `code` is a short Slack/HTTP/network error name."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}{': ' + detail if detail else ''}")
        self.code = code


class PermanentError(DeliveryError):
    """Slack refused the message for a reason a retry cannot fix."""


class TransientError(DeliveryError):
    """Rate limit, server or network trouble that outlasted the retry budget."""


class Deadline:
    """Wall-clock budget shared by all retry handlers of one delivery (or one spool flush)."""

    def __init__(self, seconds, clock=time.monotonic):
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self):
        return self._end - self._clock()

    def allows(self, sleep_seconds, request_seconds):
        return self.remaining() > sleep_seconds + request_seconds


class CappedBackoff(RetryIntervalCalculator):
    """Exponential backoff, base * 2**attempt, never longer than the cap."""

    def calculate_sleep_duration(self, current_attempt):
        return min(BACKOFF_BASE_SECONDS * (2 ** current_attempt), BACKOFF_CAP_SECONDS)


def _retry_after(response):
    for key, values in response.headers.items():
        if key.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            try:
                return max(float(value), 0.0)
            except (TypeError, ValueError):
                return None
    return None


class BudgetedRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler (which sleeps Retry-After), refusing waits that would overrun the budget."""

    def __init__(self, deadline, timeout):
        super().__init__(max_retry_count=MAX_RETRIES)
        self.deadline, self.timeout = deadline, timeout

    def _can_retry(self, *, state, request, response=None, error=None):
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        wait = _retry_after(response)
        return wait is not None and self.deadline.allows(wait + 1.0, self.timeout)


class BudgetedServerErrorHandler(ServerErrorRetryHandler):
    """slack_sdk's server-error handler extended to every 5xx, bounded by the budget."""

    def __init__(self, deadline, timeout):
        super().__init__(max_retry_count=MAX_RETRIES, interval_calculator=CappedBackoff())
        self.deadline, self.timeout = deadline, timeout

    def _can_retry(self, *, state, request, response=None, error=None):
        if response is None or not 500 <= response.status_code <= 599:
            return False
        sleep = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        return self.deadline.allows(sleep, self.timeout)


class BudgetedConnectionErrorHandler(ConnectionErrorRetryHandler):
    """slack_sdk's connection-error handler, also covering timeouts, bounded by the budget."""

    def __init__(self, deadline, timeout):
        super().__init__(max_retry_count=MAX_RETRIES, interval_calculator=CappedBackoff(),
                         error_types=[URLError, ConnectionError, RemoteDisconnected, socket.timeout])
        self.deadline, self.timeout = deadline, timeout

    def _can_retry(self, *, state, request, response=None, error=None):
        if isinstance(error, URLError) and isinstance(getattr(error, "reason", None), ssl.SSLCertVerificationError):
            return False
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        sleep = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        return self.deadline.allows(sleep, self.timeout)


def retry_handlers(deadline, timeout):
    """The handler chain used by both transports."""
    return [BudgetedRateLimitHandler(deadline, timeout), BudgetedServerErrorHandler(deadline, timeout),
            BudgetedConnectionErrorHandler(deadline, timeout)]


def _network_error(err):
    reason = getattr(err, "reason", err)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return PermanentError("tls_verify_failed", "the server certificate did not verify")
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return TransientError("timeout")
    return TransientError("connection_error", type(reason).__name__)


def _http_error(status, body):
    code = (body or "").strip().splitlines()[0][:60] if (body or "").strip() else f"http_{status}"
    if status == 429 or status >= 500:
        return TransientError(code if status >= 500 else "rate_limited", f"HTTP {status}")
    return PermanentError(code, f"HTTP {status}")


def send_webhook(url, message, *, timeout, deadline, proxy=None, ssl_context=None):
    """POST the message to an incoming webhook. Webhooks post to their own fixed channel."""
    client = WebhookClient(url, timeout=timeout, ssl=ssl_context, proxy=proxy, logger=_SDK_LOGGER,
                           retry_handlers=retry_handlers(deadline, timeout))
    body = dict(message, unfurl_links=False, unfurl_media=False)
    try:
        response = client.send_dict(body)
    except (URLError, OSError) as err:
        raise _network_error(err) from None
    if response.status_code == 200:
        return Delivered("webhook")
    raise _http_error(response.status_code, response.body)


def send_bot(token, message, *, channel, thread_ts, timeout, deadline, base_url=DEFAULT_API_URL,
             proxy=None, ssl_context=None):
    """chat.postMessage with link_names and unfurling off and mrkdwn entity parsing only."""
    client = WebClient(token=token, base_url=base_url, timeout=timeout, ssl=ssl_context, proxy=proxy,
                       logger=_SDK_LOGGER, retry_handlers=retry_handlers(deadline, timeout))
    kwargs = dict(channel=channel, text=message["text"], blocks=message["blocks"], link_names=False,
                  unfurl_links=False, unfurl_media=False, parse="none")
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    try:
        response = client.chat_postMessage(**kwargs)
    except SlackApiError as err:
        status = err.response.status_code
        error = str(err.response.get("error") or f"http_{status}") if isinstance(err.response.data, dict) \
            else f"http_{status}"
        if status == 429 or status >= 500 or error in ("ratelimited", "rate_limited", "internal_error",
                                                       "fatal_error", "service_unavailable", "request_timeout"):
            raise TransientError(error, f"HTTP {status}") from None
        raise PermanentError(error, f"HTTP {status}") from None
    except SlackRequestError as err:
        raise PermanentError("request_error", type(err).__name__) from None
    except (URLError, OSError) as err:
        raise _network_error(err) from None
    return Delivered("bot", ts=response.get("ts"))
