"""bin / bucket: put continuous values (``_time`` or numbers) into discrete buckets.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/bin
- ``_time`` buckets hold the bucket start (epoch); spans in s/m/h/d snap to the time zone's local clock
  (a 1d bucket starts at local midnight), spans in months to the first of the month.
- Other numeric fields get a range label ``"<start>-<end>"``; non-numeric values are left as they are.
- Without ``span``, ``bins`` (default 100) picks the smallest span that fits the data range in that many
  buckets: for numbers a power of ten, for time one of Splunk's standard spans (at least ``minspan``).
"""
from __future__ import annotations

import math
import re
from datetime import datetime

from ..args import ArgList
from ..errors import SplSyntaxError, SplUnsupportedError
from ..values import format_number, to_number
from .base import Command, register

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
    "mon": "month", "month": "month", "months": "month",
    "q": "quarter", "qtr": "quarter", "qtrs": "quarter", "quarter": "quarter", "quarters": "quarter",
}
# subsecond timescales (the timechart and bin pages): "numbers that divide evenly into a second"
_SUBSECOND = {"us": 1_000_000, "ms": 1000, "cs": 100, "ds": 10}
_SPAN = re.compile(r"(\d+(?:\.\d+)?)([A-Za-z]*)\Z")
# Spans chosen automatically for time (seconds; "month" last). The timechart page's table of default
# spans (15 min -> 10s, 60 min -> 1m, 4 h -> 5m, 24 h -> 30m, 7 d and 30 d -> 1d, a year -> 1mon) rules out
# 15m, 12h and week spans.
AUTO_TIME_SPANS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 86400, ("month", 1)]


def parse_span(text: str, position: int | None = None):
    """``"5m"`` -> 300, ``"1mon"`` -> ("month", 1), ``"10"`` -> 10 (seconds for time, units for numbers)."""
    m = _SPAN.match(text.strip())
    if not m:
        raise SplSyntaxError(f"invalid span '{text}'", position)
    amount, unit = m.group(1), m.group(2).lower()
    n = float(amount) if "." in amount else int(amount)
    if n <= 0:
        raise SplSyntaxError(f"span must be positive, got '{text}'", position)
    if not unit:
        return n
    if unit in _SUBSECOND:
        per_second = _SUBSECOND[unit]
        if not isinstance(n, int) or n >= per_second or per_second % n:
            raise SplSyntaxError(f"span={text}: a subsecond span must divide a second evenly (1s = "
                                 f"{per_second}{unit}; use s for a second or more)", position)
        return n / per_second
    if unit not in _UNITS:
        raise SplUnsupportedError(f"unsupported span unit '{unit}' in span={text}", position)
    if _UNITS[unit] in ("month", "quarter"):
        if not isinstance(n, int):
            raise SplSyntaxError(f"month and quarter spans must be whole numbers, got '{text}'", position)
        return ("month", n * 3 if _UNITS[unit] == "quarter" else n)
    return n * _UNITS[unit]


def time_bucket(t: float, span, tz) -> float:
    """Start of the ``span`` bucket holding epoch ``t`` in time zone ``tz``."""
    dt = datetime.fromtimestamp(t, tz)
    if isinstance(span, tuple):
        months = span[1]
        index = (dt.year * 12 + dt.month - 1) // months * months
        start = dt.replace(year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0,
                           microsecond=0)
        return int(start.timestamp())
    offset = dt.utcoffset().total_seconds() if dt.utcoffset() else 0
    if span < 1:     # a subsecond span: count whole steps of it, rounded to microseconds
        return round(math.floor(round((t + offset) / span, 6)) * span - offset, 6)
    start = math.floor((t + offset) / span) * span - offset
    return int(start) if float(start).is_integer() else start


def next_bucket(start: float, span, tz) -> float:
    if isinstance(span, tuple):
        dt = datetime.fromtimestamp(start, tz)
        index = dt.year * 12 + dt.month - 1 + span[1]
        return int(dt.replace(year=index // 12, month=index % 12 + 1).timestamp())
    return round(start + span, 6) if span < 1 else start + span


def auto_time_span(lo: float, hi: float, bins: int, minspan: float = 0):
    """Smallest standard span giving at most ``bins`` buckets over [lo, hi] and at least ``minspan`` seconds: the
    timechart page's thresholds ("if you specify minspan=15m ... The minimum span that can be used is 1800
    seconds"; its last threshold, 2592000 seconds, is the month span)."""
    width = max(hi - lo, 0)
    for span in AUTO_TIME_SPANS:
        if isinstance(span, tuple):
            return span
        if span >= minspan and width / span < bins:
            return span
    return AUTO_TIME_SPANS[-1]


def parse_minspan(text: str, field: str, position: int | None = None) -> float:
    """minspan=<span-length> in seconds ("the smallest span granularity to use automatically inferring span from
    the data time range": _time only)."""
    if field != "_time":
        raise SplUnsupportedError(f"minspan applies to _time only (the data time range), not to '{field}'", position)
    span = parse_span(text, position)
    return 2592000 * span[1] if isinstance(span, tuple) else span


def auto_number_span(lo: float, hi: float, bins: int):
    """Smallest power-of-ten span (at least 1) giving at most ``bins`` buckets over [lo, hi]."""
    span = 1
    while (math.floor(hi / span) - math.floor(lo / span) + 1) > bins:
        span *= 10
    return span


def number_label(v: float, span) -> str:
    start = math.floor(v / span) * span
    return f"{format_number(start)}-{format_number(start + span)}"


@register("bin", "bucket")
class BinCommand(Command):
    keeps_columns = True

    def __init__(self, field, alias, span, bins, start, end, aligntime=None, minspan=0):
        self.aligntime = aligntime
        self.minspan = minspan
        self.field = field
        self.alias = alias or field
        self.span = span
        self.bins = bins
        self.start = start
        self.end = end

    @classmethod
    def parse(cls, args: ArgList, ctx) -> BinCommand:
        opts = args.take_options({"span": "str", "bins": "int", "minspan": "str", "start": "float",
                                  "end": "float", "aligntime": "str"})
        field, pos = args.take_field()
        alias = args.take_as()
        args.expect_end()
        span = parse_span(opts["span"], pos) if "span" in opts else None
        bins = opts.get("bins", 100)
        if bins < 1:
            raise args.error(f"bins must be a positive integer, got {bins}")
        aligntime = opts.get("aligntime")
        if aligntime is not None and field != "_time":
            raise args.error("aligntime applies to _time only")
        minspan = parse_minspan(opts["minspan"], field, pos) if "minspan" in opts else 0
        return cls(field, alias, span, bins, opts.get("start"), opts.get("end"), aligntime, minspan)

    def _align(self, span, ctx):
        """aligntime as epoch seconds, or None: "Ignored if span is in days, months, or years"."""
        if self.aligntime is None or isinstance(span, tuple) or span % 86400 == 0:
            return None
        low = self.aligntime.lower()
        if low in ("earliest", "latest"):
            return ctx.earliest if low == "earliest" else ctx.latest
        return ctx.resolve_time(self.aligntime)

    def execute(self, rows, ctx):
        field, alias, span = self.field, self.alias, self.span
        is_time = field == "_time"
        if span is None:
            rows = list(rows)
            nums = [n for n in (to_number(r.get(field)) for r in rows) if n is not None]
            lo = self.start if self.start is not None else (min(nums) if nums else 0)
            hi = self.end if self.end is not None else (max(nums) if nums else 0)
            if is_time:
                lo = ctx.earliest if self.start is None and ctx.earliest is not None else lo
                hi = ctx.latest if self.end is None and ctx.latest is not None else hi
                span = auto_time_span(lo, hi, self.bins, self.minspan)
            else:
                span = auto_number_span(lo, hi, self.bins)
        if isinstance(span, tuple) and not is_time:
            raise SplSyntaxError(f"bin: a month span applies to _time only, not to '{field}'", self.position)
        tz = ctx.tz
        align = self._align(span, ctx) if is_time else None
        for row in rows:
            n = to_number(row.get(field))
            if n is not None:
                if align is not None:
                    start = align + math.floor((n - align) / span) * span
                    row[alias] = int(start) if float(start).is_integer() else start
                else:
                    row[alias] = time_bucket(n, span, tz) if is_time else number_label(n, span)
            yield row
