"""spath: extract JSON fields from a field (default _raw), all of them or one path.

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/spath
Paths use ``.`` between keys and ``{}`` for every array element (``a.b{}.c``); a path that ends on an
object or array gives its JSON text. XML input and indexed paths (``{2}``) are not supported.
"""
from __future__ import annotations

import re

import orjson

from ..args import ArgList
from ..errors import SplUnsupportedError
from ..events import flatten_json, json_scalar_text, parse_json_raw
from ..tokenizer import STRING, WORD
from ..values import make_mv, mv_values, to_str
from .base import Command, register

_STEP = re.compile(r"([^.{}]+)|(\{\})|\.")


def parse_path(path: str, pos: int) -> list:
    """'a.b{}.c' -> ['a', 'b', '{}', 'c']."""
    if re.search(r"\{\d+\}", path):
        raise SplUnsupportedError(f"spath: indexed array paths such as '{path}' are not supported", pos)
    steps = []
    for m in _STEP.finditer(path):
        if m.group(1):
            steps.append(m.group(1))
        elif m.group(2):
            steps.append("{}")
    return steps


def walk(obj, steps: list) -> list:
    """Values reached by following ``steps`` from ``obj``."""
    current = [obj]
    for step in steps:
        nxt = []
        for item in current:
            if step == "{}":
                if type(item) is list:
                    nxt.extend(item)
            elif type(item) is dict and step in item:
                nxt.append(item[step])
        current = nxt
    return current


def _render(v) -> str:
    if type(v) in (dict, list):
        return orjson.dumps(v).decode()
    return json_scalar_text(v)


@register("spath")
class SpathCommand(Command):
    def __init__(self, input_field, output, path):
        self.input, self.output, self.path = input_field, output, path
        self.steps = parse_path(path, 0) if path else None

    @classmethod
    def parse(cls, args: ArgList, ctx) -> SpathCommand:
        opts = args.take_options({"input": "str", "output": "str", "path": "str"})
        path = opts.get("path")
        tok = args.peek()
        if tok is not None and tok.kind in (WORD, STRING):
            if path is not None:
                raise args.error("path given twice", tok)
            path = args.next().value
        args.expect_end()
        if path is not None:
            parse_path(path, args.position)
        return cls(opts.get("input", "_raw"), opts.get("output"), path)

    def execute(self, rows, ctx):
        for row in rows:
            values = mv_values(row.get(self.input))
            objs = [o for o in (parse_json_raw(to_str(v).strip()) if type(v) is str else None for v in values)
                    if o is not None]
            if not objs:
                yield row
                continue
            if self.steps is None:
                for obj in objs:
                    for key, value in flatten_json(obj).items():
                        row[key] = value
                yield row
                continue
            found = [_render(v) for obj in objs for v in walk(obj, self.steps)]
            out = make_mv(found)
            if out is not None:
                row[self.output or self.path] = out
            yield row
