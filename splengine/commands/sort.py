"""sort: order results by fields (numbers numerically, strings lexicographically), limit 10000 by default.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/sort
Missing fields sort last in both directions (docs: smallest when descending, largest when ascending).
"""
from __future__ import annotations

import ipaddress
from functools import cmp_to_key

from ..args import ArgList
from ..tokenizer import COMMA, LPAREN, RPAREN, WORD
from ..values import mv_values, to_number, to_str
from .base import Command, register

DEFAULT_LIMIT = 10000
_MODES = ("auto", "num", "str", "ip")


def parse_sort_clause(args: ArgList) -> list[tuple[str, bool, str]]:
    """``[+|-]field`` or ``[+|-]mode(field)`` items -> (field, descending, mode)."""
    items = []
    while not args.at_end():
        tok = args.peek()
        if tok.kind == COMMA:
            args.next()
            continue
        if tok.kind == WORD and tok.value.lower() in ("d", "desc") and items and args.peek(1) is None:
            break
        desc = False
        if tok.kind == WORD and tok.value in ("+", "-"):
            desc = tok.value == "-"
            args.next()
            tok = args.peek()
            if tok is None:
                raise args.error("missing field after sign")
        name = tok.value
        if tok.kind == WORD and name[:1] in "+-" and len(name) > 1:
            desc = name[0] == "-"
            name = name[1:]
        args.next()
        mode = "auto"
        nxt = args.peek()
        if nxt is not None and nxt.kind == LPAREN:
            mode = name.lower()
            if mode not in _MODES:
                raise args.unsupported(f"unsupported sort mode '{name}()'", tok)
            args.next()
            name = args.take_field()[0]
            close = args.next()
            if close.kind != RPAREN:
                raise args.error("expected ')'", close)
        items.append((name, desc, mode))
    if not items:
        raise args.error("needs at least one field")
    return items


def _key(value, mode):
    """Comparable (rank, key); rank 0 numbers, 1 strings. None means missing."""
    vals = mv_values(value)
    if not vals:
        return None
    v = vals[0]
    if mode in ("auto", "num"):
        n = to_number(v)
        if n is not None:
            return (0, n)
        if mode == "num":
            return (1, to_str(v))
    if mode == "ip":
        try:
            return (0, int(ipaddress.ip_address(to_str(v).strip())))
        except ValueError:
            return (1, to_str(v))
    return (1, to_str(v))


def sort_rows(rows: list[dict], items, limit: int, reverse_all: bool = False) -> list[dict]:
    keys = [(name, desc, mode) for name, desc, mode in items]

    def cmp(a, b):
        for name, desc, mode in keys:
            ka, kb = _key(a.get(name), mode), _key(b.get(name), mode)
            if ka == kb:
                continue
            if ka is None:
                return 1
            if kb is None:
                return -1
            c = (ka > kb) - (ka < kb)
            return -c if desc else c
        return 0

    out = sorted(rows, key=cmp_to_key(cmp))
    if reverse_all:
        out.reverse()
    return out[:limit] if limit else out


@register("sort")
class SortCommand(Command):
    keeps_columns = True

    def __init__(self, limit, items, desc):
        self.limit, self.items, self.desc = limit, items, desc

    @classmethod
    def parse(cls, args: ArgList, ctx) -> SortCommand:
        opts = args.take_options({"limit": "int"}, anywhere=False)
        limit = opts.get("limit", DEFAULT_LIMIT)
        tok = args.peek()
        if tok is not None and tok.kind == WORD and tok.value.isdigit():
            limit = int(args.next().value)
        items = parse_sort_clause(args)
        desc = args.take_keyword("desc") or args.take_keyword("d")
        args.expect_end()
        return cls(limit, items, desc)

    def execute(self, rows, ctx):
        return iter(sort_rows(list(rows), self.items, self.limit, self.desc))
