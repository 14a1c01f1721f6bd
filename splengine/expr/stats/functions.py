"""The stats language's functions (stats, eventstats, streamstats, chart, timechart): accumulators by name.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/aggregate-functions
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/event-order-functions
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/multivalue-stats-and-chart-functions
https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/statistical-and-charting-functions/time-functions

An :class:`AggSpec` says what to compute (function, input field or ``eval(...)``, output name); its
``new()`` makes an accumulator with ``add(values, row)`` (``values``: the input's values in this row,
a multivalue field contributing each of its values) and ``result()``.
Choices where the documentation is silent are listed in splengine/SEMANTICS.md.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from fractions import Fraction

from splengine.errors import SplError, SplUnsupportedError
from splengine.values import Measured, make_mv, to_number, to_str

LIST_LIMIT = 100   # list(): "If more than 100 values are in a field, only the first 100 are returned."


class Count:
    __slots__ = ("n",)

    def __init__(self):
        self.n = 0

    def add(self, values, row):
        self.n += len(values)

    def result(self):
        return self.n


class CountRows(Count):
    """``count`` without an argument: the number of rows."""
    __slots__ = ()

    def add(self, values, row):
        self.n += 1


class DistinctCount:
    __slots__ = ("seen",)

    def __init__(self):
        self.seen = set()

    def add(self, values, row):
        for v in values:
            self.seen.add(v if type(v) is str else to_str(v))

    def result(self):
        return len(self.seen)


class Values(DistinctCount):
    """Distinct values in lexicographic order (values are processed as strings)."""
    __slots__ = ()

    def result(self):
        return make_mv(sorted(self.seen))


class List:
    __slots__ = ("items",)

    def __init__(self):
        self.items = []

    def add(self, values, row):
        room = LIST_LIMIT - len(self.items)
        if room > 0:
            self.items.extend(values[:room])

    def result(self):
        return make_mv(self.items)


class _Numeric:
    """Base of the functions over the numeric values only (non-numeric values are ignored)."""
    __slots__ = ("nums",)

    def __init__(self):
        self.nums = []

    def add(self, values, row):
        for v in values:
            n = v if type(v) is int or type(v) is float else to_number(v)
            if n is not None:
                self.nums.append(n)


class Sum:
    __slots__ = ("total", "seen")

    def __init__(self):
        self.total = 0
        self.seen = False

    def add(self, values, row):
        for v in values:
            n = v if type(v) is int or type(v) is float else to_number(v)
            if n is not None:
                self.total += n
                self.seen = True

    def result(self):
        return self.total if self.seen else None


class PerTime(Sum):
    """per_second/per_minute/per_hour/per_day (timechart only): the bucket's sum as a rate per unit, "sum()/<hours
    in the span>" (the timechart page: with a 30m span per_hour is sum()*2). timechart sets ``seconds``, the
    bucket's length. A true ``eval(...)`` counts 1 (the page's per_hour(eval(method="GET")) AS Views counts the
    views). The result shows six decimals, as the page's table (150.000000) and text ("Search 2 produces values
    with six decimal places") show."""
    __slots__ = ("unit", "seconds")

    def __init__(self, unit: int):
        super().__init__()
        self.unit = unit
        self.seconds = None

    def add(self, values, row):
        super().add([1 if v is True else v for v in values], row)

    def result(self):
        if not self.seen or not self.seconds:
            return None
        return Measured.of(self.total * self.unit / self.seconds, None, 6)


PER_TIME = {"per_second": 1, "per_minute": 60, "per_hour": 3600, "per_day": 86400}
# the one command (of stats, eventstats, streamstats, chart, timechart) the time functions page allows them in
ONLY_IN = {**{name: "timechart" for name in PER_TIME}, "rate": "stats"}


class SumSq(Sum):
    """sumsq: "the sum of the squares of the values" (aggregate functions page)."""
    __slots__ = ()

    def add(self, values, row):
        super().add([n * n for n in (v if type(v) is int or type(v) is float else to_number(v) for v in values)
                     if n is not None], row)


class EstdcError(DistinctCount):
    """estdc_error: |estimate - real| / real; estdc is the real distinct count here (below 1000 values "the Splunk
    software does not estimate"), so the error is 0."""
    __slots__ = ()

    def result(self):
        return 0 if self.seen else None


class Avg:
    __slots__ = ("total", "n")

    def __init__(self):
        self.total = 0
        self.n = 0

    def add(self, values, row):
        for v in values:
            n = v if type(v) is int or type(v) is float else to_number(v)
            if n is not None:
                self.total += n
                self.n += 1

    def result(self):
        return self.total / self.n if self.n else None


class Variance(_Numeric):
    __slots__ = ("sample", "root")

    def __init__(self, sample: bool, root: bool):
        super().__init__()
        self.sample = sample
        self.root = root

    def result(self):
        n = len(self.nums)
        if n == 0 or (self.sample and n < 2):
            return None
        mean = math.fsum(self.nums) / n
        var = math.fsum((x - mean) ** 2 for x in self.nums) / (n - 1 if self.sample else n)
        return math.sqrt(var) if self.root else var


class MinMax:
    """The aggregate functions page's order: numbers (numerically) before non-numeric values (lexicographically),
    so max is the greatest string when any value is non-numeric ("1, c, a, 2, 100" -> c) and min the least number
    when any value is numeric."""
    __slots__ = ("want_max", "num", "text")

    def __init__(self, want_max: bool):
        self.want_max = want_max
        self.num = None
        self.text = None

    def add(self, values, row):
        for v in values:
            n = v if type(v) is int or type(v) is float else to_number(v)
            if n is not None:
                if self.num is None or (n > self.num if self.want_max else n < self.num):
                    self.num = n
            else:
                s = to_str(v)
                if self.text is None or (s > self.text if self.want_max else s < self.text):
                    self.text = s

    def result(self):
        if self.want_max:
            return self.text if self.text is not None else self.num
        return self.num if self.num is not None else self.text


class Range(_Numeric):
    __slots__ = ()

    def result(self):
        return max(self.nums) - min(self.nums) if self.nums else None


class Percentile(_Numeric):
    """perc/p, upperperc and exactperc interpolate linearly between the two nearest ranks (the aggregate functions
    page's examples: perc50 and perc95 of 10..1 are 5.5 and 9.55); median takes the higher middle value of an even
    count (the page's median usage)."""
    __slots__ = ("p", "method")

    def __init__(self, p: Fraction | int, method: str):
        super().__init__()
        self.p = p
        self.method = method

    def result(self):
        if not self.nums:
            return None
        xs = sorted(self.nums)
        rank = Fraction(self.p) * (len(xs) - 1) / 100
        if self.method == "nearest":
            return xs[math.floor(rank + Fraction(1, 2))]
        # exact rational arithmetic, rounded once: 3673 + 337 * 0.55 is 3858.35, not 3858.3500000000004
        lo = math.floor(rank)
        if rank == lo:
            return xs[lo]
        value = float(Fraction(xs[lo]) + (Fraction(xs[lo + 1]) - Fraction(xs[lo])) * (rank - lo))
        return int(value) if value.is_integer() else value


class Mode:
    __slots__ = ("counts",)

    def __init__(self):
        self.counts = Counter()

    def add(self, values, row):
        for v in values:
            self.counts[v if type(v) is str else to_str(v)] += 1

    def result(self):
        if not self.counts:
            return None
        return self.counts.most_common(1)[0][0]     # ties: the first value seen


class First:
    __slots__ = ("value",)

    def __init__(self):
        self.value = None

    def add(self, values, row):
        if self.value is None and values:
            self.value = make_mv(values)

    def result(self):
        return self.value


class Last(First):
    __slots__ = ()

    def add(self, values, row):
        if values:
            self.value = make_mv(values)


class ByTime:
    """earliest/latest (the value) and earliest_time/latest_time (the _time) by each row's _time."""
    __slots__ = ("latest", "want_time", "t", "value")

    def __init__(self, latest: bool, want_time: bool):
        self.latest = latest
        self.want_time = want_time
        self.t = None
        self.value = None

    def add(self, values, row):
        if not values:
            return
        t = to_number(row.get("_time"))
        if t is None:
            return
        if self.t is None or (t >= self.t if self.latest else t < self.t):
            self.t = t
            self.value = make_mv(values)

    def result(self):
        return self.t if self.want_time else self.value


class Rate:
    """rate(): "(latest(<value>) - earliest(<value>)) / (latest_time(<value>) - earliest_time(<value>))", the
    per-second rate of an accumulating counter (time functions page). It needs at least two data points, numeric
    earliest and latest values and different earliest and latest times (else null). A value below the one before
    it is a counter reset: the counter restarted from 0, so the increase counts the value before the reset and
    then the value after it (the page only says rate "handles the largest value reset"; splengine/SEMANTICS.md)."""
    __slots__ = ("points",)

    def __init__(self):
        self.points = []

    def add(self, values, row):
        t = to_number(row.get("_time"))
        if t is None:
            return
        for v in values:
            self.points.append((t, v if type(v) is int or type(v) is float else to_number(v)))

    def result(self):
        points = sorted(self.points, key=lambda p: p[0])
        if len(points) < 2 or points[0][1] is None or points[-1][1] is None or points[0][0] == points[-1][0]:
            return None
        counts = [v for _, v in points if v is not None]
        increase = 0
        for before, after in zip(counts, counts[1:]):
            increase += after - before if after >= before else after
        return increase / (points[-1][0] - points[0][0])


_PERC = re.compile(r"(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)\Z", re.IGNORECASE)

_FACTORIES = {
    "count": Count, "c": Count,
    "dc": DistinctCount, "distinct_count": DistinctCount,
    # estdc: "if the actual number of distinct values ... is below 1000, the Splunk software does not estimate
    # the distinct value count ... It uses the actual distinct value count instead" (aggregate functions page)
    "estdc": DistinctCount, "estdc_error": EstdcError,
    "values": Values, "list": List,
    "sum": Sum, "sumsq": SumSq, "avg": Avg, "mean": Avg,
    "stdev": lambda: Variance(True, True), "stdevp": lambda: Variance(False, True),
    "var": lambda: Variance(True, False), "varp": lambda: Variance(False, False),
    "min": lambda: MinMax(False), "max": lambda: MinMax(True),
    "range": Range, "median": lambda: Percentile(50, "nearest"), "mode": Mode,
    "first": First, "last": Last, "rate": Rate,
    "earliest": lambda: ByTime(False, False), "latest": lambda: ByTime(True, False),
    "earliest_time": lambda: ByTime(False, True), "latest_time": lambda: ByTime(True, True),
}


_NOT_OFFLINE = {
    "rate_avg": "it needs the metric time series of mstats, which the engine does not have",
    "rate_sum": "it needs the metric time series of mstats, which the engine does not have",
    "sparkline": "it draws a chart in Splunk Web, which the engine does not render",
}


def factory_for(func: str, position: int | None = None):
    """Accumulator factory for a stats function name (``perc95``, ``p50``, ``exactperc99.9`` included)."""
    low = func.lower()
    if low in _FACTORIES:
        return _FACTORIES[low]
    if low in PER_TIME:
        unit = PER_TIME[low]
        return lambda: PerTime(unit)
    m = _PERC.match(low)
    if m:
        p = Fraction(m.group(2))    # the written decimal: 99.9 is 999/10
        if not 0 <= p <= 100:
            raise SplError(f"percentile must be between 0 and 100 in {func!r}", position)
        return lambda: Percentile(p, "interpolated")
    if low in _NOT_OFFLINE:
        raise SplUnsupportedError(f"unsupported statistical function {func!r}: {_NOT_OFFLINE[low]}", position)
    raise SplUnsupportedError(f"unsupported statistical function {func!r}", position)
