"""Engine contexts: AppContext (per app, reused across runs) and SearchContext (per run).

AppContext owns what does not change between runs: the app directory, its .conf files, macros, the
scratch lookup directory, and the cache of compiled searches. SearchContext carries one run's state:
``now`` (fixed for the whole run), the time zone, the dispatch time range and the event source.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from .conf import read_layered
from .errors import SplError, SplUnsupportedError
from .executor import compile_pipeline, run_plan
from .expr.search import compile_node, parse_search_text
from .lookups import LookupStore
from .macros import MacroLibrary
from .parser import parse
from .timemod import parse_time_modifier
from .tokenizer import strip_comments


def _tz(tz) -> object:
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except Exception:
            raise SplError(f"Unknown time zone '{tz}'") from None
    return tz


class EventSource(Protocol):
    """What the engine asks of the events a search reads (an index, for the replay's event store).

    ``select(earliest, latest, index_earliest, index_latest)``: the events with ``_time`` in [earliest, latest)
    and ``_indextime`` in [index_earliest, index_latest) (epoch floats; None = unbounded). ``newest_first``:
    True when ``select`` yields newest first, as Splunk returns events (the engine then streams them, else it
    sorts the matches). Optional ``narrow(tree)``: the same source restricted to events the base search's tree
    (``Plan.event_filter``) may match; the engine calls it once per pipeline it runs (subsearches included)
    and still applies the whole search to what is returned, so a source may return more, never fewer.
    Events may be ``splengine.events.ExtractedEvent`` rows (search-time fields already extracted).
    """

    newest_first: bool

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None) -> Iterable[dict]:
        ...


class IterableSource:
    """Event source over any iterable of events (a list, or a generator read once): filters by time.

    It yields events in their input order (``newest_first`` is False), so the search command sorts the
    events that matched, newest first, as Splunk returns them: only matches are kept in memory.
    """

    newest_first = False

    def __init__(self, events: Iterable[dict]):
        self.events = events

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None) -> Iterator[dict]:
        for ev in self.events:
            t = ev.get("_time")
            if t is not None:
                t = float(t)
                if earliest is not None and t < earliest:
                    continue
                if latest is not None and t >= latest:
                    continue
            if index_earliest is not None or index_latest is not None:
                it = ev.get("_indextime")
                it = float(it) if it is not None else t
                if it is None or (index_earliest is not None and it < index_earliest):
                    continue
                if index_latest is not None and it >= index_latest:
                    continue
            yield ev


def as_source(events):
    """Events as an event source: an object with ``select(...)`` is used as is, else an IterableSource."""
    if hasattr(events, "select"):
        return events
    return IterableSource(events or ())


class AppContext:
    """Per-app state shared by every run of an Engine."""

    def __init__(self, app_dir=".", lookup_dir=None, macros: dict | None = None, geoip_db=None):
        self.app_dir = Path(app_dir)
        self.scratch_lookup_dir = Path(lookup_dir) if lookup_dir is not None else None
        self.macros = MacroLibrary.from_app(self.app_dir, macros)
        self._confs: dict[str, dict] = {}
        self._compiled: dict[str, object] = {}
        self.cache: dict = {}   # per-app caches for commands (geoip readers, searchmatch)
        self.geoip_db = geoip_db
        self.lookups = LookupStore(self)

    def conf(self, name: str) -> dict:
        """Merged default/ + local/ settings of ``name`` (e.g. "transforms.conf")."""
        if name not in self._confs:
            self._confs[name] = read_layered(self.app_dir, name)
        return self._confs[name]

    def compile_pipeline(self, pipeline):
        """Compile an already parsed Pipeline (a subsearch), cached for the life of this app context."""
        key = ("pipeline", id(pipeline))
        entry = self._compiled.get(key)
        if entry is None or entry[0] is not pipeline:
            entry = (pipeline, compile_pipeline(pipeline, self))
            self._compiled[key] = entry
        return entry[1]

    def compile(self, spl: str):
        """Parse and compile a search (cached by its text)."""
        plan = self._compiled.get(spl)
        if plan is None:
            # comments go first so that backticks inside them are not macro calls
            plan = compile_pipeline(parse(self.macros.expand(strip_comments(spl))), self)
            self._compiled[spl] = plan
        return plan


class SearchContext:
    """One run of a search: fixed ``now``, time zone, dispatch range, events, and the alert actions it invoked
    (``sent_alerts``: shared by the run's narrowed copies and subsearches, returned with its results)."""

    def __init__(self, app: AppContext, source, now: float, tz="UTC", earliest=None, latest=None,
                 index_earliest=None, index_latest=None):
        self.app = app
        self.source = source
        self.now = float(now)
        self.tz = _tz(tz)
        self.earliest = self.resolve_time(earliest)
        self.latest = self.resolve_time(latest)
        self.index_earliest = self.resolve_time(index_earliest)
        self.index_latest = self.resolve_time(index_latest)
        self.sent_alerts: list = []   # sendalert invocations (never executed offline), in order

    def with_source(self, source) -> SearchContext:
        """This run with another event source (a narrowed view of the same events): same now, range, app."""
        other = copy.copy(self)
        other.source = source
        return other

    def resolve_time(self, value):
        """A dispatch time (epoch number, modifier string, or None) as epoch seconds."""
        if value is None or value == "":
            return None
        if isinstance(value, (int, float)):
            return float(value)
        return parse_time_modifier(str(value), self.now, self.tz)

    def parse_relative_time(self, modifier: str, base: float) -> float:
        """relative_time(base, modifier) for eval: the modifier applied to ``base``."""
        return parse_time_modifier(modifier, base, self.tz)

    def match_search(self, text: str, row: dict) -> bool:
        """searchmatch(): does ``row`` match the search expression ``text``?"""
        key = ("searchmatch", text)
        pred = self.app.cache.get(key)
        if pred is None:
            spec = parse_search_text(text)
            if spec.time_bounds or spec.has_subsearch:
                raise SplUnsupportedError(f"searchmatch: time modifiers and subsearches are not supported in '{text}'")
            pred = compile_node(spec.tree, None)
            self.app.cache[key] = pred
        return pred(row)

    def run_pipeline(self, plan, rows: Iterable[dict] | None = None) -> Iterator[dict]:
        """Run a compiled pipeline (a subsearch, an append) in this run's context."""
        return run_plan(plan, self, rows)
