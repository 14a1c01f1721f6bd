"""Date and time functions: now, time, relative_time, strftime, strptime.

https://help.splunk.com/en/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/date-and-time-functions
now() is the search's fixed start time (ctx.now); time() is the wall clock at evaluation.
"""
from __future__ import annotations

import time as _time

from splengine.timefmt import strftime, strptime
from splengine.values import Measured, to_number, to_str

from ..registry import scalar


@scalar("now", min_args=0, max_args=0, ctx=True)
def _now(ctx):
    return ctx.now


@scalar("time", min_args=0, max_args=0)
def _time_fn():
    return _time.time()


@scalar("relative_time", min_args=2, max_args=2, ctx=True)
def _relative_time(ctx, t, modifier):
    base = to_number(t)
    if base is None or modifier is None:
        return None
    return ctx.parse_relative_time(to_str(modifier), base)


@scalar("strftime", min_args=2, max_args=2, ctx=True)
def _strftime(ctx, t, fmt):
    epoch = to_number(t)
    if epoch is None or fmt is None:
        return None
    return strftime(epoch, to_str(fmt), ctx.tz)


@scalar("strptime", min_args=2, max_args=2, ctx=True)
def _strptime(ctx, text, fmt):
    if text is None or fmt is None or type(text) is list:
        return None
    epoch = strptime(to_str(text), to_str(fmt), ctx.tz)
    # The page renders strptime's result with six decimals (1534143600.000000): microsecond precision.
    return None if epoch is None else Measured.with_dec(float(epoch), 6)
