"""Compile an expression AST once into nested Python closures ``f(row, ctx) -> value``.

Null propagation (Splunk eval): arithmetic, concatenation and comparisons with a null operand give null;
a null condition is false in ``where`` and ``if``. AND/OR/NOT follow three-valued logic, so
``NOT x>5`` is not true when ``x`` is null (recorded in splengine/SEMANTICS.md).
"""
from __future__ import annotations

from splengine.errors import SplError
from splengine.values import to_number, to_str

from . import functions  # noqa: F401  (registers every eval function)
from .ast import Binary, Call, Field, InList, Literal, Node, Unary
from .operators import ARITH, CMP, as_number, compare_values, equals_any, like_regex
from .registry import lookup


def _and(left, right):
    def f(row, ctx):
        a = left(row, ctx)
        if a is False:
            return False
        b = right(row, ctx)
        if b is False:
            return False
        return None if a is None or b is None else _as_bool(a) and _as_bool(b)
    return f


def _or(left, right):
    def f(row, ctx):
        a = left(row, ctx)
        if a is True:
            return True
        b = right(row, ctx)
        if b is True:
            return True
        return None if a is None or b is None else _as_bool(a) or _as_bool(b)
    return f


def _xor(left, right):
    def f(row, ctx):
        a, b = left(row, ctx), right(row, ctx)
        return None if a is None or b is None else _as_bool(a) != _as_bool(b)
    return f


def _as_bool(v) -> bool:
    if type(v) is bool:
        return v
    raise SplError(f"boolean operator applied to a non-boolean value {v!r}")


def compile_node(node: Node):
    """Compile ``node`` to a closure ``f(row, ctx)``."""
    if isinstance(node, Literal):
        value = node.value
        return lambda row, ctx: value
    if isinstance(node, Field):
        name = node.name
        return lambda row, ctx: row.get(name)
    if isinstance(node, Unary):
        inner = compile_node(node.operand)
        if node.op == "NOT":
            def f_not(row, ctx):
                v = inner(row, ctx)
                return None if v is None else not _as_bool(v)
            return f_not
        if node.op == "-":
            def f_neg(row, ctx):
                v = as_number(inner(row, ctx))
                return None if v is None else -v
            return f_neg
        return lambda row, ctx: as_number(inner(row, ctx))
    if isinstance(node, Binary):
        return _compile_binary(node)
    if isinstance(node, InList):
        return equals_any(compile_node(node.operand), [compile_node(i) for i in node.items], if_null=None)
    if isinstance(node, Call):
        spec = lookup(node.name, len(node.args), node.pos)
        return spec.build([compile_node(a) for a in node.args], list(node.args), node)
    raise SplError(f"cannot compile expression node {type(node).__name__}", node.pos)


def _compile_binary(node: Binary):
    op = node.op
    if op == "AND":
        return _and(compile_node(node.left), compile_node(node.right))
    if op == "OR":
        return _or(compile_node(node.left), compile_node(node.right))
    if op == "XOR":
        return _xor(compile_node(node.left), compile_node(node.right))
    left = compile_node(node.left)
    if op == "LIKE":
        if isinstance(node.right, Literal) and isinstance(node.right.value, str):
            rx = like_regex(node.right.value)

            def f_like_const(row, ctx):
                v = left(row, ctx)
                return None if v is None or type(v) is list else rx.match(to_str(v)) is not None
            return f_like_const
        right = compile_node(node.right)

        def f_like(row, ctx):
            v, p = left(row, ctx), right(row, ctx)
            if v is None or p is None or type(v) is list or type(p) is list:
                return None
            return like_regex(to_str(p)).match(to_str(v)) is not None
        return f_like
    if op in CMP and isinstance(node.right, Literal):
        return _compare_with_literal(op, left, node.right.value)
    right = compile_node(node.right)
    if op in CMP:
        return lambda row, ctx: compare_values(op, left(row, ctx), right(row, ctx))
    fn = ARITH[op]
    return lambda row, ctx: fn(left(row, ctx), right(row, ctx))


def _compare_with_literal(op, left, literal):
    """``expr <op> "literal"`` specialised: the literal's numeric reading is computed once, not per row."""
    cmp = CMP[op]
    lit_num = as_number(literal)
    lit_str = literal if type(literal) is str else to_str(literal)

    def f(row, ctx):
        v = left(row, ctx)
        t = type(v)
        if t is str:
            if lit_num is not None:
                n = to_number(v)
                if n is not None:
                    return cmp(n, lit_num)
            return cmp(v, lit_str)
        if t is int or t is float:
            if lit_num is not None:
                return cmp(v, lit_num)
            return cmp(to_str(v), lit_str)
        if v is None:
            return None
        return compare_values(op, v, literal)
    return f
