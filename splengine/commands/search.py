"""search: the first command reads events from the source; later ones filter the rows.

https://help.splunk.com/en/splunk-enterprise/search/spl-search-reference/10.0/search-commands/search
"""
from __future__ import annotations

from ..args import ArgList
from ..errors import SplUnsupportedError
from ..events import extract
from ..expr.search import SearchSpec, Subsearch, compile_node, parse_search, parse_search_text, required_raw_literals
from .base import Command, register
from .format import SUBSEARCH_MAXOUT, subsearch_text


@register("search")
class SearchCommand(Command):
    keeps_columns = True

    def __init__(self, spec: SearchSpec, first: bool):
        self.spec = spec
        self.first = first
        self._static_pred = None if spec.has_subsearch else compile_node(spec.tree, None)
        self.prefilters = required_raw_literals(spec.tree)

    @classmethod
    def parse(cls, args: ArgList, ctx) -> SearchCommand:
        spec = parse_search(args.tokens[args.index:], args.text)
        if spec.time_bounds and not args.first:
            raise SplUnsupportedError(
                "search: time modifiers (earliest/latest) are only supported in the first search command",
                args.position)
        return cls(spec, args.first)

    def predicate(self, ctx):
        if self._static_pred is not None:
            return self._static_pred

        def resolve(node: Subsearch):
            rows = list(ctx.run_pipeline(ctx.app.compile_pipeline(node.pipeline)))[:SUBSEARCH_MAXOUT]
            return parse_search_text(node.prefix + subsearch_text(rows)).tree

        return compile_node(self.spec.tree, resolve)

    def time_window(self, ctx) -> tuple:
        """(earliest, latest, index_earliest, index_latest): inline modifiers override the dispatch range."""
        b = self.spec.time_bounds
        earliest = ctx.resolve_time(b["earliest"]) if "earliest" in b else ctx.earliest
        latest = ctx.resolve_time(b["latest"]) if "latest" in b else ctx.latest
        iearliest = ctx.resolve_time(b["_index_earliest"]) if "_index_earliest" in b else ctx.index_earliest
        ilatest = ctx.resolve_time(b["_index_latest"]) if "_index_latest" in b else ctx.index_latest
        return earliest, latest, iearliest, ilatest

    def execute(self, rows, ctx):
        pred = self.predicate(ctx)
        if not self.first:
            return (row for row in rows if pred(row))
        return self._events(ctx, pred)

    def _events(self, ctx, pred):
        earliest, latest, iearliest, ilatest = self.time_window(ctx)
        prefilters = self.prefilters
        matches = (row for row in (extract(ev) for ev in ctx.source.select(earliest, latest, iearliest, ilatest)
                                   if not prefilters or _may_match(ev, prefilters))
                   if pred(row))
        if getattr(ctx.source, "newest_first", False):
            return matches
        # Splunk returns events newest first: sort the matches only (stable for equal times)
        return iter(sorted(matches, key=_newest_first))


def _newest_first(row: dict) -> float:
    t = row.get("_time")
    try:
        return -float(t)
    except (TypeError, ValueError):
        return float("inf")


def _may_match(event: dict, prefilters) -> bool:
    """False when _raw lacks a literal that a top-level field=value test needs (see required_raw_literals)."""
    raw = event.get("_raw")
    if type(raw) is not str:
        return True
    low = None
    for name, literal in prefilters:
        if name in event:
            continue
        if low is None:
            low = raw.lower()   # one lowering per event: much faster than a re.IGNORECASE scan
        if literal not in low:
            return False
    return True
