"""What a compiled search reads, writes and how far back it looks: read off its commands, never off its text.

A caller that schedules searches (the replay) needs these answers to decide which runs can matter: a run reads
events only through the base searches of its pipelines (the main one, subsearches, append/join pipelines), each
bounded by its inline time modifiers or else the dispatch window; it reads and writes state only through the
lookup commands. Macros are already expanded and comments stripped in a compiled plan, so no pattern over the
SPL text is needed (or could be as exact: a `sourcetype=` inside a quoted string, a subsearch's own window).
"""
from __future__ import annotations

from dataclasses import dataclass

from .ast import Pipeline
from .commands.lookup import InputlookupCommand, LookupCommand, OutputlookupCommand
from .commands.search import SearchCommand
from .expr.search.ast import And, Compare, In, Not, Or, Subsearch
from .timemod import parse_time_modifier


@dataclass(frozen=True)
class Write:
    """One write of a run: `command` (outputlookup), its `target` (lookup name) and whether it only adds rows
    (`append`: over zero rows it changes nothing) or replaces the table."""

    command: str
    target: str
    append: bool


@dataclass(frozen=True)
class Footprint:
    """A plan's reads and writes, its subsearches and appended pipelines included.

    `indexes` / `sourcetypes`: the values the base searches require (`index=aws`, `sourcetype IN (a, b)`), None
    when some base search may read any (no such term, a wildcard, a negation); empty when no pipeline retrieves
    events. `lookups`: lookup names read (`lookup`, `inputlookup`); `collections`: the KV store collections behind
    lookups read or written (transforms.conf `collection`). `retrievals`: (inline time bounds, main) of each base
    search that retrieves events: its time modifiers (empty when it uses the dispatch window), and whether it is
    the main pipeline's (False: a subsearch's or an appended/joined pipeline's). `filters`: the search tree of
    each of those base searches, in the same order (what an event source may narrow by)."""

    indexes: frozenset | None
    sourcetypes: frozenset | None
    lookups: frozenset
    collections: frozenset
    writes: tuple
    retrievals: tuple
    filters: tuple = ()

    def lookback(self, earliest, index_earliest, now, tz, main_only=False) -> float | None:
        """Seconds before `now` of the oldest event a run at `now` can read (each base search: its inline bounds,
        else the dispatch `earliest` / `index_earliest`; the tighter of its two bounds, as an event must pass
        both; the widest over the base searches, or only the main pipeline's with `main_only`). 0 when no such
        pipeline retrieves events, None when one of them has no earliest bound (all time). Raises SplError for
        a bound that is not a time modifier (`rt-5m`: a real-time window)."""
        widest = 0.0
        for bounds, main in self.retrievals:
            if main_only and not main:
                continue
            reaches = []
            for key, dispatch in (("earliest", earliest), ("_index_earliest", index_earliest)):
                bound = bounds.get(key, dispatch)
                if bound not in (None, ""):
                    reaches.append(now - (float(bound) if isinstance(bound, (int, float))
                                          else parse_time_modifier(str(bound), now, tz)))
            if not reaches:
                return None
            widest = max(widest, min(reaches))
        return widest


def footprint(commands, app) -> Footprint:
    """The Footprint of a pipeline's compiled `commands` (sub-pipelines compiled through `app`'s cache)."""
    acc = {"indexes": set(), "sourcetypes": set(), "lookups": set(), "writes": [], "retrievals": [], "filters": []}
    _walk(commands, app, acc, seen=set(), main=True)
    transforms = app.conf("transforms.conf")
    names = acc["lookups"] | {w.target for w in acc["writes"]}
    collections = {transforms[n]["collection"].strip() for n in names
                   if n in transforms and transforms[n].get("external_type", "").strip() == "kvstore"
                   and transforms[n].get("collection", "").strip()}
    return Footprint(None if acc["indexes"] is None else frozenset(acc["indexes"]),
                     None if acc["sourcetypes"] is None else frozenset(acc["sourcetypes"]),
                     frozenset(acc["lookups"]), frozenset(collections), tuple(acc["writes"]),
                     tuple(acc["retrievals"]), tuple(acc["filters"]))


def _walk(commands, app, acc, seen, main=False):
    for cmd in commands:
        if isinstance(cmd, SearchCommand):
            if cmd.first:
                acc["retrievals"].append((dict(cmd.spec.time_bounds), main))
                acc["filters"].append(cmd.spec.tree)
                for field, key in (("index", "indexes"), ("sourcetype", "sourcetypes")):
                    values = required_values(cmd.spec.tree, field)
                    acc[key] = None if values is None or acc[key] is None else acc[key] | values
            for sub in _subsearches(cmd.spec.tree):
                _walk_pipeline(sub.pipeline, app, acc, seen)
        elif isinstance(cmd, (LookupCommand, InputlookupCommand)):
            acc["lookups"].add(cmd.table)
        elif isinstance(cmd, OutputlookupCommand):
            acc["writes"].append(Write("outputlookup", cmd.table, bool(cmd.append)))
        pipeline = getattr(cmd, "pipeline", None)   # append, join, appendpipe
        if isinstance(pipeline, Pipeline):
            _walk_pipeline(pipeline, app, acc, seen)


def _walk_pipeline(pipeline, app, acc, seen):
    if id(pipeline) not in seen:
        seen.add(id(pipeline))
        _walk(app.compile_pipeline(pipeline).commands, app, acc, seen)


def _subsearches(node):
    if isinstance(node, Subsearch):
        yield node
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _subsearches(child)
    elif isinstance(node, Not):
        yield from _subsearches(node.child)


def _as_written(values):
    return None if any("*" in v for v in values) else set(values)


def required_values(node, field, leaf=_as_written) -> set | None:
    """Values (as written) one of which `field` must equal for the search tree to match, or None when it may
    have any value: `field=v` and `field IN (...)` without wildcards, under AND (the tightest) and OR (all
    branches constrained: their union); anything else (NOT, `!=`, a wildcard, `field::v`) constrains nothing.
    `leaf` turns one term's values into its set, or None when that term constrains nothing (the store's
    narrowing lower-cases them and also leaves CIDR and non-ASCII terms out)."""
    if isinstance(node, And):
        found = [v for v in (required_values(child, field, leaf) for child in node.children) if v is not None]
        return min(found, key=len) if found else None
    if isinstance(node, Or):
        found = [required_values(child, field, leaf) for child in node.children]
        return set().union(*found) if found and all(v is not None for v in found) else None
    if isinstance(node, Compare) and node.op == "=" and node.field == field:
        return leaf([node.value])
    if isinstance(node, In) and node.field == field and node.values:
        return leaf(node.values)
    return None
