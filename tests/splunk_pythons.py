"""The interpreters Splunk runs this app's bin/ code with, isolated the way splunkd runs them.

Splunk 9.4 runs app scripts under Python 3.9 and Splunk 10.x under 3.9 or 3.13 (docs/platform.md), so every
test that runs bin/ code as a process runs under both (the `splunk_python` fixture in tests/conftest.py),
never under the venv's interpreter, which no Splunk ships. Each runs from a venv without packages: site
enabled (splunklib needs its `exit` builtin) but nothing importable beyond the standard library, so the
app's vendored bin/lib must satisfy every import, as on a Splunk server.

A missing interpreter is a test failure, never a skip or a fallback. pyenv's shims answer "command not
found" for versions that are installed but not selected, so pyenv's versions folder is searched as well.
`python3 tests/splunk_pythons.py` checks that both exist (run by .ci/run before the tests).
"""
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

SPLUNK_PYTHONS = ("3.9", "3.13")
VERSION_PROBE = "import sys; print('%d.%d' % sys.version_info[:2])"


class MissingInterpreter(RuntimeError):
    pass


def _reports(candidate, version):
    try:
        proc = subprocess.run([candidate, "-c", VERSION_PROBE], capture_output=True, text=True, timeout=30)
    except OSError:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == version


def _candidates(version):
    on_path = shutil.which(f"python{version}")
    if on_path:
        yield on_path
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    yield from sorted(glob.glob(os.path.join(pyenv_root, "versions", f"{version}.*", "bin", f"python{version}")),
                      reverse=True)


def find_interpreter(version):
    """Path of an interpreter that really is Python <version>; MissingInterpreter names where it looked."""
    tried = []
    for candidate in _candidates(version):
        if _reports(candidate, version):
            return candidate
        tried.append(candidate)
    raise MissingInterpreter(
        f"python{version} not found (tried {tried or 'nothing'} and $PYENV_ROOT/versions/{version}.*): the bin/ "
        f"tests need Splunk's interpreters {', '.join(SPLUNK_PYTHONS)}; install python{version}")


def isolated_python(version, directory):
    """Interpreter path of a package-free venv of Python <version> created in directory."""
    base = find_interpreter(version)
    directory = Path(directory)
    subprocess.run([base, "-m", "venv", "--without-pip", str(directory)], check=True, capture_output=True)
    python = directory / "bin" / "python"
    if not _reports(str(python), version):
        raise MissingInterpreter(f"the venv of {base} in {directory} does not run Python {version}")
    return python


def main():
    missing = []
    for version in SPLUNK_PYTHONS:
        try:
            print(f"Python {version}: {find_interpreter(version)}")
        except MissingInterpreter as exc:
            missing.append(str(exc))
    for message in missing:
        print(message, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
