"""The engine's rows for the browser tests, kept on disk between runs under a digest of everything they depend on.

The stand-in splunkd asks the engine for the same few hundred searches on every run; they cost most of the run's
CPU. An entry is keyed by the search itself (SPL, time range, base job), so the digest covers what decides a
search's answer: the engine and replay code, the app (conf, macros, lookups, bin, saved searches), the samples and
test data, and the test code that indexes the events, builds the engine's baselines and runs the searches. A change
to any of those files gives another digest and the engine computes again; a dashboard's own change gives other
searches (its views are left out of the digest). The rows are the engine's, never edited: JSON keeps str, int,
float and lists as they are.
"""
from __future__ import annotations

import hashlib
import json
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ("splengine", "replay", "appbuild", "bin", "default", "lookups", "savedsearches", "samples", "tests/data",
          "requirements", "tests/conftest.py", "tests/dashboards/conftest.py", "tests/dashboards/splunkd.py",
          "tests/dashboards/row_cache.py")
SKIP = ("__pycache__", "views")   # default/data/ui/views: the dashboards (their searches are the keys)
CACHE_DIR = ROOT / "build" / "dashboard-rows"


def digest(root: Path = ROOT) -> str:
    """sha256 over the path and content of every input file, and the Python version."""
    h = hashlib.sha256(sys.version.encode())
    for name in INPUTS:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            rel = path.relative_to(root)
            if any(part in SKIP for part in rel.parts):
                continue
            h.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


class RowCache:
    """key (a JSON-able tuple) -> rows, or an error message; loaded from and saved to CACHE_DIR/<digest>.json
    (in memory only without a digest)."""

    def __init__(self, key: str | None = None, directory: Path = CACHE_DIR):
        self.path = directory / f"{key}.json" if key else None
        self.entries: dict[str, dict] = {}
        self.added = 0
        self._lock = threading.Lock()
        if self.path and self.path.exists():
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))

    def get(self, key: tuple) -> dict | None:
        """{"rows": [...]} or {"error": "..."}, None when not computed yet."""
        return self.entries.get(json.dumps(key))

    def put(self, key: tuple, entry: dict) -> None:
        with self._lock:
            self.entries[json.dumps(key)] = entry
            self.added += 1

    def save(self) -> None:
        """Writes the file when something was added; older digests' files are removed (their inputs are gone)."""
        if not self.added or not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for old in self.path.parent.glob("*.json"):
            if old != self.path:
                old.unlink()
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries), encoding="utf-8")
        tmp.replace(self.path)
