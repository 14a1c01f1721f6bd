"""Distributed deployments (item 8, docs/platform.md): what runs where.

collections.conf.spec: a collection with the default `replicate = false` is not on the indexers, "and
lookups that depend on this collection are not available (although if you run a lookup command with
'local=true', local lookups are available)". A `lookup` before a transforming command is distributable and
may run on an indexer, so every KV store lookup the app ships says local=true, wherever it sits.
"""
import json
import re

from appbuild.layout import ROOT
from splengine.conf import read_layered

LOOKUP = re.compile(r"\|\s*lookup\s+((?:[A-Za-z_]+\s*=\s*\S+\s+)*)([A-Za-z0-9_]+)")


def shipped_spl():
    """(where, SPL text) of every macro, saved search and dashboard query the app ships."""
    for name, stanza in read_layered(ROOT, "macros.conf").items():
        yield f"macros.conf [{name}]", "| " + stanza.get("definition", "")
    for name, stanza in read_layered(ROOT, "savedsearches.conf").items():
        yield f"savedsearches.conf [{name}]", "| " + stanza.get("search", "")
    for view in sorted((ROOT / "default" / "data" / "ui" / "views").glob("*.xml")):
        for query in re.findall(r'"query":\s*"((?:[^"\\]|\\.)*)"', view.read_text(encoding="utf-8")):
            yield view.name, "| " + json.loads(f'"{query}"')


def test_every_kv_store_lookup_runs_where_the_collection_lives():
    kv_tables = {name for name, stanza in read_layered(ROOT, "transforms.conf").items()
                 if stanza.get("external_type", "").strip() == "kvstore"}
    found, remote = 0, []
    for where, spl in shipped_spl():
        for options, table in LOOKUP.findall(spl):
            if table in kv_tables:
                found += 1
                if not re.search(r"\blocal\s*=\s*(true|t|1)\b", options, re.I):
                    remote.append(f"{where}: lookup {table}")
    assert found >= 5 and remote == []


def test_manifest_targets_search_heads_only_as_the_readme_installs():
    manifest = json.loads((ROOT / "app.manifest").read_text(encoding="utf-8"))
    assert manifest["targetWorkloads"] == ["_search_heads"]
    assert "Install it on the search heads" in (ROOT / "README.md").read_text(encoding="utf-8")
