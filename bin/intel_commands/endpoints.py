"""Parse host names, `host:port` values and stratum URLs the way the indicator table is keyed."""
import ipaddress
import re
from collections import namedtuple

Endpoint = namedtuple("Endpoint", "host ip port scheme")
"""host: normalised domain or None; ip: ipaddress object or None; port: int or None; scheme: lower-case or None."""

STRATUM_SCHEMES = ("stratum+tcp", "stratum+ssl", "stratum+tls", "stratum2+tcp", "stratum+udp", "stratum")
_URL = re.compile(r"^([a-z][a-z0-9+.-]*)://([^/?#]*)", re.IGNORECASE)
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def normalize_domain(text):
    """Lower-case ASCII (IDNA/punycode) form without trailing dot, or None if it is not a host name."""
    if not text or _CONTROL.search(text):
        return None
    host = text.rstrip(".").lower()
    if not host or len(host) > 253:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            return None
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    return host


def parse_ip(text):
    """ipaddress object for an IPv4/IPv6 literal (brackets and zone id allowed), else None."""
    if not text or len(text) > 64:
        return None
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _port(text):
    if text.isascii() and text.isdigit() and len(text) <= 5:
        port = int(text)
        if 0 < port < 65536:
            return port
    return None


def parse_port(text):
    """Port number 1-65535 from a text value, else None."""
    return _port(text.strip()) if text else None


def parse_endpoint(text):
    """Endpoint for `host`, `host:port`, `[v6]:port`, `ip` or `scheme://host:port/...`; None if unusable."""
    if not text:
        return None
    scheme = None
    match = _URL.match(text)
    if match:
        scheme = match.group(1).lower()
        text = match.group(2).rsplit("@", 1)[-1]
    port = None
    ip = parse_ip(text)
    if ip is None:
        if text.startswith("["):
            host_part, _, rest = text[1:].partition("]")
            if rest.startswith(":"):
                port = _port(rest[1:])
                if port is None:
                    return None
            ip = parse_ip(host_part)
            if ip is None:
                return None
        elif text.count(":") == 1:
            host_part, port_text = text.split(":")
            port = _port(port_text)
            if port is None:
                return None
            ip = parse_ip(host_part)
            text = host_part
    if ip is not None:
        return Endpoint(None, ip, port, scheme)
    host = normalize_domain(text)
    if host is None:
        return None
    return Endpoint(host, None, port, scheme)
