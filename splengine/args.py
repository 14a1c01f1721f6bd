"""ArgList: a command's arguments as a cursor over its tokens (built by the parser, read by each command).

ArgList API (a cursor over the command's tokens; every token keeps its position in the SPL):

- ``args.tokens``: list of :class:`splengine.tokenizer.Token` (kinds WORD, STRING, SQSTRING, OP, LPAREN,
  RPAREN, COMMA, SUBSEARCH); ``args.text`` is the full SPL text positions refer to; ``args.command``
  the command name; ``args.position`` the command's position.
- ``peek(k=0)`` / ``next()`` / ``at_end()`` / ``index`` (settable cursor).
- ``take_options(spec, anywhere=True)``: removes every ``key=value`` whose key is in ``spec`` and returns
  ``{key: converted}``; ``spec`` maps option name -> "str" | "int" | "float" | "bool" | callable.
  With ``strict=True`` (default) any other ``word=value`` at top level raises SplUnsupportedError naming
  the option and its position. Commands whose positional syntax contains ``x=y`` use ``strict=False``.
- ``take_keyword("by")`` -> bool (case-insensitive bare word).
- ``take_field()`` -> (name, pos) for a WORD/STRING; ``take_fields(stop=("by",))`` -> list of
  (name, pos), commas optional, stops at the given keywords, at an option or at the end.
- ``take_by_clause()`` -> list of field names after ``by`` (empty list if no ``by``).
- ``take_as()`` -> name after ``as`` or None.
- ``rest_span()`` -> (text, offset) of the raw SPL from the cursor to the end of the command, consuming
  it (for eval/where expressions: pass to ``parse_expression(text, offset)``).
- ``span(i, j)`` -> (text, offset) raw SPL covering tokens i..j-1.
- ``expect_end()`` raises SplUnsupportedError naming the first unconsumed argument and its position.
- ``error(msg, token=None)`` / ``unsupported(msg, token=None)`` build positioned errors.
"""
from __future__ import annotations

from collections.abc import Callable

from .conf import conf_bool
from .errors import SplSyntaxError, SplUnsupportedError
from .tokenizer import COMMA, LPAREN, OP, RPAREN, SQSTRING, STRING, WORD, Token


def parse_bool(text: str, what: str, pos: int | None = None) -> bool:
    """A boolean option value (Splunk's words: true/false, t/f, 1/0, yes/no, y/n, on/off)."""
    value = conf_bool(text)
    if value is not None:
        return value
    raise SplSyntaxError(f"Invalid boolean value '{text}' for {what}", pos)


class ArgList:
    """A command's arguments with a cursor; see the module docstring for the API."""

    def __init__(self, command: str, tokens: list[Token], text: str, position: int, end: int):
        self.command = command
        self.tokens = list(tokens)
        self.text = text
        self.position = position
        self.end = end
        self.index = 0
        self.first = False  # set by the executor: this command starts its pipeline

    def copy(self) -> ArgList:
        """A fresh cursor over the same tokens (commands consume their ArgList while parsing)."""
        return ArgList(self.command, self.tokens, self.text, self.position, self.end)

    # -- cursor ---------------------------------------------------------------------------------
    def at_end(self) -> bool:
        return self.index >= len(self.tokens)

    def peek(self, k: int = 0) -> Token | None:
        i = self.index + k
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def next(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise SplSyntaxError(f"{self.command}: missing argument", self.end)
        self.index += 1
        return tok

    # -- errors ---------------------------------------------------------------------------------
    def error(self, message: str, token: Token | None = None) -> SplSyntaxError:
        pos = token.pos if token is not None else self.end
        return SplSyntaxError(f"{self.command}: {message}", pos)

    def unsupported(self, message: str, token: Token | None = None) -> SplUnsupportedError:
        pos = token.pos if token is not None else self.position
        return SplUnsupportedError(f"{self.command}: {message}", pos)

    def expect_end(self) -> None:
        tok = self.peek()
        if tok is not None:
            shown = self.text[tok.pos:tok.end]
            raise SplUnsupportedError(f"{self.command}: unsupported or unexpected argument '{shown}'", tok.pos)

    # -- options --------------------------------------------------------------------------------
    def _is_option_at(self, i: int) -> bool:
        toks = self.tokens
        return (i + 2 < len(toks) and toks[i].kind == WORD and toks[i + 1].kind == OP
                and toks[i + 1].value == "=" and toks[i + 2].kind in (WORD, STRING, SQSTRING))

    def is_option(self, k: int = 0) -> bool:
        """True if a ``key=value`` option starts at the cursor + k."""
        return self._is_option_at(self.index + k)

    def take_options(self, spec: dict[str, str | Callable], anywhere: bool = True,
                     strict: bool = True) -> dict:
        """Remove ``key=value`` options (all of them if ``anywhere``, else only at the cursor)."""
        found: dict = {}
        i = self.index
        depth = 0   # inside parentheses (e.g. count(eval(x="a"))) a key=value is no option
        while i < len(self.tokens):
            if depth or not self._is_option_at(i):
                if not anywhere:
                    break
                depth += (self.tokens[i].kind == LPAREN) - (self.tokens[i].kind == RPAREN)
                i += 1
                continue
            key_tok, val_tok = self.tokens[i], self.tokens[i + 2]
            key = key_tok.value
            if key not in spec:
                lowered = {k.lower(): k for k in spec}
                if key.lower() in lowered:
                    key = lowered[key.lower()]
                elif strict:
                    raise SplUnsupportedError(f"{self.command}: unsupported option '{key_tok.value}'", key_tok.pos)
                else:
                    i += 3
                    continue
            found[key] = self._convert(spec[key], val_tok, key)
            del self.tokens[i:i + 3]
        return found

    def _convert(self, kind, tok: Token, key: str):
        raw = tok.value
        if callable(kind):
            return kind(raw)
        if kind == "str":
            return raw
        if kind == "bool":
            return parse_bool(raw, f"{self.command} option {key}", tok.pos)
        try:
            return int(raw) if kind == "int" else float(raw)
        except ValueError:
            raise SplSyntaxError(f"{self.command}: option {key} expects a number, got '{raw}'", tok.pos) from None

    # -- keywords, fields -----------------------------------------------------------------------
    def take_keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == WORD and tok.value.lower() == word.lower():
            self.index += 1
            return True
        return False

    def take_field(self) -> tuple[str, int]:
        tok = self.peek()
        if tok is None or tok.kind not in (WORD, STRING, SQSTRING):
            raise self.error("expected a field name", tok)
        self.index += 1
        return tok.value, tok.pos

    def take_fields(self, stop: tuple[str, ...] = ("by",)) -> list[tuple[str, int]]:
        stops = {s.lower() for s in stop}
        out = []
        while True:
            tok = self.peek()
            if tok is None:
                break
            if tok.kind == COMMA:
                self.index += 1
                continue
            if tok.kind not in (WORD, STRING, SQSTRING) or (tok.kind == WORD and tok.value.lower() in stops):
                break
            if self.is_option():
                break
            out.append((tok.value, tok.pos))
            self.index += 1
        return out

    def take_by_clause(self) -> list[str]:
        if not self.take_keyword("by"):
            return []
        fields = [name for name, _ in self.take_fields(stop=())]
        if not fields:
            raise self.error("'by' needs at least one field", self.peek())
        return fields

    def take_as(self) -> str | None:
        if self.take_keyword("as"):
            return self.take_field()[0]
        return None

    # -- raw spans ------------------------------------------------------------------------------
    def span(self, i: int, j: int) -> tuple[str, int]:
        if i >= j:
            return "", self.end
        start, stop = self.tokens[i].pos, self.tokens[j - 1].end
        return self.text[start:stop], start

    def rest_span(self) -> tuple[str, int]:
        text, off = self.span(self.index, len(self.tokens))
        self.index = len(self.tokens)
        return text, off
