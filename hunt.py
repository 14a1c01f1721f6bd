#!/usr/bin/env python3
"""Incident-responder CLI over the embedded SPL engine (never shipped with the app).

    python3 hunt.py [--baseline-days N] [--geoip-db CITY.mmdb] [--asn-db ASN.mmdb] [--json] PATH ...

replays every scheduled search of the app (detections and the support searches that keep their baselines)
over AWS log files as Splunk's scheduler would, and prints the alerts (see replay/cli.py, `--help`).

    python3 hunt.py --search 'SPL' [--json] [PATH ...]

runs one ad-hoc search over AWS log files (read by replay.ingest: CloudTrail, VPC Flow, Route 53
Resolver, GuardDuty), or over nothing for `| makeresults` / `| inputlookup` searches, with this app's
macros, lookups and commands. Output: a table, or with --json one JSON object per result row (multivalue
fields as JSON lists, _time as epoch seconds). Errors go to stderr with a non-zero exit code.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import splengine  # noqa: E402
from replay.cli import main as replay_main  # noqa: E402
from replay.ingest import IngestReport, read_events  # noqa: E402
from splengine.errors import SplError  # noqa: E402
from splengine.values import to_str  # noqa: E402

EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hunt.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", metavar="PATH", help="log files or directories to search")
    parser.add_argument("--search", metavar="SPL", help="run one SPL search over PATH and print its results")
    parser.add_argument("--json", action="store_true", help="one JSON object per result row")
    parser.add_argument("--earliest", help="dispatch earliest time (epoch or time modifier, default: all time)")
    parser.add_argument("--latest", help="dispatch latest time (epoch or time modifier)")
    parser.add_argument("--now", type=float, help="epoch used as now() and for relative times (default: current)")
    parser.add_argument("--tz", default="UTC", help="time zone for snapping and time formatting (default UTC)")
    parser.add_argument("--geoip-db", help="GeoIP2/GeoLite2 City .mmdb for iplocation")
    return parser


def run_search_mode(args) -> int:
    report = IngestReport()
    events = read_events(args.paths, report) if args.paths else ()
    with tempfile.TemporaryDirectory(prefix="hunt-lookups-") as scratch:
        engine = splengine.Engine(ROOT, scratch, tz=args.tz, geoip_db=args.geoip_db)
        rows = engine.search(args.search, events=events, now=args.now, earliest=args.earliest, latest=args.latest)
    if report.error_count:
        print(report.summary(), file=sys.stderr)
    if args.json:
        print_json(rows)
    else:
        print_table(rows, args.tz)
    return 0


def _json_value(v):
    return v if not isinstance(v, float) or not v.is_integer() else int(v)


def print_json(rows, out=sys.stdout) -> None:
    for row in rows:
        obj = {k: (list(v) if isinstance(v, list) else _json_value(v)) for k, v in row.items()}
        out.write(orjson.dumps(obj).decode() + "\n")


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


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not any(arg == "--search" or arg.startswith("--search=") for arg in argv):
        return replay_main(argv)
    args = build_parser().parse_args(argv)
    try:
        return run_search_mode(args)
    except SplError as exc:
        print(f"hunt.py: error: {exc}", file=sys.stderr)
    except (OSError, ValueError) as exc:
        print(f"hunt.py: error: {exc}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
