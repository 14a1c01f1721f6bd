"""JSON functions: json_object, json_array, json, json_append, json_array_to_mv, json_delete, json_entries,
json_extend, json_extract, json_extract_exact, json_has_key_exact, json_keys, json_set, json_set_exact, json_valid;
mv_to_json_array (a multivalue eval function that builds JSON); toarray, tomv, toobject (the 10.0 Conversion
functions page's conversions to and from JSON).

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/json-functions
A JSON value is compact JSON text (``{"name":"maria"}``, the pages' json_extract results) held as a
:class:`JsonText`, so that a JSON value passed to another JSON function (``json_object("name",
json_array("maria", "arun"))``) nests as JSON instead of becoming a quoted string. Paths: keys joined
with ``.``, ``{N}`` indexes an array, ``{}`` stands for every element of an array (a non-array value
stands for itself). Choices where the page is silent are listed in splengine/SEMANTICS.md.
"""
from __future__ import annotations

import json
import re

from splengine.errors import SplError, SplUnsupportedError
from splengine.values import Measured, make_mv, to_str

from ..registry import register, scalar


class JsonText(str):
    """Text produced by a JSON function: embedded as JSON (not as a string) by the other JSON functions."""
    __slots__ = ()


def _dump(value) -> JsonText:
    return JsonText(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _to_json(v):
    """An eval value as a JSON value: JSON text nests, a multivalue field is an array, null is null."""
    if v is None:
        return None
    if isinstance(v, JsonText):
        return json.loads(v)
    if isinstance(v, bool):
        return v
    if isinstance(v, list):
        return [_to_json(x) for x in v]
    if type(v) is Measured:
        return float(v)
    if isinstance(v, (int, float, str)):
        return v
    return to_str(v)


def _from_json(v):
    """A JSON value as an eval value ("the Splunk software native type"): objects and arrays stay JSON text."""
    if isinstance(v, (dict, list)):
        return _dump(v)
    return v


def _parse(text):
    if text is None or isinstance(text, list):
        return _NOT_JSON
    if isinstance(text, bool) or isinstance(text, (int, float)):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return _NOT_JSON


_NOT_JSON = object()
_SEGMENT = re.compile(r"([^.{}]*)((?:\{\d*\})*)")


def _path(path: str) -> list:
    """``a.b{2}.c{}`` -> ["a", "b", 2, "c", None] (None: every element)."""
    steps: list = []
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if m is None:
            raise SplError(f"invalid JSON path {path!r}")
        if m.group(1):
            steps.append(m.group(1))
        for index in re.findall(r"\{(\d*)\}", m.group(2)):
            steps.append(int(index) if index else None)
    return steps


def _select(value, steps):
    """The values a path selects and whether it fans out (``{}``); a step that does not fit selects nothing."""
    current, fanned = [value], False
    for step in steps:
        out = []
        for v in current:
            if step is None:
                if isinstance(v, list):
                    out.extend(v)
                    fanned = True
                else:
                    out.append(v)
            elif isinstance(step, int):
                if isinstance(v, list) and step < len(v):
                    out.append(v[step])
            elif isinstance(v, dict) and step in v:
                out.append(v[step])
        current = out
    return current, fanned


@scalar("json_object", min_args=0, max_args=None)
def _json_object(*members):
    if len(members) % 2:
        raise SplError("json_object() takes key-value pairs: an even number of arguments")
    obj = {}
    for key, value in zip(members[::2], members[1::2]):
        if not isinstance(key, str):
            raise SplError("json_object(): a key must be a string")
        obj[key] = _to_json(value)
    return _dump(obj)


@scalar("json_array", min_args=0, max_args=None)
def _json_array(*values):
    return _dump([_to_json(v) for v in values])


@scalar("json", min_args=1, max_args=1)
def _json(value):
    """The value when it is JSON, else null."""
    parsed = _parse(value)
    return None if parsed is _NOT_JSON else _dump(parsed)


@scalar("json_valid", min_args=1, max_args=1)
def _json_valid(value):
    return _parse(value) is not _NOT_JSON


@scalar("json_keys", min_args=1, max_args=1)
def _json_keys(value):
    """The keys of a JSON object as a JSON array ("cannot be used on JSON arrays": null for anything else), written
    with a blank after each comma as the page's results show (["name", "length", "city", "country"])."""
    parsed = _parse(value)
    if not isinstance(parsed, dict):
        return None
    return JsonText(json.dumps(list(parsed), separators=(", ", ":"), ensure_ascii=False))


@scalar("json_extract", min_args=1, max_args=None)
def _json_extract(value, *paths):
    parsed = _parse(value)
    if parsed is _NOT_JSON:
        return None
    if not paths:
        return _from_json(parsed)
    results = []
    for path in paths:
        found, fanned = _select(parsed, _path(to_str(path) or ""))
        results.append(found if fanned else (found[0] if found else None))
    if len(paths) == 1:
        return _from_json(results[0])
    return _dump(results)


def _set(node, steps, value):
    """Set ``value`` at ``steps`` under ``node`` in place: missing keys are created, a mismatch is skipped."""
    step, rest = steps[0], steps[1:]
    if step is None or isinstance(step, int):
        if not isinstance(node, list):
            return
        targets = range(len(node)) if step is None else ([step] if step < len(node) else [])
        for i in targets:
            if rest:
                _set(node[i], rest, value)
            else:
                node[i] = value
        return
    if not isinstance(node, dict):
        return
    if not rest:
        node[step] = value
        return
    if step not in node:
        node[step] = {} if isinstance(rest[0], str) else []
    _set(node[step], rest, value)


@scalar("json_set", min_args=3, max_args=None)
def _json_set(value, *pairs):
    if len(pairs) % 2:
        raise SplError("json_set() takes a JSON value and path-value pairs")
    parsed = _parse(value)
    if parsed is _NOT_JSON:
        return None
    for path, new in zip(pairs[::2], pairs[1::2]):
        _set(parsed, _path(to_str(path) or ""), _to_json(new))
    return _dump(parsed)


def _node(document, path):
    """The single value ``path`` designates in ``document`` (no ``{}`` fan-out), or _NOT_JSON."""
    found, fanned = _select(document, _path(to_str(path) or ""))
    return found[0] if found and not fanned else _NOT_JSON


def _add_to_arrays(name, document, pairs, flatten):
    """json_append/json_extend: each pair updates the document in turn; a value that is not an array is wrapped
    in one first; a path that designates nothing is ignored."""
    if len(pairs) % 2:
        raise SplError(f"{name}() takes a JSON document and path-value pairs")
    parsed = _parse(document)
    if not isinstance(parsed, (dict, list)):
        return None
    for path, value in zip(pairs[::2], pairs[1::2]):
        new = _to_json(value)
        if flatten and not isinstance(new, list):
            continue                       # "The <value> must be an array"
        steps = _path(to_str(path) or "")
        target = _node(parsed, path)
        if target is _NOT_JSON or not steps:
            continue
        items = target if isinstance(target, list) else [target]
        items = items + (new if flatten else [new])
        _set(parsed, steps, items)
    return _dump(parsed)


@scalar("json_append", min_args=3, max_args=None)
def _json_append(document, *pairs):
    return _add_to_arrays("json_append", document, pairs, flatten=False)


@scalar("json_extend", min_args=3, max_args=None)
def _json_extend(document, *pairs):
    return _add_to_arrays("json_extend", document, pairs, flatten=True)


@scalar("json_array_to_mv", min_args=1, max_args=2)
def _json_array_to_mv(array, keep_quotes=False):
    """The array's elements as a multivalue field; strings lose their quotes unless ``keep_quotes`` is true."""
    parsed = _parse(array)
    if not isinstance(parsed, list):
        return None
    out = []
    for v in parsed:
        if isinstance(v, str):
            out.append(json.dumps(v, ensure_ascii=False) if keep_quotes is True else v)
        elif v is not None:
            out.append(_dump(v) if isinstance(v, (dict, list, bool)) else v)
    return make_mv(out)


@scalar("json_delete", min_args=2, max_args=None)
def _json_delete(document, *keys):
    """A copy of the object without the keys (``a.b`` is a nested key; a JSON array of keys is a list of keys)."""
    parsed = _parse(document)
    if not isinstance(parsed, dict):
        return None
    names = []
    for key in keys:
        listed = _parse(key) if isinstance(key, JsonText) else _NOT_JSON
        names.extend(listed if isinstance(listed, list) else [key])
    for name in names:
        *parents, last = (to_str(name) or "").split(".")
        node = parsed
        for p in parents:
            node = node.get(p) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    return _dump(parsed)


@scalar("json_entries", min_args=1, max_args=1)
def _json_entries(document):
    parsed = _parse(document)
    if not isinstance(parsed, dict):
        return None
    return _dump([{"key": k, "value": v} for k, v in parsed.items()])


@scalar("json_extract_exact", min_args=1, max_args=None)
def _json_extract_exact(document, *keys):
    """Like json_extract with each key taken literally (``system.splunk.path`` is one key)."""
    parsed = _parse(document)
    if parsed is _NOT_JSON:
        return None
    if not keys:
        return _from_json(parsed)
    found = [parsed.get(to_str(k)) if isinstance(parsed, dict) else None for k in keys]
    return _from_json(found[0]) if len(keys) == 1 else _dump(found)


@scalar("json_has_key_exact", min_args=2, max_args=2)
def _json_has_key_exact(document, key):
    parsed = _parse(document)
    return isinstance(parsed, dict) and to_str(key) in parsed


@register("json_set_exact", min_args=3, max_args=None)
def _json_set_exact_call(args, nodes, call):
    """Several key-value pairs are refused: the page says the function "outputs an array" then, not what it holds."""
    if len(args) != 3:
        raise SplUnsupportedError("json_set_exact() with more than one key-value pair is not supported (the JSON "
                                  "functions page says it then outputs an array without saying what it holds)",
                                  call.pos)
    document, key, value = args
    return lambda row, ctx: _json_set_exact(document(row, ctx), key(row, ctx), value(row, ctx))


def _json_set_exact(document, key, value):
    """The object with ``key`` (taken literally) set to ``value``."""
    parsed = _parse(document)
    if not isinstance(parsed, dict):
        return None
    parsed[to_str(key)] = _to_json(value)
    return _dump(parsed)


@scalar("mv_to_json_array", min_args=1, max_args=2)
def _mv_to_json_array(field, infer_types=False):
    """A multivalue field as a JSON array (the multivalue eval functions page): every value a JSON string, or with
    ``infer_types`` each value read as JSON (one set of quotes removed), null when it is not a JSON value."""
    if field is None:
        return None
    values = field if isinstance(field, list) else [field]
    if infer_types is not True:
        return _dump([to_str(v) for v in values])
    out = []
    for v in values:
        parsed = _parse(to_str(v))
        out.append(None if parsed is _NOT_JSON or isinstance(parsed, (dict, list)) else parsed)
    return _dump(out)


def _whole(v):
    """Integral doubles as integers, as the toarray example prints them (1.00 -> 1)."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [_whole(x) for x in v]
    if isinstance(v, dict):
        return {k: _whole(x) for k, x in v.items()}
    return v


@scalar("toarray", min_args=1, max_args=1)
def _toarray(value):
    """An array stays; a multivalue field is mv_to_json_array(<value>, true); a string is parsed as a JSON array
    (null when it is none: toarray("somefield") is null)."""
    if isinstance(value, list):
        return _mv_to_json_array(value, True)
    parsed = _parse(value) if isinstance(value, str) else _NOT_JSON
    return _dump(_whole(parsed)) if isinstance(parsed, list) else None


@scalar("tomv", min_args=1, max_args=1)
def _tomv(value):
    """A multivalue field stays; a JSON array is json_array_to_mv(<value>); "there is no conversion from string"
    (any other value is null)."""
    if isinstance(value, list):
        return value
    return _json_array_to_mv(value) if isinstance(value, str) else None


@scalar("toobject", min_args=1, max_args=1)
def _toobject(value):
    """A string holding a JSON object as that object (compact); anything else is null."""
    parsed = _parse(value) if isinstance(value, str) else _NOT_JSON
    return _dump(parsed) if isinstance(parsed, dict) else None
