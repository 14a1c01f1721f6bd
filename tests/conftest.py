"""Shared fixtures: the app staged exactly as it ships (with vendored libraries)."""
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.splunk_pythons import SPLUNK_PYTHONS, MissingInterpreter, isolated_python  # noqa: E402


@pytest.fixture(scope="session")
def staged_app(tmp_path_factory):
    """Directory of the staged aws_cryptomining app: shipped files + generated conf + bin/lib vendored libs."""
    from appbuild.staging import stage

    return stage(tmp_path_factory.mktemp("staged"))


@pytest.fixture(scope="session")
def kv_capped_app(staged_app, tmp_path_factory):
    """cap -> a copy of the staged app whose KV store reads stop at `cap` rows, set as an admin would: limits.conf
    [kvstore] max_rows_per_query in local/limits.conf (as the engine reads it) and the app's
    aws_cryptomining_kvstore_max_rows macro saying so in local/macros.conf. One copy per cap per session."""
    copies = {}

    def make(cap):
        if cap not in copies:
            target = tmp_path_factory.mktemp(f"kvcap{cap}") / staged_app.name
            shutil.copytree(staged_app, target)
            (target / "local").mkdir(exist_ok=True)
            (target / "local" / "limits.conf").write_text(f"[kvstore]\nmax_rows_per_query = {cap}\n")
            (target / "local" / "macros.conf").write_text(f"[aws_cryptomining_kvstore_max_rows]\ndefinition = {cap}\n")
            copies[cap] = target
        return copies[cap]
    return make


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session", params=SPLUNK_PYTHONS, ids=lambda version: f"py{version}")
def splunk_python(request, tmp_path_factory):
    """argv prefix that runs a bin/ script under one of Splunk's interpreters (3.9, 3.13) with no packages
    but the app's own vendored bin/lib; every test that requests it runs once per interpreter."""
    try:
        return [str(isolated_python(request.param, tmp_path_factory.mktemp(f"python{request.param}")))]
    except MissingInterpreter as exc:
        pytest.fail(str(exc), pytrace=False)
