"""SPL parser: tokens -> Pipeline of CommandNodes (subsearches parsed recursively).

The parser only knows the pipeline structure: ``|`` separates commands, ``[ ... ]`` is a subsearch, a
search that does not start with ``|`` starts with an implied ``search`` command (an explicit leading
``search`` keyword is the same command). Each command parses its own ArgList when the executor compiles it.
"""
from __future__ import annotations

from .args import ArgList
from .ast import CommandNode, Pipeline
from .errors import SplSyntaxError
from .tokenizer import LBRACKET, PIPE, RBRACKET, SUBSEARCH, WORD, Token, strip_comments, tokenize


def parse(text: str) -> Pipeline:
    """Parse a whole (already macro-expanded) search."""
    text = strip_comments(text)
    tokens = group_subsearches(tokenize(text), text)
    return _pipeline(tokens, text, 0, len(text))


def group_subsearches(tokens: list[Token], text: str) -> list[Token]:
    """Replace every ``[ ... ]`` by one SUBSEARCH token holding its parsed Pipeline."""
    out: list[Token] = []
    stack: list[tuple[int, list[Token]]] = []
    current = out
    for tok in tokens:
        if tok.kind == LBRACKET:
            stack.append((tok.pos, current))
            current = []
        elif tok.kind == RBRACKET:
            if not stack:
                raise SplSyntaxError("Unbalanced ']' without a matching '['", tok.pos)
            start, parent = stack.pop()
            inner = current
            sub = _pipeline(inner, text, start + 1, tok.pos)
            parent.append(Token(SUBSEARCH, text[start + 1:tok.pos], start, tok.end, sub))
            current = parent
        else:
            current.append(tok)
    if stack:
        raise SplSyntaxError("Unbalanced '[': subsearch without a closing ']'", stack[-1][0])
    return out


def _pipeline(tokens: list[Token], text: str, start: int, end: int) -> Pipeline:
    segments: list[tuple[list[Token], bool, int]] = []
    seg: list[Token] = []
    seg_start, leading = start, False
    for tok in tokens:
        if tok.kind == PIPE:
            if seg or segments:
                segments.append((seg, leading, seg_start))
            elif not segments:
                leading = True
                seg_start = tok.end
                continue
            seg, leading, seg_start = [], True, tok.end
        else:
            seg.append(tok)
    segments.append((seg, leading, seg_start))

    commands: list[CommandNode] = []
    for idx, (seg, leading, seg_pos) in enumerate(segments):
        seg_end = segments[idx + 1][2] - 1 if idx + 1 < len(segments) else end
        if idx == 0 and not leading:
            # implied search; an explicit leading "search" keyword names the same command
            if seg and seg[0].kind == WORD and seg[0].value.lower() == "search":
                commands.append(_node("search", seg[1:], text, seg[0].pos, seg_end, False))
            else:
                commands.append(_node("search", seg, text, seg[0].pos if seg else start, seg_end, False))
            continue
        if not seg:
            raise SplSyntaxError("Empty command after '|'", seg_pos)
        head = seg[0]
        if head.kind != WORD:
            raise SplSyntaxError(f"Expected a command name after '|', got '{text[head.pos:head.end]}'", head.pos)
        commands.append(_node(head.value.lower(), seg[1:], text, head.pos, seg_end, True))
    nested = any(tok.kind == SUBSEARCH for tok in tokens)
    return Pipeline(commands, text[start:end], start, nested)


def _node(name: str, toks: list[Token], text: str, pos: int, end: int, leading: bool) -> CommandNode:
    return CommandNode(name, ArgList(name, toks, text, pos, end), pos, leading)
