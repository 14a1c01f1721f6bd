"""Command base class and the command registry.

Writing a command::

    @register("head")
    class Head(Command):
        @classmethod
        def parse(cls, args: ArgList, ctx) -> "Head":
            opts = args.take_options({"limit": "int", "keeplast": "bool"})
            ...
            args.expect_end()          # leftovers -> SplUnsupportedError naming them
            return cls(...)

        def execute(self, rows, ctx):
            ...

``parse`` runs once per distinct search text (parsed searches are cached by the Engine): it must not read
per-run state (``ctx.now``, events); ``ctx`` at parse time is the :class:`splengine.context.AppContext`
(app directory, conf files, lookups). ``execute`` gets the per-run
:class:`splengine.context.SearchContext` and an iterator of rows, and returns an iterator of rows.

Arguments come as an :class:`splengine.args.ArgList` (a cursor over the command's tokens).
"""
from __future__ import annotations

from collections.abc import Iterator

from ..args import ArgList
from ..errors import SplError, SplUnsupportedError


class Command:
    """Base of every SPL command. Subclasses may set ``name``/``generating`` and implement parse/execute."""

    name: str = ""
    generating: bool = False   # may start a pipeline after a leading pipe (makeresults, inputlookup)
    keeps_columns: bool = False  # keeps every row's fields (may add some): a `table`'s declared columns stay
    position: int = 0

    @classmethod
    def parse(cls, args: ArgList, ctx) -> Command:
        raise NotImplementedError

    def execute(self, rows: Iterator[dict], ctx) -> Iterator[dict]:
        raise NotImplementedError


_REGISTRY: dict[str, type[Command]] = {}


def register(*names: str):
    """Class decorator: make the command available under each of ``names`` (e.g. "bin", "bucket")."""

    def deco(cls: type[Command]) -> type[Command]:
        if not cls.name:
            cls.name = names[0]
        for name in names:
            if name in _REGISTRY and _REGISTRY[name] is not cls:
                raise SplError(f"command '{name}' registered twice")
            _REGISTRY[name] = cls
        return cls

    return deco


def get_command(name: str, position: int | None = None) -> type[Command]:
    """Look up a registered command class; unknown names raise SplUnsupportedError."""
    cls = _REGISTRY.get(name.lower())
    if cls is None:
        raise SplUnsupportedError(f"Unknown or unsupported command '{name}'", position)
    return cls


def registered_commands() -> list[str]:
    return sorted(_REGISTRY)
