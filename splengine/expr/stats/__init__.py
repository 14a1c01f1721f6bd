"""The stats language: statistical and charting functions of stats, eventstats, streamstats, chart and
timechart. parser.py reads the terms, ast.py holds each parsed term (AggSpec), functions.py the accumulators:
``AggSpec.new()`` makes one, with ``add(values, row)`` and ``result()``.
"""
from __future__ import annotations

from .ast import AggSpec
from .functions import PerTime
from .parser import parse_aggregations

__all__ = ["AggSpec", "PerTime", "parse_aggregations"]
