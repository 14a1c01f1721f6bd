"""Splunk time modifiers: ``now``, epoch numbers, ``%m/%d/%Y:%H:%M:%S``, and relative ``[+|-]<n><unit>@<snap>``.

Syntax (help.splunk.com, "Specify time modifiers in your search"): an offset ``-70m``, optionally a snap
``@m`` that rounds down to the start of the unit (``@w0``..``@w7`` snap to a weekday, Sunday = 0 or 7,
``@q`` to the quarter), optionally followed by further offsets (``-1d@d+2h``). Calendar units (months,
quarters, years) move by calendar, the others by seconds; snapping happens in the search's time zone.
"""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache

from .errors import SplSyntaxError

_UNITS = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "w": "w", "week": "w", "weeks": "w",
    "mon": "mon", "month": "mon", "months": "mon",
    "q": "q", "qtr": "q", "qtrs": "q", "quarter": "q", "quarters": "q",
    "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_OFFSET = re.compile(r"([+-])(\d*)([a-zA-Z]+)")
_SNAP = re.compile(r"@([a-zA-Z]+?)(\d?)(?=$|[+-])")
_EPOCH = re.compile(r"\d+(\.\d+)?")
_ABSOLUTE = "%m/%d/%Y:%H:%M:%S"


def _unit(name: str, text: str) -> str:
    unit = _UNITS.get(name.lower())
    if unit is None:
        raise SplSyntaxError(f"Invalid time unit '{name}' in time modifier '{text}'")
    return unit


def _add(dt: datetime, sign: int, amount: int, unit: str) -> datetime:
    if unit in _SECONDS:
        # seconds-based units are absolute durations (UTC arithmetic, DST-safe)
        return datetime.fromtimestamp(dt.timestamp() + sign * amount * _SECONDS[unit], dt.tzinfo)
    months = amount * {"mon": 1, "q": 3, "y": 12}[unit] * sign
    index = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(index, 12)
    day = min(dt.day, calendar.monthrange(year, month + 1)[1])
    return dt.replace(year=year, month=month + 1, day=day)


def _snap(dt: datetime, unit: str, digit: str, text: str) -> datetime:
    if unit == "s":
        return dt.replace(microsecond=0)
    if unit == "m":
        return dt.replace(second=0, microsecond=0)
    if unit == "h":
        return dt.replace(minute=0, second=0, microsecond=0)
    day = dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "d":
        return day
    if unit == "w":
        weekday = int(digit or 0) % 7          # 0 = Sunday
        current = (day.weekday() + 1) % 7      # Python: Monday = 0
        return day - timedelta(days=(current - weekday) % 7)
    if unit == "mon":
        return day.replace(day=1)
    if unit == "q":
        return day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
    if unit == "y":
        return day.replace(day=1, month=1)
    raise SplSyntaxError(f"Invalid snap unit in time modifier '{text}'")


@lru_cache(maxsize=1024)
def _parse_relative(text: str) -> tuple:
    """Validate and split a relative modifier into ('off', sign, n, unit) / ('snap', unit, digit) steps."""
    steps = []
    i = 0
    while i < len(text):
        m = _OFFSET.match(text, i)
        if m:
            steps.append(("off", 1 if m.group(1) == "+" else -1, int(m.group(2) or 1), _unit(m.group(3), text)))
            i = m.end()
            continue
        m = _SNAP.match(text, i)
        if m:
            unit = _unit(m.group(1), text)
            if m.group(2) and unit != "w":
                raise SplSyntaxError(f"Invalid snap '@{m.group(1)}{m.group(2)}' in time modifier '{text}'")
            steps.append(("snap", unit, m.group(2)))
            i = m.end()
            continue
        raise SplSyntaxError(f"Invalid time modifier '{text}'")
    return tuple(steps)


def parse_time_modifier(text: str, now: float, tz: tzinfo) -> float:
    """Epoch seconds for a time modifier relative to ``now`` (epoch) in time zone ``tz``."""
    raw = text.strip()
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        raw = raw[1:-1].strip()
    low = raw.lower()
    if low == "now" or low == "":
        return float(now)
    if "rt" in low and low.lstrip("+-").startswith("rt"):
        raise SplSyntaxError(f"Real-time time modifier '{text}' is not supported in a search string")
    if _EPOCH.fullmatch(raw):
        return float(raw)
    if "/" in raw:
        try:
            return datetime.strptime(raw, _ABSOLUTE).replace(tzinfo=tz).timestamp()
        except ValueError:
            raise SplSyntaxError(f"Invalid absolute time '{text}' (expected {_ABSOLUTE})") from None
    steps = _parse_relative(raw)
    dt = datetime.fromtimestamp(now, tz)
    for step in steps:
        if step[0] == "off":
            dt = _add(dt, step[1], step[2], step[3])
        else:
            dt = _snap(dt, step[1], step[2], text)
    return dt.timestamp()
