"""Executor: compile a parsed Pipeline into Command objects and run them as a chain of iterators.

Streaming commands (search, where, eval, fields, rename...) pull one row at a time from the previous
command; blocking ones (stats, sort) consume their input first. Nothing is materialised unless a
command needs it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .ast import Pipeline
from .commands import get_command, load_all
from .commands.custom import custom_command_class
from .commands.search import SearchCommand
from .errors import SplSyntaxError, SplUnsupportedError
from .footprint import Footprint, footprint


class Results(list):
    """A run's result rows, with what else it did: ``sent_alerts``, the ``sendalert`` invocations (action,
    params, options, number of results, now) in order. They travel with the rows so that a caller (the replay)
    reads each run's actions from its own result, not from state shared by every run of the engine."""

    def __init__(self, rows=(), sent_alerts=(), declared_columns=()):
        super().__init__(rows)
        self.sent_alerts = list(sent_alerts)
        self.declared_columns = list(declared_columns)

    @property
    def columns(self) -> list:
        """The result set's fields in display order: a final `table`'s columns, even those no row has (as
        Splunk shows them), then every other field of the rows in order of first appearance."""
        names = dict.fromkeys(self.declared_columns)
        for row in self:
            names.update(dict.fromkeys(row))
        return list(names)


@dataclass
class Plan:
    """A compiled pipeline: its commands, ready to execute any number of times, and its ``footprint``: what it
    reads (indexes, sourcetypes, lookups, KV store collections), writes (outputlookup targets) and how far back
    it looks (``footprint.lookback``), subsearches included (splengine/footprint.py)."""

    commands: list
    text: str
    has_subsearch: bool = False
    footprint: Footprint | None = None

    @property
    def event_filter(self):
        """The search tree of the base search that retrieves this pipeline's events, or None (a generating
        command first). An event source may use its literal terms to narrow what it returns (``narrow``)."""
        first = self.commands[0] if self.commands else None
        return first.spec.tree if isinstance(first, SearchCommand) and first.first else None

    @property
    def declared_columns(self) -> list:
        """The last `table`'s literal fields when every later command keeps the rows' fields (eval, fillnull,
        sort, ...): Splunk shows them as columns even when no row has them. Otherwise none."""
        declared: list = []
        for cmd in self.commands:
            table_columns = getattr(cmd, "declared_columns", None)
            if table_columns is not None or not cmd.keeps_columns:
                declared = list(table_columns or ())
        return declared


def compile_pipeline(pipeline: Pipeline, app) -> Plan:
    """Build Command objects for every stage (each command parses and validates its own arguments)."""
    load_all()
    commands = []
    for i, node in enumerate(pipeline.commands):
        cls, custom = _command_class(node, app)
        if i == 0 and node.leading_pipe and not cls.generating and not custom:
            raise SplSyntaxError(
                f"'{node.name}' is not a generating command and cannot start a search after '|'", node.position)
        args = node.args.copy()
        args.first = i == 0
        cmd = cls.parse(args, app)
        cmd.position = node.position
        commands.append(cmd)
    return Plan(commands, pipeline.text, pipeline.has_subsearch, footprint(commands, app))


def _command_class(node, app):
    """(class, is_custom): built-in commands first, then the app's commands.conf custom commands."""
    try:
        return get_command(node.name, node.position), False
    except SplUnsupportedError:
        cls = custom_command_class(app, node.name, node.position)
        if cls is None:
            raise
        return cls, True


def run_plan(plan: Plan, ctx, rows: Iterable[dict] | None = None) -> Iterator[dict]:
    """Chain the commands' iterators; ``rows`` feeds the first command (default: nothing). An event source
    with ``narrow(tree)`` is narrowed to the base search's terms for this pipeline (not for its subsearches)."""
    narrow = getattr(ctx.source, "narrow", None)
    tree = plan.event_filter if narrow is not None else None
    if tree is not None:
        ctx = ctx.with_source(narrow(tree))
    stream: Iterator[dict] = iter(rows if rows is not None else ())
    for cmd in plan.commands:
        stream = cmd.execute(stream, ctx)
    return stream
