"""Events and KV_MODE=json search-time extraction.

An event is a dict with at least ``_raw`` and ``_time`` (plus ``_indextime``, ``index``, ``sourcetype``,
``source``, ``host`` and any fields the ingester extracted). When ``_raw`` is a JSON object its keys are
extracted like Splunk's KV_MODE=json / spath: nested keys joined with ``.``, array elements under
``name{}``, and a path reached several times (an array) becomes a multivalue field. Every extracted value
is a string (numbers keep their JSON text, true/false/null as those words).
"""
from __future__ import annotations

import orjson


def json_scalar_text(v) -> str:
    """A JSON scalar as Splunk extracts it: true/false/null as those words, numbers as their text."""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if type(v) is str:
        return v
    return str(v)


def flatten_json(obj, out: dict | None = None, prefix: str = "") -> dict:
    """Flatten parsed JSON into {path: value}; a path seen several times collects a list (multivalue)."""
    if out is None:
        out = {}
    if type(obj) is dict:
        for key, value in obj.items():
            path = f"{prefix}.{key}" if prefix else key
            _flatten_value(value, out, path)
    else:
        _flatten_value(obj, out, prefix)
    return out


def _flatten_value(value, out: dict, path: str) -> None:
    t = type(value)
    if t is dict:
        if value:
            flatten_json(value, out, path)
        return
    if t is list:
        inner = path + "{}"
        for item in value:
            _flatten_value(item, out, inner)
        return
    s = json_scalar_text(value)
    have = out.get(path)
    if have is None:
        out[path] = s
    elif type(have) is list:
        have.append(s)
    else:
        out[path] = [have, s]


def parse_json_raw(raw) -> dict | None:
    """The JSON object in ``_raw``, or None when ``_raw`` is not a JSON object."""
    if type(raw) is not str or not raw or raw[0] != "{":
        stripped = raw.lstrip() if type(raw) is str else ""
        if not stripped.startswith("{"):
            return None
        raw = stripped
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return obj if type(obj) is dict else None


class ExtractedEvent(dict):
    """An event whose search-time fields an event store already extracted (it parsed ``_raw`` once, at
    ingest): ``extract`` copies it instead of parsing ``_raw`` again."""


def extract(event: dict) -> dict:
    """A new row: the event's fields plus its JSON fields (fields already on the event win)."""
    if type(event) is ExtractedEvent:
        return dict(event)
    obj = parse_json_raw(event.get("_raw"))
    if obj is None:
        return dict(event)
    row = flatten_json(obj)
    row.update(event)
    return row
