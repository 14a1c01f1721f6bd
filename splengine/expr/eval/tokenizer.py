"""Tokenizer for eval/where expressions.

Splunk eval syntax: double-quoted strings are literals, single-quoted text is a field name, bare words
are field names (dots and ``{}`` allowed inside, so ``responseElements.instancesSet.items{}.instanceType``
is one field), ``.`` between operands is string concatenation. Operator keywords are tokenized in upper
case (AND, OR, NOT, XOR, LIKE, IN); the parser also takes lowercase and/or/xor/not where only an operator fits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from splengine.errors import SplSyntaxError
from splengine.tokenizer import decode_quoted
from splengine.values import Measured

NUMBER, STRING, FIELD, NAME, OP, END = "NUMBER", "STRING", "FIELD", "NAME", "OP", "END"
DYNAMIC = "DYNAMIC"   # {field}: eval's target named by another field's value
KEYWORDS = frozenset({"AND", "OR", "NOT", "XOR", "LIKE", "IN"})

_WS = re.compile(r"\s+")
_NUM = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# A bare field name; "." continues the name only when a name character follows (else it concatenates).
_DYNAMIC = re.compile(r"\{([A-Za-z_@$][A-Za-z0-9_@$.:]*)\}")
_NAME = re.compile(r"[A-Za-z_@$][A-Za-z0-9_@${}:]*(?:\.[A-Za-z0-9_{][A-Za-z0-9_@${}:]*)*")
_OPS = ("==", "!=", "<=", ">=", "<", ">", "=", "+", "-", "*", "/", "%", ".", "(", ")", ",")


@dataclass(frozen=True)
class Token:
    kind: str
    value: object
    pos: int


def _read_quoted(text: str, i: int, quote: str, base: int) -> tuple[str, int]:
    """The quoted run whose opening quote is ``text[i]``; ``\\"`` and ``\\\\`` are escapes, other backslashes stay."""
    found = decode_quoted(text, i, quote)
    if found is None:
        what = "string" if quote == '"' else "quoted field name"
        raise SplSyntaxError(f"unterminated {what} in expression", base)
    return found


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split an expression into tokens; positions are absolute (``offset`` + index in ``text``)."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        m = _WS.match(text, i)
        if m:
            i = m.end()
            continue
        c = text[i]
        pos = offset + i
        if c == '"':
            s, i = _read_quoted(text, i, '"', pos)
            tokens.append(Token(STRING, s, pos))
            continue
        if c == "'":
            s, i = _read_quoted(text, i, "'", pos)
            tokens.append(Token(FIELD, s, pos))
            continue
        m = _DYNAMIC.match(text, i) if c == "{" else None
        if m:
            tokens.append(Token(DYNAMIC, m.group(1), pos))
            i = m.end()
            continue
        if c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            m = _NUM.match(text, i)
            raw = m.group()
            value = Measured.from_text(raw) if any(ch in raw for ch in ".eE") else int(raw)
            tokens.append(Token(NUMBER, value, pos))
            i = m.end()
            continue
        m = _NAME.match(text, i)
        if m:
            word = m.group()
            kind = OP if word in KEYWORDS else NAME
            tokens.append(Token(kind, word, pos))
            i = m.end()
            continue
        for op in _OPS:
            if text.startswith(op, i):
                tokens.append(Token(OP, op, pos))
                i += len(op)
                break
        else:
            raise SplSyntaxError(f"unexpected character {c!r} in expression", pos)
    tokens.append(Token(END, None, offset + n))
    return tokens
