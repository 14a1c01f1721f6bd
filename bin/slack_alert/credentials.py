"""Read named Slack credentials and admin settings from splunkd's credential store (storage/passwords).

Secrets never live in a .conf file: the setup page writes them to storage/passwords and the action
reads them at run time with the session key splunkd hands it in the payload. The secret value is
kept out of every exception message and log line.
"""
import ipaddress
import json
import ssl
from dataclasses import dataclass
from typing import Optional, Tuple
from urllib.parse import quote, urlsplit

from splunklib import binding, client

REALM = "aws_cryptomining_slack"
SETTINGS_REALM = "aws_cryptomining_slack_settings"
PROXY_NAME = "proxy"
MENTIONS_NAME = "allowed_mentions"
SPLUNKD_TIMEOUT_SECONDS = 10


class CredentialError(Exception):
    """A credential is missing, unreadable or malformed (not retryable: an admin must act)."""


class SplunkdUnavailable(Exception):
    """splunkd's REST API could not be reached (transient)."""


@dataclass(frozen=True)
class Destination:
    """Where and how to post: a webhook URL or a bot token (the secret), never logged."""

    credential: str
    kind: str  # "webhook" or "bot"
    secret: str


@dataclass(frozen=True)
class Settings:
    """Admin-level settings shared by all alerts."""

    proxy_url: Optional[str]
    allowed_mentions: Tuple[str, ...]


def is_loopback(host):
    """True for localhost and loopback IP literals."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(server_uri, session_key, app):
    """A splunklib Service bound to the app namespace, authenticated by the payload's session key.

    splunkd's management port on this host (the payload's server_uri, normally https://127.0.0.1:8089)
    usually presents its self-signed certificate, so verification is only relaxed for loopback.
    """
    parts = urlsplit(server_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CredentialError("payload server_uri is not an http(s) URL")
    verify = not is_loopback(parts.hostname)
    handler = binding.handler(timeout=SPLUNKD_TIMEOUT_SECONDS, verify=verify,
                              context=ssl.create_default_context() if verify else None)
    return client.Service(handler=handler, scheme=parts.scheme, host=parts.hostname,
                          port=parts.port or (443 if parts.scheme == "https" else 80),
                          token=session_key, owner="nobody", app=app, verify=verify)


def _read(service, realm, name, required):
    key = f"{realm}:{name}:"
    try:
        entity = service.storage_passwords[key]
    except KeyError:
        if required:
            raise CredentialError(f"credential {name!r} (realm {realm}) does not exist in storage/passwords; "
                                  "add it on the app's Slack setup page") from None
        return None
    except binding.HTTPError as err:
        if err.status in (401, 403):
            raise CredentialError(f"the alert owner may not read credential {name!r}: HTTP {err.status} "
                                  "(needs the list_storage_passwords capability)") from None
        raise SplunkdUnavailable(f"storage/passwords answered HTTP {err.status}") from None
    except (OSError, ValueError) as err:
        raise SplunkdUnavailable(f"storage/passwords unreachable: {type(err).__name__}") from None
    secret = entity.content.get("clear_password")
    if not secret:
        raise CredentialError(f"credential {name!r} (realm {realm}) has an empty value")
    return secret


def destination(service, name):
    """Resolve credential `name` to a Destination, checking the secret's shape without revealing it."""
    secret = _read(service, REALM, name, required=True).strip()
    if secret.startswith("xoxb-") or secret.startswith("xoxp-"):
        return Destination(name, "bot", secret)
    parts = urlsplit(secret)
    if parts.scheme == "https" and parts.hostname:
        return Destination(name, "webhook", secret)
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return Destination(name, "webhook", secret)  # loopback only: the request never leaves the host
    raise CredentialError(f"credential {name!r} is neither an https incoming-webhook URL nor a bot token (xoxb-...)")


def settings(service):
    """Read the optional proxy and the admin's list of mentionable user/group ids."""
    raw_proxy = _read(service, SETTINGS_REALM, PROXY_NAME, required=False)
    proxy_url = None
    if raw_proxy:
        try:
            proxy = json.loads(raw_proxy)
            proxy_url = proxy_url_from(proxy)
        except (ValueError, TypeError, AttributeError):
            raise CredentialError("the proxy setting is malformed; save it again on the setup page") from None
    raw_mentions = _read(service, SETTINGS_REALM, MENTIONS_NAME, required=False) or ""
    mentions = tuple(m.strip() for m in raw_mentions.split(",") if m.strip())
    return Settings(proxy_url=proxy_url, allowed_mentions=mentions)


def proxy_url_from(proxy):
    """Build the proxy URL (credentials embedded, as urllib's ProxyHandler expects) from the stored JSON."""
    url = str(proxy.get("url") or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise ValueError("proxy url")
    user = str(proxy.get("username") or "")
    if not user:
        return url
    password = str(proxy.get("password") or "")
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.netloc}"
    return f"{parts.scheme}://{netloc}{parts.path}"
