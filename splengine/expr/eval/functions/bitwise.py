"""Bitwise functions: bit_and, bit_or, bit_xor, bit_not, bit_shift_left, bit_shift_right.

https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/evaluation-functions/bitwise-functions
"Only nonnegative integers in the range of 0 to 2^53 -1 are accepted": any other argument (negative, larger,
fractional, non-numeric, null) gives null. bit_not's bitmask defaults to 2^53 -1; a shift offset above 53
gives 0 and results are masked to 53 bits (the page's bit_shift_left(3, 52) is 4503599627370496).
"""
from __future__ import annotations

from functools import reduce

from splengine.values import to_number

from ..registry import scalar

MASK = (1 << 53) - 1


def _bits(v):
    """The integer value of an argument in [0, 2^53 -1], else None."""
    n = to_number(v)
    if n is None or isinstance(n, bool):
        return None
    if isinstance(n, float):
        if not n.is_integer():
            return None
        n = int(n)
    return n if 0 <= n <= MASK else None


def _fold(op):
    def fn(*values):
        nums = [_bits(v) for v in values]
        if any(n is None for n in nums):
            return None
        return reduce(op, nums)
    return fn


scalar("bit_and", min_args=2, max_args=None)(_fold(lambda a, b: a & b))
scalar("bit_or", min_args=2, max_args=None)(_fold(lambda a, b: a | b))
scalar("bit_xor", min_args=2, max_args=None)(_fold(lambda a, b: a ^ b))


@scalar("bit_not", min_args=1, max_args=2)
def _bit_not(value, bitmask=MASK):
    n, mask = _bits(value), _bits(bitmask)
    if n is None or mask is None:
        return None
    return ~n & MASK & mask


@scalar("bit_shift_left", min_args=2, max_args=2)
def _shift_left(value, offset):
    n, k = _bits(value), _bits(offset)
    if n is None or k is None:
        return None
    return 0 if k > 53 else (n << k) & MASK


@scalar("bit_shift_right", min_args=2, max_args=2)
def _shift_right(value, offset):
    n, k = _bits(value), _bits(offset)
    if n is None or k is None:
        return None
    return 0 if k > 53 else n >> k
