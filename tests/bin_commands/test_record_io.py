"""The commands' faster chunk I/O (intel_commands.record_io) must produce exactly what splunklib produces.

In process, with generated chunks: the records read (values, multivalues, key order) and the bytes written
(header, `__mv_` columns, every value type splunklib knows) are compared with splunklib's own methods.
Through the protocol: a pass-through command with the fast I/O answers real Route 53 chunks byte for byte
like the plain splunklib pass-through.
"""
import csv
import io
import os
import re
import sys

import pytest
from conftest import DATA, ROOT_BIN, ndjson_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from splunklib.searchcommands import StreamingCommand
from splunklib.searchcommands.internals import CsvDialect, RecordWriterV2

from splengine.chunked import ChunkedCommandProcess, encode_rows

sys.path.insert(0, str(ROOT_BIN))
from intel_commands.record_io import FastRecordsMixin  # noqa: E402

SCRIPTS = os.path.join(os.path.dirname(__file__), "scripts")


class Plain(StreamingCommand):
    def stream(self, records):
        return records


class Fast(FastRecordsMixin, Plain):
    pass


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
NAMES = st.sampled_from(["a", "b", "src", "answers{}.Rdata", "__mv_a", "__mv_b", "__mv_src", "__mv_x", "_raw"])
MV_TEXT = st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=4).map(
    lambda items: "$" + "$;$".join(item.replace("$", "$$") for item in items) + "$"))


def csv_body(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, dialect=CsvDialect)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def read_with(command_class, body):
    return [list(record.items()) for record in command_class()._read_csv_records(io.StringIO(body))]


@st.composite
def chunks(draw):
    header = draw(st.one_of(
        st.lists(NAMES, min_size=1, max_size=8),  # any layout: duplicates, `__mv_` first or alone
        st.lists(st.sampled_from(["a", "b", "src", "_raw"]), min_size=1, max_size=4, unique=True).map(
            lambda names: names + ["__mv_" + name for name in names]),  # splunkd's layout
    ))
    width = len(header)
    row = st.one_of(st.lists(MV_TEXT, min_size=width, max_size=width),
                    st.lists(MV_TEXT, min_size=0, max_size=width + 2))  # short and long rows too
    return header, draw(st.lists(row, max_size=6))


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(chunk=chunks())
def test_records_read_as_splunklib_reads_them(chunk):
    body = csv_body(*chunk)
    assert read_with(Fast, body) == read_with(Plain, body)


SCALAR = st.one_of(st.none(), TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(),
                   TEXT.map(lambda t: t.encode("utf-8")), st.just(3 + 1j))
VALUE = st.one_of(SCALAR, SCALAR, SCALAR, st.lists(st.one_of(st.none(), TEXT, st.integers(), st.booleans()),
                                                    max_size=3),
                  st.dictionaries(st.sampled_from(["k", "n"]), st.integers(), max_size=2))
RECORD = st.dictionaries(st.sampled_from(["a", "b", "src", "ip_class", "City", "_time"]), VALUE, max_size=6)


def write_with(command_class, chunk_records, declared):
    """Output bytes of a search whose process() returns the given records, chunk after chunk."""
    out = io.BytesIO()
    command = command_class()
    command._record_writer = RecordWriterV2(out)
    command._record_writer.custom_fields.update(declared)
    for i, records in enumerate(chunk_records):
        command._execute_chunk_v2(lambda _records, records=records: iter(records), ({}, "x"))
        command._record_writer.write_chunk(finished=i == len(chunk_records) - 1)
    return out.getvalue()


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(chunk_records=st.lists(st.lists(RECORD, max_size=6), min_size=1, max_size=3),
       declared=st.sets(st.sampled_from(["asn", "as_org", "City"]), max_size=3))
def test_records_written_as_splunklib_writes_them(chunk_records, declared):
    assert write_with(Fast, chunk_records, declared) == write_with(Plain, chunk_records, declared)


def test_fast_write_path_is_taken_for_text_records():
    """The equality above would also hold if every record fell back to splunklib: prove the fast path runs."""
    calls = []
    writer = RecordWriterV2(io.BytesIO())
    original = writer._write_record
    writer._write_record = lambda record: (calls.append(record), original(record))
    command = Fast()
    command._record_writer = writer
    records = [{"a": "1", "b": None}, {"a": "2", "b": "x"}, {"a": ["p", "q"], "b": "y"}, {"a": 4}]
    command._execute_chunk_v2(lambda _records: iter(records), ({}, "x"))
    assert calls == [records[0], records[2], records[3]]  # the header row, then only non-text records


def test_empty_chunk_is_refused_like_splunklib_when_asked():
    command = Fast()
    command._allow_empty_input = False
    command._record_writer = RecordWriterV2(io.BytesIO())
    with pytest.raises(ValueError, match="No records found"):
        command._execute_chunk_v2(lambda records: records, ({}, ""))


def route53_rows():
    rows = [row for path in sorted((DATA / "commands_route53").glob("*"))
            if path.suffix in (".ndjson", ".log") for row in ndjson_records(path)]
    assert any(isinstance(value, list) for row in rows for value in row.values()), "want multivalue answers"
    return rows


def replies(python, rows, app_bin, fast_io):
    env = dict(os.environ, PASSTHROUGH_LIB=str(app_bin / "lib"))
    if fast_io:
        env["PASSTHROUGH_FASTIO_BIN"] = str(app_bin)
    bodies = []
    with ChunkedCommandProcess(python + [os.path.join(SCRIPTS, "passthrough.py")], env=env) as proc:
        proc.getinfo(["tag=enriched"])
        for i in range(0, len(rows), 40):
            _, body = proc.execute_raw(encode_rows(rows[i:i + 40]), finished=i + 40 >= len(rows))
            bodies.append(body)
    assert proc.returncode == 0, proc.messages
    return bodies


def test_fast_passthrough_answers_real_chunks_byte_for_byte(splunk_python, staged_app):
    rows = route53_rows()
    app_bin = staged_app / "bin"
    assert replies(splunk_python, rows, app_bin, fast_io=True) == replies(splunk_python, rows, app_bin, fast_io=False)


def test_vendored_splunklib_is_a_version_record_io_was_checked_against():
    """Raising the splunk-sdk pin must fail here, loudly, until record_io's use of splunklib's private methods is
    re-checked (this file's comparisons pass with the new version) and the version added to CHECKED_SPLUNKLIB."""
    import splunklib
    from intel_commands import record_io

    pinned = re.search(r"^splunk-sdk==(\S+)", (ROOT_BIN.parent / "requirements" / "vendor.txt").read_text(), re.M)
    for version in (pinned.group(1), splunklib.__version__):
        assert version in record_io.CHECKED_SPLUNKLIB, (
            f"splunklib {version} is not among the versions bin/intel_commands/record_io.py was checked against "
            f"{record_io.CHECKED_SPLUNKLIB}: re-run tests/bin_commands/test_record_io.py with it, then add it")
    assert FastRecordsMixin is record_io.records_mixin(splunklib.__version__) is not record_io.records_mixin("9.9.9")


def test_an_unchecked_splunklib_gets_splunklib_own_record_io():
    from intel_commands import record_io

    fallback = record_io.records_mixin("2.2.0")
    assert not [name for name in vars(fallback) if not name.startswith("__")]   # overrides nothing

    class Unchecked(fallback, Plain):
        pass

    assert Unchecked._read_csv_records is Plain._read_csv_records
    assert Unchecked._execute_chunk_v2 is Plain._execute_chunk_v2


def test_record_io_is_the_only_module_touching_splunklib_internals():
    private = re.compile(r"splunklib\.searchcommands\.internals|def _(read_csv_records|execute_chunk_v2|write_record)\b")
    touching = sorted(str(path.relative_to(ROOT_BIN)) for path in ROOT_BIN.rglob("*.py")
                      if path.relative_to(ROOT_BIN).parts[0] != "lib" and private.search(path.read_text()))
    assert touching == ["intel_commands/record_io.py"]
