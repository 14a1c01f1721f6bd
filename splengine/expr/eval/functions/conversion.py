"""Conversion functions: tonumber, tostring, printf, ipmask, and the 10.0 page's tobool, todouble, toint
(toarray, tomv and toobject, which read and write JSON, are in json_fns.py).

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/conversion-functions
https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/evaluation-functions/conversion-functions
"""
from __future__ import annotations

import math
import re

from splengine.errors import SplError
from splengine.values import Measured, format_number, to_number, to_str

from ..ast import Literal
from ..registry import register, scalar

_DIGITS = re.compile(r"[+-]?[0-9A-Za-z]+")


def _parse_number(text: str, base: int):
    """A string in ``base`` as the Conversion functions page states it: no surrounding spaces ("if the value
    contains a leading and trailing space, the function returns NULL"), a double when it has a decimal point."""
    if text != text.strip():
        return None
    if base == 10:
        return to_number(text)
    if not _DIGITS.fullmatch(text):
        return None
    try:
        return int(text, base)
    except ValueError:
        return None


@register("tonumber", min_args=1, max_args=2)
def _tonumber(args, nodes, call):
    """tonumber(<str>, <base>): a field value that does not parse gives null; a string literal that does not
    parse is an error ("the following search fails: eval result=tonumber("seven")")."""
    literal = nodes[0].value if isinstance(nodes[0], Literal) and isinstance(nodes[0].value, str) else None
    value_fn = args[0]
    base_fn = args[1] if len(args) == 2 else (lambda row, ctx: 10)

    def f(row, ctx):
        value = value_fn(row, ctx)
        if value is None or type(value) in (list, bool):
            return None
        b = _base_of(base_fn, row, ctx, "tonumber", call)
        if isinstance(value, (int, float)):
            return value
        n = _parse_number(value, b)
        if n is None and literal is not None:
            raise SplError(f"tonumber(): {literal!r} is not a number in base {b}", call.pos)
        return n
    return f


def _base_of(base_fn, row, ctx, name, call):
    b = to_number(base_fn(row, ctx))
    if not isinstance(b, int) or not 2 <= b <= 36:
        raise SplError(f"{name}(): base must be an integer from 2 to 36, got {b!r}", call.pos)
    return b


@scalar("tobool", min_args=1, max_args=1)
def _tobool(value):
    """The page's table: "true"/"True" and "false"/"False", 0 is false and any other number true (a numeric
    field value counts as a number: the page's units field); a Boolean stays; anything else is null."""
    if type(value) is bool:
        return value
    if value in ("true", "True"):
        return True
    if value in ("false", "False"):
        return False
    n = to_number(value) if type(value) is not list else None
    return None if n is None or n != n else n != 0


def _converter(name, convert):
    """todouble/toint(<value>, <base>): a number is converted as is, a string through tonumber(<value>, <base>)
    (null when it does not parse, spaces included, as the page states); other values are null."""
    @register(name, min_args=1, max_args=2)
    def build(args, nodes, call):
        value_fn = args[0]
        base_fn = args[1] if len(args) == 2 else (lambda row, ctx: 10)

        def f(row, ctx):
            value = value_fn(row, ctx)
            b = _base_of(base_fn, row, ctx, name, call)
            if type(value) in (int, float, Measured):
                return convert(value, None)
            if type(value) is not str:
                return None
            n = _parse_number(value, b)
            return None if n is None else convert(n, value)
        return f
    return build


def _double(n, text):
    """A double: an integer gets its ".0" ("converts the value 5 ... so that it becomes 5.0"); a decimal string
    keeps the precision it is written with ("16.00")."""
    if text is not None and type(n) is float:
        return Measured.from_text(text) or n
    return Measured.of(float(n), None, 1) if type(n) is int else n


def _int(n, text):
    """floor() of a double ("rounds the value down to the nearest whole number": toint(3.14) is 3)."""
    if type(n) is int:
        return n
    return math.floor(n) if math.isfinite(n) else None


_converter("todouble", _double)
_converter("toint", _int)


def _duration(seconds) -> str:
    neg = seconds < 0
    seconds = abs(seconds)
    whole = int(seconds)
    frac = seconds - whole
    days, rem = divmod(whole, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    if frac:
        text += f"{frac:.6f}"[1:]
    if days:
        text = f"{days}+{text}"
    return "-" + text if neg else text


def _commas(n) -> str:
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.2f}"
    return f"{int(n):,}"


@scalar("tostring", min_args=1, max_args=2)
def _tostring(value, fmt=None):
    if value is None:
        return None
    if type(value) is bool:
        return "True" if value else "False"
    if type(value) is list:
        return [_tostring(v, fmt) for v in value]
    if fmt is None:
        return to_str(value)
    n = to_number(value)
    if n is None:
        return to_str(value)
    if fmt == "commas":
        return _commas(n)
    if fmt == "hex":
        return hex(int(n)).upper().replace("0X", "0x")
    if fmt == "duration":
        return _duration(n)
    if fmt == "binary":
        if not isinstance(n, int) or not 0 <= n < 2 ** 53:
            raise SplError(f'tostring(): "binary" takes an integer from 0 to 2^53-1, got {to_str(value)!r}')
        return format(n, "b")
    raise SplError(f'tostring(): unsupported format {fmt!r} (use "commas", "hex", "binary" or "duration")')


_PRINTF = re.compile(r"%(?P<flags>[-+ 0#']*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?(?P<conv>[diouxXeEfFgGaAcspz%])")
_ALIASES = {"i": "d", "p": "X", "z": "s"}


def _hex_float(x: float, prec: str | None, upper: bool, flags: str) -> str:
    """%a/%A: C's hexadecimal floating point, ``[-]0x1.<hex digits>p<+-exponent>``; without a precision the
    exact digits (trailing zeros dropped), with one the mantissa rounded to that many hex digits."""
    if not math.isfinite(x):
        text = format_number(x)
    else:
        sign = "-" if math.copysign(1.0, x) < 0 else "+" if "+" in flags else " " if " " in flags else ""
        x = abs(x)
        if x == 0:
            mant, exp = 0, 0
            digits = int(prec) if prec is not None else 0
        else:
            m, e = math.frexp(x)           # x = m * 2**e, 0.5 <= m < 1
            exp = e - 1
            frac = m * 2 - 1               # x = (1 + frac) * 2**exp
            full = float.hex(1 + frac).split(".")[1].split("p")[0].rstrip("0")
            digits = len(full) if prec is None else int(prec)
            mant = round((1 + frac) * 16 ** digits)
            if mant >= 2 * 16 ** digits:   # rounding carried into the next power of two
                mant //= 2
                exp += 1
        lead, rest = divmod(mant, 16 ** digits) if digits else (mant, 0)
        tail = format(rest, "x").rjust(digits, "0") if digits else ""
        dot = "." if digits or "#" in flags else ""
        text = f"{sign}0x{lead}{dot}{tail}p{exp:+d}"
    return text.upper() if upper else text


def printf(fmt: str, values: list) -> str:
    """C-style formatting as Splunk's printf(): flags - + space 0 # ', width, precision, ``*``."""
    it = iter(values)

    def take():
        try:
            return next(it)
        except StopIteration:
            raise SplError(f"printf(): not enough arguments for format {fmt!r}") from None

    def repl(m: re.Match) -> str:
        conv = _ALIASES.get(m.group("conv"), m.group("conv"))
        if conv == "%":
            return "%"
        flags = m.group("flags") or ""
        width = m.group("width")
        prec = m.group("prec")
        if width == "*":
            width = str(int(to_number(take()) or 0))
        if prec == "*":
            prec = str(int(to_number(take()) or 0))
        v = take()
        grouping = "'" in flags
        flags = flags.replace("'", "")
        spec = "%" + flags + (width or "") + ("." + prec if prec is not None else "")
        if conv == "s":
            return (spec + "s") % ("" if v is None else to_str(v) if type(v) is not list else ",".join(map(to_str, v)))
        if conv == "c":
            n = to_number(v)
            return (spec + "c") % (chr(int(n)) if n is not None else (to_str(v) or " ")[0])
        n = to_number(v)
        if n is None:
            n = 0
        if conv in "aA":
            out = _hex_float(float(n), prec, conv == "A", flags)
            w = int(width or 0)
            out = out.ljust(w) if "-" in flags else out.rjust(w)
        elif conv in "diu":
            out = (spec + "d") % int(n)
        elif conv in "oxX":
            out = (spec + conv) % int(n)
        else:
            out = (spec + conv) % float(n)
        if grouping and conv in "diufFgG":
            head, dot, tail = out.strip().partition(".")
            sign = head[0] if head[:1] in "+- " else ""
            digits = head[len(sign):]
            grouped = sign + f"{int(digits):,}" + dot + tail if digits.isdigit() else out
            out = grouped.rjust(len(out)) if "-" not in flags else grouped.ljust(len(out))
        return out

    return _PRINTF.sub(repl, fmt)


@register("printf", min_args=1, max_args=None)
def _printf(args, nodes, call):
    fmt_fn, rest = args[0], args[1:]

    def f(row, ctx):
        fmt = fmt_fn(row, ctx)
        if fmt is None:
            return None
        return printf(to_str(fmt), [a(row, ctx) for a in rest])
    return f



@scalar("ipmask", min_args=2, max_args=2)
def _ipmask(mask, ip):
    """The IPv4 address ANDed with the mask, octet by octet (ipmask("255.255.255.0", "10.20.30.120") is 10.20.30.0);
    null unless both are quad-dotted IPv4 addresses."""
    octets = [_ipv4_octets(to_str(v) if not isinstance(v, list) else None) for v in (mask, ip)]
    if None in octets:
        return None
    return ".".join(str(m & i) for m, i in zip(*octets))


def _ipv4_octets(text):
    parts = text.split(".") if text else []
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        return None
    return [int(p) for p in parts]
