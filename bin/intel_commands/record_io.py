"""Faster reading and writing of SCP v2 CSV chunks, record for record what splunklib 2.1.1 produces.

splunklib's reader tests every column name of every record for the `__mv_` prefix, and its writer runs a chain
of type checks per value; for a streaming command that adds a few fields this I/O costs more than the
enrichment itself. The mixin below keeps splunklib's protocol handling and only replaces the per-record loops:

- reading: the header is planned once (which columns are values, which are `__mv_` encodings); a record is
  built with one dict(zip()) and the `__mv_` columns are decoded only when one of them is non-empty;
- writing: a record whose values are all str or None is written with one list slice; anything else
  (multivalue, numbers, bytes, dicts ...) goes through splunklib's own `_write_record`.

Hostile chunks: a body with NUL bytes is read on every Python (3.9's csv refuses NUL; each NUL stands in as a
Unicode noncharacter absent from the body while the CSV is parsed, and is put back in names and values), and a
chunk shorter than its header says (input ended early) is refused with an error naming both lengths instead of
being read with a cut value and a missing record.

Any header layout the fast reader does not plan for (duplicate names, an `__mv_` column before or without its
value column) and any row of the wrong length fall back to splunklib's loop, so the result never differs.
tests/bin_commands/test_record_io.py checks that with generated chunks against splunklib itself.

This module is the one seam between the app and splunklib's private methods (`_read_csv_records`,
`_execute_chunk_v2`, the record writer's internals); nothing else in bin/ touches them. They were checked
against the splunklib versions in CHECKED_SPLUNKLIB: with any other version FastRecordsMixin is an empty mixin
(splunklib's own I/O, slower but right), and tests/bin_commands/test_record_io.py fails until the new version
is checked and added.
"""
import csv
from io import StringIO
from operator import itemgetter

import splunklib
from splunklib.searchcommands.internals import CsvDialect
from splunklib.searchcommands.search_command import SearchCommand

CHECKED_SPLUNKLIB = ("2.1.1",)
MV_PREFIX = "__mv_"
_PLAIN_TYPES = frozenset((str, type(None)))
_NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)]  # never interchanged text (Unicode ch. 23.7)


class TruncatedChunkError(EOFError):
    """The input ended before the number of bytes a chunk header announced."""


class _ExactReads:
    """A binary stream whose read(n) returns exactly n bytes or raises TruncatedChunkError."""

    def __init__(self, stream):
        self._stream = stream

    def readline(self):
        return self._stream.readline()

    def read(self, size):
        data = self._stream.read(size)
        while size and len(data) < size:
            more = self._stream.read(size - len(data))
            if not more:
                raise TruncatedChunkError(f"the input ended after {len(data)} of the {size} bytes the chunk header "
                                          "announced; the chunk is truncated and none of its records were used")
            data += more
        return data


def _nul_stand_in(body):
    """A noncharacter that does not occur in `body` (there are 32; a body holding all of them is refused)."""
    for char in _NONCHARACTERS:
        if char not in body:
            return char
    raise ValueError("chunk body holds NUL bytes and every Unicode noncharacter U+FDD0-U+FDEF")


def _put_back(value, stand_in):
    if isinstance(value, str):
        return value.replace(stand_in, "\0")
    if isinstance(value, list):
        return [_put_back(item, stand_in) for item in value]
    return value


def _getter(indexes):
    """itemgetter that always returns a tuple (itemgetter of one index returns the bare item)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return itemgetter(*indexes) if indexes else (lambda row: ())


class _HeaderPlan:
    """Where a chunk's value columns and `__mv_` columns are; None from plan() when the layout is unusual."""

    def __init__(self, names, value_indexes, mv_indexes, mv_names):
        self.names = names
        self.width = len(names) + len(mv_indexes)
        self.values = _getter(value_indexes)
        self.mv_values = _getter(mv_indexes)
        self.mv_names = mv_names

    @classmethod
    def plan(cls, header):
        names, value_indexes, mv_indexes, mv_names = [], [], [], []
        for index, column in enumerate(header):
            if column.startswith(MV_PREFIX):
                base = column[len(MV_PREFIX):]
                if base not in names:  # splunklib would place it at the `__mv_` column: keep its loop
                    return None
                mv_indexes.append(index)
                mv_names.append(base)
            elif column in names:  # duplicate value column: splunklib keeps the first one
                return None
            else:
                names.append(column)
                value_indexes.append(index)
        return cls(names, value_indexes, mv_indexes, mv_names)


class _FastRecords:
    """Mix into a splunklib StreamingCommand (before it) to read and write chunk records faster."""

    def _read_csv_records(self, ifile):
        reader = csv.reader(ifile, dialect=CsvDialect)
        header = next(reader, None)
        if header is None:
            return
        plan = _HeaderPlan.plan(header)
        if plan is None:
            yield from self._splunklib_records(header, reader)
            return
        names, width, values_of, mv_values_of = plan.names, plan.width, plan.values, plan.mv_values
        decode = self._decode_list
        for row in reader:
            if len(row) != width:
                yield from self._splunklib_records(header, [row])
                continue
            record = dict(zip(names, values_of(row)))
            mv_values = mv_values_of(row)
            if any(mv_values):
                for name, encoded in zip(plan.mv_names, mv_values):
                    if encoded:
                        record[name] = decode(encoded)
            yield record

    def _read_chunk(self, istream):
        """splunklib's chunk reader over a stream that refuses a chunk cut short by the end of input.

        On failure the writer is marked unflushed so splunklib's error report reaches splunkd as a chunk
        (splunklib only re-arms it after a chunk was read whole)."""
        try:
            return SearchCommand._read_chunk(_ExactReads(istream))
        except Exception:
            writer = getattr(self, "_record_writer", None)
            if writer is not None:
                writer.is_flushed = False
            raise

    def _chunk_records(self, body):
        """Records of a chunk body; NUL bytes survive on every Python (see the module docstring)."""
        if "\0" not in body:
            return self._read_csv_records(StringIO(body))
        stand_in = _nul_stand_in(body)
        records = self._read_csv_records(StringIO(body.replace("\0", stand_in)))
        return ({_put_back(name, stand_in): _put_back(value, stand_in) for name, value in record.items()}
                for record in records)

    def _splunklib_records(self, header, rows):
        """splunklib's own loop for the given rows (re-encoded behind the header)."""
        buffer = StringIO()
        writer = csv.writer(buffer, dialect=CsvDialect)
        writer.writerow(header)
        writer.writerows(rows)
        buffer.seek(0)
        yield from super()._read_csv_records(buffer)

    def _execute_chunk_v2(self, process, chunk):
        metadata, body = chunk
        if len(body) <= 0 and not self._allow_empty_input:
            raise ValueError("No records found to process. Set allow_empty_input=True in dispatch function to "
                             "move forward with empty records.")
        writer = self._record_writer
        writer._ensure_validity()
        records = list(process(self._chunk_records(body)))  # as splunklib: the whole chunk first
        write_slow = writer._write_record
        for record in records:
            fieldnames = writer._fieldnames
            if fieldnames is None:
                write_slow(record)  # writes the header too
                continue
            row = list(map(record.get, fieldnames))
            if not set(map(type, row)) <= _PLAIN_TYPES:
                write_slow(record)
                continue
            out = [None] * (2 * len(row))
            out[::2] = row
            writer._writerow(out)
            writer._pending_record_count += 1
            if writer._pending_record_count >= writer._maxresultrows:
                writer.flush(partial=True)


class _SplunklibRecords:
    """splunklib's own record I/O: the mixin for a splunklib version this module was not checked against."""


def records_mixin(version):
    """The record I/O mixin for splunklib ``version``: the fast one only for a checked version."""
    return _FastRecords if version in CHECKED_SPLUNKLIB else _SplunklibRecords


FastRecordsMixin = records_mixin(splunklib.__version__)
