"""convert: ctime, mktime, mstime, dur2sec, memk, rmcomma, rmunit, num, auto, none.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/convert
"""
from __future__ import annotations

import re

from ..args import ArgList
from ..timefmt import strftime, strptime
from ..tokenizer import LPAREN, RPAREN, WORD
from ..values import make_mv, mv_values, to_measured, to_number, to_str, wildcard_to_regex
from .base import Command, register

DEFAULT_TIMEFORMAT = "%m/%d/%Y %H:%M:%S"
_LEADING_NUMBER = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_MEMK = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*([kKmMgG]?)\s*$")
_DUR = re.compile(r"^(?:(\d+)\+)?(\d+):(\d+):(\d+(?:\.\d+)?)$")


def _auto(v):
    n = to_number(v)
    if n is not None:
        return n
    return to_number(str(v).replace(",", ""))


def _rmcomma(v):
    """"rmcomma(1,000,000.00) returns 1000000.00": the number keeps the decimals it is written with."""
    return to_measured(to_str(v).replace(",", ""))


def _rmunit(v):
    m = _LEADING_NUMBER.match(to_str(v))
    return to_number(m.group(1)) if m else None


def _memk(v):
    m = _MEMK.match(to_str(v))
    if not m:
        return None
    n = float(m.group(1)) * {"": 1, "k": 1, "m": 1024, "g": 1024 * 1024}[m.group(2).lower()]
    return int(n) if n.is_integer() else n


def _dur2sec(v):
    m = _DUR.match(to_str(v).strip())
    if not m:
        return None
    days, h, mi, s = m.groups()
    total = int(days or 0) * 86400 + int(h) * 3600 + int(mi) * 60 + float(s)
    return int(total) if float(total).is_integer() else total


_FUNCS = {"num": to_number, "auto": _auto, "rmcomma": _rmcomma, "rmunit": _rmunit, "memk": _memk,
          "dur2sec": _dur2sec, "ctime": None, "mktime": None, "mstime": None, "none": None}


@register("convert")
class ConvertCommand(Command):
    keeps_columns = True

    def __init__(self, timeformat, items):
        self.timeformat, self.items = timeformat, items

    @classmethod
    def parse(cls, args: ArgList, ctx) -> ConvertCommand:
        opts = args.take_options({"timeformat": "str"})
        items = []
        while not args.at_end():
            tok = args.next()
            if tok.kind != WORD or tok.value.lower() not in _FUNCS:
                raise args.unsupported(f"unsupported conversion function '{tok.value}'", tok)
            if args.peek() is None or args.peek().kind != LPAREN:
                raise args.error(f"expected '(' after {tok.value}", args.peek())
            args.next()
            field = args.take_field()[0]
            close = args.next()
            if close.kind != RPAREN:
                raise args.error("expected ')'", close)
            alias = args.take_as()
            if alias and "*" in field:
                raise args.unsupported("AS with a wildcard field", tok)
            items.append((tok.value.lower(), field, alias))
        if not items:
            raise args.error("needs a conversion such as ctime(field)")
        return cls(opts.get("timeformat", DEFAULT_TIMEFORMAT), items)

    def _convert(self, func, v, ctx):
        if func == "ctime":
            n = to_number(v)
            return strftime(n, self.timeformat, ctx.tz) if n is not None else None
        if func == "mktime":
            n = to_number(v)
            return n if n is not None else strptime(to_str(v), self.timeformat, ctx.tz)
        if func == "mstime":
            m = re.match(r"^(?:(\d+):)?(\d+)(?:\.(\d+))?$", to_str(v).strip())
            if not m:
                return None
            mins, secs, frac = m.groups()
            return int(mins or 0) * 60 + int(secs) + (float("0." + frac) if frac else 0)
        return _FUNCS[func](v)

    def execute(self, rows, ctx):
        # none(<wc-field>): "the matching fields should not be converted" by the other functions
        kept = [wildcard_to_regex(field, False) for func, field, _ in self.items if func == "none"]
        for row in rows:
            for func, field, alias in self.items:
                if func == "none":
                    continue
                names = [n for n in row if wildcard_to_regex(field, False).match(n)] if "*" in field else [field]
                for name in names:
                    value = row.get(name)
                    if value is None or any(rx.match(name) for rx in kept):
                        continue
                    out = [self._convert(func, v, ctx) for v in mv_values(value)]
                    new = make_mv([o for o in out if o is not None])
                    if new is None:
                        if func == "num" and not alias:
                            # num(): "Like auto(), except non-convertible values are removed"
                            del row[name]
                        # other functions leave a value they cannot convert unchanged (auto(): "the field
                        # is left untouched")
                        continue
                    row[alias or name] = new
            yield row
