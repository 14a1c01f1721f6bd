"""Classify an IP value and look it up in GeoIP2 City / ASN databases (the ipcontext command)."""
import ipaddress
import re

from intel_commands.endpoints import parse_ip
from intel_commands.values import single_text

BASE_FIELDS = ("City", "Country", "Region", "lat", "lon")
ALL_FIELDS = BASE_FIELDS + ("Continent", "MetroCode", "Timezone")
ASN_FIELDS = ("asn", "as_org")
CACHE_SIZE = 100000
MAX_IP_CHARS = 128  # longer values are no IP or service name (IPv6 with zone fits easily)
# CloudTrail writes the calling service instead of an IP for calls AWS makes on the user's behalf.
_AWS_SERVICE = re.compile(r"^(?:[a-z0-9-]+\.)+amazonaws\.com(?:\.cn)?$|^aws internal$", re.IGNORECASE)
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class DatabaseError(RuntimeError):
    """A configured database is missing or unreadable; the message names the path and the setting."""


def ip_class(ip):
    """public | private | shared | loopback | link_local | multicast | unspecified | reserved."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if any(ip in net for net in _PRIVATE[ip.version]):
        return "private"
    if ip.version == 4 and ip in _SHARED:
        return "shared"
    return "public" if ip.is_global else "reserved"


_PRIVATE = {
    4: [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")],
    6: [ipaddress.ip_network("fc00::/7")],
}


def open_reader(path, what, origin):
    """geoip2 Reader (pure-Python maxminddb unless its C extension is importable)."""
    import geoip2.database
    import maxminddb

    try:
        return geoip2.database.Reader(path)
    except FileNotFoundError:
        raise DatabaseError(f"{what} database not found: {path} (from {origin})") from None
    except (maxminddb.InvalidDatabaseError, OSError, ValueError) as error:
        raise DatabaseError(f"{what} database unreadable: {path} (from {origin}): {error}") from None


class IpContext:
    """Per-search enrichment with a per-IP cache; lookup() never raises for any input value."""

    def __init__(self, city_reader, asn_reader=None, allfields=False, prefix=""):
        self.city_reader = city_reader
        self.asn_reader = asn_reader
        self.allfields = allfields
        self.prefix = prefix
        names = ("ip_class",) + (ALL_FIELDS if allfields else BASE_FIELDS) + (ASN_FIELDS if asn_reader else ())
        self.output_names = [prefix + name for name in names]
        kind = city_reader.metadata().database_type if city_reader is not None else ""
        self._geo = city_reader.city if "City" in kind else (city_reader.country if city_reader else None)
        self._cache = {}

    def lookup(self, value):
        """{prefixed field: text} for one record's IP value; {} when the value is no usable IP.

        Cached per raw text value (what nearly every record holds), so a repeated IP costs one dict lookup.
        """
        if type(value) is not str or len(value) > MAX_IP_CHARS:
            text = single_text(value, max_chars=MAX_IP_CHARS)
            return self._lookup_text(text) if text else {}
        found = self._cache.get(value)
        if found is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            text = single_text(value, max_chars=MAX_IP_CHARS)
            found = self._cache[value] = self._lookup_text(text) if text else {}
        return found

    def _lookup_text(self, text):
        prefix = self.prefix
        return {prefix + name: v if isinstance(v, str) else str(v) for name, v in self._classify(text).items()}

    def _classify(self, text):
        ip = parse_ip(text)
        if ip is None:
            return {"ip_class": "aws_service"} if _AWS_SERVICE.match(text) else {}
        if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
            ip = ipaddress.ip_address(str(ip).split("%", 1)[0])
        out = {"ip_class": ip_class(ip)}
        if out["ip_class"] == "public":
            out.update(self._geo_fields(ip))
            out.update(self._asn_fields(ip))
        return out

    def _geo_fields(self, ip):
        import geoip2.errors

        if self._geo is None:
            return {}
        try:
            found = self._geo(ip)
        except (geoip2.errors.AddressNotFoundError, ValueError):
            return {}
        out = {"Country": found.country.name}
        if self._geo.__name__ == "city":
            location = found.location
            out.update(City=found.city.name, Region=found.subdivisions.most_specific.name,
                       lat=location.latitude, lon=location.longitude)
            if self.allfields:
                out.update(MetroCode=location.metro_code, Timezone=location.time_zone)
        if self.allfields:
            out["Continent"] = found.continent.name
        return {k: v for k, v in out.items() if v not in (None, "")}

    def _asn_fields(self, ip):
        import geoip2.errors

        if self.asn_reader is None:
            return {}
        try:
            found = self.asn_reader.asn(ip)
        except (geoip2.errors.AddressNotFoundError, ValueError, TypeError):
            return {}
        out = {"asn": found.autonomous_system_number, "as_org": found.autonomous_system_organization}
        return {k: v for k, v in out.items() if v not in (None, "")}
