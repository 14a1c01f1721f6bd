"""makemv: split a single-value field into a multivalue field, on a delimiter or with a tokenizer regex.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/makemv
- delim=<string>: split on every occurrence (multi-character delimiters allowed); default a single space;
- tokenizer=<regex>: repeat-matched against the value, the first capturing group of each match is a value;
- allowempty=<bool>: keep empty values (default false);
- setsv=<bool>: refused when true (a field holding a multivalue and a single value at once).
Internal fields (names starting with ``_``) are left as they are.
"""
from __future__ import annotations

from ..args import ArgList
from ..regex import compile_pcre
from ..values import mv_values, to_str
from .base import Command, register


@register("makemv")
class MakemvCommand(Command):
    keeps_columns = True

    def __init__(self, field, delim, tokenizer, allowempty):
        self.field, self.delim, self.tokenizer, self.allowempty = field, delim, tokenizer, allowempty

    @classmethod
    def parse(cls, args: ArgList, ctx) -> MakemvCommand:
        opts = args.take_options({"delim": "str", "tokenizer": "str", "allowempty": "bool", "setsv": "bool"})
        if opts.get("setsv"):
            raise args.unsupported("setsv=true is not supported")
        if "delim" in opts and "tokenizer" in opts:
            raise args.error("use either delim or tokenizer, not both")
        if opts.get("delim") == "":
            raise args.error("delim must not be empty")
        field, _ = args.take_field()
        args.expect_end()
        tokenizer = compile_pcre(opts["tokenizer"], args.position) if "tokenizer" in opts else None
        return cls(field, opts.get("delim", " "), tokenizer, opts.get("allowempty", False))

    def _split(self, text: str) -> list[str]:
        if self.tokenizer is not None:
            parts = [m.group(1) if m.re.groups else m.group(0) for m in self.tokenizer.finditer(text)]
            parts = [p for p in parts if p is not None]
        else:
            parts = text.split(self.delim)
        return parts if self.allowempty else [p for p in parts if p != ""]

    def execute(self, rows, ctx):
        name = self.field
        for row in rows:
            value = row.get(name)
            if value is None or name.startswith("_"):
                yield row
                continue
            parts = [p for v in mv_values(value) for p in self._split(to_str(v))]
            out = dict(row)
            if not parts:
                out.pop(name, None)
            else:
                out[name] = parts[0] if len(parts) == 1 else parts
            yield out
