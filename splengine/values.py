"""Value model helpers shared by the whole engine (see docs/ARCHITECTURE.md, "Engine contracts").

A value is ``None`` (null), ``str``, ``int``, ``float`` or a ``list`` of non-null scalars (multivalue).
A ``float`` may be a :class:`Measured` one: a decimal number carrying the precision eval's rounding
rules give it (the eval page's "Rounding"); every other number is exact (integers, exact(), functions).
Raw field values are strings; Splunk interprets a string as a number wherever it looks like one, so
every numeric operation goes through :func:`to_number` and every rendering through :func:`to_str`.
Choices where Splunk's documentation is silent are listed in splengine/SEMANTICS.md.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

# Decimal numbers as Splunk reads them: optional sign, digits with an optional fraction (or a bare
# fraction such as ".5"), optional exponent. "inf"/"nan" and hex are *not* numbers (hex needs tonumber(x,16));
# the exact text "NaN" is the numeric NaN (the informational functions page: a field holding "NaN" is a number).
_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INT_RE = re.compile(r"[+-]?\d+")
_DECIMAL_PARTS = re.compile(r"[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?")


def is_null(v) -> bool:
    """True for a missing value: ``None`` or an empty multivalue list. The empty string is a value."""
    return v is None or (isinstance(v, list) and not v)


def to_number(v):
    """Numeric interpretation of a value: int/float as is, a numeric string parsed, anything else None.

    Surrounding whitespace is ignored. Integers stay ``int`` (exact for large ids); a multivalue list
    has no single numeric value and gives None.
    """
    if v is None or isinstance(v, bool):
        return None
    t = type(v)
    if t is int or t is float:
        return v
    if t is str:
        if v.isascii() and v.isdigit():
            return int(v)
        s = v.strip()
        if _INT_RE.fullmatch(s):
            return int(s)
        if _NUMBER_RE.fullmatch(s):
            f = float(s)
            return f if math.isfinite(f) else None
        return math.nan if s == "NaN" else None
    if isinstance(v, (int, float)):
        return v
    return None


class Measured(float):
    """A decimal number with its precision: ``sig`` significant figures and ``dec`` decimal places.

    Splunk's eval rounds results "to a precision appropriate to the precision of the input results":
    ``8.250 * 0.2`` is 2, ``8.250 * 0.20`` is 1.7 (the eval page's Rounding example). The value keeps
    every binary digit (comparisons and later arithmetic see the double); only its rendering rounds,
    and integer digits are never rounded away (``1.00*1111`` renders 1111, the sigfig() page).
    Arithmetic on it through Python's float operators gives a plain (exact) float, as stats wants.
    A product keeps ``sig`` and a sum ``dec``; the other one is derived only when it is needed.
    """
    __slots__ = ("_sig", "_dec")

    @classmethod
    def of(cls, value: float, sig, dec) -> "Measured":
        m = cls(value)
        m._sig, m._dec = sig, dec
        return m

    @classmethod
    def from_text(cls, text: str):
        """The number written as ``text`` (``0.014``: 2 significant figures, 3 decimal places)."""
        m = _DECIMAL_PARTS.fullmatch(text)
        if m is None:
            return None
        whole, frac, exp = m.group(1), m.group(2) or "", int(m.group(3) or 0)
        digits = (whole + frac).lstrip("0")
        value = float(text)
        if not math.isfinite(value):
            return None
        return cls.of(value, len(digits) or 1, max(0, len(frac) - exp))

    @classmethod
    def with_sig(cls, value: float, sig: int):
        """A product or quotient: ``sig`` significant figures; the decimals shown follow from them."""
        return cls.of(value, max(1, sig), None) if math.isfinite(value) else value

    @classmethod
    def with_dec(cls, value: float, dec: int):
        """A sum or difference: ``dec`` decimal places; the significant figures follow from them."""
        return cls.of(value, None, dec) if math.isfinite(value) else value

    @property
    def sig(self) -> int:
        if self._sig is None:
            q = abs(round(float(self), self._dec))
            self._sig = max(1, math.floor(math.log10(q)) + 1 + self._dec) if q else 1
        return self._sig

    @property
    def dec(self) -> int:
        if self._dec is None:
            a = abs(float(self))
            if a == 0:
                self._dec = self._sig - 1
            else:
                e = math.floor(math.log10(a))
                if abs(round(a, self._sig - 1 - e)) >= 10.0 ** (e + 1):   # 9.96 to 2 figures is 10
                    e += 1
                self._dec = max(0, self._sig - 1 - e)
        return self._dec

    def render(self) -> str:
        q = Decimal(repr(float(self))).quantize(Decimal(1).scaleb(-self.dec), rounding=ROUND_HALF_UP)
        return format(q.copy_abs() if not q else q, "f")

    def rounded(self) -> "Measured":
        """sigfig(): the value itself rounded to its significant figures (``sigfig(1.00*1111)`` is 1110)."""
        sig = self.sig
        d = Context(prec=sig, rounding=ROUND_HALF_UP).plus(Decimal(repr(float(self))))
        return Measured.of(float(d), sig, max(0, -(d.adjusted() - sig + 1)))

    def __neg__(self) -> "Measured":
        return Measured.of(-float(self), self._sig, self._dec)


def to_measured(v):
    """:func:`to_number` for eval arithmetic: a numeric string with a fraction or an exponent is read
    as a :class:`Measured` number (its written precision counts, as a literal's does)."""
    if type(v) is str:
        n = to_number(v)
        if type(n) is float:
            return Measured.from_text(v.strip()) or n
        return n
    return to_number(v)


def format_number(n) -> str:
    """Render a number the way Splunk prints eval/stats results.

    Integral floats print without a fractional part (``10/2`` -> ``"5"``); other floats use the
    shortest round-trip digits (``1/3`` -> ``"0.3333333333333333"``), written out without an exponent.
    """
    if isinstance(n, bool):
        return "true" if n else "false"
    if isinstance(n, int):
        return str(n)
    if type(n) is Measured:
        return n.render()
    if math.isnan(n):
        return "NaN"
    if math.isinf(n):
        return "inf" if n > 0 else "-inf"
    if n.is_integer():
        return str(int(n))
    return format(Decimal(repr(n)), "f")


def to_str(v):
    """String form of a scalar value (None for null). Numbers render with :func:`format_number`.

    A multivalue list has no single string form; callers iterate :func:`mv_values` instead.
    """
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return format_number(v)
    if isinstance(v, list):
        raise TypeError("to_str() got a multivalue list; iterate mv_values() instead")
    raise TypeError(f"not an SPL value: {type(v).__name__}")


def mv_values(v) -> list:
    """Values of a field as a list: null -> [], scalar -> [v], multivalue -> the list itself."""
    if v is None:
        return []
    if isinstance(v, list):
        return v
    return [v]


def make_mv(values):
    """Field value from a list of values: empty -> None, one -> the scalar, several -> a list."""
    values = [x for x in values if x is not None]
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return list(values)


def compare(a, b):
    """Splunk ordering of two scalars: -1, 0, 1, or None when either is null.

    When both sides are numbers (or numeric strings) they compare numerically; otherwise both are
    compared as strings, lexicographically by code point (case-sensitive), as eval does.
    """
    if a is None or b is None:
        return None
    na = to_number(a)
    if na is not None:
        nb = to_number(b)
        if nb is not None:
            return (na > nb) - (na < nb)
    sa = a if type(a) is str else to_str(a)
    sb = b if type(b) is str else to_str(b)
    return (sa > sb) - (sa < sb)


def sort_key(v):
    """Key putting numbers first in numeric order, then strings lexicographically (Splunk's sort/values order)."""
    n = to_number(v)
    if n is not None:
        return (0, n, "")
    return (1, 0, to_str(v))


@lru_cache(maxsize=4096)
def wildcard_to_regex(pattern: str, case_insensitive: bool = True) -> re.Pattern:
    """Compile a Splunk wildcard pattern (``*`` matches any run of characters) to an anchored regex.

    Use ``.fullmatch`` or ``.match`` (the regex ends with ``\\Z``). Everything except ``*`` is literal.
    """
    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    flags = re.DOTALL | (re.IGNORECASE if case_insensitive else 0)
    return re.compile(body + r"\Z", flags)
