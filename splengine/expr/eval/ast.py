"""AST nodes of eval expressions. Positions are absolute character offsets in the SPL text."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    pos: int


@dataclass(frozen=True)
class Literal(Node):
    value: object          # str, int or float


@dataclass(frozen=True)
class Field(Node):
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str                # "-", "+", "NOT"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    name: str              # lower-cased function name
    args: tuple


@dataclass(frozen=True)
class InList(Node):
    """``expr IN (v1, v2, ...)`` as where accepts it."""
    operand: Node
    items: tuple


def fields_of(node: Node) -> set[str]:
    """Field names referenced anywhere in ``node`` (used by mvfilter)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Field):
            out.add(n.name)
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack += [n.left, n.right]
        elif isinstance(n, Call):
            stack += list(n.args)
        elif isinstance(n, InList):
            stack += [n.operand, *n.items]
    return out
