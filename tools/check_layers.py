#!/usr/bin/env python3
"""Fail on import cycles, upward imports, private names crossing modules and function-level imports of
first-party modules in the development-side packages (splengine, replay, appbuild, hunt.py).

Run by `python3 dev.py lint` (so CI enforces it). Every import is read with `ast`, function-level ones
included (a cycle hidden by a function-level import is still a cycle). LAYERS lists each package's modules
from the bottom up: a module may import from its own layer and the layers below, never above; a new module
must be placed in a layer (the error says where to add it). A stdlib script rather than import-linter: the
checks fit in one page and need no new dependency in requirements/dev.txt.

    python3 tools/check_layers.py          # prints the violations, exit 1 if any
    python3 tools/check_layers.py --graph  # also prints every first-party import edge
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("splengine", "replay", "appbuild")
SCRIPTS = ("hunt.py",)

# Bottom-up. An entry names a module or a package (all its modules); a root package entry ("splengine")
# means its __init__ only.
LAYERS = [
    # the embedded SPL engine
    ["splengine.errors"],
    ["splengine.values", "splengine.conf", "splengine.timemod", "splengine.timefmt", "splengine.regex",
     "splengine.tokenizer", "splengine.events", "splengine.chunked"],
    ["splengine.ast", "splengine.args", "splengine.macros", "splengine.lookups"],
    ["splengine.parser"],
    ["splengine.expr"],          # the three expression languages: search, eval, stats
    ["splengine.commands"],
    ["splengine.footprint"],     # what a compiled plan reads and writes (read off its commands)
    ["splengine.executor"],
    ["splengine.context"],
    ["splengine"],
    # the build (reads .conf files with splengine.conf)
    ["appbuild.layout", "appbuild.schema", "appbuild.findings"],
    ["appbuild.savedsearches", "appbuild.vendor", "appbuild.archive", "appbuild.appinspect"],
    ["appbuild.staging"],
    ["appbuild"],
    # the scheduler replay, over the engine
    ["replay.timespec", "replay.cron", "replay.narrowing"],
    ["replay.ingest"],
    ["replay.store", "replay.savedsearches", "replay.alerting", "replay.app_overlay", "replay.dispatch", "replay.report"],
    ["replay.scheduler"],
    ["replay.cli"],
    ["replay"],
    # command-line programs
    ["hunt"],
]


@dataclass(frozen=True)
class Import:
    source: str      # importing module
    target: str      # imported first-party module
    line: int
    nested: bool     # inside a function or method


def module_files(root=ROOT, packages=PACKAGES, scripts=SCRIPTS) -> dict[str, Path]:
    """First-party module name -> file."""
    out = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    for script in scripts:
        out[Path(script).stem] = root / script
    return out


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = _package_of(module, path).split(".")
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class _Reader(ast.NodeVisitor):
    """Collects one module's first-party imports and its uses of other modules' private names."""

    def __init__(self, module, path, modules, root):
        self.module, self.path, self.modules, self.root = module, path, modules, root
        self.imports: list[Import] = []
        self.errors: list[str] = []
        self.aliases: dict[str, str] = {}   # local name -> first-party module it is bound to
        self.depth = 0

    def _first_party(self, name):
        return name in self.modules

    def _add(self, target, line):
        if target != self.module:
            self.imports.append(Import(self.module, target, line, self.depth > 0))

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node):
        for alias in node.names:
            if self._first_party(alias.name):
                self._add(alias.name, node.lineno)
                self.aliases[alias.asname or alias.name] = alias.name

    def visit_ImportFrom(self, node):
        base = _resolve(self.module, self.path, node)
        if not self._first_party(base):
            return
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            if self._first_party(sub):   # `from pkg import module` depends on the module only
                self._add(sub, node.lineno)
                self.aliases[alias.asname or alias.name] = sub
                continue
            self._add(base, node.lineno)
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                self.errors.append(f"{self.where(node)}: private name {alias.name} imported from {base}")

    def visit_Attribute(self, node):
        if (isinstance(node.value, ast.Name) and node.value.id in self.aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            self.errors.append(f"{self.where(node)}: private name {node.attr} of {self.aliases[node.value.id]} used")
        self.generic_visit(node)

    def where(self, node):
        return f"{self.path.relative_to(self.root)}:{node.lineno}"


def layer_of(module: str, layers=LAYERS) -> int | None:
    roots = {entry for entries in layers for entry in entries if "." not in entry}
    best, best_len = None, -1
    for index, entries in enumerate(layers):
        for entry in entries:
            hit = module == entry or (entry not in roots and module.startswith(entry + "."))
            if hit and len(entry) > best_len:
                best, best_len = index, len(entry)
    return best


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a sorted list."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check(root=ROOT, packages=PACKAGES, scripts=SCRIPTS, layers=LAYERS) -> tuple[list[str], list[Import]]:
    """(problems, first-party imports) of the modules of ``packages`` and ``scripts`` under ``root``."""
    modules = module_files(root, packages, scripts)
    errors, imports = [], []
    for module, path in modules.items():
        reader = _Reader(module, path, modules, root)
        reader.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        errors += reader.errors
        imports += reader.imports
    for module in modules:
        if layer_of(module, layers) is None:
            errors.append(f"{modules[module].relative_to(root)}: module {module} has no layer: "
                          "add it to LAYERS in tools/check_layers.py")
    for imp in imports:
        where = f"{modules[imp.source].relative_to(root)}:{imp.line}"
        if imp.nested:
            errors.append(f"{where}: function-level import of {imp.target}: import it at the top of the module")
        src, dst = layer_of(imp.source, layers), layer_of(imp.target, layers)
        if src is not None and dst is not None and dst > src:
            errors.append(f"{where}: upward import: {imp.source} (layer {src}) imports {imp.target} (layer {dst})")
    edges: dict[str, set[str]] = {}
    for imp in imports:
        edges.setdefault(imp.source, set()).add(imp.target)
    for cycle in find_cycles(edges):
        errors.append("import cycle: " + " -> ".join(cycle))
    return errors, imports


def main(argv):
    errors, imports = check()
    if "--graph" in argv:
        for imp in sorted(set((i.source, i.target) for i in imports)):
            print(f"{imp[0]} -> {imp[1]}")
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"check_layers: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_layers: {len(module_files())} modules, {len(set((i.source, i.target) for i in imports))} "
          "first-party imports: no cycle, no upward or function-level import, no private name across modules")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
