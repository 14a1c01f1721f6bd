"""Check .conf keys against Splunk .conf.spec files the way btool's "Invalid key" check does.

A spec declares stanzas (`[install]`, or templates such as `[<stanza name>]`) and the settings valid in them
(`name = <type>`, where `<...>` in a name matches any text, e.g. `action.<action_name>.<parameter>`).
Settings before the first stanza (or in `[default]`) are valid in every stanza. A conf stanza takes the
settings of the literal spec stanza of its name, else of every template it matches, plus the global ones.
The app's own README/<name>.conf.spec files extend Splunk's, as they do in Splunk.
"""
import re
from pathlib import Path

from splengine.conf import parse_conf

STANZA = re.compile(r"^\[(?P<name>[^\]]*)\]\s*$")
SETTING = re.compile(r"^(?P<name>[A-Za-z0-9_<][^=\s]*)\s*=")
GLOBAL = "default"


def _pattern(name):
    """Regex for a spec name: each `<placeholder>` matches one or more characters, the rest literally."""
    parts = re.split(r"<[^>]*>", name)
    return re.compile("^" + ".+".join(re.escape(part) for part in parts) + "$")


class Spec:
    """The stanzas and settings one or more .conf.spec files declare for one conf file."""

    def __init__(self, texts):
        self.literal = {}    # stanza name -> list of setting patterns
        self.templates = []  # (stanza pattern, list of setting patterns)
        for text in texts:
            stanza = GLOBAL
            for line in text.splitlines():
                header = STANZA.match(line)
                if header:
                    stanza = header.group("name").strip()
                    continue
                setting = SETTING.match(line)
                if setting:
                    self._settings(stanza).append(_pattern(setting.group("name")))

    def _settings(self, stanza):
        if "<" in stanza:
            for pattern, settings in self.templates:
                if pattern.pattern == _pattern(stanza).pattern:
                    return settings
            self.templates.append((_pattern(stanza), []))
            return self.templates[-1][1]
        return self.literal.setdefault(stanza, [])

    def settings_for(self, stanza):
        """Setting patterns valid in a conf stanza, or None when the spec has no stanza for it."""
        globals_ = self.literal.get(GLOBAL, [])
        if stanza == GLOBAL:
            return globals_
        if stanza in self.literal:
            return self.literal[stanza] + globals_
        matched = [settings for pattern, settings in self.templates if pattern.match(stanza)]
        if not matched and not globals_:
            return None
        return [p for settings in matched for p in settings] + globals_


def invalid_keys(conf_path, spec):
    """'file: [stanza] key' for every setting (or stanza) of conf_path that spec does not declare."""
    problems = []
    for stanza, settings in parse_conf(Path(conf_path).read_text(encoding="utf-8"), str(conf_path)).items():
        valid = spec.settings_for(stanza)
        if valid is None:
            if settings:
                problems.append(f"{conf_path.name}: stanza [{stanza}] is not in the spec")
            continue
        problems += [f"{conf_path.name}: [{stanza}] {key}" for key in settings
                     if not any(pattern.match(key) for pattern in valid)]
    return problems


def load_spec(paths):
    return Spec([Path(p).read_text(encoding="utf-8") for p in paths])
