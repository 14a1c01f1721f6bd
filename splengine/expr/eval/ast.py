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


# Functions whose result is a Boolean (the informational, comparison and conditional, JSON and conversion pages)
BOOLEAN_FUNCTIONS = frozenset({
    "cidrmatch", "false", "in", "isarray", "isbool", "isdouble", "isint", "ismv", "isnotnull", "isnull", "isnum",
    "isobject", "isstr", "json_has_key_exact", "json_valid", "like", "match", "searchmatch", "tobool", "true",
})
_BOOLEAN_OPS = frozenset({"=", "!=", "<", ">", "<=", ">=", "LIKE", "AND", "OR", "XOR"})


def is_boolean(node: Node) -> bool:
    """Whether the expression is a Boolean by its form: a comparison, a logical operator, IN, a Boolean
    function, or if()/case() whose every result is one. Eval refuses to assign such an expression ("the eval
    command can't directly accept a Boolean value"); other expressions that yield a Boolean at run time (the
    informational page's if(isnum(numval), match(numval,"NaN"), false), whose third result is a field) are
    stored as True/False ("the search returns isnan is True")."""
    if isinstance(node, Binary):
        return node.op in _BOOLEAN_OPS
    if isinstance(node, Unary):
        return node.op == "NOT"
    if isinstance(node, InList):
        return True
    if isinstance(node, Call):
        if node.name == "if" and len(node.args) == 3:
            return is_boolean(node.args[1]) and is_boolean(node.args[2])
        if node.name == "case" and node.args:
            return all(is_boolean(a) for a in node.args[1::2])
        return node.name in BOOLEAN_FUNCTIONS
    return False
