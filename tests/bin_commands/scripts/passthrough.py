"""Pass-through splunklib streaming command: the protocol baseline for tests and bench/bench_commands.py.

`fail_on=<text>` makes it raise when a record's `action` field equals <text> (to test error reporting);
`tag=<text>` adds field `tag` to every record through add_field.
With PASSTHROUGH_FASTIO_BIN set to an app's bin/ folder it reads and writes records with that app's
FastRecordsMixin (intel_commands.record_io): checked against plain splunklib byte for byte, and the
second baseline of the benchmark.
"""
import os
import sys

lib = os.environ.get("PASSTHROUGH_LIB")
if lib:
    sys.path.insert(0, lib)

from splunklib.searchcommands import Configuration, Option, StreamingCommand, dispatch  # noqa: E402

BASES = (StreamingCommand,)
if os.environ.get("PASSTHROUGH_FASTIO_BIN"):
    sys.path.insert(0, os.environ["PASSTHROUGH_FASTIO_BIN"])
    from intel_commands.record_io import FastRecordsMixin

    BASES = (FastRecordsMixin,) + BASES


@Configuration(distributed=True)
class PassThroughCommand(*BASES):
    fail_on = Option(require=False)
    tag = Option(require=False)

    def stream(self, records):
        for record in records:
            if self.fail_on is not None and record.get("action") == self.fail_on:
                raise ValueError(f"record asked to fail: {self.fail_on}")
            if self.tag is not None:
                self.add_field(record, "tag", self.tag)
            yield record


dispatch(PassThroughCommand, sys.argv, sys.stdin, sys.stdout, __name__)
