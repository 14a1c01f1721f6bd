"""Comparison and conditional functions: if, case, coalesce, null, true, false, validate, in, like,
match, searchmatch, cidrmatch, nullif, lookup.
"""
from __future__ import annotations

import ipaddress
import json
from functools import lru_cache

from splengine.errors import SplError, SplUnsupportedError
from splengine.regex import compile_pcre
from splengine.values import mv_values, to_str

from ..ast import Literal
from ..operators import compare_values, equals_any, like_regex
from ..registry import register, scalar
from .json_fns import JsonText


def _cond(v, name: str) -> bool:
    if v is None:
        return False
    if type(v) is bool:
        return v
    raise SplError(f"{name}() requires a boolean condition, got {v!r}")


@register("if", min_args=3, max_args=3)
def _if(args, nodes, call):
    c, a, b = args
    return lambda row, ctx: a(row, ctx) if _cond(c(row, ctx), "if") else b(row, ctx)


@register("case", min_args=2, max_args=None)
def _case(args, nodes, call):
    if len(args) % 2:
        raise SplError("eval function case() takes condition/value pairs (an even number of arguments)", call.pos)
    pairs = list(zip(args[0::2], args[1::2]))

    def f(row, ctx):
        for cond, value in pairs:
            if _cond(cond(row, ctx), "case"):
                return value(row, ctx)
        return None
    return f


@register("coalesce", min_args=1, max_args=None)
def _coalesce(args, nodes, call):
    def f(row, ctx):
        for a in args:
            v = a(row, ctx)
            if v is not None and v != []:
                return v
        return None
    return f


@register("validate", min_args=2, max_args=None)
def _validate(args, nodes, call):
    if len(args) % 2:
        raise SplError("eval function validate() takes condition/string pairs", call.pos)
    pairs = list(zip(args[0::2], args[1::2]))

    def f(row, ctx):
        for cond, msg in pairs:
            if not _cond(cond(row, ctx), "validate"):
                return msg(row, ctx)
        return None
    return f


@scalar("null", min_args=0, max_args=0)
def _null():
    return None


@scalar("true", min_args=0, max_args=0)
def _true():
    return True


@scalar("false", min_args=0, max_args=0)
def _false():
    return False


@register("in", min_args=2, max_args=None)
def _in(args, nodes, call):
    return equals_any(args[0], args[1:], if_null=False)


@scalar("like", min_args=2, max_args=2)
def _like(value, pattern):
    if value is None or pattern is None:
        return None
    return any(like_regex(to_str(pattern)).match(to_str(v)) for v in mv_values(value))


def const_regex(node):
    """Pre-compile a literal regex argument once per search (None if the argument is not a literal)."""
    if isinstance(node, Literal) and isinstance(node.value, str):
        return compile_pcre(node.value, node.pos)
    return None


@register("match", min_args=2, max_args=2)
def _match(args, nodes, call):
    s, r = args
    rx = const_regex(nodes[1])

    def f(row, ctx):
        v = s(row, ctx)
        if v is None:
            return None
        pat = rx or compile_pcre(to_str(r(row, ctx)))
        return any(pat.search(to_str(x)) is not None for x in mv_values(v))
    return f


@register("searchmatch", min_args=1, max_args=1)
def _searchmatch(args, nodes, call):
    (q,) = args
    return lambda row, ctx: bool(ctx.match_search(to_str(q(row, ctx)), row))


@lru_cache(maxsize=1024)
def _network(cidr: str):
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None


@scalar("cidrmatch", min_args=2, max_args=2)
def _cidrmatch(cidr, ip):
    """True when ``ip`` (any value of a multivalue field) lies in ``cidr``; invalid addresses are false."""
    if cidr is None or ip is None:
        return None
    net = _network(to_str(cidr))
    if net is None:
        return False
    for v in mv_values(ip):
        try:
            if ipaddress.ip_address(to_str(v).strip()) in net:
                return True
        except ValueError:
            continue
    return False


@scalar("nullif", min_args=2, max_args=2)
def _nullif(value1, value2):
    """nullif(<value1>, <value2>): null when value1 = value2 (eval's = comparison), else value1."""
    return None if compare_values("=", value1, value2) is True else value1


@scalar("lookup", min_args=3, max_args=3, ctx=True)
def _lookup(ctx, table, inputs, outputs):
    """lookup("<lookup_table>", json_object("<input_field>", <match_field>, ...), json_array("<output_field>", ...)):
    "performs a CSV lookup. It returns the output field or fields in the form of a JSON object" (comparison and
    conditional functions page, 10.0). A table name ending in .csv is a file, any other a transforms.conf
    definition (whose match settings apply). An output field holds the value of the one matching row, or a JSON
    array of the values of several (the page's example 1); output fields no matching row has are left out, and
    no match at all (or no output) gives null."""
    name, query, wanted = to_str(table), _json_value(inputs), _json_value(outputs)
    if name is None or not isinstance(query, dict) or not query or not isinstance(wanted, list):
        return None
    store = ctx.app.lookups
    definition = store.definition(name)
    if definition.kvstore:
        raise SplUnsupportedError(f"lookup(): '{name}' is a KV store lookup; the lookup() function performs CSV "
                                  "lookups only")
    if any(v is None or isinstance(v, (dict, list)) for v in query.values()):
        return None
    matcher = store.matcher(definition, list(query))
    rows = matcher.match([_cell(v) for v in query.values()])
    out = {}
    for field in map(_cell, wanted):
        values = [row[field] for row in rows if field in row]
        if values:
            out[field] = values[0] if len(values) == 1 else values
    return JsonText(json.dumps(out, separators=(",", ":"), ensure_ascii=False)) if out else None


def _json_value(v):
    if not isinstance(v, str):
        return None
    try:
        return json.loads(v)
    except ValueError:
        return None


def _cell(v) -> str:
    """A JSON value as the lookup table's text (200 -> "200", true -> "true")."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else to_str(v)
