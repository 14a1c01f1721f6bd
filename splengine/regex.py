"""PCRE patterns (what Splunk uses) on Python's ``re``: named groups ``(?<name>...)`` become ``(?P<name>...)``."""
from __future__ import annotations

import re
from functools import lru_cache

from .errors import SplError

_NAMED = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z_])")


@lru_cache(maxsize=2048)
def compile_pcre(pattern: str, position: int | None = None) -> re.Pattern:
    """Compile a PCRE-style pattern; an invalid one raises SplError naming it."""
    try:
        return re.compile(_NAMED.sub("(?P<", pattern))
    except re.error as e:
        raise SplError(f"invalid regular expression {pattern!r}: {e}", position) from None
