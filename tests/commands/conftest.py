"""Run the app's commands as splunkd does: `python -S bin/<command>.py` (no site-packages, so only the
vendored bin/lib is importable), SCP v2 over pipes, records in CSV chunks."""
import shutil
import sys
from pathlib import Path

import pytest

from splengine.chunked import ChunkedCommandProcess

DATA = Path(__file__).resolve().parent.parent / "data"


def command_argv(app_dir, name):
    return [sys.executable, "-S", str(Path(app_dir) / "bin" / f"{name}.py")]


def run_command(app_dir, name, args, rows, chunk_size=1000):
    """All output rows of one command run over rows sent in chunks; also returns the messages sent."""
    out = []
    with ChunkedCommandProcess(command_argv(app_dir, name)) as proc:
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
