"""Time-indexed event store: what a Splunk index holds, with each event's `_indextime`.

Events are kept twice sorted (by `_time` and by `_indextime`) so that a run's window is two
bisects plus the events inside it: a replay costs O(events in windows), not O(runs x events).
`view(visible_at)` is the event source one run sees: only events already indexed
(`_indextime <= visible_at`), as the engine's `select(earliest, latest, index_earliest,
index_latest)` asks (earliest bounds inclusive, latest exclusive), newest first.
"""
import re
import zlib
from bisect import bisect_left, bisect_right

from .ingest.sourcetypes import BILLING_CUR, CLOUDTRAIL, CLOUDWATCH, GUARDDUTY, RESOLVER, SQS, VPCFLOW
from .timespec import seconds

# Default indexing delay per sourcetype, (min, max) seconds; each event gets a deterministic lag in
# that range from a hash of its _raw. CloudTrail delivers log files to S3 about every 5 minutes and
# the Add-on's S3/SQS input adds its polling delay: 5-15 minutes. VPC Flow Logs aggregate for up to
# 10 minutes before publishing: 5-15 minutes. Resolver query logs and GuardDuty findings reach
# CloudWatch Logs / EventBridge within minutes: 1-5 minutes. CloudWatch metric datapoints (hourly
# period) are complete at the end of their hour and polled by the Add-on a few minutes later: 65 minutes
# after their timestamp, the same for all so that one poll indexes one hour. Cost and Usage Report rows of
# a day are delivered with the next report refresh, up to 24 hours after the day ends: 36 hours after
# the row's usage start. Notifications read from SQS (Cost Anomaly Detection): 1-5 minutes.
DEFAULT_LAGS = {CLOUDTRAIL: (300, 900), VPCFLOW: (300, 900), RESOLVER: (60, 300), GUARDDUTY: (60, 300),
                CLOUDWATCH: (3900, 3900), BILLING_CUR: (129600, 129600), SQS: (60, 300)}
_RANGE = re.compile(r"^\s*(\S+?)\s*-\s*(\S+)\s*$")


def parse_lag(text):
    """`10m` (fixed) or `5m-15m` (range) -> (min, max) seconds."""
    match = _RANGE.match(text)
    low, high = (match.group(1), match.group(2)) if match else (text, text)
    low, high = seconds(low, "--index-lag"), seconds(high, "--index-lag")
    if low > high:
        raise ValueError(f"--index-lag: {text!r} has min > max")
    return low, high


class IndexLag:
    """Deterministic `_indextime - _time` per event: one range for all, or the per-sourcetype defaults."""

    def __init__(self, fixed=None, defaults=None):
        self.fixed = fixed
        self.defaults = dict(DEFAULT_LAGS if defaults is None else defaults)

    def __call__(self, event):
        low, high = self.fixed or self.defaults.get(event.get("sourcetype"), (0, 0))
        if low == high:
            return low
        fraction = zlib.crc32(str(event.get("_raw", "")).encode("utf-8")) / 0xFFFFFFFF
        return low + round(fraction * (high - low))


class EventStore:
    """Events indexed by `_time` and by `_indextime` (set here unless the event already has one)."""

    def __init__(self, events, lag=None):
        lag = lag or IndexLag()
        by_time = []
        for event in events:
            if event.get("_indextime") is None:
                event["_indextime"] = int(event["_time"] + lag(event))
            by_time.append(event)
        by_time.sort(key=lambda e: e["_time"])
        self.by_time = by_time
        self.times = [e["_time"] for e in by_time]
        self.by_index = sorted(by_time, key=lambda e: e["_indextime"])
        self.index_times = [e["_indextime"] for e in self.by_index]

    def __len__(self):
        return len(self.by_time)

    @property
    def time_span(self):
        return (self.times[0], self.times[-1]) if self.times else (None, None)

    @property
    def last_indextime(self):
        return self.index_times[-1] if self.index_times else None

    def view(self, visible_at):
        return _View(self, visible_at)

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None, visible_at=None):
        times, itimes = self.times, self.index_times
        lo = 0 if earliest is None else bisect_left(times, earliest)
        hi = len(times) if latest is None else bisect_left(times, latest)
        ilo = 0 if index_earliest is None else bisect_left(itimes, index_earliest)
        ihi = len(itimes) if index_latest is None else bisect_left(itimes, index_latest)
        if visible_at is not None:
            ihi = min(ihi, bisect_right(itimes, visible_at))
        if hi <= lo or ihi <= ilo:
            return iter(())
        if hi - lo <= ihi - ilo:
            return self._by_time(lo, hi, index_earliest, index_latest, visible_at)
        return self._by_index(ilo, ihi, earliest, latest)

    def _by_time(self, lo, hi, index_earliest, index_latest, visible_at):
        for position in range(hi - 1, lo - 1, -1):
            event = self.by_time[position]
            indexed = event["_indextime"]
            if index_earliest is not None and indexed < index_earliest:
                continue
            if index_latest is not None and indexed >= index_latest:
                continue
            if visible_at is not None and indexed > visible_at:
                continue
            yield event

    def _by_index(self, ilo, ihi, earliest, latest):
        chosen = [e for e in self.by_index[ilo:ihi]
                  if (earliest is None or e["_time"] >= earliest) and (latest is None or e["_time"] < latest)]
        chosen.sort(key=lambda e: e["_time"], reverse=True)
        return iter(chosen)


class _View:
    """The store as one run at `visible_at` sees it (the engine's event-source interface)."""

    def __init__(self, store, visible_at):
        self.store = store
        self.visible_at = visible_at

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None):
        return self.store.select(earliest, latest, index_earliest, index_latest, self.visible_at)
