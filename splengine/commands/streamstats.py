"""streamstats: running statistics over the rows seen so far (streaming, order kept).

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/streamstats
Options: window=<n> (0 = all rows), current=<bool> (include the current row, default true),
global=<bool> (with window and by: one window for all groups when true, default true),
reset_on_change=<bool> (restart every group's statistics when a by-field value changes),
time_window=<span> (only rows whose _time is less than the span away from the current row's; the rows must be
sorted by _time, ascending or descending, as the page requires; months, quarters and years are calendar spans), reset_before="(<eval-expression>)" and
reset_after="(<eval-expression>)" (every accumulated statistic and window restarts before / after a row for which
the expression is true; reset_after sees the fields streamstats just added). Wildcard fields (``sum(*) as
accu_total_*``, the page's example 4) expand over the fields of all the rows, as in stats.
"""
from __future__ import annotations

import calendar
import re
from collections import deque
from datetime import datetime

from ..args import ArgList
from ..errors import SplError
from ..expr.eval import parse_expression, truthy
from ..expr.stats import parse_aggregations
from ..values import to_number
from .base import Command, register
from .bin import parse_span
from .stats import expand_wildcards, group_keys

_YEARS = re.compile(r"(\d+)(?:y|yr|yrs|year|years)", re.IGNORECASE)
_QUARTER = re.compile(r"\d+(?:q|qtr|qtrs|quarter|quarters)", re.IGNORECASE)


def _shift_months(t: float, months: int, tz) -> float:
    """``t`` moved by whole calendar months, the day clamped to the month's last (March 31 - 1mon: Feb 28/29)."""
    dt = datetime.fromtimestamp(t, tz)
    index = dt.year * 12 + dt.month - 1 + months
    year, month = index // 12, index % 12 + 1
    day = min(dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day).timestamp()


@register("streamstats")
class StreamstatsCommand(Command):
    keeps_columns = True

    def __init__(self, aggs, by, window, current, global_window, reset_on_change, time_window=None,
                 reset_before=None, reset_after=None):
        self.reset_before, self.reset_after = reset_before, reset_after
        self.time_window = time_window
        self.aggs = aggs
        self.by = by
        self.window = window
        self.current = current
        self.global_window = global_window
        self.reset_on_change = reset_on_change

    @classmethod
    def parse(cls, args: ArgList, ctx) -> StreamstatsCommand:
        opts = args.take_options({"window": "int", "current": "bool", "global": "bool",
                                  "reset_on_change": "bool", "time_window": "str", "reset_before": "str",
                                  "reset_after": "str"})
        resets = {name: cls._reset_expression(opts[name], name, args) for name in ("reset_before", "reset_after")
                  if name in opts}
        time_window = None
        if "time_window" in opts:
            time_window = cls._time_window(opts["time_window"], args)
        window = opts.get("window", 0)
        if window < 0:
            raise args.error(f"window must be 0 or a positive integer, got {window}")
        aggs = parse_aggregations(args, "streamstats", stop_words=("by",), wildcards=True)
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        by = args.take_by_clause()
        args.expect_end()
        return cls(aggs, by, window, opts.get("current", True), opts.get("global", True),
                   opts.get("reset_on_change", False), time_window, resets.get("reset_before"),
                   resets.get("reset_after"))

    @staticmethod
    def _time_window(text: str, args: ArgList):
        """Seconds, or ("month", n) for the page's calendar values: 1, 2, 3, 4, 6, 12mon; 1, 2, 4q; <n>y."""
        m = _YEARS.fullmatch(text.strip())
        if m:
            return ("month", 12 * int(m.group(1)))
        span = parse_span(text, args.position)
        if isinstance(span, tuple):
            quarters = _QUARTER.fullmatch(text.strip())
            allowed = (3, 6, 12) if quarters else (1, 2, 3, 4, 6, 12)
            if span[1] not in allowed:
                raise args.error(f"time_window={text}: the page's month values are 1, 2, 3, 4, 6 and 12mon, its "
                                 "quarter values 1, 2 and 4q")
        return span

    @staticmethod
    def _reset_expression(text: str, name: str, args: ArgList):
        """reset_before/reset_after="(<eval-expression>)": the quoted, parenthesized condition."""
        if not (text.startswith("(") and text.endswith(")")):
            raise args.error(f'{name} takes "(<eval-expression>)", got {text!r}')
        return parse_expression(text)

    def execute(self, rows, ctx):
        aggs, by, window = self.aggs, self.by, self.window
        if any(a.field and "*" in a.field for a in aggs):
            rows = list(rows)
            aggs = expand_wildcards(aggs, rows, by)
        history: dict = {}          # group key -> deque of (row, values per agg)
        shared = deque()            # global window: (key, row, values)
        last_key = None
        span, direction, previous_t = self.time_window, 0, None
        running = not window and span is None
        accumulators: dict = {}     # group key -> one accumulator per agg (no window: updated row by row)
        for row in rows:
            keys = group_keys(row, by) if by else [()]
            if not keys:
                yield row
                continue
            key = keys[0]
            if ((self.reset_on_change and last_key is not None and key != last_key)
                    or (self.reset_before is not None and truthy(self.reset_before.evaluate(row, ctx)))):
                history.clear()
                shared.clear()
                accumulators.clear()
            last_key = key
            vals = [a.values(row, ctx) for a in aggs]
            if running:
                row.update(self._running(accumulators, key, row, vals, aggs))
                if self.reset_after is not None and truthy(self.reset_after.evaluate(row, ctx)):
                    accumulators.clear()
                yield row
                continue
            if window and by and self.global_window and span is None:
                if self.current:
                    shared.append((key, row, vals))
                    while len(shared) > window:
                        shared.popleft()
                    entries = [(r, v) for k, r, v in shared if k == key]
                else:
                    entries = [(r, v) for k, r, v in shared if k == key]
                    shared.append((key, row, vals))
                    while len(shared) > window:
                        shared.popleft()
            else:
                h = history.get(key)
                if h is None:
                    h = history[key] = deque(maxlen=window or None)
                if span is not None:
                    t = to_number(row.get("_time"))
                    if t is None:
                        raise SplError("streamstats: time_window needs a _time in every row", self.position)
                    if previous_t is not None and t != previous_t:
                        step = 1 if t > previous_t else -1
                        if direction and step != direction:
                            raise SplError("streamstats: time_window needs the rows sorted by _time", self.position)
                        direction = step
                    previous_t = t
                    while h and self._outside(to_number(h[0][0].get("_time")), t, span, direction, ctx.tz):
                        h.popleft()
                if self.current:
                    h.append((row, vals))
                    entries = list(h)
                else:
                    entries = list(h)
                    h.append((row, vals))
            out = {}
            for i, a in enumerate(aggs):
                acc = a.new()
                for r, v in entries:
                    acc.add(v[i], r)
                value = acc.result()
                if value is not None:
                    out[a.name] = value
            row.update(out)
            if self.reset_after is not None and truthy(self.reset_after.evaluate(row, ctx)):
                history.clear()
                shared.clear()
            yield row

    @staticmethod
    def _outside(then: float, t: float, span, direction: int, tz) -> bool:
        """Whether a row at ``then`` is a whole time_window or more away from the current row at ``t``; a
        calendar window counts whole months back (ascending rows) or forward (descending) in the search's zone."""
        if not isinstance(span, tuple):
            return abs(t - then) >= span
        if direction == 0:
            return False
        bound = _shift_months(t, -span[1] if direction > 0 else span[1], tz)
        return then <= bound if direction > 0 else then >= bound

    def _running(self, accumulators, key, row, vals, aggs):
        """Statistics of every row of the group so far (this one included unless current=f), kept up to date
        row by row: linear in the rows, where recomputing the whole history per row is quadratic."""
        accs = accumulators.get(key)
        if accs is None:
            accs = accumulators[key] = [a.new() for a in aggs]
        before = None if self.current else self._results(accs, aggs)
        for acc, v in zip(accs, vals):
            acc.add(v, row)
        return before if before is not None else self._results(accs, aggs)

    @staticmethod
    def _results(accs, aggs):
        out = {}
        for a, acc in zip(aggs, accs):
            value = acc.result()
            if value is not None:
                out[a.name] = value
        return out
