"""Read Splunk .conf files with default/ + local/ layering, and Splunk's booleans: the one reader of the
development side (engine, replay, build); bin/ keeps its own, being shipped.

A small reader rather than configparser or addonfactory-splunk-conf-parser-lib's TABConfigParser: Splunk keys
are case-sensitive, values may contain ';', ':' and '%' (SPL does; TABConfigParser cuts a value at " ;"),
settings before the first stanza belong to [default] (TABConfigParser drops them), and a trailing backslash
continues a value on the next line keeping the newline.
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


def read_conf(path: str | Path) -> dict[str, dict[str, str]]:
    """One .conf file as {stanza: {key: value}}."""
    return parse_conf(Path(path).read_text(encoding="utf-8"), str(path))


def with_defaults(stanzas: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Every stanza but [default], with the [default] settings it does not set itself (Splunk's inheritance)."""
    defaults = stanzas.get("default", {})
    return {name: {**defaults, **values} for name, values in stanzas.items() if name != "default"}


def read_layered(app_dir: str | Path, name: str) -> dict[str, dict[str, str]]:
    """default/<name> overlaid key by key with local/<name>, as Splunk merges an app's configuration."""
    merged: dict[str, dict[str, str]] = {}
    for layer in ("default", "local"):
        path = Path(app_dir) / layer / name
        if path.is_file():
            for stanza, settings in read_conf(path).items():
                merged.setdefault(stanza, {}).update(settings)
    return merged


TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "off"})


def conf_bool(value) -> bool | None:
    """A Splunk boolean (any case, surrounding spaces ignored): True, False, or None for any other text. The
    words are those of Splunk's own reader (splunk.util.normalizeBoolean); callers raise their own error."""
    low = str(value).strip().lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    return None
