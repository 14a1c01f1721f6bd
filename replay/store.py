"""Time-indexed event store on disk: what a Splunk index holds, with each event's `_indextime`.

Events live in a private temporary SQLite database (deleted when the store is closed or collected), so
memory does not grow with the number of events beyond SQLite's page cache (`CACHE_KIB`). Each event is
ingested once: `_indextime` is set (unless the event already has one), `_raw` is parsed once and the row the
engine's KV_MODE=json extraction makes of it (`splengine.events.extract`) is stored as JSON, so no run parses
`_raw` again. Windows are answered from two B-tree indexes (`_time`, `_indextime`): a run costs
O(events in its window), not O(events).

`view(visible_at)` is the event source one run sees: only events already indexed (`_indextime <=
visible_at`), as the engine's `select(earliest, latest, index_earliest, index_latest)` asks (earliest bounds
inclusive, latest exclusive), newest first (equal times: the later-read event first). `narrow(tree)` is the
same source restricted by the literal `field=value` tests of the search's base search on a few key fields
(`replay/narrowing.py`), evaluated by SQLite before any row is decoded: Splunk's own order (terms narrow
the events before field extraction). The engine still applies the whole search to what is returned.
Why SQLite and not DuckDB: docs/replay.md.
"""
import re
import sqlite3
import time
import zlib

import orjson

from splengine.events import ExtractedEvent, extract

from .ingest.sourcetypes import BILLING_CUR, CLOUDTRAIL, CLOUDWATCH, GUARDDUTY, RESOLVER, SQS, VPCFLOW
from .narrowing import KEY_FIELDS, column, key_set, key_value, where_clause
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
CACHE_KIB = 64 * 1024   # SQLite page cache: the store's whole memory, whatever the number of events
# Key fields also indexed by value: a base search that names the calls it wants (eventName IN (...)) over a long
# window (the 7 days some detections read every 5 minutes) reads those calls, not the window.
LOOKUP_FIELDS = ("eventName", "eventSource")
LONG_WINDOW = 3600
_BATCH_BYTES = 2 << 20   # rows inserted per executemany: bounded in bytes, whatever the size of an event


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


_KEY_COLUMNS = ", ".join(f"k{i}" for i in range(len(KEY_FIELDS)))


class EventStore:
    """Events on disk, indexed by `_time` and by `_indextime` (set here unless the event already has one)."""

    newest_first = True

    def __init__(self, events, lag=None):
        lag = lag or IndexLag()
        began = time.process_time()
        self.db = sqlite3.connect("")   # private temporary database: deleted when the connection closes
        self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        # The keys a window or a narrowing tests in one narrow table, the rows (about 1.5 KB of JSON each) in
        # another: building an index scans the keys' table only, not every row's JSON (docs/replay.md, Benchmark).
        self.db.execute(f"CREATE TABLE events (seq INTEGER PRIMARY KEY, time, itime, {_KEY_COLUMNS})")
        self.db.execute("CREATE TABLE rows (seq INTEGER PRIMARY KEY, row BLOB)")
        insert_keys = f"INSERT INTO events VALUES ({', '.join('?' * (3 + len(KEY_FIELDS)))})"
        keys, rows, size = [], [], 0
        for seq, event in enumerate(events):
            if event.get("_indextime") is None:
                event["_indextime"] = int(event["_time"] + lag(event))
            row = extract(event)
            blob = orjson.dumps(row)
            keys.append((seq, event["_time"], event["_indextime"], *(key_value(row.get(name)) for name in KEY_FIELDS)))
            rows.append((seq, blob))
            size += len(blob)
            if size >= _BATCH_BYTES:
                self._insert(insert_keys, keys, rows)
                keys, rows, size = [], [], 0
        self._insert(insert_keys, keys, rows)
        read = time.process_time()
        # Every column a window or a narrowing tests is in each index: SQLite checks them in the index and
        # reads a row's JSON only for the events returned.
        self.db.execute(f"CREATE INDEX by_time ON events (time, itime, {_KEY_COLUMNS})")
        self.db.execute(f"CREATE INDEX by_itime ON events (itime, time, {_KEY_COLUMNS})")
        for field in LOOKUP_FIELDS:
            others = ", ".join(name for name in _KEY_COLUMNS.split(", ") if name != column(field))
            self.db.execute(f"CREATE INDEX by_{column(field)} ON events ({column(field)}, time, itime, {others})")
        self.db.commit()
        # CPU seconds of this process: reading and inserting the events, then building the indexes.
        self.cpu = {"ingest": read - began, "indexes": time.process_time() - read}
        self.count, self.first_time, self.last_time, self.last_indextime = self.db.execute(
            "SELECT count(*), min(time), max(time), max(itime) FROM events").fetchone()

    def _insert(self, insert_keys, keys, rows):
        self.db.executemany(insert_keys, keys)
        self.db.executemany("INSERT INTO rows VALUES (?, ?)", rows)

    def close(self):
        self.db.close()

    @property
    def disk_bytes(self):
        """Size of the store's database file."""
        return self.db.execute("PRAGMA page_count").fetchone()[0] * self.db.execute("PRAGMA page_size").fetchone()[0]

    def __len__(self):
        return self.count

    @property
    def time_span(self):
        return (self.first_time, self.last_time)

    @property
    def by_time(self):
        """Every event in time order (a list: for tests and small stores only)."""
        return [ExtractedEvent(orjson.loads(blob))
                for (blob,) in self.db.execute("SELECT row FROM events JOIN rows USING (seq) ORDER BY time, seq")]

    def index_times(self, terms=None):
        """Index times in ascending order (streamed) of all events, or of those the search tree `terms` may match
        (the narrowing of `select`: never fewer than the events it matches)."""
        condition, params = where_clause(terms) if terms is not None else ("", [])
        clauses, index = [condition] if condition else [], "by_itime"
        if condition:   # the calls named: looked up by value and sorted, not every event's index time scanned
            index = self._lookup(terms, clauses, params) or index
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        cursor = self.db.execute(f"SELECT itime FROM events INDEXED BY {index}{where} ORDER BY itime", params)
        return (itime for (itime,) in cursor)

    @staticmethod
    def _lookup(terms, clauses, params):
        """The index by value of the first key field `terms` names values of (its `IN` test added to `clauses`),
        or None."""
        for field in LOOKUP_FIELDS:
            wanted = key_set(terms, field)
            if wanted is not None:
                clauses.append(f"{column(field)} IN ({', '.join('?' * len(wanted))})")
                params.extend(wanted)
                return f"by_{column(field)}"
        return None

    def view(self, visible_at):
        return _View(self, visible_at)

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None, visible_at=None,
               terms=None):
        """Events in the window (and matching the narrowing `terms` tree when given), newest first."""
        ceiling = index_latest
        clauses, params = [], []
        for name, op, value in (("time", ">=", earliest), ("time", "<", latest),
                                  ("itime", ">=", index_earliest), ("itime", "<", index_latest),
                                  ("itime", "<=", visible_at)):
            if value is not None:
                clauses.append(f"{name} {op} ?")
                params.append(value)
        if visible_at is not None:
            ceiling = visible_at if ceiling is None else min(ceiling, visible_at + 1)
        index = _index_for(earliest, latest, index_earliest, ceiling)
        if terms is not None:
            condition, values = where_clause(terms)
            if condition:
                clauses.append(condition)
                params.extend(values)
            if _span(earliest, latest, index_earliest, ceiling) > LONG_WINDOW:
                index = self._lookup(terms, clauses, params) or index
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        cursor = self.db.execute(f"SELECT row FROM events INDEXED BY {index} CROSS JOIN rows USING (seq){where} "
                                 "ORDER BY time DESC, seq DESC", params)
        return (ExtractedEvent(orjson.loads(blob)) for (blob,) in cursor)


def _index_for(earliest, latest, index_earliest, index_ceiling):
    """The index that bounds the window tighter: index time spans are a proxy for the number of rows."""
    if index_earliest is None or index_ceiling is None:
        return "by_time"
    if earliest is None or latest is None or index_ceiling - index_earliest < latest - earliest:
        return "by_itime"
    return "by_time"


def _span(earliest, latest, index_earliest, index_ceiling):
    """Seconds of the tighter of the two windows (infinite when neither is bounded on both sides)."""
    spans = [high - low for low, high in ((earliest, latest), (index_earliest, index_ceiling))
             if low is not None and high is not None]
    return min(spans, default=float("inf"))


class _View:
    """The store as one run at `visible_at` sees it (the engine's event-source interface), optionally narrowed
    by the base search of the run's pipeline (`narrow`, called by the engine for each pipeline it runs)."""

    newest_first = True

    def __init__(self, store, visible_at, terms=None):
        self.store = store
        self.visible_at = visible_at
        self.terms = terms

    def narrow(self, tree):
        return _View(self.store, self.visible_at, tree)

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None):
        return self.store.select(earliest, latest, index_earliest, index_latest, self.visible_at, self.terms)
