"""Read Splunk .conf files with default/ + local/ layering.

A small reader rather than configparser: Splunk keys are case-sensitive, values may contain ';', ':'
and '%' (SPL does), and a trailing backslash continues a value on the next line keeping the newline.
"""
from __future__ import annotations

from pathlib import Path

from .errors import SplError


def parse_conf(text: str, source: str = "<conf>") -> dict[str, dict[str, str]]:
    """Parse .conf text into {stanza: {key: value}}; settings before any stanza go to "default"."""
    stanzas: dict[str, dict[str, str]] = {}
    current = stanzas.setdefault("default", {})
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stanzas.setdefault(stripped[1:-1], {})
            continue
        if "=" not in stripped:
            raise SplError(f"{source}:{i}: expected 'key = value' or '[stanza]', got '{stripped[:60]}'")
        key, value = stripped.split("=", 1)
        value = value.strip()
        while value.endswith("\\") and i < len(lines):
            value = value[:-1] + "\n" + lines[i].strip()
            i += 1
        current[key.strip()] = value
    return stanzas


def read_layered(app_dir: str | Path, name: str) -> dict[str, dict[str, str]]:
    """default/<name> overlaid key by key with local/<name>, as Splunk merges an app's configuration."""
    merged: dict[str, dict[str, str]] = {}
    for layer in ("default", "local"):
        path = Path(app_dir) / layer / name
        if path.is_file():
            for stanza, settings in parse_conf(path.read_text(encoding="utf-8"), str(path)).items():
                merged.setdefault(stanza, {}).update(settings)
    return merged
