"""eventstats: stats results added to every row of their group (blocking; row order kept).

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eventstats
Wildcard fields (``avg(*lay)``, ``values(*) AS *``) expand as in stats. Rows whose by-field is null get no
statistics; a multivalue by-field row takes the first group's values.
``allnum=true``: a numerical statistic of a group is computed only when every row of the group has a
numeric value in its field ("the entire set of values for Seattle are ignored"; "applies to empty values as
well as alphabetic character values").
"""
from __future__ import annotations

import re

from ..args import ArgList
from ..expr.stats import parse_aggregations
from ..values import to_number
from .base import Command, register
from .stats import aggregate, expand_wildcards, group_keys

# The statistics that need numbers (count, dc, values, list, first/last, min/max and mode also take strings).
_NUMERICAL = re.compile(r"(avg|mean|sum|sumsq|stdevp?|varp?|range|median|(exact|upper)?perc\d.*|p\d.*)\Z",
                        re.IGNORECASE)


@register("eventstats")
class EventstatsCommand(Command):
    keeps_columns = True

    def __init__(self, aggs, by, allnum):
        self.aggs = aggs
        self.by = by
        self.allnum = allnum

    @classmethod
    def parse(cls, args: ArgList, ctx) -> EventstatsCommand:
        opts = args.take_options({"allnum": "bool"})
        aggs = parse_aggregations(args, "eventstats", stop_words=("by",), wildcards=True)
        if not aggs:
            raise args.error("expects at least one statistical function", args.peek())
        by = args.take_by_clause()
        args.expect_end()
        return cls(aggs, by, bool(opts.get("allnum")))

    def execute(self, rows, ctx):
        rows = list(rows)
        aggs = self.aggs
        if any(a.field and "*" in a.field for a in aggs):   # "You can use wild card characters in field names"
            aggs = expand_wildcards(aggs, rows, self.by)
        groups = aggregate(rows, aggs, self.by, ctx)
        results = {key: [acc.result() for acc in accs] for key, accs in groups.items()}
        if self.allnum:
            self._drop_not_all_numeric(rows, results, aggs, ctx)
        names = [a.name for a in aggs]
        for row in rows:
            keys = group_keys(row, self.by) if self.by else [()]
            if keys:
                for name, value in zip(names, results[keys[0]]):
                    if value is not None:
                        row[name] = value
            yield row

    def _drop_not_all_numeric(self, rows, results, aggs, ctx):
        numerical = [i for i, a in enumerate(aggs) if _NUMERICAL.match(a.func)]
        for row in rows:
            keys = group_keys(row, self.by) if self.by else [()]
            if not keys:
                continue
            for i in numerical:
                values = aggs[i].values(row, ctx)
                if not values or any(to_number(v) is None for v in values):
                    for key in keys:
                        results[key][i] = None
