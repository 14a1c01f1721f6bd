"""lookup, inputlookup, outputlookup over CSV lookups (see splengine/lookups.py).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/lookup
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/inputlookup
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/outputlookup
"""
from __future__ import annotations

import uuid

from ..args import ArgList
from ..errors import SplUnsupportedError
from ..expr.search import compile_node, parse_search
from ..lookups import KV_KEY, input_combinations
from ..tokenizer import COMMA, WORD
from ..values import make_mv, to_str
from .base import Command, register


def _field_pairs(args: ArgList, stop: tuple[str, ...]) -> list[tuple[str, str]]:
    """``a [AS b], c [AS d] ...`` until a stop keyword (case-insensitive) or the end."""
    pairs = []
    while not args.at_end():
        tok = args.peek()
        if tok.kind == COMMA:
            args.next()
            continue
        if tok.kind == WORD and tok.value.lower() in stop:
            break
        name, _ = args.take_field()
        alias = args.take_as()
        pairs.append((name, alias or name))
    return pairs


@register("lookup")
class LookupCommand(Command):
    """OUTPUT overwrites the output fields (a row without a match loses them); OUTPUTNEW only fills fields
    the row does not have. Without an output clause every other lookup column is output (OUTPUT)."""

    keeps_columns = True

    def __init__(self, table, inputs, outputs, mode, pos):
        self.table, self.inputs, self.outputs, self.mode, self.pos = table, inputs, outputs, mode, pos

    @classmethod
    def parse(cls, args: ArgList, ctx) -> LookupCommand:
        args.take_options({"local": "bool", "update": "bool"}, anywhere=False)
        tok = args.peek()
        if tok is None:
            raise args.error("needs a lookup table name")
        table, pos = args.take_field()
        inputs = _field_pairs(args, ("output", "outputnew"))
        if not inputs:
            raise args.error("needs at least one lookup field to match", args.peek())
        mode, outputs = "output", None
        tok = args.peek()
        if tok is not None:
            mode = args.next().value.lower()
            outputs = _field_pairs(args, ())
            if not outputs:
                raise args.error(f"{mode.upper()} needs at least one field", tok)
        args.expect_end()
        ctx.lookups.definition(table, pos)  # unknown / unsupported lookups fail at parse time
        return cls(table, inputs, outputs, mode, pos)

    def execute(self, rows, ctx):
        store = ctx.app.lookups
        definition = store.definition(self.table, self.pos)
        header, _ = store.load(definition.filename, self.pos)
        matcher = store.matcher(definition, [f for f, _ in self.inputs], self.pos)
        lookup_inputs = {f for f, _ in self.inputs}
        outputs = self.outputs or [(h, h) for h in header if h not in lookup_inputs]
        for name, _ in outputs:
            if name not in header:
                raise SplUnsupportedError(f"lookup '{self.table}': output field '{name}' is not in the table", self.pos)
        event_fields = [e for _, e in self.inputs]
        for row in rows:
            if self.mode == "outputnew" and all(row.get(dst) is not None for _, dst in outputs):
                yield row
                continue
            matched, seen = [], set()
            for combo in input_combinations(row, event_fields):
                for hit in matcher.match(combo):
                    if id(hit) not in seen:
                        seen.add(id(hit))
                        matched.append(hit)
            for src, dst in outputs:
                values = [m[src] for m in matched if src in m]
                if len(matched) < definition.min_matches and definition.default_match is not None:
                    values += [definition.default_match] * (definition.min_matches - len(matched))
                value = make_mv(values)
                if self.mode == "outputnew":
                    if row.get(dst) is None and value is not None:
                        row[dst] = value
                elif value is None:
                    row.pop(dst, None)
                else:
                    row[dst] = value
            yield row


@register("inputlookup")
class InputlookupCommand(Command):
    generating = True

    def __init__(self, table, append, start, max_rows, where, pos):
        self.table, self.append, self.start, self.max, self.where, self.pos = table, append, start, max_rows, where, pos
        self.pred = compile_node(where.tree, None) if where is not None else None

    @classmethod
    def parse(cls, args: ArgList, ctx) -> InputlookupCommand:
        opts = args.take_options({"append": "bool", "strict": "bool", "start": "int", "max": "int"}, anywhere=False)
        table, pos = args.take_field()
        where = None
        if args.take_keyword("where"):
            where = parse_search(args.tokens[args.index:], args.text)
            args.index = len(args.tokens)
            if where.time_bounds or where.has_subsearch:
                raise args.unsupported("time modifiers and subsearches are not supported in inputlookup WHERE")
        args.expect_end()
        append = opts.get("append", False)
        if not args.first and not append:
            raise args.error("inputlookup must be the first command unless append=true")
        ctx.lookups.definition(table, pos)
        return cls(table, append, opts.get("start", 0), opts.get("max", 1000000000), where, pos)

    def execute(self, rows, ctx):
        if self.append:
            yield from rows
        store = ctx.app.lookups
        definition = store.definition(self.table, self.pos)
        _, table_rows = store.load(definition.filename, self.pos)
        limit = min(self.max, store.kv_max_rows_per_query()) if definition.kvstore else self.max
        n = 0
        for i, rec in enumerate(table_rows):
            if i < self.start:
                continue
            if n >= limit:
                break
            row = dict(rec)
            if self.pred is not None and not self.pred(row):
                continue
            n += 1
            yield row


@register("outputlookup")
class OutputlookupCommand(Command):
    """Writes the results to the lookup's scratch copy and passes them on.

    With zero results (docs, defaults true): override_if_empty=false leaves an existing file alone;
    otherwise create_empty=true writes a 0-length file and create_empty=false deletes the file.
    append=true adds rows (keeping the existing header order, new columns appended).
    Fields whose names start with "_" are not written, except a KV store record's `_key`: there, without
    append the collection is replaced, with append=true a row whose `_key` (or `key_field` value) names an
    existing record updates it (an upsert) and other rows are inserted with a new key.
    """

    generating = False

    def __init__(self, table, opts, pos):
        self.table, self.pos = table, pos
        self.append = opts.get("append", False)
        self.create_empty = opts.get("create_empty", True)
        self.override_if_empty = opts.get("override_if_empty", True)
        self.max = opts.get("max")
        self.key_field = opts.get("key_field")

    @classmethod
    def parse(cls, args: ArgList, ctx) -> OutputlookupCommand:
        opts = args.take_options({"append": "bool", "create_empty": "bool", "override_if_empty": "bool",
                                  "max": "int", "createinapp": "bool", "key_field": "str"})
        table, pos = args.take_field()
        args.expect_end()
        definition = ctx.lookups.definition(table, pos)
        if not definition.filename.endswith((".csv", ".csv.gz")):
            raise args.error(f"lookup file '{definition.filename}' must end with .csv or .csv.gz")
        return cls(table, opts, pos)

    def execute(self, rows, ctx):
        rows = list(rows)
        store = ctx.app.lookups
        definition = store.definition(self.table, self.pos)
        filename = definition.filename
        out = rows[:self.max] if self.max is not None else rows
        if definition.kvstore and out:
            return self._write_kvstore(store, filename, rows, out)
        if not out:
            if self.append:
                return iter(rows)
            if not self.override_if_empty and store.exists(filename):
                return iter(rows)
            if self.create_empty:
                store.write(filename, [], [], self.pos)
            else:
                store.delete(filename, self.pos)
            return iter(rows)
        header: list[str] = []
        existing: list[dict] = []
        if self.append and store.exists(filename):
            header, existing = store.load(filename, self.pos)
            header = list(header)
        for row in out:
            for name in row:
                if not name.startswith("_") and name not in header:
                    header.append(name)
        store.write(filename, header, existing + out, self.pos)
        return iter(rows)

    def _write_kvstore(self, store, filename, rows, out):
        header, existing = store.load(filename, self.pos)
        header = list(header)
        records = {rec[KV_KEY]: rec for rec in existing if KV_KEY in rec} if self.append else {}
        for row in out:
            record = {k: v for k, v in row.items() if not k.startswith("_") and v is not None}
            key = row.get(self.key_field) if self.key_field else row.get(KV_KEY)
            key = to_str(key) if key not in (None, "") else uuid.uuid4().hex
            record[KV_KEY] = key
            records[key] = record
            header += [name for name in record if name not in header]
        store.write(filename, header, list(records.values()), self.pos)
        return iter(rows)
