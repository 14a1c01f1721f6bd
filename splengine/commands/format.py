"""format: turn results into one search string (also how a subsearch becomes a filter).

https://help.splunk.com/en/splunk-enterprise/search/spl-search-reference/10.0/search-commands/format
Default output: ``( ( f1="v1" AND f2="v2" ) OR ( ... ) )`` with each row's fields in name order (the page's
example 1 lists host, source, sourcetype after ``fields source, sourcetype, host``); no results gives
``NOT ( )`` (or ``emptystr``). Internal fields (names starting with ``_``) are left out. A subsearch whose results have a ``search`` or ``query``
field contributes that field's value verbatim (that is what ``format`` and ``return`` produce).
"""
from __future__ import annotations

from ..args import ArgList
from ..tokenizer import STRING
from ..values import mv_values, to_str
from .base import Command, register

# limits.conf [subsearch] maxout: a subsearch returns at most this many results
SUBSEARCH_MAXOUT = 10000
DEFAULTS = ("(", "(", "AND", ")", "OR", ")")


def quote(value) -> str:
    """A value as a quoted search term (backslashes and quotes escaped)."""
    s = to_str(value)
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_rows(rows, parts=DEFAULTS, mvsep="OR", maxresults=0, emptystr="NOT ( )") -> str:
    rowprefix, colprefix, colsep, colend, rowsep, rowend = parts
    if maxresults:
        rows = rows[:maxresults]
    formatted = []
    for row in rows:
        cols = []
        for name in sorted(row):
            value = row[name]
            if name.startswith("_"):
                continue
            values = mv_values(value)
            if not values:
                continue
            terms = [f"{name}={quote(v)}" for v in values]
            cols.append(terms[0] if len(terms) == 1 else "( " + f" {mvsep} ".join(terms) + " )")
        if cols:
            formatted.append(f"{colprefix} " + f" {colsep} ".join(cols) + f" {colend}")
    if not formatted:
        return emptystr
    return f"{rowprefix} " + f" {rowsep} ".join(formatted) + f" {rowend}"


def subsearch_text(rows: list[dict]) -> str:
    """The search text a subsearch's results stand for: a ``search``/``query`` field's values are "rendered
    directly" (Search Manual, "Change the format of subsearch results"), so ``return`` over no rows (its one
    result has an empty ``search``) adds no criterion; other results go through ``format`` (``NOT ( )`` for none).
    """
    for key in ("search", "query"):
        if rows and key in rows[0]:
            return " OR ".join(text for r in rows if r.get(key) is not None and (text := to_str(r[key])))
    return format_rows(rows)


@register("format")
class FormatCommand(Command):
    def __init__(self, parts, mvsep, maxresults, emptystr):
        self.parts, self.mvsep, self.maxresults, self.emptystr = parts, mvsep, maxresults, emptystr

    @classmethod
    def parse(cls, args: ArgList, ctx) -> FormatCommand:
        opts = args.take_options({"mvsep": "str", "maxresults": "int", "emptystr": "str"})
        parts = []
        while not args.at_end() and args.peek().kind == STRING:
            parts.append(args.next().value)
        if parts and len(parts) != 6:
            raise args.error("row and column options must be given all six together "
                             "(row prefix, column prefix, column separator, column end, row separator, row end)")
        args.expect_end()
        return cls(tuple(parts) or DEFAULTS, opts.get("mvsep", "OR"), opts.get("maxresults", 0),
                   opts.get("emptystr", "NOT ( )"))

    def execute(self, rows, ctx):
        text = format_rows(list(rows), self.parts, self.mvsep, self.maxresults, self.emptystr)
        yield {"search": text}
