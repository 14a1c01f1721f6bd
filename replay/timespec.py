"""Durations of .conf settings: `alert.suppress.period` ("60", "1m", "1h", "2d") and CLI lags."""
import re

_UNITS = {
    "": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
}
_SPEC = re.compile(r"^\s*(\d+)\s*([a-zA-Z]*)\s*$")


def seconds(text, setting="duration"):
    """[number][time-unit] as seconds (a bare number is seconds); raises ValueError naming `setting`."""
    match = _SPEC.match(str(text))
    if not match or match.group(2).lower() not in _UNITS:
        raise ValueError(f"{setting}: {text!r} is not [number][s|m|h|d]")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]
