"""Mathematical functions: abs, ceiling/ceil, floor, round, exp, ln, log, pow, sqrt, pi, exact, sigfig, sum;
the statistical eval functions avg, min, max, random.

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/mathematical-functions
Non-numeric or null arguments give null; results outside the real domain (log of 0, sqrt of -1) give null.
"""
from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal

from splengine.errors import SplError
from splengine.values import Measured, mv_values, sort_key, to_measured, to_number

from ..ast import Literal
from ..registry import register, scalar


def _numeric(fn):
    def wrapper(*values):
        nums = [to_number(v) for v in values]
        if any(n is None for n in nums):
            return None
        try:
            return fn(*nums)
        except (ValueError, OverflowError, ZeroDivisionError):
            return None
    return wrapper


def _int_if_whole(x):
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2 ** 63 else x


scalar("abs", min_args=1, max_args=1)(_numeric(abs))
scalar("ceiling", "ceil", min_args=1, max_args=1)(_numeric(lambda x: math.ceil(x)))
scalar("floor", min_args=1, max_args=1)(_numeric(lambda x: math.floor(x)))
scalar("exp", min_args=1, max_args=1)(_numeric(math.exp))
scalar("ln", min_args=1, max_args=1)(_numeric(math.log))
scalar("sqrt", min_args=1, max_args=1)(_numeric(math.sqrt))
scalar("pi", min_args=0, max_args=0)(lambda: math.pi)


@scalar("exact", min_args=1, max_args=1)
def _exact(value):
    """exact(): the double with every digit ("a larger amount of precision in the formatted output"); as an
    operand it limits no precision (the eval page: ``8.250 * exact(0.2)`` is 1.650)."""
    n = to_number(value)
    return float(n) if type(n) is Measured else n


@scalar("sigfig", min_args=1, max_args=1)
def _sigfig(value):
    """sigfig(): a measured number rounded to its significant figures (``sigfig(1.00*1111)`` is 1110, where
    ``1.00*1111`` renders 1111); an exact number (integer, exact(), a function's result) is returned as is."""
    n = to_measured(value)
    return n.rounded() if type(n) is Measured else n


@scalar("log", min_args=1, max_args=2)
@_numeric
def _log(x, base=10):
    return math.log(x, base)


@scalar("pow", min_args=2, max_args=2)
@_numeric
def _pow(x, y):
    r = math.pow(x, y)
    return _int_if_whole(r) if isinstance(x, int) and isinstance(y, int) and y >= 0 else r


@scalar("round", min_args=1, max_args=2)
@_numeric
def _round(x, digits=0):
    """Half away from zero (Splunk rounds 2.5 to 3, not to the even 2). An exact number rounded to N decimal places
    carries them, so they render ("round() can force your precision": the makeresults page shows
    round(random()/random(),4) as 0.8050); a measured input keeps the old rendering (splengine/SEMANTICS.md)."""
    d = int(digits)
    q = Decimal(1).scaleb(-d)
    r = Decimal(repr(float(x)) if isinstance(x, float) else x).quantize(q, rounding=ROUND_HALF_UP)
    if d <= 0:
        return int(r)
    return float(r) if type(x) is Measured else Measured.with_dec(float(r), d)


def _extreme(pick):
    def fn(*values):
        flat = [v for value in values for v in mv_values(value)]
        if not flat:
            return None
        best = pick(flat, key=sort_key)
        n = to_number(best)
        return n if n is not None else best
    return fn


scalar("min", min_args=1, max_args=None)(_extreme(min))
scalar("max", min_args=1, max_args=None)(_extreme(max))


def _numbers_of(name, nodes):
    """sum()/avg() arguments: missing or non-numeric field values are ignored, but a quoted string literal is an
    error, as the pages' examples show (``sum(1, 2, "3")`` and ``avg("somedata", 2, 3)`` fail)."""
    for node in nodes:
        if isinstance(node, Literal) and isinstance(node.value, str):
            raise SplError(f'{name}(): the string literal "{node.value}" is not a number '
                           "(convert it with tonumber())", node.pos)

    def numbers(args, row, ctx):
        return [n for a in args for v in mv_values(a(row, ctx)) for n in (to_number(v),) if n is not None]
    return numbers


@register("sum", min_args=1, max_args=None)
def _sum(args, nodes, call):
    """sum(<num>,...): the numeric values of the arguments (each value of a multivalue field); ``sum(a, 2, 3)``
    with a="1" is 6."""
    numbers = _numbers_of("sum", nodes)

    def f(row, ctx):
        nums = numbers(args, row, ctx)
        return _int_if_whole(sum(nums)) if nums else None
    return f


@register("avg", min_args=1, max_args=None)
def _avg(args, nodes, call):
    """avg(<values>): the mean of the numeric values, "as an integer" when it is whole (the page's examples:
    avg(1, 2, 3) is 2, avg(a, 2, 3) with a="somedata" is 2.5, avg(a, b, c) with a=5.0, b="9" and no c is 7)."""
    numbers = _numbers_of("avg", nodes)

    def f(row, ctx):
        nums = numbers(args, row, ctx)
        return _int_if_whole(float(sum(nums)) / len(nums)) if nums else None
    return f


# random(): "a pseudo-random integer ranging from zero to 2^31-1"
scalar("random", min_args=0, max_args=0)(lambda: random.randint(0, 2 ** 31 - 1))
