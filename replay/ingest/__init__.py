"""Read AWS log files into the events Splunk + the Splunk Add-on for AWS would index.

`read_events(paths, report)` is a generator: files are opened one at a time (gzip detected by
its magic bytes), split by `reader`, classified by `sourcetypes`. Each event is a dict with
`_raw` (verbatim text), `_time` (epoch), `sourcetype`, `source` (file path), `host`, `index`;
VPC flow text records also carry their search-time fields (JSON sourcetypes are extracted by the
engine's KV_MODE=json from `_raw`). Malformed pieces are recorded in the report with file and
line; the rest of the input is still read. CloudTrail Lake results saved to S3 are read by `lakecsv` (CSV rows)
and `lakesign` (the `result_sign.json` beside them: each listed file's SHA-256 is checked, never read as events).
Unreadable folders and files that are not regular files (a FIFO
would block, a device such as /dev/zero never ends) are reported and skipped.
"""
import io
import os
import socket
import stat
from collections import Counter
from dataclasses import dataclass, field

from . import bytelines, lakecsv, lakesign, vpcflow
from .gzipstream import TolerantGzip
from .reader import ReadError, read_items
from .sourcetypes import SOURCETYPES, FileState, events_of

DEFAULT_INDEX = "aws"
DIRECTORY_SUFFIXES = (".json", ".json.gz", ".jsonl", ".ndjson", ".log", ".log.gz", ".csv", ".gz")
MAX_ERRORS_KEPT = 1000


@dataclass
class IngestReport:
    """What was read: events per sourcetype, problems with file and line, files skipped."""

    counts: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    error_count: int = 0
    files: int = 0
    skipped_files: list = field(default_factory=list)
    left_out: int = 0   # JSON lines the search cannot match, skipped unparsed (prefilter.py)
    integrity: list = field(default_factory=list)   # CloudTrail Lake sign-file checks (lakesign.py)

    def error(self, source, line, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((source, line, message))

    def summary(self):
        lines = [f"read {sum(self.counts.values())} events from {self.files} file(s): "
                 + ", ".join(f"{st}={n}" for st, n in sorted(self.counts.items()))]
        if self.left_out:
            lines.append(f"left out {self.left_out} JSON line(s) unparsed: the search's terms cannot match them")
        lines += self.integrity
        if self.skipped_files:
            lines.append(f"skipped {len(self.skipped_files)} file(s) with other extensions: "
                         + ", ".join(self.skipped_files[:10]))
        if self.error_count:
            lines.append(f"{self.error_count} malformed item(s):")
            lines += [f"  {source}:{line}: {message}" for source, line, message in self.errors]
            if self.error_count > len(self.errors):
                lines.append(f"  ... {self.error_count - len(self.errors)} more")
        return "\n".join(lines)


class NoEventsError(ValueError):
    """No event was read from any input path: an empty or wrong folder must never look like a clean account."""


def check_read(report, paths):
    """Raise NoEventsError saying what was looked at when `report` counts no event read from `paths` (lines left
    unparsed because the search could not match them were read: a search matching nothing is not an error)."""
    if sum(report.counts.values()) or report.left_out:
        return
    looked = ", ".join(map(str, paths))
    parts = [f"no events read from {looked}: {report.files} log file(s) opened"]
    if report.skipped_files:
        shown = ", ".join(report.skipped_files[:10])
        more = f" and {len(report.skipped_files) - 10} more" if len(report.skipped_files) > 10 else ""
        parts.append(f"{len(report.skipped_files)} file(s) skipped for their extension "
                     f"(read: {', '.join(DIRECTORY_SUFFIXES)}): {shown}{more}")
    if report.error_count:
        parts.append(f"{report.error_count} malformed or unreadable item(s), first: "
                     + "; ".join(f"{source}:{line}: {message}" for source, line, message in report.errors[:3]))
    raise NoEventsError("; ".join(parts))


def _regular(path, report):
    """True for a regular file; anything else (FIFO, device, socket) is reported, never opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        report.error(path, 0, f"unreadable file: {exc.strerror or exc}")
        return False
    if not stat.S_ISREG(mode):
        report.error(path, 0, "not a regular file (FIFO, device or socket); skipped")
        return False
    return True


def iter_files(paths, report):
    """Regular files under `paths` in a stable order; directories are walked for log-file extensions."""
    def unreadable(exc):
        report.error(exc.filename, 0, f"unreadable folder: {exc.strerror or exc}; skipped")

    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path, onerror=unreadable):
                dirs.sort()
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if name.startswith("."):
                        continue
                    if not name.lower().endswith(DIRECTORY_SUFFIXES):
                        report.skipped_files.append(full)
                    elif _regular(full, report):
                        yield full
        elif os.path.exists(path):
            if _regular(path, report):
                yield path
        else:
            raise FileNotFoundError(f"input path does not exist: {path}")


def open_binary(path):
    """Byte stream of a plain or gzip file (decided by content, not by name), and the TolerantGzip under it
    (None for a plain file): a truncated gzip yields what it holds, and the gzip layer says what was lost."""
    raw = open(path, "rb")
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    gz = TolerantGzip(raw) if magic == b"\x1f\x8b" else None
    return (io.BufferedReader(gz) if gz is not None else raw), gz


def open_text(path):
    """Text stream of a plain or gzip file and its TolerantGzip (open_binary)."""
    binary, gz = open_binary(path)
    return _text(binary), gz


def _text(binary):
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _open_items(path, line_filter):
    """(stream, its TolerantGzip or None, its items): a JSON-lines file under a prefilter is read as bytes
    (bytelines.py: only lines that may match are decoded), CloudTrail Lake results CSV by lakecsv.py (told by its
    header line, in the first buffered bytes), anything else as text from its start."""
    anchors = bytelines.byte_anchors(line_filter)
    if anchors is not None:
        binary, gz = open_binary(path)
        head = bytelines.json_lines_head(binary)
        if head is not None:
            return binary, gz, bytelines.read_lines(binary, head, line_filter, anchors)
        binary.close()
    binary, gz = open_binary(path)
    lake = lakecsv.is_header(binary.peek(1))
    stream = _text(binary)
    if lake:
        return stream, gz, lakecsv.read_rows(stream, lambda: gz is not None and gz.damage is not None)
    return stream, gz, read_items(stream, line_filter)


def read_events(paths, report=None, *, sourcetype=None, vpcflow_format=None, index=DEFAULT_INDEX, host=None,
                line_filter=None):
    """Yield the events of every file under `paths` (see module docstring). `line_filter`: a
    prefilter.LineFilter; the JSON lines it rejects are skipped unparsed and counted in the report."""
    if sourcetype is not None and sourcetype not in SOURCETYPES:
        raise ValueError(f"--sourcetype must be one of {', '.join(SOURCETYPES)}, not {sourcetype!r}")
    flow_format = vpcflow.parse_format(vpcflow_format) if vpcflow_format else None
    report = report if report is not None else IngestReport()
    host = host or socket.gethostname()
    for path in iter_files(paths, report):
        if lakesign.is_sign_file(path):
            report.integrity += lakesign.check(path)
            continue
        report.files += 1
        yield from _read_file(path, report, FileState(sourcetype, flow_format), index, host, line_filter or None)
        if line_filter:
            report.left_out, line_filter.skipped = report.left_out + line_filter.skipped, 0


def _read_file(path, report, state, index, host, line_filter=None):
    read = 0
    try:
        stream, gz, items = _open_items(path, line_filter)
        with stream:
            for item in items:
                if isinstance(item, ReadError):
                    if gz is None or gz.damage is None:   # the item a cut ends is reported with the damage
                        report.error(path, item.line, item.message)
                    continue
                try:
                    for produced in events_of(item, state):
                        if isinstance(produced, ReadError):
                            report.error(path, produced.line, produced.message)
                            continue
                        raw, time, sourcetype, fields = produced
                        event = {"_raw": raw, "_time": time, "sourcetype": sourcetype,
                                 "source": path, "host": host, "index": index}
                        if fields:
                            event.update(fields)
                        report.counts[sourcetype] += 1
                        read += 1
                        yield event
                except ReadError as exc:
                    report.error(path, exc.line, exc.message)
                except RecursionError:
                    report.error(path, item.line, "JSON nested too deeply; item skipped")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        report.error(path, 0, f"unreadable file: {exc}")
        return
    if gz is not None and gz.damage is not None:
        report.error(path, gz.newlines + 1, f"gzip {gz.damage}; kept {read} event(s) from the {gz.compressed_read} "
                                            f"compressed bytes read ({gz.decompressed} bytes, {gz.newlines} line "
                                            "break(s) decompressed); the item cut there and the rest of the "
                                            "original file are lost")
