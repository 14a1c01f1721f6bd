"""Pratt parser for eval expressions.

Precedence from the Splunk search manual ("Boolean expressions with logical operators"): for eval and
where, parentheses, then NOT, then AND, then OR, then XOR; comparison binds tighter than the logical
operators, and ``* / %`` tighter than ``+ - .``.
"""
from __future__ import annotations

from dataclasses import dataclass

from splengine.errors import SplSyntaxError, SplUnsupportedError

from .ast import Binary, Call, Field, InList, Literal, Node, Unary
from .tokenizer import DYNAMIC, END, FIELD, NAME, NUMBER, OP, STRING, Token, tokenize

# binding powers of infix operators
_INFIX = {
    "XOR": 10, "OR": 20, "AND": 30,
    "=": 50, "==": 50, "!=": 50, "LIKE": 50, "IN": 50,
    "<": 60, ">": 60, "<=": 60, ">=": 60,
    "+": 70, "-": 70, ".": 70,
    "*": 80, "/": 80, "%": 80,
}
_NOT_BP = 40
# the lowercase forms of the where page's and the date-and-time page's examples ("(eventHour=curHour and ...) or
# (...)"); a name in an operator's position cannot be anything else
_LOWER_INFIX = frozenset({"AND", "OR", "XOR"})
_UNARY_BP = 90


class Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _lowercase_in(self, tok: Token) -> bool:
        """``x in("a", "b")``: the where command's documented lowercase form of the IN operator."""
        following = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        return (tok.kind == NAME and tok.value == "in" and following is not None and following.kind == OP
                and following.value == "(")

    def expect(self, value: str) -> Token:
        tok = self.next()
        if tok.kind != OP or tok.value != value:
            found = "end of expression" if tok.kind == END else repr(tok.value)
            raise SplSyntaxError(f"expected {value!r} in expression, found {found}", tok.pos)
        return tok

    def expression(self, min_bp: int = 0) -> Node:
        left = self.prefix()
        while True:
            tok = self.peek()
            if self._lowercase_in(tok) and _INFIX["IN"] > min_bp:
                self.next()
                left = InList(tok.pos, left, tuple(self.arguments(tok)))
                continue
            if tok.kind == NAME and tok.value.upper() in _LOWER_INFIX:
                tok = Token(OP, tok.value.upper(), tok.pos)
                self.tokens[self.i] = tok
            if tok.kind != OP:
                if tok.kind != END:
                    raise SplSyntaxError(f"unexpected {tok.value!r} in expression (missing operator?)", tok.pos)
                return left
            bp = _INFIX.get(tok.value)
            if bp is None or bp <= min_bp:
                return left
            self.next()
            if tok.value == "IN":
                left = InList(tok.pos, left, tuple(self.arguments(tok)))
            else:
                op = "=" if tok.value == "==" else tok.value
                left = Binary(tok.pos, op, left, self.expression(bp))

    def arguments(self, at: Token) -> list[Node]:
        self.expect("(")
        args: list[Node] = []
        if self.peek().kind == OP and self.peek().value == ")":
            self.next()
            return args
        while True:
            args.append(self.expression())
            tok = self.next()
            if tok.kind == OP and tok.value == ")":
                return args
            if not (tok.kind == OP and tok.value == ","):
                found = "end of expression" if tok.kind == END else repr(tok.value)
                raise SplSyntaxError(f"expected ',' or ')' in arguments of {at.value!r}, found {found}", tok.pos)

    def prefix(self) -> Node:
        tok = self.next()
        if tok.kind == NUMBER or tok.kind == STRING:
            return Literal(tok.pos, tok.value)
        if tok.kind == FIELD:
            return Field(tok.pos, tok.value)
        if tok.kind == NAME:
            nxt = self.peek()
            if tok.value.upper() == "NOT" and (nxt.kind in (NUMBER, STRING, FIELD, NAME)
                                               or (nxt.kind == OP and nxt.value in ("(", "NOT"))):
                return Unary(tok.pos, "NOT", self.expression(_NOT_BP))
            if nxt.kind == OP and nxt.value == "(":
                return Call(tok.pos, tok.value.lower(), tuple(self.arguments(tok)))
            return Field(tok.pos, tok.value)
        if tok.kind == OP:
            if tok.value == "(":
                inner = self.expression()
                self.expect(")")
                return inner
            if tok.value == "NOT":
                return Unary(tok.pos, "NOT", self.expression(_NOT_BP))
            if tok.value in ("-", "+"):
                return Unary(tok.pos, tok.value, self.expression(_UNARY_BP))
        if tok.kind == DYNAMIC:
            raise SplUnsupportedError(f"{{{tok.value}}}: a field name from another field's value is only supported "
                                      "on the left of an eval assignment", tok.pos)
        if tok.kind == END:
            raise SplSyntaxError("expression expected, found end of expression", tok.pos)
        raise SplSyntaxError(f"unexpected {tok.value!r} in expression", tok.pos)


def parse(text: str, offset: int = 0) -> Node:
    """Parse one complete expression."""
    p = Parser(tokenize(text, offset))
    node = p.expression()
    tok = p.peek()
    if tok.kind != END:
        raise SplSyntaxError(f"unexpected {tok.value!r} after expression", tok.pos)
    return node


@dataclass(frozen=True)
class DynamicName:
    """``{field}=...``: the assigned field is named by the value of ``field`` in each row."""
    field: str


def parse_assignment_list(text: str, offset: int = 0) -> list[tuple[str, Node, int]]:
    """Parse ``field=expr, field=expr, ...`` (the eval command's argument)."""
    p = Parser(tokenize(text, offset))
    out: list[tuple[str, Node, int]] = []
    while True:
        tok = p.next()
        if tok.kind not in (NAME, FIELD, STRING, DYNAMIC):
            found = "end of text" if tok.kind == END else repr(tok.value)
            raise SplSyntaxError(f"eval expects field=expression, found {found}", tok.pos)
        p.expect("=")
        target = DynamicName(tok.value) if tok.kind == DYNAMIC else tok.value
        out.append((target, p.expression(), tok.pos))
        tok = p.next()
        if tok.kind == END:
            return out
        if not (tok.kind == OP and tok.value == ","):
            raise SplSyntaxError(f"expected ',' between eval assignments, found {tok.value!r}", tok.pos)
