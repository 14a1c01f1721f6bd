"""The browser side of the dashboard tests: is it installed, build the harness bundle, run a plan in Chromium.

tests/dashboards/browser/ holds the pinned npm project (Splunk's dashboard framework, React, esbuild, playwright-core);
`npm ci` there installs it, `node build.mjs` bundles harness.jsx, `node run.mjs plan report` drives Chromium.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HARNESS = Path(__file__).resolve().parent / "browser"
DIST = HARNESS / "dist"
ENABLE = ("apt-get install -y chromium nodejs npm && npm ci --prefix tests/dashboards/browser "
          "(CHROMIUM=/path/to/chromium for another build)")


def chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def missing() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    lacking = [name for name, ok in (("Chromium", chromium()), ("Node.js", shutil.which("node")),
                                     ("tests/dashboards/browser/node_modules", (HARNESS / "node_modules").is_dir()))
               if not ok]
    return f"{', '.join(lacking)} missing; to run them: {ENABLE}" if lacking else None


def build() -> Path:
    """dist/harness.js, rebuilt when the harness source or the installed packages are newer."""
    bundle = DIST / "harness.js"
    sources = [HARNESS / "harness.jsx", HARNESS / "build.mjs", HARNESS / "node_modules" / ".package-lock.json"]
    if not bundle.exists() or bundle.stat().st_mtime < max(p.stat().st_mtime for p in sources if p.exists()):
        subprocess.run(["node", "build.mjs"], cwd=HARNESS, check=True)
    return DIST


def run(base: str, jobs: list[dict], timeout: float = 1200) -> dict[str, list[dict]]:
    """Run the jobs in one Chromium; job id -> its snapshots (see run.mjs)."""
    with tempfile.TemporaryDirectory(prefix="dash-browser-") as tmp:
        plan, report = Path(tmp) / "plan.json", Path(tmp) / "report.json"
        plan.write_text(json.dumps({"base": base, "chromium": chromium(), "jobs": jobs}), encoding="utf-8")
        verbose = bool(os.environ.get("HARNESS_VERBOSE"))   # run.mjs's timings to this process's stderr
        done = subprocess.run(["node", "run.mjs", str(plan), str(report)], cwd=HARNESS, stdout=subprocess.PIPE,
                              stderr=None if verbose else subprocess.PIPE, text=True, timeout=timeout)
        if done.returncode or not report.exists():
            raise RuntimeError(f"run.mjs failed ({done.returncode}):\n{done.stdout[-3000:]}\n{(done.stderr or '')[-3000:]}")
        return {job["id"]: job["snapshots"] for job in json.loads(report.read_text(encoding="utf-8"))["jobs"]}
