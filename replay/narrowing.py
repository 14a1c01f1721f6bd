"""The SQL condition that narrows a store's events by the literal tests of a search's base search.

Splunk reads the terms of a base search from its index before extracting any field; the event store does
the same on a few key fields kept as columns at ingest (`KEY_FIELDS`: the sourcetype, index and the
CloudTrail call that every detection's base search names). The condition is necessary, never sufficient:
it drops only events the engine's own `field=value` semantics (`splengine.expr.search.compiler`:
case-insensitive, `*` wildcards, a multivalue field when any value matches) would reject, and keeps every
event it cannot judge:
- a key column holds the field's value lower-cased when it is one ASCII string, NULL when the field is
  absent, and 1 (undecidable: kept) for anything else (a multivalue field, non-ASCII text, a number);
- only `field=value` and `field IN (...)` on key fields under AND/OR narrow; NOT, bare terms, `!=`,
  comparisons, CIDR values, non-ASCII values and subsearches count as "may match".
"""
from splengine.expr.search.ast import And, Compare, In, Or
from splengine.footprint import required_values

KEY_FIELDS = ("index", "sourcetype", "eventSource", "eventName")
_COLUMN = {name: f"k{i}" for i, name in enumerate(KEY_FIELDS)}
UNDECIDED = 1


def key_value(value):
    """A key column's value for a field value of an extracted row."""
    if value is None:
        return None
    if type(value) is str and value.isascii():
        return value.lower()
    return UNDECIDED


def where_clause(tree):
    """(SQL condition, parameters) for the events `tree` may match, or ("", []) when it cannot narrow."""
    params = []
    condition = _condition(tree, params)
    return (f"({condition})", params) if condition else ("", [])


def key_set(tree, field):
    """Lower-cased values one of which `field` must have for `tree` to match (UNDECIDED added), or None: lets
    the store look the events up by value (an index on the key column) instead of scanning a long window."""
    values = required_values(tree, field, _lowered)
    return None if values is None else sorted(values, key=str) + [UNDECIDED]


def _lowered(patterns):
    """A term's values as the key columns hold them; CIDR, wildcard and non-ASCII terms do not narrow."""
    if any("*" in p or "/" in p or not p.isascii() for p in patterns):
        return None
    return {p.lower() for p in patterns}


def column(field):
    return _COLUMN[field]


def _condition(node, params):
    if isinstance(node, And):
        parts = [part for part in (_condition(child, params) for child in node.children) if part]
        return " AND ".join(f"({part})" for part in parts)
    if isinstance(node, Or):
        mark = len(params)
        parts = [_condition(child, params) for child in node.children]
        if not all(parts):   # a branch that may match anything: the OR may too
            del params[mark:]
            return ""
        return " OR ".join(f"({part})" for part in parts)
    if isinstance(node, Compare) and node.op == "=" and node.field in _COLUMN:
        return _value_test(_COLUMN[node.field], node.value, params)
    if isinstance(node, In) and node.field in _COLUMN:
        mark = len(params)
        parts = [_value_test(_COLUMN[node.field], value, params) for value in node.values]
        if not parts or not all(parts):
            del params[mark:]
            return ""
        return " OR ".join(f"({part})" for part in parts)
    return ""


def _value_test(column, pattern, params):
    """SQL for `field=pattern` on a key column, or "" when the pattern cannot be judged here."""
    if not pattern.isascii() or ("/" in pattern and "*" not in pattern):   # CIDR values match addresses
        return ""
    if pattern == "*":
        return f"{column} IS NOT NULL"
    lowered = pattern.lower()
    if "*" not in pattern:
        params.append(lowered)
        return f"({column} = ? OR {column} = {UNDECIDED})"
    params.append("".join("[" + c + "]" if c in "?[]" else c for c in lowered))
    return f"({column} GLOB ? OR {column} = {UNDECIDED})"
