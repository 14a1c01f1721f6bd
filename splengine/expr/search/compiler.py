"""Compile a search-language tree to ``pred(row) -> bool`` closures, and the raw-text prefilter.

A bare or quoted term matches ``_raw`` case-insensitively as whole segments, ``*`` a wildcard;
``field=value`` matches field values case-insensitively with wildcards, a multivalue field when any value
matches; ``field!=value`` needs the field to exist; ``< > <= >=`` compare numerically when both sides are
numbers, else lexicographically; ``field IN (v1, v2)`` is an OR of ``field=v``.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from splengine.errors import SplUnsupportedError
from splengine.values import compare, mv_values, to_number, to_str

from .ast import And, Compare, In, MatchAll, Node, Not, Or, Subsearch, Term

# Splunk's major and minor segmenters: a bare term matches whole segments of _raw
_BREAKERS = r"""\s\[\]<>(){}|!;,'"*&?+/:=@.$#%\\_-"""


@lru_cache(maxsize=4096)
def value_matcher(pattern: str):
    """Case-insensitive wildcard match of one field value (returns a predicate on a scalar). A value in CIDR
    notation (``10.0.0.0/8``, ``2001:db8::/32``) matches the IP addresses of that subnet: "The search command
    supports IPv4 and IPv6 addresses and subnets that use CIDR notation" (Search Reference, search)."""
    network = _cidr(pattern)
    if network is not None:
        return lambda v: _in_network(v, network)
    if "*" not in pattern:
        target = pattern.lower()
        return lambda v: (v if type(v) is str else to_str(v)).lower() == target
    if pattern == "*":
        return lambda v: True
    rx = re.compile(".*".join(re.escape(p) for p in pattern.split("*")) + r"\Z", re.I | re.S)
    return lambda v: rx.match(v if type(v) is str else to_str(v)) is not None


@lru_cache(maxsize=1024)
def case_value_matcher(pattern: str):
    """field=CASE(value): the value matched case-sensitively ("search for terms and field values that are
    case-sensitive"), ``*`` a wildcard."""
    rx = re.compile(".*".join(re.escape(p) for p in pattern.split("*")) + r"\Z", re.S)
    return lambda v: rx.match(v if type(v) is str else to_str(v)) is not None


def _cidr(pattern: str):
    if "/" not in pattern or "*" in pattern:
        return None
    try:
        return ipaddress.ip_network(pattern.strip(), strict=False)
    except ValueError:
        return None


def _in_network(value, network) -> bool:
    try:
        return ipaddress.ip_address((value if type(value) is str else to_str(value)).strip()) in network
    except ValueError:
        return False   # not an IP address: no match


# the major ones only: TERM() "does not work for terms that are not bounded by major breakers" (search page)
_MAJOR_BREAKERS = r"""\s\[\]<>(){}|!;,'"*&?+"""


@lru_cache(maxsize=4096)
def term_regex(text: str, directive: str = "") -> re.Pattern:
    """Regex finding a term as whole segments of _raw (bounded by breakers), ``*`` a wildcard. CASE(): the same,
    case-sensitive; TERM(): the text as one term, bounded by major breakers (periods, slashes, ... are inside)."""
    body = ".*?".join(re.escape(p) for p in text.split("*"))
    breakers = _MAJOR_BREAKERS if directive == "TERM" else _BREAKERS
    flags = re.S if directive == "CASE" else re.I | re.S
    return re.compile(rf"(?<![^{breakers}]){body}(?![^{breakers}])", flags)


def _compare_op(op: str, literal: str):
    lit_num = to_number(literal)

    def test(v) -> bool:
        if lit_num is not None:
            n = to_number(v)
            if n is None:
                return False  # a numeric bound never matches a non-numeric value (SEMANTICS.md)
            c = (n > lit_num) - (n < lit_num)
        else:
            c = compare(v, literal)
        if c is None:
            return False
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]

    return test


def compile_node(node: Node, resolve_subsearch):
    """Compile to ``pred(row) -> bool``. ``resolve_subsearch(node) -> Node`` runs subsearches."""
    if isinstance(node, MatchAll):
        return lambda row: True
    if isinstance(node, And):
        preds = [compile_node(c, resolve_subsearch) for c in node.children]
        return lambda row: all(p(row) for p in preds)
    if isinstance(node, Or):
        preds = [compile_node(c, resolve_subsearch) for c in node.children]
        return lambda row: any(p(row) for p in preds)
    if isinstance(node, Not):
        inner = compile_node(node.child, resolve_subsearch)
        return lambda row: not inner(row)
    if isinstance(node, Subsearch):
        return compile_node(resolve_subsearch(node), resolve_subsearch)
    if isinstance(node, Term):
        return _term_pred(node.text, node.directive)
    if isinstance(node, In):
        preds = [value_matcher(v) for v in node.values]
        name = node.field

        def in_pred(row):
            for v in mv_values(row.get(name)):
                for p in preds:
                    if p(v):
                        return True
            return False

        return in_pred
    if isinstance(node, Compare):
        return _compare_pred(node)
    raise SplUnsupportedError(f"search: cannot evaluate {type(node).__name__}", node.pos)


def _term_pred(text: str, directive: str = ""):
    rx = term_regex(text, directive)
    search = rx.search

    def term(row):
        raw = row.get("_raw")
        if raw is not None:
            return search(raw if type(raw) is str else to_str(raw)) is not None
        # rows without _raw (e.g. after stats): the term may match any field value
        for value in row.values():
            for v in mv_values(value):
                if search(v if type(v) is str else to_str(v)) is not None:
                    return True
        return False

    return term


def _compare_pred(node: Compare):
    name, op = node.field, node.op
    if op in ("=", "!="):
        match = case_value_matcher(node.value) if node.case_sensitive else value_matcher(node.value)
        if op == "=":
            def eq(row):
                v = row.get(name)
                if v is None:
                    return False
                if type(v) is list:
                    return any(match(x) for x in v)
                return match(v)
            return eq

        def ne(row):
            v = row.get(name)
            if v is None or v == []:
                return False
            if type(v) is list:
                return not any(match(x) for x in v)
            return not match(v)
        return ne
    test = _compare_op(op, node.value)

    def rel(row):
        return any(test(v) for v in mv_values(row.get(name)))

    return rel


# ---------------------------------------------------------------- raw prefilter
_SAFE_LITERAL = re.compile(r"[A-Za-z0-9 _:@.\-]+")


def required_raw_literals(node: Node) -> list[tuple[str, str]]:
    """(field, lower-case literal) pairs every matching JSON event's _raw must contain (a pre-parse filter).

    Only ``field=value`` tests ANDed at the top level whose value pieces cannot be changed by JSON
    escaping qualify; the check is skipped when the event already carries the field (extracted by the
    ingester rather than from _raw).
    """
    items = node.children if isinstance(node, And) else [node]
    out = []
    for item in items:
        if isinstance(item, Compare) and item.op == "=":
            pieces = [p for p in item.value.split("*") if p]
            if not pieces:
                continue
            piece = max(pieces, key=len)
            if _SAFE_LITERAL.fullmatch(piece) and not (to_number(piece) is not None and not piece.isdigit()):
                out.append((item.field, piece.lower()))
    return out
