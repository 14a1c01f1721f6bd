"""Conversion functions: tonumber, tostring, printf.

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/conversion-functions
"""
from __future__ import annotations

import re

from splengine.errors import SplError
from splengine.values import to_number, to_str

from ..registry import register, scalar


@scalar("tonumber", min_args=1, max_args=2)
def _tonumber(value, base=10):
    if value is None or type(value) is list:
        return None
    if type(value) is bool:
        return None
    b = to_number(base)
    if not isinstance(b, int) or not 2 <= b <= 36:
        raise SplError(f"tonumber(): base must be an integer from 2 to 36, got {base!r}")
    if isinstance(value, (int, float)):
        return value
    if b == 10:
        return to_number(value)
    try:
        return int(value.strip(), b)
    except ValueError:
        return None


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
    raise SplError(f'tostring(): unsupported format {fmt!r} (use "commas", "hex" or "duration")')


_PRINTF = re.compile(r"%(?P<flags>[-+ 0#']*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?(?P<conv>[diouxXeEfFgGcs%])")


def printf(fmt: str, values: list) -> str:
    """C-style formatting as Splunk's printf(): flags - + space 0 # ', width, precision, ``*``."""
    it = iter(values)

    def take():
        try:
            return next(it)
        except StopIteration:
            raise SplError(f"printf(): not enough arguments for format {fmt!r}") from None

    def repl(m: re.Match) -> str:
        conv = m.group("conv")
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
        if conv in "diu":
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

