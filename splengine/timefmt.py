"""Splunk's date and time format variables for strftime() and strptime().

Reference: https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.3/time-format-variables-and-modifiers
Splunk-specific variables handled here: %N/%3N/%6N/%9N (subseconds, default 9 digits), %Q/%3Q/%6Q/%9Q
(default 3 digits), %f (microseconds), %s (epoch seconds), %z/%:z/%::z/%:::z, %Ez (offset in minutes),
%Z (zone abbreviation), %k (space-padded hour), %T, %F, %D, %e. Everything else follows C strftime.
"""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from .errors import SplError

_DIRECTIVE = re.compile(r"%(?P<w>\d*)(?P<colons>:{0,3})(?P<c>Ez|[A-Za-z%+])")

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ZONE_ABBR = {"utc": 0, "gmt": 0, "z": 0, "ut": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
              "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "cet": 60, "cest": 120}
_EXPAND = {"T": "%H:%M:%S", "F": "%Y-%m-%d", "D": "%m/%d/%y", "R": "%H:%M", "r": "%I:%M:%S %p",
           "c": "%a %b %e %H:%M:%S %Y", "+": "%a %b %e %H:%M:%S %Z %Y", "x": "%m/%d/%Y", "X": "%H:%M:%S"}


def _expand(fmt: str) -> str:
    for _ in range(2):
        fmt = _DIRECTIVE.sub(lambda m: _EXPAND.get(m.group("c"), m.group(0)) if not m.group("w") else m.group(0), fmt)
    return fmt


def _offset_text(off: timedelta | None, colons: int) -> str:
    total = int((off or timedelta(0)).total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    h, m, s = total // 3600, total % 3600 // 60, total % 60
    if colons == 0:
        return f"{sign}{h:02d}{m:02d}"
    if colons == 1:
        return f"{sign}{h:02d}:{m:02d}"
    if colons == 2:
        return f"{sign}{h:02d}:{m:02d}:{s:02d}"
    return f"{sign}{h:02d}"


def strftime(epoch: float, fmt: str, tz: tzinfo) -> str:
    """Format epoch seconds with a Splunk time format in time zone ``tz``."""
    whole = int(epoch // 1)
    frac = epoch - whole
    dt = datetime.fromtimestamp(whole, tz)
    nanos = int(round(frac * 1e9))
    if nanos >= 1_000_000_000:
        nanos = 999_999_999

    def repl(m: re.Match) -> str:
        w, colons, c = m.group("w"), len(m.group("colons")), m.group("c")
        if c == "%":
            return "%"
        if c == "N" or c == "Q":
            digits = int(w) if w else (9 if c == "N" else 3)
            return f"{nanos:09d}"[:digits].ljust(digits, "0")
        if c == "f":
            return f"{nanos // 1000:06d}"
        if c == "s":
            return str(whole)
        if c == "z":
            return _offset_text(dt.utcoffset(), colons)
        if c == "Ez":
            return str(int((dt.utcoffset() or timedelta(0)).total_seconds() // 60))
        if c == "Z":
            return dt.tzname() or ""
        if c == "k":
            return f"{dt.hour:2d}"
        if c == "e":
            return f"{dt.day:2d}"
        if c == "l":
            return f"{(dt.hour % 12) or 12:2d}"
        if c == "V":
            # Splunk's %V is not ISO 8601's: the date-time functions page shows week 33 for Sunday
            # 2022-08-14 (ISO week 32), the Sunday-based week number (splengine/SEMANTICS.md)
            return dt.strftime("%U")
        if c in "aAbBhpmdHIMSjyYuwUWGgC":
            return dt.strftime("%" + c)
        raise SplError(f"unsupported time format variable %{c} in {fmt!r}")

    return _DIRECTIVE.sub(repl, _expand(fmt))


@lru_cache(maxsize=256)
def _compile_parser(fmt: str):
    """Translate a Splunk time format into a regex with one named group per variable."""
    fmt = _expand(fmt)
    parts = []
    fields = []
    pos = 0
    for m in _DIRECTIVE.finditer(fmt):
        literal = fmt[pos:m.start()]
        # ".%N" (also %Q, %f) matches a time without a fraction too: the date-time functions page parses
        # "Mon Aug 13 00:00:00 2018" with "%a %B %d %H:%M:%S.%N %Y"
        optional_fraction = m.group("c") in ("N", "Q", "f") and literal.endswith(".")
        if optional_fraction:
            literal = literal[:-1]
        parts.append(re.escape(literal).replace(r"\ ", r"\s+"))
        pos = m.end()
        w, c = m.group("w"), m.group("c")
        name = f"g{len(fields)}"
        if c == "%":
            parts.append("%")
            continue
        if c in "YGC":
            rx = r"[+-]?\d{4}" if c != "C" else r"\d{1,2}"
        elif c in "mdHIMSeklUWVuwy":
            rx = r"\s*\d{1,2}"
        elif c == "j":
            rx = r"\d{1,3}"
        elif c in "NQ":
            rx = r"\d{%s}" % w if w else (r"\d{1,9}" if c == "N" else r"\d{1,3}")
        elif c == "f":
            rx = r"\d{1,6}"
        elif c == "s":
            rx = r"[+-]?\d+(?:\.\d+)?"
        elif c in "bBh":
            rx = r"[A-Za-z]{3,9}"
        elif c in "aA":
            rx = r"[A-Za-z]{3,9}"
        elif c == "p":
            rx = r"[AaPp]\.?[Mm]\.?"
        elif c == "z":
            rx = r"Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?"
        elif c == "Ez":
            rx = r"[+-]?\d+"
        elif c == "Z":
            rx = r"[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}"
        else:
            raise SplError(f"unsupported time format variable %{c} in {fmt!r}")
        parts.append(f"(?:\\.(?P<{name}>{rx}))?" if optional_fraction else f"(?P<{name}>{rx})")
        fields.append((name, c))
    parts.append(re.escape(fmt[pos:]).replace(r"\ ", r"\s+"))
    return re.compile("".join(parts), re.IGNORECASE), fields


def _parse_offset(text: str) -> int | None:
    """Offset in minutes from '+hhmm', '+hh:mm', 'Z' or a known abbreviation; None if unknown."""
    t = text.strip()
    if t.lower() in _ZONE_ABBR:
        return _ZONE_ABBR[t.lower()]
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?", t)
    if not m:
        return None
    mins = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -mins if m.group(1) == "-" else mins


def strptime(text: str, fmt: str, tz: tzinfo):
    """Parse ``text`` with a Splunk time format; epoch seconds (int, or float with subseconds) or None.

    Like Splunk, the format must match from the start of the string; trailing text is ignored.
    Without a zone in the text the time is read in ``tz``.
    """
    rx, fields = _compile_parser(fmt)
    m = rx.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = 1970, 1, 1, 0, 0, 0
    yday = None
    frac = 0.0
    pm = None
    offset = None
    for name, c in fields:
        v = m.group(name)
        if v is None:
            continue
        v = v.strip()
        if c == "Y":
            year = int(v)
        elif c == "y":
            year = int(v) + (2000 if int(v) < 69 else 1900)
        elif c == "m":
            month = int(v)
        elif c in "de":
            day = int(v)
        elif c in "Hk":
            hour = int(v)
        elif c in "Il":
            hour = int(v) % 12
        elif c == "M":
            minute = int(v)
        elif c == "S":
            second = int(v)
        elif c == "j":
            yday = int(v)
        elif c in "NQf":
            frac = int(v) / 10 ** len(v)
        elif c == "p":
            pm = v[0].lower() == "p"
        elif c in "bBh":
            month = _month(v, text)
            if month is None:
                return None
        elif c == "s":
            return float(v) if "." in v else int(v)
        elif c in "zZ":
            offset = _parse_offset(v)
            if offset is None:
                return None
        elif c == "Ez":
            offset = int(v)
    if pm is not None and pm:
        hour += 12
    try:
        if yday is not None:
            base = datetime(year, 1, 1) + timedelta(days=yday - 1)
            month, day = base.month, base.day
        naive = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if offset is not None:
        epoch = calendar.timegm(naive.timetuple()) - offset * 60
    else:
        epoch = int(_localize(naive, tz).timestamp())
    return epoch + frac if frac else epoch


def _localize(naive: datetime, tz: tzinfo) -> datetime:
    if tz is timezone.utc or tz is None:
        return naive.replace(tzinfo=timezone.utc)
    return naive.replace(tzinfo=tz)


def _month(name: str, text: str) -> int | None:
    n = name.lower()
    for i, full in enumerate(_MONTHS):
        if full.startswith(n[:3]) and (len(n) == 3 or full == n):
            return i + 1
    return None
