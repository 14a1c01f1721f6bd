"""Replay mode of hunt.py: replay the app's scheduled searches over AWS log files, report the alerts.

hunt.py owns the command line (one parser, one JSON printer, one error prefix); this module adds the replay
mode's options, runs the replay and writes its text report.
"""
import argparse
import os
import struct
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from .app_overlay import offline_app
from .ingest import DEFAULT_INDEX, IngestReport, check_read, read_events
from .ingest.timeparse import iso_to_epoch
from .report import write_report
from .scheduler import Replay
from .store import EventStore, IndexLag, parse_lag

APP_DIR = Path(__file__).resolve().parent.parent
# Where a GeoLite2 City database usually is when --geoip-db is not given (Splunk's copy, then geoipupdate's).
CITY_DB_CANDIDATES = ("$SPLUNK_HOME/share/GeoLite2-City.mmdb", "/usr/share/GeoIP/GeoLite2-City.mmdb",
                      "/var/lib/GeoIP/GeoLite2-City.mmdb")


def find_city_db(environ=os.environ):
    """SPLENGINE_GEOIP_DB, else the first existing candidate path, else None."""
    if environ.get("SPLENGINE_GEOIP_DB"):
        return environ["SPLENGINE_GEOIP_DB"]
    for candidate in CITY_DB_CANDIDATES:
        if "$SPLUNK_HOME" in candidate and not environ.get("SPLUNK_HOME"):
            continue
        path = candidate.replace("$SPLUNK_HOME", environ.get("SPLUNK_HOME", ""))
        if os.path.isfile(path):
            return path
    return None


NO_CITY_DB_WARNING = ("no GeoIP City database found (--geoip-db, SPLENGINE_GEOIP_DB, {candidates}): "
                      "iplocation/ipcontext location fields (City, Country, Region, lat, lon) are left empty; "
                      "pass --geoip-db PATH/GeoLite2-City.mmdb (free from MaxMind) to fill them")


def _mmdb_value(value):
    """One value in the MaxMind DB data format (the types the metadata needs; sizes < 29); a number is given
    as (value, "uint16" | "uint32" | "uint64"): libmaxminddb checks each metadata key's type."""
    if isinstance(value, str):
        return bytes([0x40 | len(value)]) + value.encode()
    if isinstance(value, dict):
        return bytes([0xE0 | len(value)]) + b"".join(_mmdb_value(k) + _mmdb_value(v) for k, v in value.items())
    if isinstance(value, list):
        return bytes([len(value), 11 - 7]) + b"".join(map(_mmdb_value, value))
    number, kind = value
    payload = number.to_bytes(8, "big").lstrip(b"\0")
    if kind == "uint64":
        return bytes([len(payload), 9 - 7]) + payload
    return bytes([(0xA0 if kind == "uint16" else 0xC0) | len(payload)]) + payload


def city_db_or_empty(option, scratch, err, warn=True):
    """The City database to use: `option` (--geoip-db), else one found (find_city_db), else an empty one written
    in `scratch` after one warning on `err` (none when not `warn`: a search that never looks up an address)."""
    city_db = option or find_city_db()
    if city_db is None:
        if warn:
            print("hunt.py: warning: " + NO_CITY_DB_WARNING.format(candidates=", ".join(CITY_DB_CANDIDATES)),
                  file=err)
        city_db = write_empty_city_db(os.path.join(scratch, "empty-GeoLite2-City.mmdb"))
    return city_db


def write_empty_city_db(path):
    """A valid GeoLite2-City database holding no network: every lookup is "address not found", so iplocation
    and ipcontext run their normal code and add no location field. This is what lets the replay run without
    MaxMind's file, with the detections' other fields (ip_class, the rest of the row) unchanged.

    Layout (https://maxmind.github.io/MaxMind-DB/): a search tree of one node whose two 24-bit records both
    point to node_count (= no data), the 16-byte data-section separator, an empty data section, then the
    metadata marker and map."""
    tree = struct.pack(">I", 1)[1:] * 2
    metadata = {"node_count": (1, "uint32"), "record_size": (24, "uint16"), "ip_version": (6, "uint16"),
                "database_type": "GeoLite2-City", "languages": ["en"],
                "binary_format_major_version": (2, "uint16"), "binary_format_minor_version": (0, "uint16"),
                "build_epoch": (int(time.time()), "uint64"), "description": {"en": "empty: hunt.py without GeoIP"}}
    with open(path, "wb") as handle:
        handle.write(tree + bytes(16) + b"\xab\xcd\xefMaxMind.com" + _mmdb_value(metadata))
    return path


def _time_arg(text):
    try:
        return float(text) if text.replace(".", "", 1).isdigit() else iso_to_epoch(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an epoch or ISO 8601 time: {text!r}") from None


def _lag_arg(text):
    try:
        return parse_lag(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser):
    """The replay mode's options of hunt.py's parser (hunt.py: one program, two modes)."""
    group = parser.add_argument_group("replay mode (the default)")
    group.add_argument("--since", type=_time_arg, help="start of the replay (epoch or ISO 8601); default: first event")
    group.add_argument("--until", type=_time_arg, help="end of the replay; default: after the last indexed event")
    group.add_argument("--baseline-days", type=float, metavar="N",
                       help="build the baselines with the initial-build searches over the first N days, "
                            "then replay the schedule from there")
    group.add_argument("--index-lag", type=_lag_arg, metavar="D",
                       help="indexing delay for every event: '10m' or a range '5m-15m' "
                            "(default per source: CloudTrail/VPC Flow 5m-15m, Resolver/GuardDuty 1m-5m)")
    group.add_argument("--run-idle", action="store_true",
                       help="also run the searches' idle runs (windows that hold no event); default: skip them")
    group.add_argument("--asn-db", metavar="ASN.mmdb", help="GeoLite2 ASN database: adds asn and as_org (optional)")
    group.add_argument("--report", metavar="FILE.html",
                       help="also write a self-contained HTML incident report (incidents, timeline, entities, "
                            "containment checklist)")
    return group


def _iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


class ProgressBar:
    """One self-rewriting stderr line on a terminal: events read, then the replay's runs, simulated time and ETA.

    The ETA assumes the rest of the simulated span costs what the span so far did (wall seconds per simulated
    second). Without a terminal (piped, --json) it prints nothing: one line per update would flood a log file.
    `clock` is injectable for tests."""

    WIDTH = 24

    def __init__(self, stream, enabled, clock=time.monotonic):
        self.stream, self.enabled, self.clock = stream, enabled, clock
        self.started = None   # (wall clock, simulated time) when the replay began: start_replay()
        self.shown = False

    def _show(self, text):
        if self.enabled:
            self.stream.write("\r" + text + "\x1b[K")
            self.stream.flush()
            self.shown = True

    def reading(self, count):
        self._show(f"hunt.py: reading... {count} events")

    def start_replay(self, start):
        """The replay begins now at simulated time `start`: the origin of the percentage and the ETA."""
        self.started = (self.clock(), start)

    def replaying(self, done, t, end):
        began, start = self.started
        fraction = min(max((t - start) / max(end - start, 1), 0.0), 1.0)
        filled = int(fraction * self.WIDTH)
        rate = (self.clock() - began) / (t - start) if t > start else None
        eta = "--:--:--" if rate is None else _hms(rate * max(end - t, 0))
        self._show(f"hunt.py: [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} {done} runs, "
                   f"simulated {_iso(t)[:-7]}, ETA {eta}")

    def finish(self):
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _hms(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _load(args, err, bar, lag):
    """The events of args.paths in an EventStore, read once and streamed into it (never all in memory)."""
    report = IngestReport()

    def counted():
        for count, event in enumerate(read_events(args.paths, report, sourcetype=args.sourcetype,
                                                  vpcflow_format=args.vpcflow_format, index=DEFAULT_INDEX), 1):
            if count % 10_000 == 0:
                bar.reading(count)
            yield event
    store = EventStore(counted(), lag)
    bar.finish()
    print(f"hunt.py: {report.summary()}", file=err)
    print(f"hunt.py: event store: {len(store):,} events, {store.disk_bytes / 2**20:,.0f} MiB on disk", file=err)
    check_read(report, args.paths)
    return store


def _row_text(row):
    shown = {k: v for k, v in row.items() if not k.startswith("_") or k == "_time"}
    if "_time" in shown and isinstance(shown["_time"], (int, float)):
        shown["_time"] = _iso(shown["_time"])
    return "  ".join(f"{k}={'|'.join(map(str, v)) if isinstance(v, list) else v}" for k, v in shown.items())


def print_report(result, out):
    grouped = defaultdict(list)
    for alert in result.alerts:
        grouped[alert.search_name].append(alert)
    span = f"{_iso(result.start)} .. {_iso(result.end)}" if result.start is not None else "no events"
    idle = sum(result.idle_seconds.values()) / 86400
    skipped = f" (idle stretches skipped: {idle:.1f} search-days)" if idle else ""
    print(f"Replay {span}: {len(result.runs)} search runs{skipped}, {len(result.alerts)} alerts", file=out)
    if result.sent_alerts:
        actions = sorted({invocation["action"] for _, _, invocation in result.sent_alerts})
        print(f"sendalert: {len(result.sent_alerts)} invocation(s) of {', '.join(actions)} recorded "
              "(alert actions are never executed offline)", file=out)
    incidents = sorted(name for name, alerts in grouped.items() if any("incident_id" in a.results[0] for a in alerts))
    for name in incidents:
        print_incidents(name, grouped[name], out)
    for name in sorted(set(grouped) - set(incidents)):
        alerts = grouped[name]
        rows = sum(len(a.results) for a in alerts)
        print(f"\n== {name}: {len(alerts)} alert(s), {rows} result row(s); actions: "
              f"{', '.join(alerts[0].actions) or 'none'}", file=out)
        for alert in alerts:
            print(f"  [{_iso(alert.trigger_time)}] severity {alert.severity}", file=out)
            for row in alert.results:
                print(f"    {_row_text(row)}", file=out)
    if not grouped:
        print("\nNo alerts.", file=out)


def print_incidents(name, alerts, out):
    """The incident alerts first, one line each (what an analyst reads before the detections behind them)."""
    ids = {alert.results[0]["incident_id"] for alert in alerts}
    print(f"\n== Incidents ({name}): {len(ids)} incident(s), {len(alerts)} notification(s)", file=out)
    for alert in alerts:
        row = alert.results[0]
        reason = f" ({row['update_reason']})" if row.get("update_reason") else ""
        print(f"  [{_iso(alert.trigger_time)}] {row['incident_id']} {row.get('notify', '')} score "
              f"{row.get('score', '')}{reason}: {row.get('title', '')}", file=out)
        detections = row.get("detections")
        if detections:
            print(f"    detections: {', '.join(detections) if isinstance(detections, list) else detections}", file=out)


ALERT_KEY = "_alert"


def alert_rows(result):
    """Every alert row with the alert's metadata nested under one key, `_alert`: {search_name, trigger_time
    (epoch), severity, actions}. Nesting keeps the row's own fields intact: a detection's `severity` (low/high)
    must not be replaced by the alert's number. A row that already has `_alert` gets `__alert` (and so on)."""
    for alert in result.alerts:
        for row in alert.results:
            key = ALERT_KEY
            while key in row:
                key = "_" + key
            record = dict(row)
            record[key] = {"search_name": alert.search_name, "trigger_time": alert.trigger_time,
                           "severity": alert.severity, "actions": list(alert.actions)}
            yield record


def run(args, err, show_progress=False):
    """Read args.paths and replay the app's schedule over them; errors (bad input or configuration) raise
    FileNotFoundError, ConfError or ValueError. Progress (a bar when `show_progress`) and warnings go to
    ``err``, then one line with the number of runs and the wall time."""
    bar = ProgressBar(err, show_progress)
    began = time.monotonic()
    lag = IndexLag(fixed=args.index_lag) if args.index_lag else IndexLag()
    store = _load(args, err, bar, lag)
    first = store.time_span[0]
    start = (args.since if args.since is not None else first) + (args.baseline_days or 0) * 86400
    runs = [0]

    def progress(done, t, end):
        runs[0] = done
        bar.replaying(done, t, end)

    with tempfile.TemporaryDirectory(prefix="hunt-geoip-") as scratch:
        city_db = city_db_or_empty(args.geoip_db, scratch, err)
        with offline_app(args.app, city_db, args.asn_db) as app_copy:
            replay = Replay(app_copy, store, tz=args.tz, progress=progress,
                            skip_idle=not args.run_idle, geoip_db=city_db)
            bar.start_replay(start)
            try:
                result = replay.run(since=args.since, until=args.until, baseline_days=args.baseline_days)
            finally:
                bar.finish()
    print(f"hunt.py: replayed {runs[0]} scheduled runs in {time.monotonic() - began:.1f} s", file=err)
    phases = {**store.cpu, **result.cpu}
    print("hunt.py: CPU seconds: " + ", ".join(f"{name} {cpu:.1f}" for name, cpu in phases.items()), file=err)
    for warning in result.warnings:
        print(f"hunt.py: warning: {warning}", file=err)
    for run_ in result.errors:
        print(f"hunt.py: search error in '{run_.search_name}' at {_iso(run_.run_time)}: {run_.error}", file=err)
    if args.report:
        write_report(result, args.report, args.app, args.paths)
        print(f"hunt.py: incident report written to {args.report}", file=err)
    return result
