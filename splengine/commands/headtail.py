"""head and tail: the first / last N results (default 10).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/head
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/tail
"""
from __future__ import annotations

from collections import deque

from ..args import ArgList
from ..expr.eval import parse_expression
from ..tokenizer import LPAREN, WORD
from .base import Command, register


@register("head")
class HeadCommand(Command):
    """``head N``/``limit=N``, or ``head (<expr>)``: results until the expression is false (null stops
    unless null=true); ``keeplast=true`` also returns the result that stopped it."""

    def __init__(self, limit, expr, keeplast, null):
        self.limit, self.expr, self.keeplast, self.null = limit, expr, keeplast, null

    @classmethod
    def parse(cls, args: ArgList, ctx) -> HeadCommand:
        opts = args.take_options({"limit": "int", "keeplast": "bool", "null": "bool"})
        limit, expr = opts.get("limit"), None
        tok = args.peek()
        if tok is not None and tok.kind == WORD and tok.value.isdigit():
            limit = int(args.next().value)
        elif tok is not None and tok.kind == LPAREN:
            text, offset = args.rest_span()
            expr = parse_expression(text, offset)
        args.expect_end()
        if limit is None and expr is None:
            limit = 10
        return cls(limit, expr, opts.get("keeplast", False), opts.get("null", False))

    def execute(self, rows, ctx):
        n = 0
        for row in rows:
            if self.limit is not None and n >= self.limit:
                return
            if self.expr is not None:
                v = self.expr.evaluate(row, ctx)
                if not (v is True or (v is None and self.null)):
                    if self.keeplast:
                        yield row
                    return
            n += 1
            yield row


@register("tail")
class TailCommand(Command):
    """The last N results in reverse order (tail returns them latest-first from the end)."""


    def __init__(self, limit):
        self.limit = limit

    @classmethod
    def parse(cls, args: ArgList, ctx) -> TailCommand:
        limit = 10
        tok = args.peek()
        if tok is not None and tok.kind == WORD and tok.value.isdigit():
            limit = int(args.next().value)
        args.expect_end()
        return cls(limit)

    def execute(self, rows, ctx):
        last = deque(rows, maxlen=self.limit) if self.limit else deque(rows)
        return reversed(last)
