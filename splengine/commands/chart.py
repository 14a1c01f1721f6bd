"""chart and timechart: aggregate into a table of X rows by series columns.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/chart
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/timechart
- Series (the by-field values) are ranked by the sum of their cells; the top ``limit`` (default 10,
  0 = all) are kept and the rest aggregated into ``OTHER`` when ``useother`` (default true).
- Rows whose by-field is null form a ``NULL`` series when ``usenull`` (default true).
- With one function the columns are the series values; with several, ``"<function>: <series>"``.
- timechart buckets ``_time`` (``span=`` or ``bins=``, default 100 bins), emits every bucket of the
  search's time range (or of the data) in time order, and fills empty count/dc cells with 0.
"""
from __future__ import annotations

from ..args import ArgList
from ..expr.stats import parse_aggregations
from ..values import sort_key, to_number, to_str
from .base import Command, register
from .bin import auto_time_span, next_bucket, parse_span, time_bucket

_ZERO_FILLED = {"count", "c", "dc", "distinct_count"}
_CHART_OPTS = {"limit": "int", "useother": "bool", "usenull": "bool", "nullstr": "str", "otherstr": "str"}


def _x_key(v):
    return v if type(v) is str else to_str(v)


class _Tabulate(Command):
    def _setup(self, aggs, by, opts):
        self.aggs = aggs
        self.by = by
        self.limit = opts.get("limit", 10)
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
        """``keyed_rows``: (x, row) pairs. Returns (cells {(x, series): [accs]}, kept series, every x seen)."""
        aggs = self.aggs
        entries = []
        for x, row in keyed_rows:
            vals = [a.values(row, ctx) for a in aggs]
            for s in self._series_of(row):
                entries.append((x, s, vals, row))
        cells = self._accumulate(entries)
        series = list(dict.fromkeys(s for _, s, _, _ in entries))
        xs = {x for x, _, _, _ in entries}
        if self.by is None or not self.limit or len(series) <= self.limit:
            return cells, series, xs
        score = {s: 0.0 for s in series}
        for (_, s), accs in cells.items():
            for acc in accs:
                n = to_number(acc.result())
                if n is not None:
                    score[s] += n
        ranked = sorted(series, key=lambda s: -score[s])
        kept = ranked[:self.limit]
        keep = set(kept)
        cells = {k: v for k, v in cells.items() if k[1] in keep}
        if self.useother:
            other = [(x, self.otherstr, vals, row) for x, s, vals, row in entries if s not in keep]
            cells.update(self._accumulate(other))
            kept.append(self.otherstr)
        return cells, kept, xs

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
        aggs = parse_aggregations(args, stop_words=("by", "over"))
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        over = by = None
        if args.take_keyword("over"):
            over = args.take_field()[0]
            if args.take_keyword("by"):
                by = args.take_field()[0]
        elif args.take_keyword("by"):
            fields = [f for f, _ in args.take_fields(stop=())]
            if not 1 <= len(fields) <= 2:
                raise args.error("'by' takes one or two fields (row split and column split)")
            over = fields[0]
            by = fields[1] if len(fields) == 2 else None
        args.expect_end()
        cmd = cls()
        cmd._setup(aggs, by, opts)
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
            for out in self.emit("", [""], cells, series, zero_fill=False):
                out.pop("")
                yield out
            return
        xs = sorted(seen, key=sort_key)
        yield from self.emit(over, xs, cells, series, zero_fill=False)


@register("timechart")
class TimechartCommand(_Tabulate):
    @classmethod
    def parse(cls, args: ArgList, ctx) -> TimechartCommand:
        opts = args.take_options({**_CHART_OPTS, "span": "str", "bins": "int"})
        aggs = parse_aggregations(args, stop_words=("by",))
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        by = None
        if args.take_keyword("by"):
            by = args.take_field()[0]
        args.expect_end()
        cmd = cls()
        cmd._setup(aggs, by, opts)
        cmd.span = parse_span(opts["span"], args.position) if "span" in opts else None
        cmd.bins = opts.get("bins", 100)
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
        span = self.span or auto_time_span(lo, hi, self.bins)
        tz = ctx.tz
        cells, series, seen = self.tabulate(((time_bucket(t, span, tz), r) for t, r in zip(times, rows)), ctx)
        xs = []
        t = time_bucket(lo, span, tz)
        while t < hi or (t == hi and ctx.latest is None):
            xs.append(t)
            t = next_bucket(t, span, tz)
        extra = sorted(seen - set(xs))
        yield from self.emit("_time", sorted(xs + extra), cells, series, zero_fill=True)
