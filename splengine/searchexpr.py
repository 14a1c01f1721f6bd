"""Search expressions (the ``search`` command's language): parse to a tree, compile to closures.

Splunk semantics (help.splunk.com, search command and "Boolean expressions"):
- terms are joined by an implied AND; precedence is parentheses, NOT, OR, then AND (OR binds tighter
  than AND here, unlike eval); the operators must be upper case;
- a bare or quoted term matches ``_raw`` case-insensitively, ``*`` is a wildcard;
- ``field=value`` matches field values case-insensitively with wildcards; a multivalue field matches when
  any value matches; ``field!=value`` needs the field to exist, ``NOT field=value`` does not;
- ``< > <= >=`` compare numerically when both sides are numbers, else lexicographically;
- ``field IN (v1, v2)`` is an OR of ``field=v``;
- ``earliest``/``latest``/``_index_earliest``/``_index_latest`` are time bounds, not field tests;
- a subsearch ``[ ... ]`` is replaced by its results formatted by ``format`` (or its ``search`` field).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import SplSyntaxError, SplUnsupportedError
from .tokenizer import COMMA, LPAREN, OP, RPAREN, SQSTRING, STRING, SUBSEARCH, WORD, Token, tokenize
from .values import compare, mv_values, to_number, to_str

TIME_FIELDS = ("earliest", "latest", "_index_earliest", "_index_latest")
_OTHER_TIME = ("starttime", "endtime", "starttimeu", "endtimeu", "starthoursago", "endhoursago",
               "startminutesago", "endminutesago", "startdaysago", "enddaysago", "startmonthsago",
               "endmonthsago", "searchtimespanhours", "searchtimespanminutes", "searchtimespandays",
               "searchtimespanmonths", "timeformat")
# Splunk's major and minor segmenters: a bare term matches whole segments of _raw
_BREAKERS = r"""\s\[\]<>(){}|!;,'"*&?+/:=@.$#%\\_-"""


# ---------------------------------------------------------------- tree
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


@dataclass
class Compare(Node):
    field: str
    op: str
    value: str


@dataclass
class In(Node):
    field: str
    values: list


@dataclass
class Subsearch(Node):
    pipeline: object


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
        return _contains_subsearch(self.tree)


def _contains_subsearch(node: Node) -> bool:
    if isinstance(node, Subsearch):
        return True
    if isinstance(node, (And, Or)):
        return any(_contains_subsearch(c) for c in node.children)
    if isinstance(node, Not):
        return _contains_subsearch(node.child)
    return False


# ---------------------------------------------------------------- parser
class _Parser:
    def __init__(self, tokens: list[Token], text: str):
        self.toks = tokens
        self.text = text
        self.i = 0
        self.time_bounds: dict[str, str] = {}

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def _is_op(self, tok: Token | None, word: str) -> bool:
        return tok is not None and tok.kind == WORD and tok.value == word

    def parse(self) -> SearchSpec:
        tree = self.and_expr(top=True)
        tok = self.peek()
        if tok is not None:
            raise SplSyntaxError(f"search: unexpected '{self.text[tok.pos:tok.end]}'", tok.pos)
        return SearchSpec(tree, self.time_bounds)

    def and_expr(self, top: bool = False) -> Node:
        children = []
        start = self.peek().pos if self.peek() else 0
        while True:
            tok = self.peek()
            if tok is None or tok.kind == RPAREN:
                break
            if self._is_op(tok, "AND"):
                self.i += 1
                continue
            node = self.or_expr(top)
            if node is not None:
                children.append(node)
        if not children:
            return MatchAll(start)
        return children[0] if len(children) == 1 else And(children[0].pos, children)

    def or_expr(self, top: bool) -> Node | None:
        first = self.not_expr(top)
        children = [first]
        while self._is_op(self.peek(), "OR"):
            op = self.peek()
            self.i += 1
            if self.peek() is None or self.peek().kind == RPAREN:
                raise SplSyntaxError("search: OR needs a right-hand term", op.pos)
            children.append(self.not_expr(False))
        if len(children) > 1:
            if any(c is None for c in children):
                raise SplSyntaxError("search: time modifiers cannot be inside OR", first.pos if first else 0)
            return Or(children[0].pos, children)
        return first

    def not_expr(self, top: bool) -> Node | None:
        tok = self.peek()
        if self._is_op(tok, "NOT"):
            self.i += 1
            if self.peek() is None:
                raise SplSyntaxError("search: NOT needs a term", tok.pos)
            child = self.not_expr(False)
            return Not(tok.pos, child)
        return self.primary(top)

    def primary(self, top: bool) -> Node | None:
        tok = self.peek()
        if tok.kind == LPAREN:
            self.i += 1
            inner = self.and_expr()
            close = self.peek()
            if close is None or close.kind != RPAREN:
                raise SplSyntaxError("search: missing ')'", tok.pos)
            self.i += 1
            return inner
        if tok.kind == SUBSEARCH:
            self.i += 1
            return Subsearch(tok.pos, tok.sub)
        if tok.kind in (WORD, STRING):
            nxt = self.peek(1)
            if nxt is not None and nxt.kind == OP:
                return self.comparison(top)
            if (nxt is not None and nxt.kind == WORD and nxt.value.upper() == "IN"
                    and self.peek(2) is not None and self.peek(2).kind == LPAREN):
                return self.in_list()
            self.i += 1
            if tok.kind == WORD and tok.value.upper() in ("CASE", "TERM") and nxt is not None and nxt.kind == LPAREN:
                raise SplUnsupportedError(f"search: {tok.value.upper()}() directive is not supported", tok.pos)
            return Term(tok.pos, tok.value)
        if tok.kind == SQSTRING:
            self.i += 1
            return Term(tok.pos, self.text[tok.pos:tok.end])
        if tok.kind == COMMA:
            raise SplSyntaxError("search: unexpected ','", tok.pos)
        raise SplSyntaxError(f"search: unexpected '{self.text[tok.pos:tok.end]}'", tok.pos)

    def comparison(self, top: bool) -> Node | None:
        ftok, op, vtok = self.peek(), self.peek(1), self.peek(2)
        if vtok is None or vtok.kind not in (WORD, STRING, SQSTRING):
            raise SplSyntaxError(f"search: missing value after '{ftok.value}{op.value}'", op.pos)
        self.i += 3
        name = ftok.value
        low = name.lower()
        if low in TIME_FIELDS and ftok.kind == WORD:
            if op.value != "=":
                raise SplSyntaxError(f"search: {name} takes '=' and a time modifier", op.pos)
            if not top:
                raise SplUnsupportedError(
                    f"search: time modifier {name} is only supported at the top level of the search", ftok.pos)
            self.time_bounds[low] = vtok.value
            return None
        if low in _OTHER_TIME and ftok.kind == WORD:
            raise SplUnsupportedError(f"search: time modifier '{name}' is not supported", ftok.pos)
        opv = "=" if op.value == "==" else op.value
        return Compare(ftok.pos, name, opv, vtok.value)

    def in_list(self) -> Node:
        ftok = self.peek()
        self.i += 3
        values = []
        while True:
            tok = self.peek()
            if tok is None:
                raise SplSyntaxError("search: IN list without ')'", ftok.pos)
            self.i += 1
            if tok.kind == RPAREN:
                break
            if tok.kind == COMMA:
                continue
            if tok.kind not in (WORD, STRING):
                raise SplSyntaxError(f"search: unexpected '{self.text[tok.pos:tok.end]}' in IN list", tok.pos)
            values.append(tok.value)
        if not values:
            raise SplSyntaxError("search: empty IN list", ftok.pos)
        return In(ftok.pos, ftok.value, values)


def parse_search(tokens: list[Token], text: str) -> SearchSpec:
    """Parse a search command's tokens (from its ArgList) into a SearchSpec."""
    return _Parser(tokens, text).parse()


def parse_search_text(text: str) -> SearchSpec:
    """Parse search-expression text (e.g. a subsearch's formatted output, searchmatch())."""
    from .parser import _group_subsearches  # local: parser imports commands which import this module

    return parse_search(_group_subsearches(tokenize(text), text), text)


# ---------------------------------------------------------------- compilation
@lru_cache(maxsize=4096)
def value_matcher(pattern: str):
    """Case-insensitive wildcard match of one field value (returns a predicate on a scalar)."""
    if "*" not in pattern:
        target = pattern.lower()
        return lambda v: (v if type(v) is str else to_str(v)).lower() == target
    if pattern == "*":
        return lambda v: True
    rx = re.compile(".*".join(re.escape(p) for p in pattern.split("*")) + r"\Z", re.I | re.S)
    return lambda v: rx.match(v if type(v) is str else to_str(v)) is not None


@lru_cache(maxsize=4096)
def term_regex(text: str) -> re.Pattern:
    """Regex finding a term as whole segments of _raw (bounded by breakers), ``*`` a wildcard."""
    body = ".*?".join(re.escape(p) for p in text.split("*"))
    return re.compile(rf"(?<![^{_BREAKERS}]){body}(?![^{_BREAKERS}])", re.I | re.S)


def _compare_op(op: str, literal: str):
    lit_num = to_number(literal)

    def test(v) -> bool:
        if lit_num is not None:
            n = to_number(v)
            if n is None:
                return False  # a numeric bound never matches a non-numeric value (SEMANTICS.md)
            c = (n > lit_num) - (n < lit_num)
        else:
            c = compare(v, literal)
        if c is None:
            return False
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]

    return test


def compile_node(node: Node, resolve_subsearch):
    """Compile to ``pred(row) -> bool``. ``resolve_subsearch(node) -> Node`` runs subsearches."""
    if isinstance(node, MatchAll):
        return lambda row: True
    if isinstance(node, And):
        preds = [compile_node(c, resolve_subsearch) for c in node.children]
        return lambda row: all(p(row) for p in preds)
    if isinstance(node, Or):
        preds = [compile_node(c, resolve_subsearch) for c in node.children]
        return lambda row: any(p(row) for p in preds)
    if isinstance(node, Not):
        inner = compile_node(node.child, resolve_subsearch)
        return lambda row: not inner(row)
    if isinstance(node, Subsearch):
        return compile_node(resolve_subsearch(node), resolve_subsearch)
    if isinstance(node, Term):
        return _term_pred(node.text)
    if isinstance(node, In):
        preds = [value_matcher(v) for v in node.values]
        name = node.field

        def in_pred(row):
            for v in mv_values(row.get(name)):
                for p in preds:
                    if p(v):
                        return True
            return False

        return in_pred
    if isinstance(node, Compare):
        return _compare_pred(node)
    raise SplUnsupportedError(f"search: cannot evaluate {type(node).__name__}", node.pos)


def _term_pred(text: str):
    rx = term_regex(text)
    search = rx.search

    def term(row):
        raw = row.get("_raw")
        if raw is not None:
            return search(raw if type(raw) is str else to_str(raw)) is not None
        # rows without _raw (e.g. after stats): the term may match any field value
        for value in row.values():
            for v in mv_values(value):
                if search(v if type(v) is str else to_str(v)) is not None:
                    return True
        return False

    return term


def _compare_pred(node: Compare):
    name, op = node.field, node.op
    if op in ("=", "!="):
        match = value_matcher(node.value)
        if op == "=":
            def eq(row):
                v = row.get(name)
                if v is None:
                    return False
                if type(v) is list:
                    return any(match(x) for x in v)
                return match(v)
            return eq

        def ne(row):
            v = row.get(name)
            if v is None or v == []:
                return False
            if type(v) is list:
                return not any(match(x) for x in v)
            return not match(v)
        return ne
    test = _compare_op(op, node.value)

    def rel(row):
        return any(test(v) for v in mv_values(row.get(name)))

    return rel


# ---------------------------------------------------------------- raw prefilter
_SAFE_LITERAL = re.compile(r"[A-Za-z0-9 _:@.\-]+")


def required_raw_literals(node: Node) -> list[tuple[str, str]]:
    """(field, lower-case literal) pairs every matching JSON event's _raw must contain (a pre-parse filter).

    Only ``field=value`` tests ANDed at the top level whose value pieces cannot be changed by JSON
    escaping qualify; the check is skipped when the event already carries the field (extracted by the
    ingester rather than from _raw).
    """
    items = node.children if isinstance(node, And) else [node]
    out = []
    for item in items:
        if isinstance(item, Compare) and item.op == "=":
            pieces = [p for p in item.value.split("*") if p]
            if not pieces:
                continue
            piece = max(pieces, key=len)
            if _SAFE_LITERAL.fullmatch(piece) and not (to_number(piece) is not None and not piece.isdigit()):
                out.append((item.field, piece.lower()))
    return out
