"""table, fields, rename: choose, order and rename fields (wildcards allowed).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/table
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/fields
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/rename
"""
from __future__ import annotations

import re

from ..args import ArgList
from ..values import wildcard_to_regex
from .base import Command, register

_INTERNAL_KEPT = ("_time", "_raw")


def _matchers(patterns):
    return [(p, None if "*" not in p else wildcard_to_regex(p, False)) for p in patterns]


def _select(row: dict, matchers) -> list[str]:
    """Field names of ``row`` matched by the patterns, in pattern order then row order."""
    out, seen = [], set()
    for pattern, rx in matchers:
        if rx is None:
            if pattern in row and pattern not in seen:
                out.append(pattern)
                seen.add(pattern)
        else:
            for name in row:
                if name not in seen and rx.match(name):
                    out.append(name)
                    seen.add(name)
    return out


@register("table")
class TableCommand(Command):
    """Keeps only the listed fields, in that order (a transforming command: rows keep no other field)."""

    def __init__(self, patterns):
        self.patterns = patterns
        self.matchers = _matchers(patterns)

    @classmethod
    def parse(cls, args: ArgList, ctx) -> TableCommand:
        fields = [f for f, _ in args.take_fields(stop=())]
        if not fields:
            raise args.error("needs at least one field")
        args.expect_end()
        return cls(fields)

    @property
    def declared_columns(self):
        """The columns Splunk shows after this table even when no row has the field (the fillnull page's
        `table test test2`); None with a wildcard, whose columns are only the fields rows have."""
        return None if any(rx is not None for _, rx in self.matchers) else [p for p, _ in self.matchers]

    def execute(self, rows, ctx):
        wildcard = any(rx is not None for _, rx in self.matchers)
        names = [p for p, _ in self.matchers]
        for row in rows:
            keys = _select(row, self.matchers) if wildcard else names
            yield {k: row[k] for k in keys if k in row}


@register("fields")
class FieldsCommand(Command):
    """``fields [+] a b`` keeps a, b (and _time/_raw, as Splunk does); ``fields - a b`` removes them."""

    def __init__(self, remove: bool, patterns):
        self.remove = remove
        self.matchers = _matchers(patterns)

    @classmethod
    def parse(cls, args: ArgList, ctx) -> FieldsCommand:
        remove = False
        tok = args.peek()
        if tok is not None and tok.value in ("+", "-"):
            remove = tok.value == "-"
            args.next()
        fields = [f for f, _ in args.take_fields(stop=())]
        if fields and fields[0] in ("-", "+"):
            raise args.error("'+' or '-' must come first")
        # "fields -x" (no space) means remove x
        if not remove and fields and all(f.startswith("-") for f in fields[:1]):
            remove = True
            fields = [fields[0][1:], *fields[1:]]
        if not fields:
            raise args.error("needs at least one field")
        args.expect_end()
        return cls(remove, fields)

    def execute(self, rows, ctx):
        for row in rows:
            chosen = _select(row, self.matchers)
            if self.remove:
                for name in chosen:
                    del row[name]
                yield row
            else:
                keep = {k: row[k] for k in chosen}
                for name in _INTERNAL_KEPT:
                    if name in row and name not in keep:
                        keep[name] = row[name]
                yield keep


@register("rename")
class RenameCommand(Command):
    """``rename a AS b, x* AS y*``: a wildcard renames every matching field, keeping what ``*`` matched."""

    def __init__(self, pairs):
        self.pairs = pairs

    @classmethod
    def parse(cls, args: ArgList, ctx) -> RenameCommand:
        pairs = []
        while not args.at_end():
            if args.peek().kind == "COMMA":
                args.next()
                continue
            src, pos = args.take_field()
            if not args.take_keyword("as"):
                raise args.error(f"expected AS after '{src}'", args.peek())
            dst, _ = args.take_field()
            if src.count("*") != dst.count("*"):
                # "The number of asterisks ( * ) in the original name must match the number of asterisks
                # in the new name" (the rename page)
                raise args.error(f"wildcards of '{src}' and '{dst}' do not match")
            pairs.append((src, dst, _rename_regex(src)))
        if not pairs:
            raise args.error("needs 'field AS newname'")
        return cls(pairs)

    def execute(self, rows, ctx):
        for row in rows:
            for src, dst, rx in self.pairs:
                if rx is None:
                    if src in row:
                        _move(row, src, dst)
                    elif dst in row:
                        # "If fieldB does exist, the result of the rename is that the data in fieldB is removed"
                        del row[dst]
                    continue
                for name in [n for n in row if rx.fullmatch(n)]:
                    m = rx.fullmatch(name)
                    new = dst
                    for part in m.groups():
                        new = new.replace("*", part, 1)
                    _move(row, name, new)
            yield row


def _move(row: dict, src: str, dst: str) -> None:
    """Rename src to dst where src stands (a renamed column keeps its place in Splunk's results); a field
    already called dst is replaced."""
    if src == dst:
        return
    items = [(dst if name == src else name, value) for name, value in row.items() if name != dst]
    row.clear()
    row.update(items)


def _rename_regex(pattern: str):
    if "*" not in pattern:
        return None
    return re.compile("(.*)".join(re.escape(p) for p in pattern.split("*")), re.S)

