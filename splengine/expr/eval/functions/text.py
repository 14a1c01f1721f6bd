"""Text functions: len, lower, upper, substr, replace, split, trim, ltrim, rtrim, urldecode, spath.

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/text-functions
Applied to a multivalue field, the per-value functions return one result per value (SEMANTICS.md).
"""
from __future__ import annotations

import json
import re
from urllib.parse import unquote

from splengine.errors import SplError
from splengine.regex import compile_pcre
from splengine.values import make_mv, mv_values, to_number, to_str

from ..registry import register, scalar
from .comparison import const_regex


def _per_value(fn):
    """Apply ``fn(str, *rest)`` to a scalar or to each value of a multivalue; null gives null."""
    def wrapper(value, *rest):
        if value is None:
            return None
        if type(value) is list:
            return make_mv([fn(to_str(v), *rest) for v in value])
        return fn(to_str(value), *rest)
    return wrapper


scalar("len", min_args=1, max_args=1)(_per_value(len))
scalar("lower", min_args=1, max_args=1)(_per_value(str.lower))
scalar("upper", min_args=1, max_args=1)(_per_value(str.upper))


def _trimmer(method):
    def fn(s, chars=None):
        if chars is None:
            return getattr(s, method)(" \t")
        return getattr(s, method)(to_str(chars))
    return _per_value(fn)


scalar("trim", min_args=1, max_args=2)(_trimmer("strip"))
scalar("ltrim", min_args=1, max_args=2)(_trimmer("lstrip"))
scalar("rtrim", min_args=1, max_args=2)(_trimmer("rstrip"))
scalar("urldecode", min_args=1, max_args=1)(_per_value(unquote))


@scalar("substr", min_args=2, max_args=3)
def _substr(value, start, length=None):
    """1-based start; a negative start counts from the end (substr("splunk", -3) is "unk")."""
    st = to_number(start)
    ln = to_number(length) if length is not None else None
    if value is None or st is None or (length is not None and ln is None):
        return None

    def cut(s):
        i = int(st)
        i = i - 1 if i > 0 else (len(s) + i if i < 0 else 0)
        i = max(i, 0)
        return s[i:] if ln is None else s[i:i + max(int(ln), 0)]
    return _per_value(cut)(value)


_BACKREF = re.compile(r"\\(\d)")


@register("replace", min_args=3, max_args=3)
def _replace(args, nodes, call):
    s, r, rep = args
    rx = const_regex(nodes[1])

    def f(row, ctx):
        v, repl = s(row, ctx), rep(row, ctx)
        if v is None or repl is None:
            return None
        pat = rx or compile_pcre(to_str(r(row, ctx)))
        template = to_str(repl)

        def sub(text):
            try:
                return pat.sub(lambda m: _BACKREF.sub(lambda g: m.group(int(g.group(1))) or "", template), text)
            except IndexError:
                raise SplError(f"replace(): back-reference in {template!r} has no matching group", call.pos) from None
        return _per_value(sub)(v)
    return f


@scalar("split", min_args=2, max_args=2)
def _split(value, delim):
    if value is None or delim is None:
        return None
    d = to_str(delim)
    out = []
    for v in mv_values(value):
        s = to_str(v)
        out.extend(list(s) if d == "" else s.split(d))
    return make_mv(out)


_PATH_STEP = re.compile(r"([^.{}]+)|\{(\d*)\}")


def spath_extract(text: str, path: str):
    """Values at ``path`` (``a.b{}.c``, ``a{0}.b``) in a JSON document; objects come back as JSON text."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError):
        return None
    current = [doc]
    for m in _PATH_STEP.finditer(path):
        key, index = m.group(1), m.group(2)
        nxt = []
        for node in current:
            if key is not None:
                if isinstance(node, dict) and key in node:
                    nxt.append(node[key])
            elif isinstance(node, list):
                if index == "":
                    nxt.extend(node)
                elif int(index) < len(node):
                    nxt.append(node[int(index)])
        current = nxt
    out = []
    for v in current:
        if v is None:
            continue
        if isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, (dict, list)):
            out.append(json.dumps(v, separators=(",", ":")))
        else:
            out.append(to_str(v))
    return make_mv(out)


@scalar("spath", min_args=2, max_args=2)
def _spath(value, path):
    if value is None or path is None or type(value) is list:
        return None
    return spath_extract(to_str(value), to_str(path))
