"""Shared fixtures: the app staged exactly as it ships (with vendored libraries)."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def staged_app(tmp_path_factory):
    """Directory of the staged aws_cryptomining app: shipped files + generated conf + bin/lib vendored libs."""
    from appbuild.staging import stage

    return stage(tmp_path_factory.mktemp("staged"))


@pytest.fixture(scope="session")
def repo_root():
    return ROOT
