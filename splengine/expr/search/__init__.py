"""The search language (the ``search`` command's, searchmatch()'s, subsearch results'): parse to a tree
(parser.py, ast.py), compile to closures (compiler.py).

Splunk semantics (help.splunk.com, search command and "Boolean expressions"):
- terms are joined by an implied AND; precedence is parentheses, NOT, OR, then AND (OR binds tighter
  than AND here, unlike eval); the operators must be upper case;
- a bare or quoted term matches ``_raw`` case-insensitively, ``*`` is a wildcard;
- ``field=value`` matches field values case-insensitively with wildcards; a multivalue field matches when
  any value matches; ``field!=value`` needs the field to exist, ``NOT field=value`` does not;
- ``< > <= >=`` compare numerically when both sides are numbers, else lexicographically;
- ``field IN (v1, v2)`` is an OR of ``field=v``;
- ``earliest``/``latest``/``_index_earliest``/``_index_latest`` are time bounds, not field tests;
- a subsearch ``[ ... ]`` is replaced by its results formatted by ``format`` (or its ``search`` field).
"""
from __future__ import annotations

from .ast import SearchSpec, Subsearch
from .compiler import compile_node, required_raw_literals
from .parser import parse_search, parse_search_text

__all__ = ["SearchSpec", "Subsearch", "compile_node", "parse_search", "parse_search_text", "required_raw_literals"]
