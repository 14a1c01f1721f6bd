"""join: combine the main results (left) with a subsearch's results (right) on the values of join fields.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/join
``join [type=inner|outer|left] [max=<int>] [overwrite=<bool>] <field>[, <field>...] [subsearch]``
- a left row joins the right rows whose join fields all have its values; by default only the first matching
  right row ("max=1"); ``max=0`` joins every matching right row (one output row each);
- ``type=inner`` (default) drops left rows without a match, ``outer`` and ``left`` keep them as they are;
- ``overwrite=true`` (default): right fields replace left fields of the same name, else left values stay;
- at most 50,000 right rows are joined;
- without a field list, "all of the fields that are common to both datasets are used" (fields that do not start
  with ``_``: the rows' internal fields such as ``_time`` are not join keys);
- ``left=L right=R where L.f=R.g [L.f2=R.g2 ...]``: the named fields are compared (either side of ``=``), and the
  joined row holds every field of the left row as ``L.<field>`` and of the right row as ``R.<field>`` ("commands
  following the join can take advantage of the aliasing": ``stats count by L.product_id``); internal ``_`` fields
  stay unprefixed, from the left row.
Refused with a message naming it: ``usetime=true``.
"""
from __future__ import annotations

import math

from ..args import ArgList
from ..tokenizer import SUBSEARCH, WORD
from ..values import to_number, to_str
from .base import Command, register

RIGHT_ROWS_LIMIT = 50000
_OPTIONS = {"type": "str", "max": "int", "overwrite": "bool", "usetime": "bool", "earlier": "bool", "left": "str",
            "right": "str"}
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


def _internal(name: str) -> bool:
    return name.startswith("_")


@register("join")
class JoinCommand(Command):
    def __init__(self, fields, pipeline, kind, max_matches, overwrite, aliases=None, right_fields=None):
        self.usetime, self.earlier = False, True
        self.fields, self.pipeline = fields, pipeline
        self.kind, self.max_matches, self.overwrite = kind, max_matches, overwrite
        self.aliases = aliases                       # (left alias, right alias) of the where form
        self.right_fields = right_fields or fields   # the right rows' join fields (the where form names them)

    @classmethod
    def parse(cls, args: ArgList, ctx) -> JoinCommand:
        has_where = any(t.kind == WORD and t.value.lower() == "where" for t in args.tokens[args.index:])
        opts = args.take_options(_OPTIONS, anywhere=not has_where)
        aliases = right_fields = None
        fields = []
        if args.take_keyword("where"):
            if "left" not in opts or "right" not in opts:
                raise args.error("the where clause needs both left=<alias> and right=<alias>")
            aliases = (opts["left"], opts["right"])
            fields, right_fields = cls._where_pairs(args, aliases)
            opts.update(args.take_options(_OPTIONS, anywhere=False))
        else:
            while args.peek() is not None and args.peek().kind != SUBSEARCH:
                fields.extend(name for name, _ in args.take_fields(stop=()))
                if args.peek() is not None and args.peek().kind != SUBSEARCH:
                    raise args.unsupported(f"unexpected argument '{args.peek().value}'", args.peek())
        kind = opts.get("type", "inner").lower()
        if kind not in TYPES:
            raise args.error(f"type must be one of {', '.join(TYPES)}, got {opts['type']!r}")
        if opts.get("max", 1) < 0:
            raise args.error("max must be 0 (no limit) or a positive integer")
        tok = args.peek()
        if tok is None or tok.kind != SUBSEARCH:
            raise args.error("expects a subsearch [ ... ]", tok)
        args.next()
        args.expect_end()
        ctx.compile_pipeline(tok.sub)   # validate now
        cmd = cls(fields, tok.sub, kind, opts.get("max", 1), opts.get("overwrite", True), aliases, right_fields)
        cmd.usetime, cmd.earlier = opts.get("usetime", False), opts.get("earlier", True)
        return cmd

    @staticmethod
    def _where_pairs(args: ArgList, aliases) -> tuple[list, list]:
        """``L.f=R.g`` pairs (either order) up to the subsearch: (left fields, right fields)."""
        left, right = [], []
        while args.peek() is not None and args.peek().kind != SUBSEARCH:
            if args.is_option() and "." not in args.peek().value:
                break                      # join options after the where clause
            a = args.next()
            eq = args.next() if args.peek() is not None else None
            b = args.next() if args.peek() is not None else None
            if eq is None or eq.value != "=" or b is None:
                raise args.error("the where clause takes <left-alias>.<field>=<right-alias>.<field> pairs", a)
            sides = {}
            for t in (a, b):
                alias, dot, name = t.value.partition(".")
                if not dot or alias not in aliases or not name:
                    raise args.error(f"'{t.value}' is not {aliases[0]}.<field> or {aliases[1]}.<field>", t)
                sides[alias] = name
            if len(sides) != 2:
                raise args.error("each where pair compares a left field with a right field", a)
            left.append(sides[aliases[0]])
            right.append(sides[aliases[1]])
        if not left:
            raise args.error("the where clause needs at least one <left-alias>.<field>=<right-alias>.<field>")
        return left, right

    def execute(self, rows, ctx):
        plan = ctx.app.compile_pipeline(self.pipeline)
        right_rows = []
        for n, row in enumerate(ctx.run_pipeline(plan)):
            if n >= RIGHT_ROWS_LIMIT:
                break
            right_rows.append(row)
        fields, right_fields = self.fields, self.right_fields
        if not fields:   # all the fields common to both datasets
            rows = list(rows)
            left_names = {k for r in rows for k in r if not _internal(k)}
            fields = right_fields = sorted(left_names & {k for r in right_rows for k in r if not _internal(k)})
            if not fields:
                return
        right: dict = {}
        for row in right_rows:
            key = _key(row, right_fields)
            if key is not None:
                right.setdefault(key, []).append(row)
        for row in rows:
            key = _key(row, fields)
            matches = right.get(key, []) if key is not None else []
            if self.usetime:
                matches = self._in_time(row, matches)
            if self.max_matches:
                matches = matches[:self.max_matches]
            if not matches:
                if self.kind != "inner":
                    yield self._aliased(row, None) if self.aliases else row
                continue
            for match in matches:
                if self.aliases:
                    yield self._aliased(row, match)
                elif self.overwrite:
                    yield {**row, **match}
                else:
                    yield {**match, **row}

    def _in_time(self, row: dict, matches: list) -> list:
        """usetime=true: "the main search results are matched only against earlier results from the subsearch"
        (earlier=true, the default) or later ones (earlier=false); "results that occur at the same time (second)
        are not eliminated by either value". A row without a _time matches nothing."""
        t = to_number(row.get("_time"))
        if t is None:
            return []
        second = math.floor(t)
        out = []
        for m in matches:
            mt = to_number(m.get("_time"))
            if mt is not None and (math.floor(mt) <= second if self.earlier else math.floor(mt) >= second):
                out.append(m)
        return out

    def _aliased(self, row: dict, match: dict | None) -> dict:
        left, right = self.aliases
        out = {k: v for k, v in row.items() if _internal(k)}
        out.update((f"{left}.{k}", v) for k, v in row.items() if not _internal(k))
        if match is not None:
            out.update((f"{right}.{k}", v) for k, v in match.items() if not _internal(k))
        return out
