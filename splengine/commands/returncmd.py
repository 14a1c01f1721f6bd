"""return: pass values up from a subsearch as one result with a ``search`` field.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/return
``return [<count>] [<alias>=<field>...] [<field>...] [$<field>...]``: each of the first <count> rows
(default 1) becomes ``(f="v" alias="v" v)``; rows are joined with OR. ``return $f`` alone gives the bare
value (the docs' "Value" output form).
"""
from __future__ import annotations

from ..args import ArgList
from ..tokenizer import OP, WORD
from ..values import mv_values, to_str
from .base import Command, register
from .format import quote


@register("return")
class ReturnCommand(Command):
    def __init__(self, count, items):
        self.count, self.items = count, items

    @classmethod
    def parse(cls, args: ArgList, ctx) -> ReturnCommand:
        count = 1
        tok = args.peek()
        if tok is not None and tok.kind == WORD and tok.value.isdigit():
            count = int(args.next().value)
        items = []   # (kind, name, field): kind "field" | "alias" | "value"
        while not args.at_end():
            tok = args.next()
            if tok.kind == "COMMA":
                continue
            nxt = args.peek()
            if nxt is not None and nxt.kind == OP and nxt.value == "=":
                args.next()
                field = args.take_field()[0]
                items.append(("alias", tok.value, field))
            elif tok.value.startswith("$"):
                items.append(("value", tok.value[1:], tok.value[1:]))
            elif tok.kind == WORD:
                items.append(("field", tok.value, tok.value))
            else:
                raise args.error(f"unexpected '{tok.value}'", tok)
        if not items:
            raise args.error("needs at least one field")
        return cls(count, items)

    def execute(self, rows, ctx):
        clauses = []
        for n, row in enumerate(rows):
            if self.count and n >= self.count:
                break
            parts = []
            for kind, name, field in self.items:
                for v in mv_values(row.get(field))[:1]:
                    parts.append(to_str(v) if kind == "value" else f"{name}={quote(v)}")
            if parts:
                bare = len(parts) == 1 and len(self.items) == 1 and self.items[0][0] == "value"
                clauses.append(parts[0] if bare else "(" + " ".join(parts) + ")")
        yield {"search": " OR ".join(clauses)}
