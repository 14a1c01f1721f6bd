"""eventstats: stats results added to every row of their group (blocking; row order kept).

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eventstats
Rows whose by-field is null get no statistics; a multivalue by-field row takes the first group's values.
"""
from __future__ import annotations

from ..args import ArgList
from ..expr.stats import parse_aggregations
from .base import Command, register
from .stats import aggregate, group_keys


@register("eventstats")
class EventstatsCommand(Command):
    def __init__(self, aggs, by, allnum):
        self.aggs = aggs
        self.by = by
        self.allnum = allnum

    @classmethod
    def parse(cls, args: ArgList, ctx) -> EventstatsCommand:
        opts = args.take_options({"allnum": "bool"})
        if opts.get("allnum"):
            raise args.unsupported("option allnum=true is not supported")
        aggs = parse_aggregations(args, stop_words=("by",))
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        by = args.take_by_clause()
        args.expect_end()
        return cls(aggs, by, False)

    def execute(self, rows, ctx):
        rows = list(rows)
        groups = aggregate(rows, self.aggs, self.by, ctx)
        results = {key: [acc.result() for acc in accs] for key, accs in groups.items()}
        names = [a.name for a in self.aggs]
        for row in rows:
            keys = group_keys(row, self.by) if self.by else [()]
            if keys:
                for name, value in zip(names, results[keys[0]]):
                    if value is not None:
                        row[name] = value
            yield row
