#!/usr/bin/env python3
"""Incident-responder CLI over the embedded SPL engine (never shipped with the app). One program, two modes:

    python3 hunt.py [--baseline-days N] [--geoip-db CITY.mmdb] [--asn-db ASN.mmdb] [--json] PATH ...

replays every scheduled search of the app (detections and the support searches that keep their baselines)
over AWS log files as Splunk's scheduler would, and prints the alerts (replay/cli.py).

    python3 hunt.py --search 'SPL' [--json] [PATH ...]

runs one ad-hoc search over AWS log files (read by replay.ingest: CloudTrail, VPC Flow, Route 53
Resolver, GuardDuty), or over nothing for `| makeresults` / `| inputlookup` searches, with this app's
macros, lookups and commands. Output: a report or table, or with --json one JSON object per alert row or
result row (multivalue fields as JSON lists, times as epoch seconds). Errors go to stderr, prefixed
"hunt.py: error:", with exit code 2 (1: some replayed search runs failed).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import splengine  # noqa: E402
from replay import cli as replay_mode  # noqa: E402
from replay.app_overlay import offline_app  # noqa: E402
from replay.ingest import DEFAULT_INDEX, IngestReport, check_read, read_events  # noqa: E402
from replay.ingest.prefilter import LineFilter  # noqa: E402
from replay.ingest.sourcetypes import SOURCETYPES  # noqa: E402
from replay.savedsearches import ConfError  # noqa: E402
from splengine.errors import SplError  # noqa: E402
from splengine.macros import MacroLibrary  # noqa: E402
from splengine.values import to_str  # noqa: E402

PROG = "hunt.py"
EXIT_ERROR = 2
SEARCH_ONLY = ("earliest", "latest", "now")
_GEOIP_COMMANDS = re.compile(r"\|\s*(iplocation|ipcontext)\b", re.IGNORECASE)
REPLAY_ONLY = ("since", "until", "baseline_days", "index_lag", "run_idle", "asn_db", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="log files or folders (searched recursively)")
    parser.add_argument("--json", action="store_true", help="one JSON object per alert row / result row")
    parser.add_argument("--geoip-db", metavar="CITY.mmdb",
                        help="GeoLite2/GeoIP2 City database for iplocation and ipcontext (replay default: "
                             "SPLENGINE_GEOIP_DB, $SPLUNK_HOME/share/GeoLite2-City.mmdb, /usr/share/GeoIP, "
                             "/var/lib/GeoIP)")
    parser.add_argument("--sourcetype", choices=SOURCETYPES, help="force the sourcetype instead of detecting it")
    parser.add_argument("--vpcflow-format", metavar="FIELDS", help="VPC flow-log format for files without a header")
    parser.add_argument("--app", default=str(ROOT), help="app directory (default: this repository)")
    parser.add_argument("--tz", default="UTC", help="time zone of schedules, time snapping and formatting (default UTC)")
    replay_mode.add_arguments(parser)
    search = parser.add_argument_group("search mode")
    search.add_argument("--search", metavar="SPL", help="run one SPL search over PATH and print its results")
    search.add_argument("--earliest", help="dispatch earliest time (epoch or time modifier, default: all time)")
    search.add_argument("--latest", help="dispatch latest time (epoch or time modifier)")
    search.add_argument("--now", type=float, help="epoch used as now() and for relative times (default: current)")
    return parser


def parse_args(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    searching = args.search is not None
    for dest in REPLAY_ONLY if searching else SEARCH_ONLY:
        if getattr(args, dest) != parser.get_default(dest):
            option = "--" + dest.replace("_", "-")
            parser.error(f"{option} applies to {'the replay, not to --search' if searching else '--search only'}")
    if not searching and not args.paths:
        parser.error("the replay needs at least one PATH (or run one search with --search)")
    return args


def run_search(args, err):
    report = IngestReport()
    opened = []

    def source(line_filter):   # a search that never reads its events (| makeresults) is not an empty input
        opened.append(True)
        if args.paths:
            yield from read_events(args.paths, report, sourcetype=args.sourcetype, vpcflow_format=args.vpcflow_format,
                                   index=DEFAULT_INDEX, line_filter=line_filter)
    with tempfile.TemporaryDirectory(prefix="hunt-lookups-") as scratch:
        looks_up = _GEOIP_COMMANDS.search(MacroLibrary.from_app(Path(args.app)).expand(args.search)) is not None
        city_db = replay_mode.city_db_or_empty(args.geoip_db, scratch, err) if looks_up else args.geoip_db
        # ipcontext reads its databases from the app's ipcontext.conf: a search using it runs an offline copy
        with offline_app(args.app, city_db) if looks_up else nullcontext(args.app) as app:
            engine = splengine.Engine(app, Path(scratch) / "lookups", tz=args.tz, geoip_db=city_db)
            line_filter = _line_filter(engine.compile(args.search))
            rows = engine.search(args.search, events=source(line_filter), now=args.now, earliest=args.earliest,
                                 latest=args.latest)
    if report.error_count or report.integrity:
        print(f"{PROG}: {report.summary()}", file=err)
    if opened and args.paths:
        check_read(report, args.paths)
    return rows


def _line_filter(plan):
    """The prefilter of JSON lines for the base searches of the plan (subsearches and appended searches
    included), or None when one of them may match any line or none reads events."""
    return LineFilter(plan.footprint.filters) or None


def _json_value(v):
    if isinstance(v, float):  # a measured eval number (splengine.values.Measured) is written as its double
        return int(v) if v.is_integer() else float(v)
    if isinstance(v, dict):
        return {k: _json_value(x) for k, x in v.items()}
    return [_json_value(x) for x in v] if isinstance(v, (list, tuple)) else v


def print_json(rows, out) -> None:
    """The one JSON printer of both modes: one object per row, integral floats as integers, lists as lists."""
    for row in rows:
        out.write(orjson.dumps({k: _json_value(v) for k, v in row.items()}, default=str).decode() + "\n")


def _columns(rows) -> list[str]:
    if rows and all("_raw" in r for r in rows):
        return ["_time", "_raw"]
    cols: list[str] = []
    for row in rows:
        prev = -1
        for name in row:
            if name.startswith("_") and name != "_time":
                continue
            if name in cols:
                prev = cols.index(name)
            else:
                prev += 1
                cols.insert(prev, name)   # keep each row's field order (e.g. table's order)
    return cols


def _cell(name, value, tz) -> str:
    if value is None:
        return ""
    if name == "_time":
        try:
            return datetime.fromtimestamp(float(value), tz).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, list):
        return "\n".join(to_str(v) for v in value)
    return to_str(value)


def print_table(rows, tz_name="UTC", out=sys.stdout) -> None:
    """Columns padded to their widest value; multivalue cells span several lines."""
    tz = timezone.utc if tz_name == "UTC" else ZoneInfo(tz_name)
    cols = _columns(rows)
    if not cols:
        out.write("(no results)\n" if not rows else "")
        return
    cells = [[_cell(c, row.get(c), tz).split("\n") for c in cols] for row in rows]
    widths = [max([len(c)] + [len(line) for r in cells for line in r[i]]) for i, c in enumerate(cols)]
    out.write("  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        for k in range(max(len(cell) for cell in r)):
            parts = [(cell[k] if k < len(cell) else "").ljust(w) for cell, w in zip(r, widths)]
            out.write("  ".join(parts).rstrip() + "\n")
    out.write(f"({len(rows)} result{'s' if len(rows) != 1 else ''})\n")


def _is_tty(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def main(argv=None, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    try:
        if args.search is not None:
            rows = run_search(args, err)
            if args.json:
                print_json(rows, out)
            else:
                print_table(rows, args.tz, out)
            return 0
        result = replay_mode.run(args, err, show_progress=not args.json and _is_tty(out) and _is_tty(err))
    except (SplError, ConfError, OSError, ValueError) as exc:
        print(f"{PROG}: error: {exc}", file=err)
        return EXIT_ERROR
    if args.json:
        print_json(replay_mode.alert_rows(result), out)
    else:
        replay_mode.print_report(result, out)
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
