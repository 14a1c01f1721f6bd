"""append: add a subsearch's results after the current results.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/append
"""
from __future__ import annotations

from ..args import ArgList
from ..tokenizer import SUBSEARCH
from .base import Command, register

DEFAULT_MAXOUT = 50000


@register("append")
class AppendCommand(Command):
    generating = False

    def __init__(self, pipeline, maxout):
        self.pipeline, self.maxout = pipeline, maxout

    @classmethod
    def parse(cls, args: ArgList, ctx) -> AppendCommand:
        opts = args.take_options({"maxout": "int", "maxtime": "int", "timeout": "int", "extendtimerange": "bool"})
        tok = args.peek()
        if tok is None or tok.kind != SUBSEARCH:
            raise args.error("expects a subsearch [ ... ]", tok)
        args.next()
        args.expect_end()
        ctx.compile_pipeline(tok.sub)  # validate now
        return cls(tok.sub, opts.get("maxout", DEFAULT_MAXOUT))

    def execute(self, rows, ctx):
        yield from rows
        plan = ctx.app.compile_pipeline(self.pipeline)
        for n, row in enumerate(ctx.run_pipeline(plan)):
            if self.maxout and n >= self.maxout:
                break
            yield row
