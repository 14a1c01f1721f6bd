"""What the app is made of: its id, version source, and which repo paths ship in the package."""
from pathlib import Path

from splengine.conf import read_conf

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "aws_cryptomining"

# Top-level repo entries that form the Splunk app; everything else (engine, tests, tools...) stays out.
SHIPPED = ("app.manifest", "default", "metadata", "bin", "lookups", "appserver", "README", "LICENSE", "NOTICE", "README.md")

# Never ship these, wherever they appear under a shipped directory.
EXCLUDED_NAMES = {"__pycache__", ".DS_Store", "local", "local.meta"}
EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".swp", ".orig", ".rej")


def app_version(root=ROOT):
    """The single version source: default/app.conf [id] version."""
    return read_conf(root / "default" / "app.conf")["id"]["version"]


def is_excluded(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name in EXCLUDED_NAMES or name.endswith(EXCLUDED_SUFFIXES)


def shipped_files(root=ROOT):
    """Yield (absolute path, path relative to the app root) for every file that ships, sorted."""
    for entry in SHIPPED:
        top = root / entry
        if top.is_file():
            yield top, Path(entry)
        elif top.is_dir():
            for path in sorted(top.rglob("*")):
                rel = path.relative_to(root)
                if any(is_excluded(Path(part)) for part in rel.parts):
                    continue
                if path.is_file():
                    yield path, rel
