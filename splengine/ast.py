"""AST of an SPL search: a pipeline of commands, each with its positioned argument list."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CommandNode:
    """One ``| name args`` stage as parsed: ``args`` is a :class:`splengine.commands.base.ArgList`."""

    name: str
    args: object
    position: int
    leading_pipe: bool = False


@dataclass
class Pipeline:
    """A whole search or a subsearch: ``text`` is the (macro-expanded) SPL it was parsed from."""

    commands: list[CommandNode] = field(default_factory=list)
    text: str = ""
    position: int = 0
    has_subsearch: bool = False   # a [ ... ] anywhere inside (the events may be read more than once)

