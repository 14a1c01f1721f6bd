"""rex (extract fields with named groups, or sed-style replace) and regex (filter by a regex).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/rex
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/regex
"""
from __future__ import annotations

import re

from ..args import ArgList
from ..errors import SplSyntaxError
from ..regex import compile_pcre
from ..tokenizer import OP, STRING, WORD
from ..values import make_mv, mv_values, to_str
from .base import Command, register

_SED = re.compile(r"^(s|y)(.)(.*)$", re.S)


def _split_sed(body: str, delim: str) -> list[str]:
    parts, buf, i = [], [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] == delim:
            buf.append(delim)
            i += 2
            continue
        if c == delim:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    parts.append("".join(buf))
    return parts


def compile_sed(expr: str, pos: int):
    """``s/regex/replacement/flags`` (g or a number N: replace the Nth match) or ``y/abc/xyz/``."""
    m = _SED.match(expr)
    if not m:
        raise SplSyntaxError(f"rex: invalid sed expression '{expr}' (expected s/regex/replacement/flags)", pos)
    kind, delim, body = m.groups()
    parts = _split_sed(body, delim)
    if len(parts) != 3:
        raise SplSyntaxError(f"rex: invalid sed expression '{expr}'", pos)
    if kind == "y":
        src, dst, _ = parts
        if len(src) != len(dst):
            raise SplSyntaxError("rex: y/// needs two strings of the same length", pos)
        table = str.maketrans(src, dst)
        return lambda s: s.translate(table)
    pattern, repl, flags = parts
    rx = compile_pcre(pattern, pos)
    repl = re.sub(r"\\(\d)", r"\\g<\1>", repl).replace("&", r"\g<0>")
    if flags in ("", "g") or flags.isdigit():
        if flags == "g":
            return lambda s: rx.sub(repl, s)
        nth = int(flags) if flags else 1
        if nth == 1:
            return lambda s: rx.sub(repl, s, count=1)

        def nth_sub(s):
            matches = list(rx.finditer(s))
            if len(matches) < nth:
                return s
            m = matches[nth - 1]
            return s[:m.start()] + m.expand(repl) + s[m.end():]
        return nth_sub
    raise SplSyntaxError(f"rex: unsupported sed flags '{flags}'", pos)


@register("rex")
class RexCommand(Command):
    keeps_columns = True

    def __init__(self, field, rx, max_match, sed, offset_field):
        self.field, self.rx, self.max_match, self.sed, self.offset_field = field, rx, max_match, sed, offset_field

    @classmethod
    def parse(cls, args: ArgList, ctx) -> RexCommand:
        opts = args.take_options({"field": "str", "max_match": "int", "mode": "str", "offset_field": "str"})
        tok = args.peek()
        if tok is None or tok.kind != STRING:
            raise args.error("expects a quoted regular expression", tok)
        args.next()
        args.expect_end()
        mode = opts.get("mode")
        if mode is not None and mode != "sed":
            raise args.unsupported(f"unsupported mode '{mode}' (only mode=sed)", tok)
        if mode == "sed":
            return cls(opts.get("field", "_raw"), None, 1, compile_sed(tok.value, tok.pos), None)
        rx = compile_pcre(tok.value, tok.pos)
        if not rx.groupindex and not opts.get("offset_field"):
            raise args.error("the regular expression has no named group (?<name>...) to extract", tok)
        return cls(opts.get("field", "_raw"), rx, opts.get("max_match", 1), None, opts.get("offset_field"))

    def execute(self, rows, ctx):
        for row in rows:
            value = row.get(self.field)
            if value is None:
                yield row
                continue
            if self.sed is not None:
                out = [self.sed(to_str(v)) for v in mv_values(value)]
                row[self.field] = make_mv(out) if type(value) is list else out[0]
                yield row
                continue
            self._extract(row, value)
            yield row

    def _extract(self, row, value):
        found: dict[str, list] = {}
        offsets = []
        limit = self.max_match
        for v in mv_values(value):
            s = to_str(v)
            for n, m in enumerate(self.rx.finditer(s)):
                if limit and n >= limit:
                    break
                for name, text in m.groupdict().items():
                    if text is not None:
                        found.setdefault(name, []).append(text)
                        offsets.append(f"{name}={m.start(name)}-{m.end(name) - 1}")
                if m.end() == m.start() and limit != 1:
                    continue
            if limit == 1 and found:
                break
        for name, vals in found.items():
            row[name] = make_mv(vals)
        if self.offset_field and offsets:
            row[self.offset_field] = "&".join(offsets)


@register("regex")
class RegexCommand(Command):
    """``regex [field=|field!=]"<regex>"``: keep (or with !=, drop) results whose field matches."""

    keeps_columns = True

    def __init__(self, field, negate, rx):
        self.field, self.negate, self.rx = field, negate, rx

    @classmethod
    def parse(cls, args: ArgList, ctx) -> RegexCommand:
        field, negate = "_raw", False
        a, b = args.peek(), args.peek(1)
        if a is not None and a.kind == WORD and b is not None and b.kind == OP:
            if b.value not in ("=", "!="):
                raise args.error(f"expected '=' or '!=' after '{a.value}'", b)
            field, negate = a.value, b.value == "!="
            args.next()
            args.next()
        tok = args.peek()
        if tok is None or tok.kind not in (STRING, WORD):
            raise args.error("expects a regular expression", tok)
        args.next()
        args.expect_end()
        return cls(field, negate, compile_pcre(tok.value, tok.pos))

    def execute(self, rows, ctx):
        search = self.rx.search
        for row in rows:
            hit = any(search(to_str(v)) for v in mv_values(row.get(self.field)))
            if hit != self.negate:
                yield row
