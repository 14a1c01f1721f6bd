"""mvexpand (one result per value) and mvcombine (merge results differing only in one field).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/mvexpand
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/mvcombine
"""
from __future__ import annotations

from ..args import ArgList
from ..values import mv_values
from .base import Command, register


@register("mvexpand")
class MvexpandCommand(Command):
    def __init__(self, field, limit):
        self.field, self.limit = field, limit

    @classmethod
    def parse(cls, args: ArgList, ctx) -> MvexpandCommand:
        opts = args.take_options({"limit": "int"})
        field = args.take_field()[0]
        args.expect_end()
        return cls(field, opts.get("limit"))

    def execute(self, rows, ctx):
        for row in rows:
            values = mv_values(row.get(self.field))
            if not values:
                yield row
                continue
            if self.limit:
                values = values[:self.limit]
            for v in values:
                out = dict(row)
                out[self.field] = v
                yield out


@register("mvcombine")
class MvcombineCommand(Command):
    def __init__(self, field, delim):
        self.field, self.delim = field, delim

    @classmethod
    def parse(cls, args: ArgList, ctx) -> MvcombineCommand:
        opts = args.take_options({"delim": "str"})
        field = args.take_field()[0]
        args.expect_end()
        return cls(field, opts.get("delim", " "))

    def execute(self, rows, ctx):
        groups: dict = {}
        order = []
        passthrough = []
        for row in rows:
            if self.field not in row:
                passthrough.append(row)
                continue
            key = tuple(sorted((k, tuple(v) if type(v) is list else v) for k, v in row.items() if k != self.field))
            if key not in groups:
                groups[key] = (row, [])
                order.append(key)
            groups[key][1].extend(mv_values(row[self.field]))
        for key in order:
            row, values = groups[key]
            out = dict(row)
            out[self.field] = values[0] if len(values) == 1 else values
            yield out
        yield from passthrough
