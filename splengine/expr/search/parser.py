"""Parse the search language (the ``search`` command's tokens, or search text) into its tree.

Precedence is parentheses, NOT, OR, then AND (OR binds tighter than AND here, unlike eval); the operators
must be upper case; ``earliest``/``latest``/``_index_earliest``/``_index_latest`` are time bounds, not
field tests.
"""
from __future__ import annotations

from splengine.errors import SplSyntaxError, SplUnsupportedError
from splengine.parser import group_subsearches
from splengine.tokenizer import COMMA, LPAREN, OP, RPAREN, SQSTRING, STRING, SUBSEARCH, WORD, Token, tokenize

from .ast import And, Compare, In, MatchAll, Node, Not, Or, SearchSpec, Subsearch, Term

TIME_FIELDS = ("earliest", "latest", "_index_earliest", "_index_latest")
_OTHER_TIME = ("starttime", "endtime", "starttimeu", "endtimeu", "starthoursago", "endhoursago",
               "startminutesago", "endminutesago", "startdaysago", "enddaysago", "startmonthsago",
               "endmonthsago", "searchtimespanhours", "searchtimespanminutes", "searchtimespandays",
               "searchtimespanmonths", "timeformat")


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
            if self._directive(tok):
                directive, inner = self.directive_argument()
                return Term(tok.pos, inner, directive)
            self.i += 1
            return Term(tok.pos, tok.value)
        if tok.kind == SQSTRING:
            self.i += 1
            return Term(tok.pos, self.text[tok.pos:tok.end])
        if tok.kind == COMMA:
            raise SplSyntaxError("search: unexpected ','", tok.pos)
        raise SplSyntaxError(f"search: unexpected '{self.text[tok.pos:tok.end]}'", tok.pos)

    def _directive(self, tok: Token | None, k: int = 0) -> bool:
        """CASE( or TERM( at the cursor + k: the search page's directives."""
        nxt = self.peek(k + 1)
        return (tok is not None and tok.kind == WORD and tok.value.upper() in ("CASE", "TERM") and nxt is not None
                and nxt.kind == LPAREN and nxt.pos == tok.end)

    def directive_argument(self) -> tuple[str, str]:
        """Consume ``CASE(<term>)`` / ``TERM(<term>)``: (directive, the text inside the parentheses)."""
        tok = self.peek()
        self.i += 2
        depth, start = 1, self.i
        while True:
            t = self.peek()
            if t is None:
                raise SplSyntaxError(f"search: {tok.value}( without ')'", tok.pos)
            self.i += 1
            depth += (t.kind == LPAREN) - (t.kind == RPAREN)
            if depth == 0:
                break
        inner = self.toks[start:self.i - 1]
        if len(inner) == 1 and inner[0].kind == STRING:
            text = inner[0].value
        else:
            text = self.text[self.toks[start - 1].end:t.pos].strip()
        if not text:
            raise SplSyntaxError(f"search: {tok.value.upper()}() needs a term", tok.pos)
        return tok.value.upper(), text

    def comparison(self, top: bool) -> Node | None:
        ftok, op, vtok = self.peek(), self.peek(1), self.peek(2)
        if self._directive(vtok, 2) and ftok.kind == WORD:
            if vtok.value.upper() == "TERM" or op.value not in ("=", "==", "!="):
                raise SplUnsupportedError(f"search: {ftok.value}{op.value}{vtok.value.upper()}(...) is not supported "
                                          "(CASE() and TERM() as search terms, field=CASE(value))", vtok.pos)
            self.i += 2
            _, value = self.directive_argument()
            return Compare(ftok.pos, ftok.value, "!=" if op.value == "!=" else "=", value, case_sensitive=True)
        if vtok is not None and vtok.kind == SUBSEARCH and ftok.kind == WORD:
            if ftok.value.lower() in TIME_FIELDS or ftok.value.lower() in _OTHER_TIME:
                raise SplUnsupportedError(f"search: {ftok.value}=[subsearch] (a time modifier from a subsearch) "
                                          "is not supported", ftok.pos)
            self.i += 3
            return Subsearch(ftok.pos, vtok.sub, f"{ftok.value}{op.value}")
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
    return parse_search(group_subsearches(tokenize(text), text), text)
