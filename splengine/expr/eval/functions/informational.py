"""Informational functions: isnull, isnotnull, isnum, isint, isdouble, isstr, isbool, ismv, isarray, isobject,
typeof.

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/informational-functions
A double-quoted literal is a string even when it looks like a number; field values that look like
numbers are numbers (Splunk types field values by content).
"""
from __future__ import annotations

import json

from splengine.values import to_number

from ..ast import Literal
from ..registry import register


def _kind(v, literal_string: bool) -> str:
    if v is None or v == []:
        return "Invalid"
    if type(v) is bool:
        return "Bool"
    if type(v) is list:
        return "Multivalue"
    if isinstance(v, (int, float)):
        return "Number"
    if literal_string:
        return "String"
    return "Number" if to_number(v) is not None else "String"


def _is_nan(v) -> bool:
    """NaN "behaves as both a string and a number" (the informational page's isnum and isstr sections)."""
    return (type(v) is float and v != v) or (type(v) is str and v.strip() == "NaN")


def _typed(name, test):
    @register(name, min_args=1, max_args=1)
    def build(args, nodes, call):
        (a,) = args
        lit = isinstance(nodes[0], Literal) and isinstance(nodes[0].value, str)
        return lambda row, ctx: test(a(row, ctx), lit)
    return build


_typed("isnull", lambda v, lit: v is None or v == [])
_typed("isnotnull", lambda v, lit: not (v is None or v == []))
_typed("isnum", lambda v, lit: _kind(v, lit) == "Number")
_typed("isstr", lambda v, lit: _kind(v, lit) == "String" or _is_nan(v))
_typed("isbool", lambda v, lit: type(v) is bool)
_typed("isint", lambda v, lit: _kind(v, lit) == "Number" and float(to_number(v)).is_integer())
_typed("typeof", _kind)
_typed("isdouble", lambda v, lit: _kind(v, lit) == "Number" and type(to_number(v)) is not int)
_typed("ismv", lambda v, lit: type(v) is list)


def _json_of(v):
    """The JSON value a string holds (None when it is not valid JSON): isarray/isobject test strings."""
    if type(v) is not str:
        return None
    try:
        return json.loads(v)
    except ValueError:
        return None


_typed("isarray", lambda v, lit: type(_json_of(v)) is list)
_typed("isobject", lambda v, lit: type(_json_of(v)) is dict)
