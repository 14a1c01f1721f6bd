#!/usr/bin/env python3
"""Developer entry point: one command for the main job, one for the tests.

Only python3 (MIN_PYTHON or newer, checked first) is needed on the machine: the
first run creates `.venv/` with the pinned dependencies of requirements/dev.txt and
re-runs itself inside it, so the README's two commands work on a fresh clone.

    python3 dev.py main   # build + AppInspect the package, replay every detection on samples/
    python3 dev.py test   # the whole test suite (extra arguments go to pytest)
    python3 dev.py lint   # ruff, the Python 3.9 check of bin/, the import layers of splengine/replay
    python3 dev.py screenshots  # PNG + PDF of every dashboard drawn in Chromium (build/dashboards, docs/img)
"""
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
REQUIREMENTS = [ROOT / "requirements" / "dev.txt", ROOT / "requirements" / "vendor.txt"]
STAMP = VENV / ".requirements.sha256"
# The development side's minimum: the pinned duckdb and hypothesis need 3.11 (orjson, pytest, PyYAML 3.10), and
# replay/ and splengine/ use 3.10+ syntax. The shipped bin/ is checked for 3.9 separately (tools/check_py39.py).
MIN_PYTHON = (3, 11)


def python_too_old(version=None):
    """The message for an interpreter (default: this one) older than MIN_PYTHON, else None."""
    version = version or sys.version_info
    if tuple(version[:2]) >= MIN_PYTHON:
        return None
    wanted = ".".join(map(str, MIN_PYTHON))
    return ("dev.py: Python {} or newer is needed for development (the pinned duckdb and hypothesis require it); "
            "this is Python {}.{}. Run dev.py with a newer python3.".format(wanted, version[0], version[1]))


def _requirements_digest():
    digest = hashlib.sha256()
    for path in REQUIREMENTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv():
    """Create or refresh .venv when the pinned requirements changed."""
    wanted = _requirements_digest()
    if VENV_PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not VENV_PYTHON.exists():
        print("dev.py: creating .venv (first run installs the pinned dependencies)", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["install", "-r", str(REQUIREMENTS[0])], check=True)
    STAMP.write_text(wanted)


def _run(argv):
    return subprocess.call([str(VENV_PYTHON)] + argv, cwd=ROOT)


def main_job():
    status = _run(["package.py"])
    if status:
        return status
    # MaxMind's test databases (tests/data/geoip) stand in for GeoLite2 offline: they cover the synthetic
    # campaign's attacker IP; real responders pass their own GeoLite2 City/ASN files.
    geoip = ROOT / "tests" / "data" / "geoip"
    return _run(["hunt.py", "--baseline-days", "14", "--geoip-db", str(geoip / "GeoIP2-City-Test.mmdb"),
                 "--asn-db", str(geoip / "GeoLite2-ASN-Test.mmdb"), *map(str, _sample_logs())])


def _sample_logs():
    """samples/: the real datasets, and the synthetic campaign's log folders (not its ground_truth.json)."""
    campaign = ROOT / "samples" / "synthetic-campaign"
    real = [p for p in sorted((ROOT / "samples").iterdir()) if p.is_dir() and p != campaign]
    return real + [p for p in sorted(campaign.iterdir()) if p.is_dir()]


def lint():
    return (_run(["-m", "ruff", "check", "."]) or _run(["tools/check_py39.py"])
            or _run(["tools/check_layers.py"]))


def _browser_missing():
    """Why the dashboards' browser tests cannot run here, or None (tests/dashboards/browser_harness.py)."""
    sys.path.insert(0, str(ROOT))
    from tests.dashboards.browser_harness import missing

    return missing()


def tests(extra):
    missing = _browser_missing()
    if missing:  # one line; pytest skips them (fails them under CI=true)
        print(f"dev.py: browser dashboard tests will be skipped: {missing}", file=sys.stderr)
    return _run(["-m", "pytest"] + extra)


def screenshots():
    """Every dashboard drawn by the browser tests, saved: build/dashboards/*.png|pdf, small PNGs to docs/img."""
    missing = _browser_missing()
    if missing:
        print(f"dev.py: cannot draw the dashboards: {missing}", file=sys.stderr)
        return 2
    out = ROOT / "build" / "dashboards"
    env = dict(os.environ, DASHBOARD_SCREENSHOTS=str(out))
    status = subprocess.call([str(VENV_PYTHON), "-m", "pytest", "tests/dashboards/test_browser.py", "-q"],
                             cwd=ROOT, env=env)
    if status == 0:
        for small in sorted((out / "small").glob("*.png")):
            shutil.copyfile(small, ROOT / "docs" / "img" / small.name)
        print(f"dev.py: dashboards in {out}, README images in docs/img", file=sys.stderr)
    return status


def main(argv):
    if not argv or argv[0] not in ("main", "test", "lint", "screenshots"):
        print(__doc__, file=sys.stderr)
        return 2
    too_old = python_too_old()
    if too_old:
        print(too_old, file=sys.stderr)
        return 2
    ensure_venv()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    if argv[0] == "main":
        return main_job()
    if argv[0] == "lint":
        return lint()
    if argv[0] == "screenshots":
        return screenshots()
    return tests(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
