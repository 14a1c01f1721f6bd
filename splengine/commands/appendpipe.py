"""appendpipe: run a subpipeline over the current results and append its output to them.

https://help.splunk.com/en/splunk-cloud-platform/search/spl-search-reference/10.0.2503/search-commands/appendpipe
Unlike a subsearch, the subpipeline starts with a command (`appendpipe [stats count]`), not with search
terms, and reads a copy of every current result. `run_in_preview` is accepted and has no effect offline.
The app records findings this way: `appendpipe [... | outputlookup append=true ... | where false()]` writes
without changing the results.
"""
from __future__ import annotations

from dataclasses import replace

from ..args import ArgList
from ..ast import Pipeline
from ..tokenizer import SUBSEARCH, WORD
from .base import Command, register
from .search import SearchCommand


def command_pipeline(sub: Pipeline) -> Pipeline:
    """The subpipeline with its first stage read as a command: the parser made it an implied search."""
    first = sub.commands[0] if sub.commands else None
    if first is None or first.leading_pipe or first.name != "search" or not first.args.tokens:
        return sub
    head = first.args.tokens[0]
    if head.kind != WORD or head.pos != first.position:   # an explicit `search` keyword precedes its terms
        return sub
    name = head.value.lower()
    args = ArgList(name, first.args.tokens[1:], first.args.text, head.pos, first.args.end)
    node = replace(first, name=name, args=args, position=head.pos)
    return replace(sub, commands=[node] + list(sub.commands[1:]))


@register("appendpipe")
class AppendpipeCommand(Command):
    streaming = False
    generating = False

    def __init__(self, pipeline):
        self.pipeline = pipeline

    @classmethod
    def parse(cls, args: ArgList, ctx) -> AppendpipeCommand:
        args.take_options({"run_in_preview": "bool"})
        tok = args.peek()
        if tok is None or tok.kind != SUBSEARCH:
            raise args.error("expects a subpipeline [ ... ]", tok)
        args.next()
        args.expect_end()
        pipeline = command_pipeline(tok.sub)
        _plan(ctx, pipeline)  # validate now
        return cls(pipeline)

    def execute(self, rows, ctx):
        rows = list(rows)
        # copied before the results go on: the commands after appendpipe change them in place as they stream
        copies = [dict(row) for row in rows]
        yield from rows
        yield from ctx.run_pipeline(_plan(ctx.app, self.pipeline), copies)


def _plan(app, pipeline):
    """The compiled subpipeline; a leading `search` filters the current results instead of reading events."""
    plan = app.compile_pipeline(pipeline)
    if plan.commands and isinstance(plan.commands[0], SearchCommand):
        plan.commands[0].first = False
    return plan
