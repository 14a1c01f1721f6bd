"""makeresults: generate results (``_time`` = the search's now), optionally from inline CSV/JSON data.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/makeresults
"""
from __future__ import annotations

import csv
import io

import orjson

from ..args import ArgList
from ..events import json_scalar_text
from .base import Command, register


@register("makeresults")
class MakeresultsCommand(Command):
    generating = True

    def __init__(self, count, annotate, fmt, data):
        self.count, self.annotate, self.fmt, self.data = count, annotate, fmt, data

    @classmethod
    def parse(cls, args: ArgList, ctx) -> MakeresultsCommand:
        opts = args.take_options({"count": "int", "annotate": "bool", "format": "str", "data": "str",
                                  "splunk_server": "str", "splunk_server_group": "str"})
        args.expect_end()
        if not args.first:
            raise args.error("makeresults must be the first command of a search or subsearch")
        fmt = opts.get("format")
        if fmt is not None and fmt not in ("csv", "json"):
            raise args.unsupported(f"unsupported format '{fmt}' (csv or json)")
        if (fmt is None) != (opts.get("data") is None):
            raise args.error("format= and data= go together")
        if opts.get("count", 1) < 1:
            raise args.error("count must be at least 1")
        return cls(opts.get("count", 1), opts.get("annotate", False), fmt, opts.get("data"))

    def execute(self, rows, ctx):
        if self.fmt is not None:
            yield from self._from_data(ctx)
            return
        for _ in range(self.count):
            row = {"_time": int(ctx.now) if float(ctx.now).is_integer() else ctx.now}
            if self.annotate:
                row["splunk_server"] = "local"
            yield row

    def _from_data(self, ctx):
        now = int(ctx.now) if float(ctx.now).is_integer() else ctx.now
        if self.fmt == "csv":
            for rec in csv.DictReader(io.StringIO(self.data.strip())):
                row = {"_time": now}
                row.update({k.strip(): v for k, v in rec.items() if k is not None and v not in (None, "")})
                yield row
            return
        data = orjson.loads(self.data)
        for rec in data if isinstance(data, list) else [data]:
            row = {"_time": now}
            for k, v in rec.items():
                if v is not None:
                    row[k] = [json_scalar_text(x) for x in v] if isinstance(v, list) else json_scalar_text(v)
            yield row
