"""Time modifiers: relative offsets, snapping, chained offsets, absolute times, epoch, time zones.

https://help.splunk.com/splunk-enterprise/search/search-manual/9.2/specify-time-ranges/specify-time-modifiers-in-your-search
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from splengine.errors import SplSyntaxError
from splengine.timemod import parse_time_modifier

UTC = timezone.utc
# Tuesday 2024-04-30 14:05:27 UTC
NOW = datetime(2024, 4, 30, 14, 5, 27, tzinfo=UTC).timestamp()


def at(*args, tz=UTC):
    return datetime(*args, tzinfo=tz).timestamp()


@pytest.mark.parametrize("mod, expected", [
    ("now", NOW),
    ("-70m@m", at(2024, 4, 30, 12, 55)),
    ("@d", at(2024, 4, 30)),
    ("-1d@d+2h", at(2024, 4, 29, 2)),
    ("-2d@d", at(2024, 4, 28)),           # docs: -2d@d snaps to the beginning of the day
    ("-1h@h", at(2024, 4, 30, 13)),
    ("@w0", at(2024, 4, 28)),             # w0 = Sunday
    ("@w1", at(2024, 4, 29)),             # Monday
    ("@w7", at(2024, 4, 28)),
    ("@mon", at(2024, 4, 1)),
    ("@q", at(2024, 4, 1)),
    ("@y", at(2024, 1, 1)),
    ("-1mon@mon", at(2024, 3, 1)),
    ("+1d", NOW + 86400),
    ("-30s", NOW - 30),
    ("-1y", at(2023, 4, 30, 14, 5, 27)),
    ("1", 1.0),                           # docs: earliest=1 is the start of epoch time
    ("1714485927", 1714485927.0),
    ("10/19/2018:00:00:00", at(2018, 10, 19)),
])
def test_modifiers(mod, expected):
    assert parse_time_modifier(mod, NOW, UTC) == expected


def test_month_arithmetic_clamps_day():
    base = at(2024, 3, 31, 12)
    assert parse_time_modifier("-1mon", base, UTC) == at(2024, 2, 29, 12)


def test_snapping_uses_the_time_zone():
    ny = ZoneInfo("America/New_York")
    # 14:05 UTC is 10:05 in New York (EDT): @d is New York midnight
    assert parse_time_modifier("@d", NOW, ny) == at(2024, 4, 30, tz=ny)


@pytest.mark.parametrize("bad", ["-5x", "@d7", "rt-5m", "yesterday", "10/40/2018:00:00:00"])
def test_invalid_modifiers(bad):
    with pytest.raises(SplSyntaxError):
        parse_time_modifier(bad, NOW, UTC)
