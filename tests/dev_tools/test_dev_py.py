"""dev.py states and checks the development side's real minimum Python (CI runs everything through dev.py)."""
import sys
from pathlib import Path

import dev

ROOT = Path(__file__).resolve().parents[2]


def test_minimum_is_what_the_pinned_tools_need():
    assert dev.MIN_PYTHON == (3, 11)
    assert dev.python_too_old((3, 11, 0)) is None and dev.python_too_old((3, 13, 1)) is None
    message = dev.python_too_old((3, 10, 13))
    assert message.startswith("dev.py: Python 3.11 or newer is needed for development")
    assert "this is Python 3.10" in message
    assert "`python3` (3.11 or newer, which `dev.py` checks first" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_an_older_interpreter_is_refused_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 9, 18, "final", 0))
    monkeypatch.setattr(dev, "ensure_venv", lambda: (_ for _ in ()).throw(AssertionError("venv touched")))
    assert dev.main(["lint"]) == 2
