"""Multivalue functions: mvappend, mvcount, mvdedup, mvfilter, mvfind, mvindex, mvjoin, mvmap, mvrange, mvreverse,
mvsort, mvzip, commands.

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/multivalue-eval-functions
"""
from __future__ import annotations

import re

from splengine.errors import SplError
from splengine.parser import parse
from splengine.regex import compile_pcre
from splengine.values import make_mv, mv_values, to_number, to_str

from ..ast import Field, fields_of
from ..registry import register, scalar
from .comparison import const_regex


@scalar("mvappend", min_args=1, max_args=None)
def _mvappend(*values):
    return make_mv([v for value in values for v in mv_values(value)])


@scalar("mvcount", min_args=1, max_args=1)
def _mvcount(value):
    """Number of values; null for a null field (as documented)."""
    if value is None or value == []:
        return None
    return len(value) if type(value) is list else 1


@scalar("mvdedup", min_args=1, max_args=1)
def _mvdedup(value):
    return make_mv(list(dict.fromkeys(mv_values(value))))


@scalar("mvsort", min_args=1, max_args=1)
def _mvsort(value):
    """Lexicographic order (numbers sort as strings, as documented)."""
    return make_mv(sorted(mv_values(value), key=to_str))


@scalar("mvjoin", min_args=2, max_args=2)
def _mvjoin(value, delim):
    if value is None or delim is None:
        return None
    return to_str(delim).join(to_str(v) for v in mv_values(value))


@scalar("mvindex", min_args=2, max_args=3)
def _mvindex(value, start, end=None):
    """0-based; negative indexes count from the end; ``end`` is inclusive."""
    vals = mv_values(value)
    s = to_number(start)
    if not vals or s is None:
        return None
    n = len(vals)
    s = int(s) + (n if s < 0 else 0)
    if end is None:
        return vals[s] if 0 <= s < n else None
    e = to_number(end)
    if e is None:
        return None
    e = int(e) + (n if e < 0 else 0)
    if s < 0 or s >= n or e < s:
        return None
    return make_mv(vals[s:e + 1])


@register("mvfind", min_args=2, max_args=2)
def _mvfind(args, nodes, call):
    v_fn, r_fn = args
    rx = const_regex(nodes[1])

    def f(row, ctx):
        vals = mv_values(v_fn(row, ctx))
        if not vals:
            return None
        pat = rx or compile_pcre(to_str(r_fn(row, ctx)))
        for i, v in enumerate(vals):
            if pat.search(to_str(v)):
                return i
        return None
    return f


@scalar("mvzip", min_args=2, max_args=3)
def _mvzip(x, y, delim=","):
    a, b = mv_values(x), mv_values(y)
    if not a or not b:
        return None
    d = to_str(delim)
    return make_mv([to_str(p) + d + to_str(q) for p, q in zip(a, b)])


class _OneValue:
    """Row view used by mvfilter: the filtered field shows one value, other fields read through."""
    __slots__ = ("row", "name", "value")

    def __init__(self, row, name):
        self.row = row
        self.name = name
        self.value = None

    def get(self, key, default=None):
        if key == self.name:
            return self.value
        return self.row.get(key, default)


@register("mvfilter", min_args=1, max_args=1)
def _mvfilter(args, nodes, call):
    """Keep the values of the single field referenced by the predicate for which it is true."""
    names = fields_of(nodes[0])
    if len(names) != 1:
        raise SplError("mvfilter() expression must reference exactly one field, "
                       f"found {len(names)}: {sorted(names)}", call.pos)
    (name,) = names
    (pred,) = args

    def f(row, ctx):
        view = _OneValue(row, name)
        keep = []
        for v in mv_values(row.get(name)):
            view.value = v
            r = pred(view, ctx)
            if r is True:
                keep.append(v)
            elif r is not None and r is not False:
                raise SplError("mvfilter() expression must return a boolean", call.pos)
        return make_mv(keep)
    return f


@register("mvmap", min_args=2, max_args=2)
def _mvmap(args, nodes, call):
    """mvmap(<mv>, <expression>): the expression evaluated once per value of the field, the field's name standing
    for the current value; the results as a multivalue (null results dropped). The first argument must be a
    field (the page's examples: mvmap(X, X*10), mvmap(results, if(match(results, ...), ...)))."""
    if not isinstance(nodes[0], Field):
        raise SplError("mvmap() needs a field name as its first argument", call.pos)
    name = nodes[0].name
    expr = args[1]

    def f(row, ctx):
        values = mv_values(row.get(name))
        if not values:
            return None
        view = _OneValue(row, name)
        out = []
        for v in values:
            view.value = v
            r = expr(view, ctx)
            if type(r) is bool:
                raise SplError("mvmap() expression must return a value, not a boolean", call.pos)
            out.extend(mv_values(r))
        return make_mv(out)
    return f


_STEP = re.compile(r"(\d+)\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|"
                   r"d|day|days|w|week|weeks)\Z", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MVRANGE_LIMIT = 10000


@scalar("mvrange", min_args=2, max_args=3)
def _mvrange(start, end, step=1):
    """mvrange(<start>, <end>, <step>): start, start+step, ... up to but not including end; the step may be a
    time span such as "7d" for epoch start and end. Null for a non-numeric bound or a zero/negative step."""
    a, b = to_number(start), to_number(end)
    if a is None or b is None or step is None:
        return None
    inc = to_number(step)
    if inc is None:
        m = _STEP.match(to_str(step).strip())
        if not m:
            raise SplError(f"mvrange(): invalid step {step!r}")
        unit = m.group(2).lower()
        inc = int(m.group(1)) * _UNIT_SECONDS["m" if unit.startswith("mi") else unit[0]]
    if inc <= 0:
        return None
    out = []
    v = a
    while v < b:
        if len(out) >= MVRANGE_LIMIT:
            raise SplError(f"mvrange() would create more than {MVRANGE_LIMIT} values")
        out.append(v)
        v = v + inc
    return make_mv(out)


@scalar("mvreverse", min_args=1, max_args=1)
def _mvreverse(value):
    """The values in reverse order (a single value stays as it is)."""
    if type(value) is not list:
        return value
    return make_mv(list(reversed(value)))


@scalar("commands", min_args=1, max_args=1)
def _commands(text):
    """The commands of a search string in pipeline order (the top level; a subsearch's are not listed); null when
    the text is not a search."""
    if not isinstance(text, str):
        return None
    try:
        return make_mv([c.name for c in parse(text).commands])
    except SplError:
        return None
