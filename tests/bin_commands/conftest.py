"""Run the app's commands as splunkd does: `python bin/<command>.py` under Splunk's own interpreters (the
`splunk_python` fixture: 3.9 and 3.13, no packages, so only the vendored bin/lib is importable), SCP v2 over
pipes, records in CSV chunks."""
import shutil
from pathlib import Path

import pytest

from splengine.chunked import ChunkedCommandProcess

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT_BIN = Path(__file__).resolve().parent.parent.parent / "bin"


def command_argv(python, app_dir, name):
    """python: the `splunk_python` fixture's argv prefix."""
    return python + [str(Path(app_dir) / "bin" / f"{name}.py")]


def run_command(python, app_dir, name, args, rows, chunk_size=1000, env=None):
    """All output rows of one command run over rows sent in chunks; also returns the messages sent."""
    out = []
    with ChunkedCommandProcess(command_argv(python, app_dir, name), env=env) as proc:
        proc.getinfo(list(args))
        chunks = [rows[i:i + chunk_size] for i in range(0, len(rows), chunk_size)] or [[]]
        for i, chunk in enumerate(chunks):
            _, result = proc.execute(chunk, finished=i == len(chunks) - 1)
            out.extend(result)
    assert proc.returncode == 0, proc.messages
    return out, proc.messages


@pytest.fixture(scope="module")
def app_copy(staged_app, tmp_path_factory):
    """A private copy of the staged app that a test module may change (local lookups, settings)."""
    target = tmp_path_factory.mktemp("app") / staged_app.name
    shutil.copytree(staged_app, target)
    return target


def flatten(obj, prefix=""):
    """JSON event -> Splunk-style fields (`a.b`, `list{}.key`; lists of scalars become multivalues)."""
    out = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.update(flatten(value, f"{prefix}{key}" if not prefix else f"{prefix}.{key}"))
    elif isinstance(obj, list):
        merged = {}
        for item in obj:
            for key, value in flatten(item, prefix + "{}").items():
                merged.setdefault(key, []).extend(value if isinstance(value, list) else [value])
        out.update({k: v[0] if len(v) == 1 else v for k, v in merged.items()})
    elif obj is not None:
        out[prefix] = obj if isinstance(obj, str) else str(obj).lower() if isinstance(obj, bool) else str(obj)
    return out


def ndjson_records(path):
    import json

    return [flatten(json.loads(line)) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


V2_FIELDS = ("version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes start end "
             "action log_status").split()


def vpcflow_v2_records(path):
    """Default-format (v2) flow-log lines as the TA's fields; `-` is an absent value, header lines skipped."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != len(V2_FIELDS) or parts[0] == "version":
            continue
        rows.append({k: v for k, v in zip(V2_FIELDS, parts) if v != "-"})
    return rows
