"""Parse stats terms ``func[(field|eval(expr))] [as name]`` from a command's ArgList into AggSpecs."""
from __future__ import annotations

import re

from splengine.errors import SplSyntaxError, SplUnsupportedError
from splengine.tokenizer import COMMA, LPAREN, RPAREN, WORD

from ..eval import parse_expression
from .ast import AggSpec
from .functions import ONLY_IN


def parse_aggregations(args, command: str, stop_words=("by", "over"), wildcards=False) -> list[AggSpec]:
    """Read ``func[(field|eval(expr))] [as name]`` terms from an ArgList cursor until a stop word or the end.
    With ``wildcards`` (stats) a field may hold ``*`` (``avg(*lay)``): the command expands it over the rows' fields.
    A function the time functions page names for one command (per_second..per_day: timechart; rate: stats) is
    refused in the others."""
    out: list[AggSpec] = []
    stops = {w.lower() for w in stop_words}
    while not args.at_end():
        tok = args.peek()
        if tok.kind == COMMA:
            args.next()
            continue
        if tok.kind != WORD or tok.value.lower() in stops or args.is_option():
            break
        args.next()
        func, field, expr = tok.value, None, None
        only = ONLY_IN.get(func.lower())
        if only is not None and only != command:
            raise SplUnsupportedError(f"{func}() is only available in {only}, not in {command}", tok.pos)
        nxt = args.peek()
        text = tok.value
        if nxt is not None and nxt.kind == LPAREN and nxt.pos == tok.end:
            start = args.index
            depth = 0
            while True:
                t = args.next()
                depth += t.kind == LPAREN
                depth -= t.kind == RPAREN
                if depth == 0:
                    break
            inner, inner_off = args.span(start + 1, args.index - 1)
            text = args.text[tok.pos:args.tokens[args.index - 1].end]
            m = re.match(r"\s*eval\s*\(", inner)
            if m and inner.rstrip().endswith(")"):
                body = inner.rstrip()[m.end():-1]
                expr = parse_expression(body, inner_off + m.end())
            elif inner.strip():
                field = inner.strip()
                if field.startswith(("'", '"')) and field.endswith(field[0]) and len(field) > 1:
                    field = field[1:-1]
                    text = f"{func}({field})"   # the perc example's column: perc50(visitors total)
            if "*" in (field or "") and not wildcards:
                raise SplUnsupportedError(f"wildcard field names in {text} are not supported", tok.pos)
        name = args.take_as()
        if expr is not None and name is None:
            raise SplSyntaxError(f"{text}: an eval expression in a statistical function must be renamed with 'as'",
                                 tok.pos)
        out.append(AggSpec(func, field, expr, name or text, tok.pos))
    return out
