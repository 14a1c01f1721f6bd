"""head and tail: the first / last N results (default 10).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/head
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/tail
"""
from __future__ import annotations

import re
from collections import deque

from ..args import ArgList
from ..expr.eval import parse_expression
from ..tokenizer import LPAREN, WORD
from .base import Command, register

_OPTION = re.compile(r"(?i)(limit|keeplast|null)=")
_OPTION_PAIR = re.compile(r"(?i)\b(limit|keeplast|null)=(\w+)")
_TRAILING_OPTIONS = re.compile(r"(?i)(\s+(limit|keeplast|null)=\w+)+\s*\Z")


@register("head")
class HeadCommand(Command):
    """``head N``/``limit=N``, or ``head (<expr>)``: results until the expression is false (null stops
    unless null=true); ``keeplast=true`` also returns the result that stopped it."""

    keeps_columns = True

    def __init__(self, limit, expr, keeplast, null):
        self.limit, self.expr, self.keeplast, self.null = limit, expr, keeplast, null

    @classmethod
    def parse(cls, args: ArgList, ctx) -> HeadCommand:
        spec = {"limit": "int", "keeplast": "bool", "null": "bool"}
        opts = args.take_options(spec)
        limit, expr = opts.get("limit"), None
        tok = args.peek()
        if tok is not None and tok.kind == WORD and tok.value.isdigit():
            if "limit" in opts:
                raise args.error("a count and limit= together (the head page: 'results in an error')", tok)
            limit = int(args.next().value)
            more = args.take_options(spec)
            if "limit" in more:
                raise args.error("a count and limit= together (the head page: 'results in an error')", tok)
            opts.update(more)
        elif tok is not None and (tok.kind == LPAREN or not _OPTION.match(tok.value or "")):
            # the expression runs to the end, less the options written after it (``head count<5 keeplast=true``)
            text, offset = args.rest_span()
            m = _TRAILING_OPTIONS.search(text)
            if m:
                for name, value in _OPTION_PAIR.findall(m.group()):
                    opts[name.lower()] = int(value) if name.lower() == "limit" else value.lower() in ("true", "t", "1")
                text = text[:m.start()]
            expr = parse_expression(text, offset)
        args.expect_end()
        limit = opts.get("limit", limit)
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

    keeps_columns = True

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
