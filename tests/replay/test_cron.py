"""cron_schedule expansion against schedules worked out by hand."""
from datetime import datetime, timezone

import pytest
from croniter import CroniterBadDateError, croniter
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from replay.cron import CronError, run_times, validate


def utc(*parts):
    return int(datetime(*parts, tzinfo=timezone.utc).timestamp())


def times(expr, start, end):
    return [datetime.fromtimestamp(t, timezone.utc).strftime("%a %Y-%m-%d %H:%M") for t in run_times(expr, start, end)]


def test_every_five_minutes_includes_both_bounds():
    assert times("*/5 * * * *", utc(2024, 3, 1, 10, 0), utc(2024, 3, 1, 10, 20)) == [
        "Fri 2024-03-01 10:00", "Fri 2024-03-01 10:05", "Fri 2024-03-01 10:10",
        "Fri 2024-03-01 10:15", "Fri 2024-03-01 10:20"]


def test_list_from_the_spec_example():
    assert times("03,23,43 * * * *", utc(2024, 3, 1, 10, 0), utc(2024, 3, 1, 11, 5)) == [
        "Fri 2024-03-01 10:03", "Fri 2024-03-01 10:23", "Fri 2024-03-01 10:43", "Fri 2024-03-01 11:03"]


def test_ranges_steps_and_weekdays():
    # 08:30 and 18:30 on weekdays 1-5 (Mon-Fri); 2024-03-01 is a Friday
    assert times("30 8-18/10 * * 1-5", utc(2024, 3, 1, 0, 0), utc(2024, 3, 4, 12, 0)) == [
        "Fri 2024-03-01 08:30", "Fri 2024-03-01 18:30", "Mon 2024-03-04 08:30"]


def test_sunday_is_0_and_7():
    assert times("0 0 * * 0", utc(2024, 3, 1), utc(2024, 3, 18)) == times("0 0 * * 7", utc(2024, 3, 1), utc(2024, 3, 18))
    assert times("0 0 * * 0", utc(2024, 3, 1), utc(2024, 3, 18)) == ["Sun 2024-03-03 00:00", "Sun 2024-03-10 00:00",
                                                                      "Sun 2024-03-17 00:00"]


def test_day_of_month_or_day_of_week_and_leap_day():
    # standard cron: restricted day-of-month OR restricted day-of-week
    assert times("0 12 1 * 1", utc(2024, 2, 25), utc(2024, 3, 6)) == [
        "Mon 2024-02-26 12:00", "Fri 2024-03-01 12:00", "Mon 2024-03-04 12:00"]
    assert times("0 0 29 2 *", utc(2023, 1, 1), utc(2028, 12, 31)) == ["Thu 2024-02-29 00:00", "Tue 2028-02-29 00:00"]


def test_daily_count_over_thirty_days():
    assert len(list(run_times("15 2 * * *", utc(2024, 1, 1), utc(2024, 1, 31, 23, 59)))) == 31
    assert len(list(run_times("0 * * * *", utc(2024, 1, 1), utc(2024, 1, 31, 23, 59)))) == 31 * 24


@pytest.mark.parametrize("expr, message", [
    ("0 * * jan *", "month field"),
    ("0 * * * mon", "day of week field"),
    ("@hourly", "1 fields"),
    ("0 0 * * * *", "6 fields"),
    ("61 * * * *", "minute value 61"),
    ("0 24 * * *", "hour value 24"),
    ("", "empty"),
])
def test_rejects_what_splunk_does_not_accept(expr, message):
    with pytest.raises(CronError, match=message):
        validate(expr)


@settings(max_examples=300, deadline=None)
@given(minute=st.sampled_from(["*", "*/5", "0", "7,37", "10-20/5", "59"]),
       hour=st.sampled_from(["*", "0", "*/6", "3,15", "22-23"]),
       days_fields=st.sampled_from(["* * *", "* * *", "1 * *", "* * 1-5", "1-5 */3 0"]),
       start=st.integers(1_700_000_000, 1_760_000_000), days=st.integers(0, 70))
def test_utc_run_times_equal_croniter(minute, hour, days_fields, start, days):
    """The day-by-day UTC expansion (minute and hour fields only) gives exactly croniter's times."""
    expr = f"{minute} {hour} {days_fields}"
    end = start + days * 86400 + 4000
    iterator = croniter(expr, datetime.fromtimestamp(start - 1, timezone.utc))
    expected = []
    while True:
        try:
            moment = int(iterator.get_next(float))
        except CroniterBadDateError:   # a day that never comes (31 February): croniter gives up
            assume(False)
        if moment > end:
            break
        if moment >= start:
            expected.append(moment)
    assert list(run_times(expr, start, end)) == expected
