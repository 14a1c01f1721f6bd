"""Reading Dashboard Studio views (default/data/ui/views/*.xml) and turning their searches into runnable SPL.

A view is `<dashboard version="2">` whose `<definition>` CDATA is the dashboard's JSON. Its data sources are
`ds.search` (a query) and `ds.chain` (a query appended to the one it `extend`s, as Splunk runs a chain
search: base results piped into the chain's query). Tokens are `$name$` / `$name.sub$` (a row token names a shown column
title, spaces included: `$row.Access key.value$`); `$$` is a literal `$`.

A table shows its search's fields under human titles through a *display chain*: a ds.chain whose query only drops
fields the table does not show and renames the others (`| fields - lat lon` / `| rename src_ip AS "Source IP", ...`),
so that the titles sort, and drilldowns read `row.<title>.value`, as in Splunk.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "default" / "data" / "ui" / "views"
DASHBOARDS = ("aws_cryptomining_overview", "aws_cryptomining_investigation", "aws_cryptomining_baseline_health",
              "aws_cryptomining_incident_report")
# The framework's token name: word characters, dots, dashes and inner spaces.
TOKEN = re.compile(r"\$([A-Za-z_](?:[A-Za-z0-9_. -]*[A-Za-z0-9_.-])?)(?:\|([a-z]+))?\$")
RENAME = re.compile(r'([A-Za-z_][A-Za-z0-9_.]*) AS "([^"]+)"')


def load(name: str) -> tuple[ET.Element, dict]:
    """The view's XML root and its parsed JSON definition."""
    root = ET.parse(VIEWS / f"{name}.xml").getroot()
    node = root.find("definition")
    if node is None or not (node.text or "").strip():
        raise AssertionError(f"{name}: no <definition>")
    return root, json.loads(node.text)


def full_query(definition: dict, ds_id: str) -> str:
    """The SPL a data source runs: a chain's base query, then its own (recursively)."""
    source = definition["dataSources"][ds_id]
    query = source["options"]["query"]
    if source["type"] == "ds.chain":
        base = full_query(definition, source["options"]["extend"])
        return base + "\n" + (query if query.lstrip().startswith("|") else "| " + query)
    if source["type"] != "ds.search":
        raise AssertionError(f"{ds_id}: unexpected data source type {source['type']}")
    return query


def display_chain(definition: dict, ds_id: str) -> tuple[str, list[str], dict[str, str]] | None:
    """(base id, dropped fields, field -> title) of a display chain; None for any other data source."""
    source = definition["dataSources"].get(ds_id)
    if source is None or source["type"] != "ds.chain":
        return None
    lines = source["options"]["query"].strip().splitlines()
    dropped = lines.pop(0)[len("| fields - "):].split() if lines and lines[0].startswith("| fields - ") else []
    if len(lines) != 1 or not lines[0].startswith("| rename "):
        return None
    pairs = lines[0][len("| rename "):]
    renames = dict(RENAME.findall(pairs))
    if ", ".join(f'{f} AS "{t}"' for f, t in renames.items()) != pairs:
        raise AssertionError(f"{ds_id}: a display chain's rename must be `field AS \"Title\", ...`: {pairs}")
    return source["options"]["extend"], dropped, renames


def tokens_in(value) -> set[str]:
    """Names of the tokens referenced anywhere inside value (strings, lists, dicts)."""
    if isinstance(value, str):
        return {m.group(1) for m in TOKEN.finditer(value.replace("$$", ""))}
    if isinstance(value, dict):
        return set().union(*(tokens_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(tokens_in(v) for v in value)) if value else set()
    return set()


def substitute(text: str, values: dict) -> str:
    """Replace every token with its concrete value; an unknown token is an error naming it. The filter `|s` wraps
    the value in quotes and escapes its quotes, `|n` leaves it as is (Dashboard Studio's token filters, help.splunk.com
    "Tokens"); another filter is an error. A multivalue value (a list: a table cell's row token) is its values joined
    by ",", each quoted under `|s` (`"a","b"`), as the framework sets them in the browser run (test_browser.py)."""
    def repl(match):
        name, token_filter = match.groups()
        if name not in values:
            raise KeyError(f"no test value for token ${name}$ in: {text[:120]}")
        if token_filter not in (None, "n", "s"):
            raise ValueError(f"token filter |{token_filter} not modelled: {match.group(0)}")
        value = values[name]
        parts = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        if token_filter == "s":
            parts = ['"' + part.replace('"', '\\"') + '"' for part in parts]
        return ",".join(parts)
    return TOKEN.sub(repl, text).replace("$$", "$")


def input_tokens(definition: dict) -> dict[str, object]:
    """Token name -> default value for every input (a time range input defines name.earliest/.latest)."""
    out = {}
    for spec in definition.get("inputs", {}).values():
        options = spec.get("options", {})
        token, default = options.get("token"), options.get("defaultValue")
        if spec["type"] == "input.timerange":
            earliest, _, latest = str(default or ",").partition(",")
            out[f"{token}.earliest"], out[f"{token}.latest"] = earliest, latest
        else:
            out[token] = default
    return out


def drilldown_set_tokens(definition: dict) -> set[str]:
    names = set()
    for viz in definition["visualizations"].values():
        for handler in viz.get("eventHandlers", []):
            if handler["type"] == "drilldown.setToken":
                names |= {t["token"] for t in handler["options"]["tokens"]}
    return names


def default_tokens(definition: dict) -> set[str]:
    return set(definition.get("defaults", {}).get("tokens", {}).get("default", {}))


def panel_sources(definition: dict) -> dict[str, str]:
    """Data source id -> title of a visualization (or input) that shows it."""
    out = {}
    for kind in ("visualizations", "inputs"):
        for item_id, spec in definition.get(kind, {}).items():
            for ds_id in spec.get("dataSources", {}).values():
                out.setdefault(ds_id, spec.get("title", item_id))
    return out
