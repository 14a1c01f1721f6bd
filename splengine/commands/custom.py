"""Custom search commands declared in the app's commands.conf, run through SCP v2 (splengine.chunked).

Like splunkd: the script ``bin/<filename>`` is started once per search, gets ``getinfo`` with the
search's arguments, then ``execute`` chunks of at most ``maxresultrows`` rows, and a last chunk with
``finished: true``. Generating commands get empty chunks until they report finished. The command's
``type`` (streaming, stateful, events, reporting) decides whether it is streaming in the pipeline.
A streaming command that receives no record is not started for ``execute``: it maps the records it is
given, so with none there is nothing to return (its ``getinfo`` already ran when the search was parsed).
Errors the command reports become SplError naming the command.
https://help.splunk.com/en/data-management/splunk-enterprise-admin-manual/10.0/10.0.0-configuration-file-reference/commands.conf
"""
from __future__ import annotations

import itertools
import sys
from urllib.parse import quote

from ..args import ArgList
from ..chunked import ChunkedCommandError, ChunkedCommandProcess
from ..conf import conf_bool
from ..errors import SplError, SplUnsupportedError
from ..tokenizer import STRING
from .base import Command

CHUNK_ROWS = 50000
MAX_GENERATING_CHUNKS = 10000


def _args(args: ArgList) -> tuple[list[str], list[str]]:
    """(args, raw_args): whitespace-separated pieces of the argument text; quotes removed in ``args``."""
    cooked, raw = [], []
    prev_end = None
    for tok in args.tokens:
        text = args.text[tok.pos:tok.end]
        value = tok.value if tok.kind == STRING else text
        if prev_end is not None and tok.pos == prev_end:
            cooked[-1] += value
            raw[-1] += text
        else:
            cooked.append(value)
            raw.append(text)
        prev_end = tok.end
    args.index = len(args.tokens)
    return cooked, raw


def custom_command_class(app, name: str, position: int | None):
    """A Command class for ``name`` if the app's commands.conf declares it, else None."""
    stanza = app.conf("commands.conf").get(name)
    if stanza is None:
        return None
    filename = stanza.get("filename")
    if not filename:
        raise SplError(f"commands.conf [{name}]: no filename", position)
    if conf_bool(stanza.get("chunked", "false")) is not True:
        raise SplUnsupportedError(f"custom command '{name}': only chunked = true (SCP v2) commands are supported",
                                  position)
    script = (app.app_dir / "bin" / filename).resolve()
    if not script.is_file():
        raise SplError(f"custom command '{name}': script bin/{filename} not found", position)
    return type(f"Custom_{name}", (CustomCommand,), {"name": name, "script": script})


class CustomCommand(Command):
    script = None

    def __init__(self, args: list[str], raw_args: list[str], getinfo: dict, spl: str):
        self.args, self.raw_args, self.info, self.spl = args, raw_args, getinfo, spl
        self.streaming = getinfo.get("type", "streaming") == "streaming"
        self.generating = bool(getinfo.get("generating"))

    @classmethod
    def parse(cls, args: ArgList, ctx) -> CustomCommand:
        cooked, raw = _args(args)
        spl = args.text[args.position:args.end]
        # getinfo now: a command that rejects its arguments fails when the search is parsed, as in Splunk
        with cls._process() as proc:
            info = cls._getinfo(proc, cooked, raw, spl, None)
        if args.first and not info.get("generating"):
            raise SplError(f"'{cls.name}' is not a generating command and cannot start a search", args.position)
        return cls(cooked, raw, info, spl)

    @classmethod
    def _process(cls) -> ChunkedCommandProcess:
        return ChunkedCommandProcess([sys.executable, str(cls.script)], cwd=str(cls.script.parent))

    @classmethod
    def _getinfo(cls, proc, cooked, raw, spl, ctx) -> dict:
        overrides = {"args": cooked, "raw_args": raw, "search": quote(spl, safe=""), "command": cls.name,
                     "maxresultrows": CHUNK_ROWS}
        if ctx is not None:
            overrides.update({"earliest_time": str(ctx.earliest or 0), "latest_time": str(ctx.latest or 0),
                              "now": str(ctx.now)})
        try:
            return proc.getinfo(overrides)
        except ChunkedCommandError as exc:
            raise SplError(f"{cls.name}: {exc}") from None

    def execute(self, rows, ctx):
        if self.streaming and not self.generating:
            rows = iter(rows)
            first = next(rows, None)
            if first is None:
                return   # a streaming command maps the records it gets: with none, nothing to start
            rows = itertools.chain((first,), rows)
        yield from self._run(rows, ctx)

    def _run(self, rows, ctx):
        proc = self._process()
        try:
            self._getinfo(proc, self.args, self.raw_args, self.spl, ctx)
            if self.generating:
                for _ in range(MAX_GENERATING_CHUNKS):
                    reply, out = proc.execute([], finished=False)
                    yield from out
                    if reply.get("finished"):
                        return
                raise SplError(f"{self.name}: generating command did not finish after {MAX_GENERATING_CHUNKS} chunks")
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= CHUNK_ROWS:
                    reply, out = proc.execute(batch, finished=False)
                    batch = []
                    yield from out
                    if reply.get("finished"):
                        return
            _, out = proc.execute(batch, finished=True)
            yield from out
        except ChunkedCommandError as exc:
            raise SplError(f"{self.name}: {exc}", self.position) from None
        finally:
            proc.close()
