"""Embedded SPL engine (never shipped): tokenizer -> parser -> AST -> executor.

Two entry points:

- ``run_search(spl, events=..., app_dir=..., now=..., ...)``: one search, returns the result rows.
- ``Engine(app_dir, scratch_lookup_dir, tz=...)``: for repeated runs (the scheduler replay). Searches are
  parsed and compiled once per distinct SPL text; lookups and conf files are read once per engine.

``events`` is either an iterable of event dicts, or an *event store*: any object with
``select(earliest, latest, index_earliest, index_latest) -> Iterable[dict]`` (epoch floats or None;
earliest bounds are inclusive, latest exclusive, on ``_time`` and ``_indextime``). The engine asks the
store only for the window the search needs, so a time-indexed store makes each run cost O(window).
A store that yields newest first (as Splunk returns events) should say so with ``newest_first = True``:
the engine then streams its events; otherwise it sorts the matching events itself.
"""
from __future__ import annotations

import time

from .context import AppContext, SearchContext, as_source
from .errors import SplError, SplSyntaxError, SplUnsupportedError
from .executor import Results, run_plan

__all__ = ["Engine", "Results", "SplError", "SplSyntaxError", "SplUnsupportedError", "run_search"]


class Engine:
    """An app's engine: compiled-search cache, conf files, lookups (scratch copies for outputlookup)."""

    def __init__(self, app_dir=".", scratch_lookup_dir=None, tz="UTC", macros: dict | None = None,
                 geoip_db=None):
        self.app = AppContext(app_dir, scratch_lookup_dir, macros, geoip_db)
        self.tz = tz

    def compile(self, spl: str):
        """Parse and compile ``spl`` (cached); raises SplError for bad or unsupported SPL."""
        return self.app.compile(spl)

    def search(self, spl: str, *, events=(), now=None, earliest=None, latest=None,
               index_earliest=None, index_latest=None) -> Results:
        """Run ``spl`` and return its result rows (a list) with the run's alert actions (``Results.sent_alerts``).
        ``now`` (epoch) is fixed for the whole run."""
        plan, ctx = self._prepare(spl, events, now, earliest, latest, index_earliest, index_latest)
        return Results(run_plan(plan, ctx), ctx.sent_alerts, plan.declared_columns)

    def stream(self, spl: str, *, events=(), now=None, earliest=None, latest=None,
               index_earliest=None, index_latest=None):
        """Like :meth:`search` but yields rows as the pipeline produces them (without the alert actions)."""
        return run_plan(*self._prepare(spl, events, now, earliest, latest, index_earliest, index_latest))

    def _prepare(self, spl, events, now, earliest, latest, index_earliest, index_latest):
        """(compiled plan, the run's SearchContext)."""
        plan = self.compile(spl)
        if plan.has_subsearch and not hasattr(events, "select") and iter(events) is events:
            events = list(events)   # a one-shot iterator: subsearches read the events again
        ctx = SearchContext(self.app, as_source(events), time.time() if now is None else now, self.tz,
                            earliest, latest, index_earliest, index_latest)
        return plan, ctx


def run_search(spl: str, *, events=(), app_dir=".", now=None, tz="UTC", earliest=None, latest=None,
               lookup_dir=None, macros=None, geoip_db=None) -> list[dict]:
    """Run one search over ``events`` with the app's macros, lookups and commands."""
    engine = Engine(app_dir, lookup_dir, tz=tz, macros=macros, geoip_db=geoip_db)
    return engine.search(spl, events=events, now=now, earliest=earliest, latest=latest)
