"""The search language's tree: terms, field comparisons, IN, NOT/AND/OR, subsearches; time bounds aside."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    pos: int


@dataclass
class And(Node):
    children: list


@dataclass
class Or(Node):
    children: list


@dataclass
class Not(Node):
    child: Node


@dataclass
class Term(Node):
    text: str
    directive: str = ""    # "CASE" (case-sensitive) or "TERM" (bounded by major breakers only), else ""


@dataclass
class Compare(Node):
    field: str
    op: str
    value: str
    case_sensitive: bool = False    # field=CASE(value)


@dataclass
class In(Node):
    field: str
    values: list


@dataclass
class Subsearch(Node):
    """``[ ... ]``; ``prefix`` is the ``field=`` written right before it (``sourcetype=[search ...]``): the
    subsearch's text is spliced after it, as Splunk substitutes a subsearch's result into the search text."""
    pipeline: object
    prefix: str = ""


@dataclass
class MatchAll(Node):
    pass


@dataclass
class SearchSpec:
    """A parsed search expression: the filter tree plus its time bounds (modifier text or None)."""

    tree: Node
    time_bounds: dict = field(default_factory=dict)

    @property
    def has_subsearch(self) -> bool:
        return contains_subsearch(self.tree)


def contains_subsearch(node: Node) -> bool:
    if isinstance(node, Subsearch):
        return True
    if isinstance(node, (And, Or)):
        return any(contains_subsearch(c) for c in node.children)
    if isinstance(node, Not):
        return contains_subsearch(node.child)
    return False
