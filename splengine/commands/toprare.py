"""top and rare: the most / least common values (or value combinations) of fields.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/top
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/rare
Rows missing one of the fields are not counted; a multivalue field counts each value. ``percent`` is
the share of the counted rows of the group (by-clause), rounded to 6 decimals as the top page's table shows
(33.333333). Ties: top returns "the last lexicographical value" first (the top page's "Lexicographic order
of results"); rare, where the docs are silent, the first lexicographical value first.
"""
from __future__ import annotations

from ..args import ArgList
from .base import Command, register
from .stats import group_keys


class _TopRare(Command):
    descending = True

    def __init__(self, fields, by, opts):
        self.fields = fields
        self.by = by
        self.limit = opts.get("limit", 10)
        self.countfield = opts.get("countfield", "count")
        self.percentfield = opts.get("percentfield", "percent")
        self.showcount = opts.get("showcount", True)
        self.showperc = opts.get("showperc", True)
        self.useother = opts.get("useother", False)
        self.otherstr = opts.get("otherstr", "OTHER")

    @classmethod
    def parse(cls, args: ArgList, ctx):
        opts = args.take_options({"limit": "int", "countfield": "str", "percentfield": "str", "showcount": "bool",
                                  "showperc": "bool", "useother": "bool", "otherstr": "str"})
        tok = args.peek()
        if tok is not None and tok.kind == "WORD" and tok.value.isdigit():
            args.next()
            opts.setdefault("limit", int(tok.value))
        fields = [name for name, _ in args.take_fields(stop=("by",))]
        if not fields:
            raise args.error("expects at least one field", args.peek())
        by = args.take_by_clause()
        args.expect_end()
        if opts.get("limit", 10) < 0:
            raise args.error("limit must be 0 (all) or a positive integer")
        return cls(fields, by, opts)

    def execute(self, rows, ctx):
        groups: dict = {}
        for row in rows:
            gkeys = group_keys(row, self.by) if self.by else [()]
            vkeys = group_keys(row, self.fields)
            if not gkeys or not vkeys:
                continue
            for g in gkeys:
                counts = groups.setdefault(g, {})
                for v in vkeys:
                    counts[v] = counts.get(v, 0) + 1
        for g, counts in groups.items():
            total = sum(counts.values())
            ranked = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=self.descending)
            keep = ranked[:self.limit] if self.limit else ranked
            for key, n in keep:
                yield self._row(g, key, n, total)
            rest = ranked[len(keep):]
            if self.useother and rest:
                other = tuple(self.otherstr for _ in self.fields)
                yield self._row(g, other, sum(n for _, n in rest), total)

    def _row(self, g, key, n, total):
        out = dict(zip(self.by, g))
        out.update(zip(self.fields, key))
        if self.showcount:
            out[self.countfield] = n
        if self.showperc:
            out[self.percentfield] = round(n * 100 / total, 6)
        return out


@register("top")
class TopCommand(_TopRare):
    descending = True


@register("rare")
class RareCommand(_TopRare):
    descending = False
