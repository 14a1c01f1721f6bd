"""fillnull: replace null values (default 0) in the listed fields, or in every field of the results.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/fillnull
"""
from __future__ import annotations

from ..args import ArgList
from .base import Command, register


@register("fillnull")
class FillnullCommand(Command):
    keeps_columns = True

    def __init__(self, value, fields):
        self.value, self.fields = value, fields

    @classmethod
    def parse(cls, args: ArgList, ctx) -> FillnullCommand:
        opts = args.take_options({"value": "str"})
        fields = [f for f, _ in args.take_fields(stop=())]
        args.expect_end()
        return cls(opts.get("value", "0"), fields)

    def execute(self, rows, ctx):
        if self.fields:
            return self._fill(rows, self.fields)
        rows = list(rows)
        names: dict[str, None] = {}
        for row in rows:
            names.update(dict.fromkeys(row))
        return self._fill(rows, list(names))

    def _fill(self, rows, fields):
        for row in rows:
            for f in fields:
                v = row.get(f)
                if v is None or v == []:
                    row[f] = self.value
            yield row
