"""cron_schedule as Splunk's scheduler accepts it, expanded with croniter.

savedsearches.conf.spec: "You can use standard cron notation" (5 fields: minute hour day-of-month
month day-of-week; lists, ranges, steps, `*`), and "The Splunk cron implementation does not
currently support names of months or days", so names, `@hourly`-style macros and a sixth
(seconds) field are rejected with an error instead of being silently accepted. When both
day-of-month and day-of-week are restricted, a day matches either (standard cron, croniter's
default).
"""
import functools
import itertools
import math
import re
from datetime import datetime, timezone

from croniter import croniter

_FIELD = re.compile(r"^[0-9*/,\-]+$")
_NAMES = ("minute", "hour", "day of month", "month", "day of week")
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


class CronError(ValueError):
    """An invalid cron_schedule; the message names the field."""


@functools.lru_cache(maxsize=None)
def validate(expr):
    """Return the normalised 5-field expression or raise CronError (cached: the busy-scheduler model asks
    for a period per waiting run)."""
    if not isinstance(expr, str) or not expr.strip():
        raise CronError("cron_schedule is empty")
    fields = expr.split()
    if len(fields) != 5:
        raise CronError(f"cron_schedule {expr!r} has {len(fields)} fields; Splunk takes 5 "
                        "(minute hour day-of-month month day-of-week)")
    for name, (low, high), field in zip(_NAMES, _RANGES, fields):
        if not _FIELD.match(field):
            raise CronError(f"cron_schedule {expr!r}: {name} field {field!r} is not numeric cron "
                            "(Splunk does not support month or day names)")
        for number in re.findall(r"\d+", field.split("/")[0]):
            if not low <= int(number) <= high:
                raise CronError(f"cron_schedule {expr!r}: {name} value {number} outside {low}-{high}")
    normalised = " ".join(fields)
    if not croniter.is_valid(normalised):
        raise CronError(f"cron_schedule {expr!r} is not valid cron")
    return normalised


def run_times(expr, start, end, tz=timezone.utc):
    """Epoch seconds of every scheduled time t with start <= t <= end (whole minutes)."""
    normalised = validate(expr)
    expanded = _expanded(normalised)
    if _is_utc(tz) and expanded[2:] == [["*"], ["*"], ["*"]]:
        yield from _utc_times(expanded[0], expanded[1], start, end)
        return
    first = datetime.fromtimestamp(start - 1, tz)
    iterator = croniter(normalised, first)
    while True:
        moment = iterator.get_next(float)
        if moment > end:
            return
        if moment >= start:
            yield int(moment)


@functools.lru_cache(maxsize=None)
def _expanded(normalised):
    return croniter(normalised).expanded


def _is_utc(tz):
    return tz is timezone.utc or getattr(tz, "key", None) in ("UTC", "Etc/UTC")


def _utc_times(minutes, hours, start, end):
    """run_times in UTC of a schedule restricting only minutes and hours (every schedule of this app), day by
    day: the replay asks for months of 5-minute schedules, and croniter's per-time datetime arithmetic was a
    third of a replay's time. Every other schedule (day, month, weekday fields; other time zones, with DST)
    goes through croniter. tests/replay/test_cron.py compares both."""
    hours = range(24) if hours == ["*"] else hours
    minutes = range(60) if minutes == ["*"] else minutes
    offsets = [hour * 3600 + minute * 60 for hour in hours for minute in minutes]
    day = int(start) // 86400 * 86400
    while day <= end:
        for offset in offsets:
            moment = day + offset
            if start <= moment <= end:
                yield moment
        day += 86400


def period_seconds(expr, around, tz=timezone.utc):
    """Distance between the two scheduled times following `around` (used for `Np` periods)."""
    first, second = itertools.islice(run_times(expr, math.floor(around) + 1, math.inf, tz), 2)
    return int(second - first)
