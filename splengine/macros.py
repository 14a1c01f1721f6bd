"""Search macro expansion (macros.conf): `name`, `name(a, b)` with ``args`` and ``$arg$``, nested.

Expansion is textual and happens before tokenizing, as in Splunk. A stanza ``[name]`` is the macro without
arguments, ``[name(N)]`` the one with N arguments (macros may be overloaded by argument count).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .conf import conf_bool, read_layered
from .errors import SplSyntaxError, SplUnsupportedError
from .tokenizer import quoted_end

_MAX_DEPTH = 50


@dataclass(frozen=True)
class Macro:
    definition: str
    args: tuple[str, ...] = ()
    iseval: bool = False


class MacroLibrary:
    """Macros keyed by stanza name (``name`` or ``name(N)``)."""

    def __init__(self, macros: dict[str, Macro] | None = None):
        self.macros: dict[str, Macro] = dict(macros or {})

    @classmethod
    def from_app(cls, app_dir: str | Path, extra: dict | None = None) -> MacroLibrary:
        """default/macros.conf + local/macros.conf of the app, then ``extra`` (API overrides).

        ``extra`` maps a stanza name to a definition string, or to a dict with ``definition`` and
        optional ``args`` (list or comma-separated string).
        """
        lib = cls()
        for stanza, settings in read_layered(app_dir, "macros.conf").items():
            if stanza != "default" and "definition" in settings:
                lib.add(stanza, settings)
        for stanza, value in (extra or {}).items():
            lib.add(stanza, {"definition": value} if isinstance(value, str) else value)
        return lib

    def add(self, stanza: str, settings: dict) -> None:
        args = settings.get("args") or ()
        if isinstance(args, str):
            args = [a.strip() for a in args.split(",") if a.strip()]
        iseval = conf_bool(settings.get("iseval", "0")) is True
        self.macros[stanza] = Macro(settings["definition"], tuple(args), iseval)

    def expand(self, text: str) -> str:
        """Expand every macro in ``text`` (recursively). Errors carry the position in ``text``."""
        return self._expand(text, 0, ())

    def _expand(self, text: str, depth: int, stack: tuple[str, ...]) -> str:
        out = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == '"':
                j = quoted_end(text, i)
                out.append(text[i:j])
                i = j
                continue
            if c != "`":
                out.append(c)
                i += 1
                continue
            end = text.find("`", i + 1)
            if end < 0:
                raise SplSyntaxError("Unterminated macro call: ` without a closing `", i)
            out.append(self._call(text[i + 1:end].strip(), i, depth, stack))
            i = end + 1
        return "".join(out)

    def _call(self, call: str, pos: int, depth: int, stack: tuple[str, ...]) -> str:
        if depth >= _MAX_DEPTH:
            raise SplSyntaxError(f"Macro expansion too deep (recursive macro?): {' -> '.join(stack)}", pos)
        if "(" in call:
            if not call.endswith(")"):
                raise SplSyntaxError(f"Malformed macro call '`{call}`'", pos)
            name = call[:call.index("(")].strip()
            values = split_macro_args(call[call.index("(") + 1:-1], pos)
        else:
            name, values = call, []
        stanza = f"{name}({len(values)})" if values else name
        macro = self.macros.get(stanza)
        if macro is None:
            others = sorted(s for s in self.macros if s == name or s.startswith(name + "("))
            hint = f"; defined: {', '.join(others)}" if others else ""
            raise SplSyntaxError(
                f"Unknown search macro '{stanza}' (called with {len(values)} argument(s)){hint}", pos)
        if stanza in stack:
            raise SplSyntaxError(f"Recursive search macro '{stanza}'", pos)
        if macro.iseval:
            raise SplUnsupportedError(f"Search macro '{stanza}': eval-based macros (iseval = 1) are not supported", pos)
        if len(macro.args) != len(values):
            raise SplSyntaxError(
                f"Search macro '{stanza}' declares {len(macro.args)} argument(s) in 'args' but was called with "
                f"{len(values)}", pos)
        body = macro.definition
        for arg, value in zip(macro.args, values):
            body = body.replace(f"${arg}$", value)
        try:
            return self._expand(body, depth + 1, (*stack, stanza))
        except SplSyntaxError as exc:
            raise SplSyntaxError(f"in macro '{stanza}': {exc.message}", pos) from None


def split_macro_args(text: str, pos: int) -> list[str]:
    """Split a macro call's argument text on top-level commas (quotes and parentheses respected)."""
    if not text.strip():
        return []
    parts, buf = [], []
    depth, quote = 0, False
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            buf.append(c)
            if c == "\\" and i + 1 < len(text):
                buf.append(text[i + 1])
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
            buf.append(c)
        elif c == "(":
            depth += 1
            buf.append(c)
        elif c == ")":
            depth -= 1
            buf.append(c)
        elif c == "," and depth == 0:
            parts.append("".join(buf).strip())
            buf = []
        else:
            buf.append(c)
        i += 1
    if quote:
        raise SplSyntaxError("Unterminated quoted string in macro arguments", pos)
    parts.append("".join(buf).strip())
    return parts
