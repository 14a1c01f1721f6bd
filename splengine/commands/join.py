"""join: combine the main results (left) with a subsearch's results (right) on the values of join fields.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/join
``join [type=inner|outer|left] [max=<int>] [overwrite=<bool>] <field>[, <field>...] [subsearch]``
- a left row joins the right rows whose join fields all have its values; by default only the first matching
  right row ("max=1"); ``max=0`` joins every matching right row (one output row each);
- ``type=inner`` (default) drops left rows without a match, ``outer`` and ``left`` keep them as they are;
- ``overwrite=true`` (default): right fields replace left fields of the same name, else left values stay;
- at most 50,000 right rows are joined.
Refused with a message naming them: the ``left=``/``right=``/``where`` alias form, ``usetime=true``, and a join
without a field list.
"""
from __future__ import annotations

from ..args import ArgList
from ..tokenizer import SUBSEARCH, WORD
from ..values import to_str
from .base import Command, register

RIGHT_ROWS_LIMIT = 50000
TYPES = ("inner", "outer", "left")


def _key(row: dict, fields: list[str]):
    """The join key of a row, or None when a join field is null."""
    key = []
    for name in fields:
        v = row.get(name)
        if v is None or v == []:
            return None
        key.append(tuple(map(to_str, v)) if type(v) is list else to_str(v))
    return tuple(key)


@register("join")
class JoinCommand(Command):
    def __init__(self, fields, pipeline, kind, max_matches, overwrite):
        self.fields, self.pipeline = fields, pipeline
        self.kind, self.max_matches, self.overwrite = kind, max_matches, overwrite

    @classmethod
    def parse(cls, args: ArgList, ctx) -> JoinCommand:
        where = next((t for t in args.tokens if t.kind == WORD and t.value.lower() == "where"), None)
        if where is not None:
            raise args.unsupported("the left=/right= alias form with 'where' is not supported; join on field names",
                                   where)
        opts = args.take_options({"type": "str", "max": "int", "overwrite": "bool", "usetime": "bool",
                                  "earlier": "bool", "left": "str", "right": "str"})
        if "left" in opts or "right" in opts:
            raise args.unsupported("the left=/right= alias form with 'where' is not supported; join on field names")
        if opts.get("usetime"):
            raise args.unsupported("usetime=true is not supported")
        kind = opts.get("type", "inner").lower()
        if kind not in TYPES:
            raise args.error(f"type must be one of {', '.join(TYPES)}, got {opts['type']!r}")
        if opts.get("max", 1) < 0:
            raise args.error("max must be 0 (no limit) or a positive integer")
        fields = []
        while args.peek() is not None and args.peek().kind != SUBSEARCH:
            fields.extend(name for name, _ in args.take_fields(stop=()))
            if args.peek() is not None and args.peek().kind != SUBSEARCH:
                raise args.unsupported(f"unexpected argument '{args.peek().value}'", args.peek())
        tok = args.peek()
        if tok is None:
            raise args.error("expects a subsearch [ ... ]")
        if not fields:
            raise args.unsupported("a join without a field list (on all common fields) is not supported; "
                                   "name the join fields", tok)
        args.next()
        args.expect_end()
        ctx.compile_pipeline(tok.sub)   # validate now
        return cls(fields, tok.sub, kind, opts.get("max", 1), opts.get("overwrite", True))

    def execute(self, rows, ctx):
        plan = ctx.app.compile_pipeline(self.pipeline)
        right: dict = {}
        for n, row in enumerate(ctx.run_pipeline(plan)):
            if n >= RIGHT_ROWS_LIMIT:
                break
            key = _key(row, self.fields)
            if key is not None:
                right.setdefault(key, []).append(row)
        for row in rows:
            key = _key(row, self.fields)
            matches = right.get(key, []) if key is not None else []
            if self.max_matches:
                matches = matches[:self.max_matches]
            if not matches:
                if self.kind != "inner":
                    yield row
                continue
            for match in matches:
                if self.overwrite:
                    yield {**row, **match}
                else:
                    yield {**match, **row}
