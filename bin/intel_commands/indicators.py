"""The mining-indicator table as hash indexes: every lookup costs O(labels of the value), not O(table size)."""
import csv
from collections import namedtuple

from intel_commands.endpoints import normalize_domain, parse_ip, parse_port

COLUMNS = ("indicator", "indicator_type", "port", "match", "category", "coin", "pool_name", "confidence",
           "source", "license", "notes")
REQUIRED = ("indicator", "indicator_type")
TYPES = ("domain", "ip", "ip_port", "port")
CATEGORIES = ("mining_pool", "browser_miner", "miner_malware_infra", "pool_website")
CONFIDENCES = ("high", "medium", "low")

Indicator = namedtuple("Indicator", "indicator kind port match category coin pool_name confidence source")


class IndicatorFileError(ValueError):
    """The indicator file cannot be used at all (missing columns, unreadable)."""


class IndicatorIndex:
    """Exact-domain, suffix-domain, IP, IP:port and port hash maps. Later loads override earlier keys."""

    def __init__(self):
        self.exact = {}
        self.suffix = {}
        self.ip = {}
        self.ip_port = {}
        self.ip_any_port = {}
        self.ports = {}

    def __len__(self):
        return len(self.exact) + len(self.suffix) + len(self.ip) + len(self.ip_port) + len(self.ports)

    def load(self, path, required=True):
        """Add the rows of a CSV file; return a list of problems (file:line: column: reason) for bad rows.

        A missing optional file (the admins' local table) is not a problem; a missing required one is.
        """
        try:
            handle = open(path, newline="", encoding="utf-8-sig")
        except FileNotFoundError:
            if required:
                raise IndicatorFileError(f"indicator file not found: {path}") from None
            return []
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
            if missing:
                raise IndicatorFileError(f"{path}: missing column(s) {', '.join(missing)}")
            problems = []
            for line, row in enumerate(reader, start=2):
                problem = self.add(row)
                if problem:
                    problems.append(f"{path}:{line}: {problem}")
            return problems

    def add(self, row):
        """Index one table row; return the reason it was rejected, or None."""
        def text(column, default=""):
            value = row.get(column)
            return value.strip() if isinstance(value, str) else default

        kind = text("indicator_type").lower()
        if kind not in TYPES:
            return f"indicator_type: expected one of {', '.join(TYPES)}, got {text('indicator_type')!r}"
        category = text("category").lower() or "mining_pool"
        if category not in CATEGORIES:
            return f"category: expected one of {', '.join(CATEGORIES)}, got {text('category')!r}"
        confidence = text("confidence").lower() or ("low" if kind == "port" else "medium")
        if confidence not in CONFIDENCES:
            return f"confidence: expected one of {', '.join(CONFIDENCES)}, got {text('confidence')!r}"
        match = text("match").lower() or "exact"
        if match not in ("exact", "suffix"):
            return f"match: expected exact or suffix, got {text('match')!r}"
        raw = text("indicator")
        port = parse_port(text("port")) if text("port") else None
        if text("port") and port is None:
            return f"port: not a port number: {text('port')!r}"
        if kind == "domain":
            key = normalize_domain(raw)
            if key is None:
                return f"indicator: not a domain name: {raw!r}"
        elif kind == "port":
            key = port or parse_port(raw)
            if key is None:
                return f"port: not a port number: {raw!r}"
        else:
            key = parse_ip(raw)
            if key is None:
                return f"indicator: not an IP address: {raw!r}"
            if kind == "ip_port" and port is None:
                return "port: required for indicator_type ip_port"
        entry = Indicator(raw if kind != "domain" else key, kind, port, match, category, text("coin"),
                          text("pool_name"), confidence, text("source") or "local")
        if kind == "domain":
            (self.suffix if match == "suffix" else self.exact)[key] = entry
        elif kind == "ip":
            self.ip[key] = entry
        elif kind == "ip_port":
            self.ip_port[(key, port)] = entry
            self.ip_any_port.setdefault(key, entry)
        else:
            self.ports[key] = entry
        return None

    def match_domain(self, host):
        """(Indicator, 'domain_exact' | 'domain_suffix') for a normalised host, by whole labels; else None."""
        entry = self.exact.get(host)
        if entry is not None:
            return entry, "domain_exact"
        labels = host.split(".")
        for i in range(len(labels) - 1):
            entry = self.suffix.get(host if i == 0 else ".".join(labels[i:]))
            if entry is not None:
                return entry, "domain_exact" if i == 0 else "domain_suffix"
        return None
