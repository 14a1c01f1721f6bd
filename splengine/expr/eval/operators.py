"""Eval's operators on values (null propagation, numeric-vs-string comparison, arithmetic, LIKE, IN), shared
by the compiler and the functions that behave like operators (in(), like())."""
from __future__ import annotations

import math
import operator
import re

from splengine.values import Measured, compare, to_measured, to_str

CMP = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt,
       "<=": operator.le, ">=": operator.ge}


def like_regex(pattern: str) -> re.Pattern:
    """SQL-style LIKE pattern (``%`` any run, ``_`` one character) as an anchored regex."""
    out = []
    for ch in pattern:
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def compare_values(op, a, b):
    """``a <op> b``: null with a null operand, true when any value of a multivalue operand matches."""
    if a is None or b is None:
        return None
    if type(a) is list:
        return any(compare_values(op, x, b) for x in a)
    if type(b) is list:
        return any(compare_values(op, a, y) for y in b)
    if type(a) is bool or type(b) is bool:
        if op not in ("=", "!="):
            return None
        return CMP[op](a, b) if type(a) is type(b) else op == "!="
    c = compare(a, b)
    return CMP[op](c, 0)


def as_number(v):
    """A number, or a string read as a number (with its written precision, see Measured); else None."""
    t = type(v)
    if t is int or t is float or t is Measured:
        return v
    if t is str:
        return to_measured(v)
    return None


def _by_sig(r, a, b):
    """``*`` and ``/``: as many significant figures as the least precise measured operand (exact numbers,
    integers and exact() results, do not limit it): the eval page's ``8.250 * 0.2`` is 2."""
    if type(a) is Measured:
        sa = a._sig if a._sig is not None else a.sig
        if type(b) is Measured:
            sb = b._sig if b._sig is not None else b.sig
            sa = sa if sa < sb else sb
        return Measured.with_sig(r, sa)
    if type(b) is Measured:
        return Measured.with_sig(r, b._sig if b._sig is not None else b.sig)
    return r


def _by_dec(r, a, b):
    """``+`` and ``-``: as many decimal places as the least precise measured operand (sigfig()'s page:
    ``123.0 + 4.567`` is 127.6)."""
    if type(a) is Measured:
        da = a._dec if a._dec is not None else a.dec
        if type(b) is Measured:
            db = b._dec if b._dec is not None else b.dec
            da = da if da < db else db
        return Measured.with_dec(r, da)
    if type(b) is Measured:
        return Measured.with_dec(r, b._dec if b._dec is not None else b.dec)
    return r


_MAX_EXACT = 2 ** 53 - 1


def _double(n):
    """Eval arithmetic is double-precision ("numbers are treated as double-precision floating-point numbers"):
    an integer result beyond 2^53-1 is rounded as a double would be (the eval page's example 10:
    pow(2,53)-1 + 2 gives 9007199254740992)."""
    if type(n) is int and (n > _MAX_EXACT or n < -_MAX_EXACT):
        return int(float(n))
    return n


def add(a, b):
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return _by_dec(_double(na + nb), na, nb)
    if type(a) is str and type(b) is str:
        return a + b
    return None


def subtract(a, b):
    na, nb = as_number(a), as_number(b)
    return None if na is None or nb is None else _by_dec(_double(na - nb), na, nb)


def multiply(a, b):
    na, nb = as_number(a), as_number(b)
    return None if na is None or nb is None else _by_sig(_double(na * nb), na, nb)


def divide(a, b):
    na, nb = as_number(a), as_number(b)
    if na is None or nb is None or nb == 0:
        return None
    if type(na) is int and type(nb) is int and na % nb == 0:
        return na // nb
    return _by_sig(na / nb, na, nb)


def modulo(a, b):
    na, nb = as_number(a), as_number(b)
    if na is None or nb is None or nb == 0:
        return None
    if type(na) is int and type(nb) is int:
        return int(math.copysign(abs(na) % abs(nb), na))
    return math.fmod(na, nb)


def concat(a, b):
    if a is None or b is None or type(a) is list or type(b) is list:
        return None
    return (a if type(a) is str else to_str(a)) + (b if type(b) is str else to_str(b))


ARITH = {"+": add, "-": subtract, "*": multiply, "/": divide, "%": modulo, ".": concat}


def equals_any(operand, items, if_null):
    """`X IN (a, b)` and in(X, a, b): true when X equals one of the items; ``if_null`` when X is null (the
    operator yields null there, the function false)."""
    def f(row, ctx):
        v = operand(row, ctx)
        if v is None:
            return if_null
        return any(compare_values("=", v, item(row, ctx)) for item in items)
    return f
