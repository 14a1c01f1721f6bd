"""dedup: keep the first N results of each combination of field values, in search order.

With ``sortby`` the rows are sorted first and the top-most duplicates are kept ("The <sort-by-clause>
determines which of the duplicate events to keep. When the list of events is sorted, the top-most event, of
the duplicate events in the sorted list, is retained"); the output is in that sorted order.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/dedup
"""
from __future__ import annotations

from ..args import ArgList
from .base import Command, register
from .sort import parse_sort_clause, sort_rows


def _key_value(v):
    return tuple(v) if type(v) is list else v


@register("dedup")
class DedupCommand(Command):
    keeps_columns = True

    def __init__(self, count, fields, keepevents, keepempty, consecutive, sortby):
        self.count, self.fields = count, fields
        self.keepevents, self.keepempty, self.consecutive, self.sortby = keepevents, keepempty, consecutive, sortby

    @classmethod
    def parse(cls, args: ArgList, ctx) -> DedupCommand:
        opts = args.take_options({"keepevents": "bool", "keepempty": "bool", "consecutive": "bool"})
        count = 1
        tok = args.peek()
        if tok is not None and tok.kind == "WORD" and tok.value.isdigit():
            count = int(args.next().value)
            if count < 1:
                raise args.error("the count must be at least 1", tok)
        fields = [f for f, _ in args.take_fields(stop=("sortby",))]
        if not fields:
            raise args.error("needs at least one field")
        sortby = None
        if args.take_keyword("sortby"):
            sortby = parse_sort_clause(args)
        args.expect_end()
        return cls(count, fields, opts.get("keepevents", False), opts.get("keepempty", False),
                   opts.get("consecutive", False), sortby)

    def execute(self, rows, ctx):
        if self.sortby:
            rows = sort_rows(list(rows), self.sortby, 0)
        return self._dedup(rows)

    def _dedup(self, rows):
        seen: dict = {}
        previous = None
        for row in rows:
            values = [row.get(f) for f in self.fields]
            if any(v is None or v == [] for v in values):
                if self.keepempty:
                    yield row
                continue
            key = tuple(_key_value(v) for v in values)
            if self.consecutive:
                if key == previous:
                    if self.keepevents:
                        yield {k: v for k, v in row.items() if k not in self.fields}
                    continue
                previous = key
                yield row
                continue
            n = seen.get(key, 0)
            if n < self.count:
                seen[key] = n + 1
                yield row
            elif self.keepevents:
                yield {k: v for k, v in row.items() if k not in self.fields}
