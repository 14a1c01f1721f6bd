"""Registry of eval functions.

Each function is registered with its arity and a *builder*: given the compiled argument closures
(``f(row, ctx) -> value``) and the argument AST nodes, it returns the compiled closure of the call.
Builders run once per search, so constant arguments (regexes, formats) are prepared once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from splengine.errors import SplError, SplUnsupportedError


@dataclass(frozen=True)
class FuncSpec:
    name: str
    min_args: int
    max_args: int | None       # None: unbounded
    build: Callable


FUNCTIONS: dict[str, FuncSpec] = {}


def register(*names: str, min_args: int, max_args: int | None):
    """Register a builder ``build(args, nodes, call) -> closure`` under one or more names."""
    def deco(build):
        for name in names:
            FUNCTIONS[name] = FuncSpec(name, min_args, max_args, build)
        return build
    return deco


def scalar(*names: str, min_args: int, max_args: int | None, ctx: bool = False):
    """Register a plain function of the evaluated argument values (``fn(*values)`` or ``fn(ctx, *values)``)."""
    def deco(fn):
        def build(args, nodes, call):
            if ctx:
                if len(args) == 1:
                    a0 = args[0]
                    return lambda row, c: fn(c, a0(row, c))
                return lambda row, c: fn(c, *[a(row, c) for a in args])
            if len(args) == 0:
                return lambda row, c: fn()
            if len(args) == 1:
                a0 = args[0]
                return lambda row, c: fn(a0(row, c))
            if len(args) == 2:
                a0, a1 = args
                return lambda row, c: fn(a0(row, c), a1(row, c))
            return lambda row, c: fn(*[a(row, c) for a in args])
        register(*names, min_args=min_args, max_args=max_args)(build)
        return fn
    return deco


def lookup(name: str, nargs: int, pos: int) -> FuncSpec:
    """The spec of ``name``; unknown names and wrong argument counts are refused with the position."""
    spec = FUNCTIONS.get(name)
    if spec is None:
        raise SplUnsupportedError(f"unsupported eval function {name!r}", pos)
    if nargs < spec.min_args or (spec.max_args is not None and nargs > spec.max_args):
        if spec.max_args is None:
            want = f"at least {spec.min_args}"
        elif spec.min_args == spec.max_args:
            want = str(spec.min_args)
        else:
            want = f"{spec.min_args} to {spec.max_args}"
        raise SplError(f"eval function {name}() takes {want} argument(s), got {nargs}", pos)
    return spec
