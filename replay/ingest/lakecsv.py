"""CloudTrail Lake query results delivered to S3 (`result_N.csv.gz`) -> one CloudTrail record per row.

StartQuery's `DeliveryS3Uri` (the console's "Save results") writes the results as gzip'd CSV files
`.../CloudTrail-Lake/Query/<year>/<month>/<date>/<query-ID>/result_<N>.csv.gz` beside a `result_sign.json`
(lakesign.py). AWS documents the path, the gzip and the sign file, but no sample of the CSV's content: no header,
quoting or how struct columns are written. The contract read here is therefore stated, not copied: RFC 4180 CSV
(Python's csv module, excel dialect) whose first row names the selected columns, each value written as
`get-query-results` returns it. A row becomes a record exactly as a `get-query-results` row does
(awscli.lake_record: a value that is JSON object text is parsed back; eventTime, eventName and eventSource are
required, else the row is reported with its line and the missing columns); an empty cell is a column without a
value and is left out of the record. A value in any other notation stays the string it is.

A file is taken for Lake results by its first line (a CSV header naming eventTime, eventName or eventSource), not
by its name, so a renamed download is read too and a Cost and Usage Report CSV (identity/LineItemId, ...) never is.
"""
import csv

from .awscli import lake_record
from .reader import MAX_ITEM_CHARS, Item, ReadError, not_utf8

REQUIRED = ("eventTime", "eventName", "eventSource")
_BOM = b"\xef\xbb\xbf"


def is_header(head):
    """Is the first line of the bytes `head` (a file's first buffered bytes) a Lake results CSV header?"""
    if head.startswith(_BOM):
        head = head[len(_BOM):]
    line = head.partition(b"\n")[0]
    if line[:1] in (b"{", b"["):
        return False
    columns = next(csv.reader([line.decode("utf-8", "replace").rstrip("\r")]), [])
    return any(name in columns for name in REQUIRED)


def read_rows(stream, cut=lambda: False):
    """Yield the Item of each data row of the Lake results CSV `stream` (text, opened with newline=""), or the
    ReadError of a row that cannot be a record (the next rows are still read). `cut()` says whether the data
    stopped early (a truncated gzip): the last row is then reported, not kept, unless a line break ended it, as a
    row cut after its last complete column would otherwise pass for a whole one."""
    if csv.field_size_limit() < MAX_ITEM_CHARS:
        csv.field_size_limit(MAX_ITEM_CHARS)   # the default 128 KiB is below a CloudTrail record's 256 KB
    lines = _Lines(stream)
    rows = csv.reader(lines)
    header, pending = None, None
    while True:
        line = rows.line_num + 1
        try:
            row = next(rows, None)
        except (csv.Error, ReadError) as exc:
            message = exc.message if isinstance(exc, ReadError) else f"invalid CSV: {exc}"
            yield ReadError(line, f"{message}; the rest of the file is skipped")
            return
        if pending is not None and (row is not None or lines.ended or not cut()):
            yield pending
        elif pending is not None:
            yield ReadError(pending.line, "CSV row cut by the end of the data")
        if row is None:
            return
        if header is None:
            header = row
            continue
        pending = _item(line, header, row) if row else None


def _item(line, header, row):
    if len(row) != len(header):
        return ReadError(line, f"CSV row has {len(row)} columns, its header {len(header)}")
    bad = not_utf8(Item(line, "\x1f".join(row)))
    if bad is not None:
        return bad
    try:
        return lake_record(line, ((column, value) for column, value in zip(header, row) if value != ""))
    except ReadError as exc:
        return exc


class _Lines:
    """The stream's lines with their ends (csv needs them for quoted line breaks), at most MAX_ITEM_CHARS each;
    `ended` says whether the last line read had a line break."""

    def __init__(self, stream):
        self.stream = stream
        self.ended = True
        self.number = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = self.stream.readline(MAX_ITEM_CHARS)
        if not line:
            raise StopIteration
        self.number += 1
        self.ended = line.endswith(("\n", "\r"))
        if not self.ended and len(line) == MAX_ITEM_CHARS:
            raise ReadError(self.number, f"line longer than {MAX_ITEM_CHARS} characters")
        return line
