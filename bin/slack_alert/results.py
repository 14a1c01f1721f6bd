"""Read the alert's results_file: a gzipped CSV written by splunkd.

A multivalue field `f` is written twice: `f` holds the values joined by newlines and `__mv_f` holds
`$v1$;$v2$` with `$` doubled inside values. Columns starting with `__mv_` are decoded into lists and
never appear as fields themselves.
"""
import csv
import gzip
import sys

MV_PREFIX = "__mv_"
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))


class ResultsError(Exception):
    """The results file is missing or is not a readable gzipped CSV."""


def decode_mv(encoded):
    """Decode splunkd's `$a$;$b$` multivalue encoding into a list of strings."""
    if len(encoded) < 2 or encoded[0] != "$" or encoded[-1] != "$":
        raise ResultsError(f"malformed multivalue cell {encoded[:40]!r}")
    values, current, i, end = [], [], 1, len(encoded) - 1
    while i < end:
        if encoded.startswith("$$", i):
            current.append("$")
            i += 2
        elif encoded.startswith("$;$", i):
            values.append("".join(current))
            current = []
            i += 3
        else:
            current.append(encoded[i])
            i += 1
    values.append("".join(current))
    return values


def _without_nul(lines):
    """NUL bytes become spaces (as escape.clean shows every control character): Python 3.9's csv module
    refuses a line with NUL ("line contains NUL"), 3.11+ accepts it; both must read the same rows."""
    for line in lines:
        yield line.replace("\0", " ") if "\0" in line else line


def iter_rows(path):
    """Yield each result as a dict of field -> str or list of str (empty cells are omitted)."""
    try:
        handle = gzip.open(path, "rt", encoding="utf-8", newline="", errors="replace")
    except OSError as err:
        raise ResultsError(f"results_file {path!r} cannot be opened: {err}") from err
    with handle:
        try:
            reader = csv.reader(_without_nul(handle))
            header = next(reader, None)
            if header is None:
                return
            mv_columns = {name[len(MV_PREFIX):]: index for index, name in enumerate(header)
                          if name.startswith(MV_PREFIX)}
            plain = [(index, name) for index, name in enumerate(header) if not name.startswith(MV_PREFIX)]
            for cells in reader:
                row = {}
                for index, name in plain:
                    mv_index = mv_columns.get(name)
                    if mv_index is not None and mv_index < len(cells) and cells[mv_index]:
                        row[name] = decode_mv(cells[mv_index])
                    elif index < len(cells) and cells[index] != "":
                        row[name] = cells[index]
                yield row
        except (OSError, EOFError, csv.Error) as err:
            raise ResultsError(f"results_file {path!r} is not a readable gzipped CSV: {err}") from err
