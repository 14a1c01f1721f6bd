"""SPL tokenizer: turns (macro-expanded) SPL text into positioned tokens.

SPL is permissive: a bare word runs until whitespace or a delimiter, so the tokenizer only recognises
what every command shares (quoted strings, operators, parentheses, commas, pipes, subsearch brackets) and
keeps each token's position and raw text. Commands that need an expression (eval, where) take the raw
text of their argument span instead of these tokens. Triple-backtick comments are blanked out first so
positions stay those of the original text.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import SplSyntaxError

WORD = "WORD"          # bare word: field names, values with wildcards, keywords, numbers
STRING = "STRING"      # "double quoted" (value has \" and \\ decoded)
SQSTRING = "SQSTRING"  # 'single quoted' (eval field names)
OP = "OP"              # = == != < > <= >=
LPAREN = "LPAREN"
RPAREN = "RPAREN"
COMMA = "COMMA"
PIPE = "PIPE"
LBRACKET = "LBRACKET"
RBRACKET = "RBRACKET"
SUBSEARCH = "SUBSEARCH"  # made by the parser from [ ... ]: ``sub`` holds the parsed Pipeline

_DELIMS = set(' \t\r\n"(),=[]|<>')
_SPACE = set(" \t\r\n")


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    pos: int      # offset of the first character in the SPL text
    end: int      # offset just past the last character
    sub: object = None  # for SUBSEARCH tokens: the parsed splengine.ast.Pipeline


def quoted_end(text: str, i: int) -> int:
    """Index just past the double-quoted string opening at ``text[i]`` (a backslash escapes the next
    character); ``len(text)`` when it is never closed. Scanners use it to leave quoted text alone."""
    j, n = i + 1, len(text)
    while j < n:
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    return n


def strip_comments(text: str) -> str:
    """Blank out ```comments``` (outside quoted strings), keeping every other offset unchanged."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = quoted_end(text, i)
            out.append(text[i:j])
            i = j
            continue
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise SplSyntaxError("Unterminated comment: ``` without a closing ```", i)
            out.append(" " * (end + 3 - i))
            i = end + 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


def decode_quoted(text: str, i: int, quote: str) -> tuple[str, int] | None:
    """Decode the quoted run opening at ``text[i] == quote``: ``\\<quote>`` and ``\\\\`` are escapes, other
    backslashes stay. Return (value, index after the closing quote), or None when it is never closed (each
    tokenizer words its own error). Shared by the search and the eval/where tokenizers."""
    buf = []
    j = i + 1
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\" and j + 1 < n and text[j + 1] in (quote, "\\"):
            buf.append(text[j + 1])
            j += 2
            continue
        if c == quote:
            return "".join(buf), j + 1
        buf.append(c)
        j += 1
    return None


def _read_quoted(text: str, i: int, quote: str) -> tuple[str, int]:
    found = decode_quoted(text, i, quote)
    if found is None:
        raise SplSyntaxError(f"Unterminated quoted string starting with {quote}", i)
    return found


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokenize ``text[start:end]`` (positions are offsets into ``text``)."""
    n = len(text) if end is None else end
    tokens: list[Token] = []
    i = start
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
            continue
        if c == '"':
            value, j = _read_quoted(text, i, '"')
            tokens.append(Token(STRING, value, i, j))
            i = j
            continue
        if c == "'" and (not tokens or tokens[-1].end < i or tokens[-1].kind != WORD):
            close = text.find("'", i + 1)
            if 0 < close < n:
                tokens.append(Token(SQSTRING, text[i + 1:close], i, close + 1))
                i = close + 1
                continue
        if c in "<>=!":
            two = text[i:i + 2]
            if two in ("<=", ">=", "!=", "=="):
                tokens.append(Token(OP, two, i, i + 2))
                i += 2
                continue
            if c != "!":
                tokens.append(Token(OP, c, i, i + 1))
                i += 1
                continue
        single = {"(": LPAREN, ")": RPAREN, ",": COMMA, "|": PIPE, "[": LBRACKET, "]": RBRACKET}.get(c)
        if single:
            tokens.append(Token(single, c, i, i + 1))
            i += 1
            continue
        j = i
        while j < n:
            d = text[j]
            if d in _DELIMS or (d == "!" and text[j + 1:j + 2] == "="):
                break
            j += 1
        tokens.append(Token(WORD, text[i:j], i, j))
        i = j
    return tokens
