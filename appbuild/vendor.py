"""Vendor the pure-Python runtime libraries (requirements/vendor.txt) into the app's bin/lib.

pip installs them once per requirements digest into build/vendor-<digest>/ (a cache shared by package.py
and the tests); native extension modules are removed (maxminddb then uses its pure-Python reader, as the
app must on any Splunk platform), console scripts and caches are dropped, dist-info is kept because some
libraries read their own metadata and it carries their licences.

Every vendored library's Requires-Python must admit the oldest interpreter Splunk runs the app with: the
`python.version` of the app's scripts (commands.conf, alert_actions.conf), python3.9 on every supported
version (docs/platform.md). pip's --target install does not check this against Splunk's interpreter.
"""
import configparser
import hashlib
import os
import re
import shutil
import subprocess
import sys
from email.parser import HeaderParser
from pathlib import Path

from packaging.specifiers import SpecifierSet

from appbuild.layout import ROOT

REQUIREMENTS = ROOT / "requirements" / "vendor.txt"
CACHE_ROOT = ROOT / "build"
NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


def _digest():
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def _prune(target: Path):
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_dir() and path.name == "__pycache__":
            shutil.rmtree(path)
        elif path.is_file() and (path.name.endswith(NATIVE_SUFFIXES) or path.suffix in (".pyc", ".pyo")):
            path.unlink()
    for metadata in target.glob("*.dist-info/METADATA"):
        _drop_long_description(metadata)
    scripts = target / "bin"
    if scripts.is_dir():
        shutil.rmtree(scripts)


def _drop_long_description(metadata: Path):
    """Keep the METADATA headers (name, version, licence), drop the README body after the blank line.

    The body is the project's README, whose example IPs and hosts AppInspect flags in shipped files.
    """
    text = metadata.read_text(encoding="utf-8")
    headers = text.split("\n\n", 1)[0]
    metadata.write_text(headers + "\n", encoding="utf-8")


class VendorError(RuntimeError):
    pass


def app_python_version(root=ROOT) -> str:
    """The one interpreter version ("3.9") the app's scripts declare in python.version; refuses a mix."""
    versions = {}
    for name in ("commands.conf", "alert_actions.conf"):
        parser = configparser.RawConfigParser(strict=False, interpolation=None)
        parser.read(root / "default" / name, encoding="utf-8")
        for stanza in parser.sections():
            value = parser.get(stanza, "python.version", fallback=None)
            if value is not None:
                versions[f"{name} [{stanza}]"] = value
    found = set(versions.values())
    if len(found) != 1 or not re.fullmatch(r"python3\.\d+", next(iter(found))):
        raise VendorError(f"python.version must name one python3.N interpreter for every script: {versions}")
    return next(iter(found))[len("python"):]


def check_requires_python(target: Path, python_version: str):
    """VendorError naming each vendored distribution whose Requires-Python excludes python_version."""
    refused = []
    for metadata in sorted(target.glob("*.dist-info/METADATA")):
        headers = HeaderParser().parsestr(metadata.read_text(encoding="utf-8"))
        required = headers.get("Requires-Python")
        if required and not SpecifierSet(required).contains(python_version):
            refused.append(f"{headers.get('Name')} {headers.get('Version')} (Requires-Python {required})")
    if refused:
        raise VendorError(f"vendored libraries that cannot run on Python {python_version}, the oldest interpreter "
                          f"Splunk uses for this app: {', '.join(refused)}; pin versions that support it in "
                          f"requirements/vendor.txt")


def vendored_libs() -> Path:
    """Path of the cached vendored tree for the current pins, installing it when missing."""
    target = CACHE_ROOT / f"vendor-{_digest()}"
    if (target / ".complete").exists():
        return target
    if target.exists():
        shutil.rmtree(target)
    env = dict(os.environ, MAXMINDDB_PURE_PYTHON="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
         "--target", str(target), "-r", str(REQUIREMENTS)],
        check=True, env=env,
    )
    _prune(target)
    (target / ".complete").write_text(_digest())
    return target


def copy_into(lib_dir: Path):
    """Copy the vendored libraries into lib_dir (the staged app's bin/lib)."""
    source = vendored_libs()
    check_requires_python(source, app_python_version())
    shutil.copytree(source, lib_dir, ignore=shutil.ignore_patterns(".complete"), dirs_exist_ok=True)
