"""Trig and hyperbolic functions: acos, acosh, asin, asinh, atan, atan2, atanh, cos, cosh, hypot, sin, sinh, tan,
tanh (radians).

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/trig-and-hyperbolic-functions
Non-numeric or null arguments give null, as do arguments outside the function's domain (acos(2), atanh(1)).
"""
from __future__ import annotations

import math

from splengine.values import to_number

from ..registry import scalar


def _real(fn, *values):
    nums = [to_number(v) for v in values]
    if any(n is None for n in nums):
        return None
    try:
        r = fn(*(float(n) for n in nums))
    except (ValueError, OverflowError):
        return None
    return r if math.isfinite(r) else None


def _one(name, fn):
    scalar(name, min_args=1, max_args=1)(lambda x: _real(fn, x))


for _name in ("acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh"):
    _one(_name, getattr(math, _name))


@scalar("atan2", min_args=2, max_args=2)
def _atan2(y, x):
    """The arc tangent of Y, X in [-pi, +pi]: the signs of both give the quadrant."""
    return _real(math.atan2, y, x)


@scalar("hypot", min_args=2, max_args=2)
def _hypot(x, y):
    return _real(math.hypot, x, y)
