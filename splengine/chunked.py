"""Client side of Splunk's chunked custom search command protocol (SCP v2), spoken the way splunkd speaks it.

splunkd starts the command script with no arguments, sends one `getinfo` chunk whose metadata carries the
search's `searchinfo` (args, raw_args, dispatch_dir, sid, ...), reads the command's configuration back, then
sends `execute` chunks: JSON metadata `{"action": "execute", "finished": <bool>}` followed by a CSV body in
which every field has a `__mv_<field>` twin. A multivalue field travels as its values joined by newlines in
the plain column and as `$v1$;$v2$` (with `$` doubled inside values) in the `__mv_` column; single values
leave the `__mv_` column empty. An empty CSV cell is a null field. The command answers each chunk with one
chunk of the same shape; messages it wants shown in the search (errors, warnings) come back in
`inspector.messages` as `[type, text]` pairs.

Used by the tests of the app's commands and by the engine's custom-command runner, so that both exercise the
real command scripts through the real protocol.
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import quote

HEADER = re.compile(rb"chunked\s+1\.0\s*,\s*(\d+)\s*,\s*(\d+)\s*\n")
MV_PREFIX = "__mv_"
ERROR_TYPES = ("ERROR", "FATAL")


def app_python(probe_modules=("splunklib", "geoip2", "maxminddb")):
    """Interpreter command to run app scripts with: site enabled (splunklib needs the `exit` builtin) but
    without this venv's packages, so only the app's vendored bin/lib can satisfy its imports - as in Splunk.

    The venv's base interpreter when it lacks the probe modules, else this interpreter (whose packages then
    come after bin/lib, which the app's scripts put first on sys.path).
    """
    base = getattr(sys, "_base_executable", None) or sys.executable
    if base != sys.executable and os.path.exists(base):
        probe = "import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) for m in sys.argv[1:]))"
        if subprocess.run([base, "-c", probe, *probe_modules], capture_output=True).returncode == 0:
            return [base]
    return [sys.executable]


class ChunkedCommandError(RuntimeError):
    """The command reported an error (or died); `messages` holds every message it sent with the failure."""

    def __init__(self, message, messages=(), returncode=None, stderr=""):
        super().__init__(message)
        self.messages = list(messages)
        self.returncode = returncode
        self.stderr = stderr


class ChunkedProtocolError(ChunkedCommandError):
    """The command's output is not a valid chunk (e.g. something printed to stdout)."""


def encode_mv(values):
    """`$a$;$b$` form of a multivalue, `$` inside a value doubled (as splunkd and splunklib do)."""
    return ";".join("$" + str(value).replace("$", "$$") + "$" for value in values)


_MV_ITEM = re.compile(r"\$((?:\$\$|[^$])*)\$(?:;|$)")


def decode_mv(text):
    """Inverse of encode_mv."""
    return [item.replace("$$", "$") for item in _MV_ITEM.findall(text)]


def _scalar_text(value):
    if isinstance(value, bool):
        raise TypeError("booleans are not field values")
    return value if isinstance(value, str) else str(value)


def encode_rows(rows):
    """CSV body for an execute chunk: plain columns in first-seen order, then their `__mv_` twins."""
    if not rows:
        return b""
    fields = list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO()
    # "\r\n" (splunklib's own CsvDialect) makes the writer quote values holding a lone "\r" too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields + [MV_PREFIX + name for name in fields])
    for row in rows:
        plain, multi = [], []
        for name in fields:
            value = row.get(name)
            if value is None or (isinstance(value, list) and not value):
                plain.append("")
                multi.append("")
            elif isinstance(value, list) and len(value) > 1:
                texts = [_scalar_text(v) for v in value]
                plain.append("\n".join(texts))
                multi.append(encode_mv(texts))
            else:
                plain.append(_scalar_text(value[0] if isinstance(value, list) else value))
                multi.append("")
        writer.writerow(plain + multi)
    return out.getvalue().encode("utf-8")


def decode_rows(body):
    """Rows (dicts of str or list[str]) from a command's CSV body; empty cells are absent fields."""
    if not body:
        return []
    reader = csv.reader(io.StringIO(body.decode("utf-8", errors="replace")))
    try:
        header = next(reader)
    except StopIteration:
        return []
    mv_index = {name[len(MV_PREFIX):]: i for i, name in enumerate(header) if name.startswith(MV_PREFIX)}
    plain = [(i, name, mv_index.get(name)) for i, name in enumerate(header) if not name.startswith(MV_PREFIX)]
    rows = []
    for values in reader:
        row = {}
        for i, name, j in plain:
            multi = values[j] if j is not None and j < len(values) else ""
            if multi:
                row[name] = decode_mv(multi)
            elif i < len(values) and values[i] != "":
                row[name] = values[i]
        rows.append(row)
    return rows


def _messages(metadata):
    inspector = metadata.get("inspector") or {}
    return [tuple(m) for m in inspector.get("messages", [])]


class ChunkedCommandProcess:
    """One run of a chunked custom search command, driven as splunkd drives it.

    `argv` is the command line splunkd would use (`[python, path/to/command.py]`). Use as a context manager,
    or call close(). `messages` accumulates every (type, text) message the command sent.
    """

    def __init__(self, argv, cwd=None, env=None):
        self.argv = list(argv)
        self.messages = []
        self.finished = False
        self._dispatch_dir = tempfile.mkdtemp(prefix="dispatch-")
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            cwd=cwd or self._dispatch_dir, env=env,
        )

    @property
    def returncode(self):
        return self._proc.poll()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def searchinfo(self, args=(), **overrides):
        """The `searchinfo` metadata splunkd sends with getinfo (no real session key: nothing to leak)."""
        args = [str(a) for a in args]
        command = os.path.splitext(os.path.basename(self.argv[-1]))[0]
        search = "| " + " ".join([command] + args)
        info = {
            "args": args, "raw_args": list(args), "dispatch_dir": self._dispatch_dir,
            "sid": "scheduler__admin__aws_cryptomining__test_at_1700000000_1", "app": "aws_cryptomining",
            "owner": "admin", "username": "admin", "session_key": "",
            "splunkd_uri": "https://127.0.0.1:8089", "splunkd_protocol": "https", "splunkd_host": "127.0.0.1",
            "splunkd_port": 8089, "splunk_version": "9.4.0", "earliest_time": "0", "latest_time": "0",
            "search": quote(search, safe=""), "command": command, "maxresultrows": 50000,
        }
        info.update(overrides)
        return info

    def getinfo(self, args_metadata=()):
        """Send getinfo; return the command's configuration metadata (type, required_fields, ...).

        `args_metadata` is the list of command arguments, or a dict merged over the default searchinfo.
        Raises ChunkedCommandError when the command rejects its arguments.
        """
        if isinstance(args_metadata, dict):
            overrides = dict(args_metadata)
            info = self.searchinfo(overrides.pop("args", ()), **overrides)
        else:
            info = self.searchinfo(args_metadata)
        metadata = {"action": "getinfo", "preview": False, "streaming_command_will_restart": False,
                    "searchinfo": info}
        reply, _ = self._round_trip(metadata, b"")
        return reply

    def execute(self, rows, finished):
        """Send one execute chunk of rows; return (metadata, rows) of the command's reply."""
        reply, body = self.execute_raw(encode_rows(rows), finished)
        return reply, decode_rows(body)

    def execute_raw(self, body, finished):
        """Send an already encoded CSV body; return (metadata, raw body bytes) (used by benchmarks)."""
        if self.finished:
            raise ChunkedCommandError("the command has already finished; no more chunks can be sent")
        reply, out = self._round_trip({"action": "execute", "finished": bool(finished)}, body)
        if finished or reply.get("finished"):
            self.finished = True
        return reply, out

    def _round_trip(self, metadata, body):
        meta = json.dumps(metadata).encode("utf-8")
        try:
            self._proc.stdin.write(b"chunked 1.0,%d,%d\n" % (len(meta), len(body)) + meta + body)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the command died; reading its reply reports why
        reply, out = self._read_chunk()
        messages = _messages(reply)
        self.messages.extend(messages)
        errors = [text for kind, text in messages if kind in ERROR_TYPES]
        if reply.get("error"):
            errors.append(str(reply["error"]))
        if errors:
            self.finished = True
            raise ChunkedCommandError("; ".join(errors), messages, self._wait_briefly(), self._stderr_text())
        return reply, out

    def _read_exact(self, size):
        data = self._proc.stdout.read(size) if size else b""
        if len(data) != size:
            self._fail("the command closed its output in the middle of a chunk")
        return data

    def _read_chunk(self):
        line = self._proc.stdout.readline()
        if not line:
            self._fail("the command exited without replying")
        match = HEADER.fullmatch(line)
        if match is None:
            raise ChunkedProtocolError(f"invalid chunk header from the command: {line[:200]!r}",
                                       returncode=self._wait_briefly(), stderr=self._stderr_text())
        meta_len, body_len = int(match.group(1)), int(match.group(2))
        raw_meta = self._read_exact(meta_len)
        body = self._read_exact(body_len)
        try:
            metadata = json.loads(raw_meta.decode("utf-8")) if raw_meta else {}
        except ValueError as error:
            raise ChunkedProtocolError(f"invalid chunk metadata from the command: {error}") from None
        return metadata, body

    def _fail(self, reason):
        code = self._wait_briefly()
        stderr = self._stderr_text()
        tail = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        detail = f" (exit code {code}{': ' + tail[0] if tail else ''})"
        raise ChunkedCommandError(reason + detail, self.messages, code, stderr)

    def _wait_briefly(self):
        try:
            return self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return None

    def _stderr_text(self):
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", errors="replace")

    def close(self):
        """Close stdin as splunkd does at the end of the search and reap the process."""
        if self._proc.stdin and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()
        self._stderr.close()
        shutil.rmtree(self._dispatch_dir, ignore_errors=True)
