"""stats: aggregate rows, optionally split by fields.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/stats
- A row whose by-field is null is left out; a multivalue by-field puts the row in one group per value.
- Output: one row per group, by-fields first, sorted by the by-field values; without ``by`` exactly one
  row (``count`` is 0 when there were no rows). Null aggregate results are left out of the row.
- A field with ``*`` (the page's ``stats avg(*lay) BY date_hour``) stands for every field of the input rows it
  matches (internal ``_`` fields and the by-fields excepted), in name order; ``as`` with ``*`` renames each
  (``values(*) as *``), else the output is named ``func(field)``.
"""
from __future__ import annotations

import re
from itertools import product

from ..args import ArgList
from ..expr.stats import AggSpec, parse_aggregations
from ..values import sort_key, to_str
from .base import Command, register


def group_keys(row: dict, by: list[str]) -> list[tuple]:
    """The group keys of ``row`` (several when a by-field is multivalue); [] when a by-field is null."""
    if len(by) == 1:
        v = row.get(by[0])
        if v is None:
            return []
        if type(v) is list:
            return [(x if type(x) is str else to_str(x),) for x in dict.fromkeys(v)]
        return [(v if type(v) is str else to_str(v),)]
    parts = []
    for f in by:
        v = row.get(f)
        if v is None or v == []:
            return []
        vals = v if type(v) is list else [v]
        parts.append([x if type(x) is str else to_str(x) for x in dict.fromkeys(vals)])
    return list(product(*parts))


def key_sort(key: tuple):
    return tuple(sort_key(v) for v in key)


def parse_stats_args(args: ArgList, command: str) -> tuple[list[AggSpec], list[str]]:
    """``<aggregations> [by <fields>]`` shared by stats and eventstats."""
    args.take_options({})
    aggs = parse_aggregations(args, command, stop_words=("by",), wildcards=command == "stats")
    if not aggs:
        raise args.error("expects at least one statistical function, e.g. count", args.peek())
    by = args.take_by_clause()
    args.expect_end()
    return aggs, by


def aggregate(rows, aggs: list[AggSpec], by: list[str], ctx) -> dict:
    """Group and accumulate: {key: [accumulator per agg]} in first-seen order."""
    groups: dict = {}
    news = [a.new for a in aggs]
    pairs = list(zip(range(len(aggs)), aggs))
    if not by:
        accs = [n() for n in news]
        groups[()] = accs
        for row in rows:
            for i, a in pairs:
                accs[i].add(a.values(row, ctx), row)
        return groups
    fields = [a.field if a.expr is None else None for a in aggs]
    for row in rows:
        key = tuple(map(row.get, by))
        if all(type(k) is str for k in key):
            keys = (key,)
        else:
            keys = group_keys(row, by)
            if not keys:
                continue
        vals = []
        for a, f in zip(aggs, fields):
            if f is None:
                vals.append(a.values(row, ctx))
            else:
                v = row.get(f)
                vals.append(() if v is None else v if type(v) is list else (v,))
        for key in keys:
            accs = groups.get(key)
            if accs is None:
                accs = groups[key] = [n() for n in news]
            for i, acc in enumerate(accs):
                acc.add(vals[i], row)
    return groups


def result_row(key: tuple, by: list[str], aggs: list[AggSpec], accs) -> dict:
    out = dict(zip(by, key))
    for a, acc in zip(aggs, accs):
        v = acc.result()
        if v is not None:
            out[a.name] = v
    return out


def expand_wildcards(aggs: list[AggSpec], rows: list[dict], by: list[str]) -> list[AggSpec]:
    """Each wildcard term as one term per matching field of ``rows`` (see the module docstring)."""
    names = sorted({k for row in rows for k in row if not k.startswith("_") and k not in by})
    out = []
    for a in aggs:
        if not (a.field and "*" in a.field):
            out.append(a)
            continue
        rx = re.compile("(.*)".join(re.escape(p) for p in a.field.split("*")) + r"\Z", re.S)
        renamed = "(" not in a.name   # `as <name>`; the default name is the term as written
        for name in names:
            m = rx.match(name)
            if m is None:
                continue
            if renamed:
                output = _fill_stars(a.name, m.groups())
            else:
                output = f"{a.func}({name})"
            out.append(AggSpec(a.func, name, None, output, a.position))
    return out


def _fill_stars(pattern: str, pieces: tuple) -> str:
    """``max_*lay`` with the pieces matched by the field's ``*``s -> ``max_delay``."""
    parts = iter(pieces)
    return re.sub(r"\*", lambda _: next(parts, ""), pattern)


@register("stats")
class StatsCommand(Command):
    def __init__(self, aggs, by):
        self.aggs = aggs
        self.by = by

    @classmethod
    def parse(cls, args: ArgList, ctx) -> StatsCommand:
        return cls(*parse_stats_args(args, "stats"))

    def execute(self, rows, ctx):
        aggs = self.aggs
        if any(a.field and "*" in a.field for a in aggs):
            rows = list(rows)
            aggs = expand_wildcards(aggs, rows, self.by)
        groups = aggregate(rows, aggs, self.by, ctx)
        keys = sorted(groups, key=key_sort) if self.by else list(groups)
        for key in keys:
            yield result_row(key, self.by, aggs, groups[key])
