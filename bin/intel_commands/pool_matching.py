"""Match one record's domain / IP / port / URL values against the indicator index (the miningpool command)."""
from intel_commands.endpoints import STRATUM_SCHEMES, parse_endpoint, parse_ip, parse_port
from intel_commands.values import single_text

OUTPUTS = ("indicator", "match", "pool", "coin", "category", "confidence", "source")
LOWER = {"high": "medium", "medium": "low", "low": "low"}


def _result(entry, kind, confidence=None, indicator=None):
    return {
        "indicator": indicator or (f"{entry.indicator}:{entry.port}" if entry.kind == "ip_port" else entry.indicator),
        "match": kind, "pool": entry.pool_name, "coin": entry.coin, "category": entry.category,
        "confidence": confidence or entry.confidence, "source": entry.source,
    }


class MiningPoolMatcher:
    """Stateless apart from the index; `match` never raises for any input values."""

    def __init__(self, index, portonly=False):
        self.index = index
        self.portonly = portonly

    def _match_ip(self, ip, port):
        index = self.index
        if port is not None:
            entry = index.ip_port.get((ip, port))
            if entry is not None:
                return _result(entry, "ip_port")
        entry = index.ip.get(ip)
        if entry is not None:
            return _result(entry, "ip")
        if port is None:  # an IP listed with a port, seen without one: weaker evidence
            entry = index.ip_any_port.get(ip)
            if entry is not None:
                return _result(entry, "ip", LOWER[entry.confidence], indicator=entry.indicator)
        return None

    def _match_endpoint(self, endpoint, port):
        port = endpoint.port if endpoint.port is not None else port
        if endpoint.ip is not None:
            return self._match_ip(endpoint.ip, port)
        found = self.index.match_domain(endpoint.host)
        return _result(found[0], found[1]) if found else None

    def match(self, domain=None, ip=None, port=None, url=None):
        """Output values (without prefix) for one record, or None when nothing matches."""
        port_number = parse_port(single_text(port))
        url_endpoint = parse_endpoint(single_text(url))
        if url_endpoint is not None:
            result = self._match_endpoint(url_endpoint, port_number)
            if url_endpoint.scheme in STRATUM_SCHEMES:
                if result is not None:
                    result["match"] = "stratum_url"
                    return result
                host = url_endpoint.host or str(url_endpoint.ip)
                return {"indicator": host if url_endpoint.port is None else f"{host}:{url_endpoint.port}",
                        "match": "stratum_url", "pool": "", "coin": "", "category": "mining_pool",
                        "confidence": "medium", "source": "stratum URL scheme"}
            if result is not None:
                return result
            if port_number is None:
                port_number = url_endpoint.port
        ip_value = parse_ip(single_text(ip))
        if ip_value is not None:
            result = self._match_ip(ip_value, port_number)
            if result is not None:
                return result
        domain_endpoint = parse_endpoint(single_text(domain))
        if domain_endpoint is not None:
            if domain_endpoint.scheme in STRATUM_SCHEMES:
                return self.match(url=domain, port=port)
            result = self._match_endpoint(domain_endpoint, port_number)
            if result is not None:
                return result
            if port_number is None:
                port_number = domain_endpoint.port
        if self.portonly and port_number is not None:
            entry = self.index.ports.get(port_number)
            if entry is not None:
                return _result(entry, "port", "low")
        return None
