"""chart and timechart: aggregate into a table of X rows by series columns.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/chart
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/timechart
- Series (the by-field values) are ranked by the sum of their cells ("limit=N the top or bottom N values are
  retained, based on the sum of each series"; ``agg=`` or a ``WHERE <agg> in|notin top|bottom<N>`` /
  ``WHERE <agg> >|< <num>`` clause after the split-by field choose another measure, and a where clause makes
  ``limit``/``agg`` ignored); the rest is aggregated into ``OTHER`` when ``useother`` (default true).
- Rows whose by-field is null form a ``NULL`` series when ``usenull`` (default true).
- With one function the columns are the series values, in lexicographic order (the pages' example tables),
  then ``NULL`` and ``OTHER``; with several functions, ``"<function>: <series>"``.
- Empty count/dc cells are 0 ("bins that have no values will display with a count of 0 or null values": the
  chart page's usenull=f and useother=f examples show 0), other functions' empty cells are null.
- timechart buckets ``_time`` (``span=`` or ``bins=``, default 100 bins) and emits every bucket of the
  search's time range (or of the data) in time order; ``cont=false`` emits only the buckets with data.
"""
from __future__ import annotations

import re

from ..args import ArgList
from ..expr.stats import PerTime, parse_aggregations
from ..values import sort_key, to_number, to_str
from .base import Command, register
from .bin import auto_time_span, next_bucket, parse_minspan, parse_span, time_bucket

_ZERO_FILLED = {"count", "c", "dc", "distinct_count"}
_CHART_OPTS = {"limit": "str", "agg": "str", "useother": "bool", "usenull": "bool", "nullstr": "str",
               "otherstr": "str", "cont": "bool"}
_SERIES_MEASURES = {"sum", "max", "min", "avg", "count"}
_LIMIT = re.compile(r"(?i)(top|bottom)?(\d+)")
_TOP_BOTTOM = re.compile(r"(?i)(top|bottom)(\d+)")


def _series_filter(args: ArgList, opts: dict) -> tuple:
    """(measure, op, operand): ``("sum", "in", ("top", 10))`` by default; op is in/notin/>/<."""
    if args.take_keyword("where"):
        measure = args.next()
        if measure.value.lower() not in _SERIES_MEASURES:
            raise args.unsupported(f"where clause function '{measure.value}' is not supported "
                                   f"(use {', '.join(sorted(_SERIES_MEASURES))})", measure)
        op = args.next()
        if op.value.lower() in ("in", "notin"):
            group = args.next()
            m = _TOP_BOTTOM.fullmatch(group.value)
            if m is None:
                raise args.error(f"where clause expects top<N> or bottom<N>, got '{group.value}'", group)
            return measure.value.lower(), op.value.lower(), (m.group(1).lower(), int(m.group(2)))
        if op.value in (">", "<"):
            num = args.next()
            try:
                return measure.value.lower(), op.value, float(num.value)
            except ValueError:
                raise args.error(f"where clause expects a number, got '{num.value}'", num) from None
        raise args.error("where clause expects in, notin, > or <", op)
    m = _LIMIT.fullmatch(opts.get("limit", "top10"))
    if m is None:
        raise args.error(f"limit expects [top|bottom]<int>, got '{opts['limit']}'")
    measure = opts.get("agg", "sum").lower()
    if measure not in _SERIES_MEASURES:
        raise args.unsupported(f"agg={opts['agg']} is not supported (use {', '.join(sorted(_SERIES_MEASURES))})")
    return measure, "in", ((m.group(1) or "top").lower(), int(m.group(2)))


def _x_key(v):
    return v if type(v) is str else to_str(v)


class _Tabulate(Command):
    def _setup(self, aggs, by, opts, series_filter):
        self.aggs = aggs
        self.by = by
        self.series_filter = series_filter
        self.useother = opts.get("useother", True)
        self.usenull = opts.get("usenull", True)
        self.nullstr = opts.get("nullstr", "NULL")
        self.otherstr = opts.get("otherstr", "OTHER")

    def _series_of(self, row):
        if self.by is None:
            return [None]
        v = row.get(self.by)
        if v is None or v == []:
            return [self.nullstr] if self.usenull else []
        vals = v if type(v) is list else [v]
        return [_x_key(x) for x in dict.fromkeys(vals)]

    def tabulate(self, keyed_rows, ctx):
        """``keyed_rows``: (x, row) pairs. Returns (cells {(x, series): [accs]}, output series, every x seen)."""
        aggs = self.aggs
        entries = []
        rows_of: dict = {}
        for x, row in keyed_rows:
            vals = [a.values(row, ctx) for a in aggs]
            for s in self._series_of(row):
                entries.append((x, s, vals, row))
                rows_of[s] = rows_of.get(s, 0) + 1
        cells = self._accumulate(entries)
        xs = {x for x, _, _, _ in entries}
        if self.by is None:
            return cells, [None], xs
        series = list(rows_of)
        keep = set(self._kept(series, cells, rows_of))
        dropped = [s for s in series if s not in keep]
        cells = {k: v for k, v in cells.items() if k[1] in keep}
        named = sorted(s for s in keep if s != self.nullstr or not self.usenull)
        out = named + ([self.nullstr] if self.usenull and self.nullstr in keep else [])
        if dropped and self.useother:
            cells.update(self._accumulate([(x, self.otherstr, vals, row) for x, s, vals, row in entries
                                           if s not in keep]))
            out.append(self.otherstr)
        return cells, out, xs

    def _kept(self, series, cells, rows_of):
        """The series the filter keeps: ranked by the measure over their cells (first function), ties in
        lexicographic order of the series value."""
        measure, op, operand = self.series_filter
        cell_values: dict = {s: [] for s in series}
        for (_, s), accs in cells.items():
            n = to_number(accs[0].result())
            if n is not None:
                cell_values[s].append(n)

        def score(s):
            vals = cell_values[s]
            if measure == "count":
                return rows_of[s]
            if not vals:
                return 0
            if measure == "sum":
                return sum(vals)
            if measure == "avg":
                return sum(vals) / len(vals)
            return max(vals) if measure == "max" else min(vals)

        if op in (">", "<"):
            return [s for s in series if (score(s) > operand if op == ">" else score(s) < operand)]
        direction, n = operand
        if op == "in" and (n == 0 or len(series) <= n):
            return series
        ranked = sorted(sorted(series), key=score, reverse=direction == "top")
        top = set(ranked[:n])
        return [s for s in series if (s in top) == (op == "in")]

    def _accumulate(self, entries):
        cells: dict = {}
        news = [a.new for a in self.aggs]
        for x, s, vals, row in entries:
            accs = cells.get((x, s))
            if accs is None:
                accs = cells[(x, s)] = [n() for n in news]
            for acc, v in zip(accs, vals):
                acc.add(v, row)
        return cells

    def columns(self, series):
        """(column name, series, agg index) for every output column."""
        if self.by is None:
            return [(a.name, None, i) for i, a in enumerate(self.aggs)]
        if len(self.aggs) == 1:
            return [(s, s, 0) for s in series]
        return [(f"{a.name}: {s}", s, i) for i, a in enumerate(self.aggs) for s in series]

    def emit(self, xname, xs, cells, series, zero_fill):
        cols = self.columns(series)
        for x in xs:
            out = {xname: x}
            for name, s, i in cols:
                accs = cells.get((x, s))
                v = accs[i].result() if accs is not None else None
                if v is None and zero_fill and self.aggs[i].func.lower() in _ZERO_FILLED:
                    v = 0
                if v is not None:
                    out[name] = v
            yield out


@register("chart")
class ChartCommand(_Tabulate):
    @classmethod
    def parse(cls, args: ArgList, ctx) -> ChartCommand:
        opts = args.take_options(_CHART_OPTS)
        aggs = parse_aggregations(args, "chart", stop_words=("by", "over"))
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        over = by = None
        if args.take_keyword("over"):
            over = args.take_field()[0]
            if args.take_keyword("by"):
                by = args.take_field()[0]
        elif args.take_keyword("by"):
            fields = [f for f, _ in args.take_fields(stop=("where",))]
            if not 1 <= len(fields) <= 2:
                raise args.error("'by' takes one or two fields (row split and column split)")
            over = fields[0]
            by = fields[1] if len(fields) == 2 else None
        series_filter = _series_filter(args, opts)
        args.expect_end()
        cmd = cls()
        cmd._setup(aggs, by, opts, series_filter)
        cmd.over = over
        return cmd

    def execute(self, rows, ctx):
        over = self.over

        def keyed():
            for row in rows:
                if over is None:
                    yield "", row
                    continue
                v = row.get(over)
                if v is None or v == []:
                    continue
                for x in dict.fromkeys(v if type(v) is list else [v]):
                    yield _x_key(x), row

        cells, series, seen = self.tabulate(keyed(), ctx)
        if over is None:
            for out in self.emit("", [""], cells, series, zero_fill=True):
                out.pop("")
                yield out
            return
        xs = sorted(seen, key=sort_key)
        yield from self.emit(over, xs, cells, series, zero_fill=True)


@register("timechart")
class TimechartCommand(_Tabulate):
    @classmethod
    def parse(cls, args: ArgList, ctx) -> TimechartCommand:
        opts = args.take_options({**_CHART_OPTS, "span": "str", "bins": "int", "minspan": "str"})
        aggs = parse_aggregations(args, "timechart", stop_words=("by",))
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        by = None
        if args.take_keyword("by"):
            by = args.take_field()[0]
        series_filter = _series_filter(args, opts)
        args.expect_end()
        cmd = cls()
        cmd._setup(aggs, by, opts, series_filter)
        cmd.cont = opts.get("cont", True)
        cmd.span = parse_span(opts["span"], args.position) if "span" in opts else None
        cmd.bins = opts.get("bins", 100)
        cmd.minspan = parse_minspan(opts["minspan"], "_time", args.position) if "minspan" in opts else 0
        if cmd.bins < 1:
            raise args.error(f"bins must be a positive integer, got {cmd.bins}")
        return cmd

    def execute(self, rows, ctx):
        rows = [r for r in rows if to_number(r.get("_time")) is not None]
        times = [to_number(r["_time"]) for r in rows]
        lo = ctx.earliest if ctx.earliest is not None else (min(times) if times else None)
        hi = ctx.latest if ctx.latest is not None else (max(times) if times else None)
        if lo is None:
            return
        span = self.span or auto_time_span(lo, hi, self.bins, self.minspan)
        tz = ctx.tz
        self._bucket_seconds = lambda x: next_bucket(x, span, tz) - x
        cells, series, seen = self.tabulate(((time_bucket(t, span, tz), r) for t, r in zip(times, rows)), ctx)
        xs = []
        t = time_bucket(lo, span, tz)
        while self.cont and (t < hi or (t == hi and ctx.latest is None)):
            xs.append(t)
            t = next_bucket(t, span, tz)
        extra = sorted(seen - set(xs))
        yield from self.emit("_time", sorted(xs + extra), cells, series, zero_fill=True)

    def _accumulate(self, entries):
        """Cells as for chart; per_second..per_day learn their bucket's length (a month's or a DST day's own)."""
        cells = super()._accumulate(entries)
        for (x, _), accs in cells.items():
            for acc in accs:
                if isinstance(acc, PerTime):
                    acc.seconds = self._bucket_seconds(x)
        return cells
