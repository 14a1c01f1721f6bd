"""Shared by the eval-expression tests: a minimal search context and a one-call evaluator."""
from dataclasses import dataclass, field
from datetime import timezone

from splengine.expr.eval import parse_expression


@dataclass
class MiniContext:
    """What expressions ask of a search: now(), time zone, searchmatch() and relative_time()."""

    now: float = 1700000000.0
    tz: object = timezone.utc
    searches: list = field(default_factory=list)

    def match_search(self, text, row):
        self.searches.append(text)
        key, _, value = text.partition("=")
        return row.get(key) == value

    def parse_relative_time(self, modifier, base):
        assert modifier == "-1d@d"
        return (base // 86400 - 1) * 86400


def ev(text, row=None, ctx=None):
    return parse_expression(text).evaluate(row or {}, ctx or MiniContext())
