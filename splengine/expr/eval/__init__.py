"""Eval/where expression language: tokenizer -> Pratt parser -> AST -> closures compiled once per search.

Public API (engine contract 3): ``parse_expression``, ``parse_assignments``, ``Expr.evaluate``, ``truthy``.
``ctx`` must provide ``now``, ``tz``, ``match_search(text, row)`` and ``parse_relative_time(modifier, base)``.
"""
from __future__ import annotations

from splengine.errors import SplError

from .ast import Node, is_boolean
from .compiler import compile_node
from .parser import DynamicName, parse, parse_assignment_list

__all__ = ["DynamicName", "Expr", "parse_expression", "parse_assignments", "truthy"]


class Expr:
    """A compiled expression. ``evaluate(row, ctx)`` returns a value, or a bool for conditions."""

    __slots__ = ("node", "text", "evaluate")

    def __init__(self, node: Node, text: str, evaluate):
        self.node = node
        self.text = text
        self.evaluate = evaluate

    def __repr__(self) -> str:
        return f"Expr({self.text!r})"


def parse_expression(text: str, offset: int = 0) -> Expr:
    """Parse and compile one expression (``where``, ``eval`` right-hand sides, ``stats ... eval(...)``)."""
    node = parse(text, offset)
    return Expr(node, text, compile_node(node))


def _no_boolean(field: str, fn, pos: int, boolean_form: bool):
    """An expression that is a Boolean by its form is refused (when a row evaluates it, as before); a Boolean
    that another form yields is stored as tostring() writes it, True or False (ast.is_boolean)."""
    def evaluate(row, ctx):
        v = fn(row, ctx)
        if type(v) is bool:
            if boolean_form:
                raise SplError(f"eval: the expression for field {field!r} returns a boolean; "
                               "wrap it in if(<condition>, <true value>, <false value>)", pos)
            return "True" if v else "False"
        return v
    return evaluate


def parse_assignments(text: str, offset: int = 0) -> list[tuple[str | DynamicName, Expr]]:
    """Parse ``eval``'s ``field=expr[, field=expr]...``; a boolean result raises SplError (Splunk refuses it).
    A ``{field}`` target is a DynamicName: the row's value of ``field`` names the assigned field."""
    out = []
    for field, node, pos in parse_assignment_list(text, offset):
        shown = f"{{{field.field}}}" if isinstance(field, DynamicName) else field
        out.append((field, Expr(node, text, _no_boolean(shown, compile_node(node), pos, is_boolean(node)))))
    return out


def truthy(value) -> bool:
    """Whether a ``where`` condition keeps the row: only ``True``; null is false. Non-booleans are refused."""
    if value is True:
        return True
    if value is False or value is None:
        return False
    raise SplError(f"where: the expression must be a boolean condition, got the value {value!r}")
