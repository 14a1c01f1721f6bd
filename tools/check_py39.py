#!/usr/bin/env python3
"""Fail when any Python file under bin/ (vendored bin/lib excluded) needs a Python newer than 3.9.

Splunk 9.x runs the app's scripts with Python 3.9. Two checks: vermin's minimum-version analysis
(syntax and stdlib APIs), and a compile with the 3.9 grammar (`feature_version`) so 3.10+ syntax
such as `match` statements or parenthesised context managers is refused even where vermin is lenient.
"""
import ast
import subprocess
import sys
from pathlib import Path

BIN = Path(__file__).resolve().parent.parent / "bin"


def python_files():
    return sorted(p for p in BIN.rglob("*.py") if "lib" not in p.relative_to(BIN).parts[:1])


def grammar_errors(files):
    errors = []
    for path in files:
        try:
            ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 9))
        except SyntaxError as exc:
            errors.append(f"{path}:{exc.lineno}: not valid Python 3.9 syntax: {exc.msg}")
    return errors


def vermin_violations(files):
    if not files:
        return []
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("vermin")), "--no-tips", "--violations", "--target=3.9-", "--eval-annotations",
         "--backport", "typing_extensions", *map(str, files)],
        capture_output=True, text=True,
    )
    return [proc.stdout.strip() or proc.stderr.strip()] if proc.returncode else []


def main():
    files = python_files()
    problems = grammar_errors(files) + vermin_violations(files)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"check_py39: {len(files)} files under bin/, {'FAIL' if problems else 'OK'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
