"""Dashboard Studio views: valid JSON, cross-references, tokens, drilldown targets, navigation."""
import re
import xml.etree.ElementTree as ET

import pytest

from . import studio

VIZ_TYPES = {"splunk.table", "splunk.column", "splunk.line", "splunk.singlevalue", "splunk.map", "splunk.markdown"}
INPUT_TYPES = {"input.timerange", "input.dropdown", "input.text"}
HANDLERS = {"drilldown.setToken", "drilldown.linkToDashboard", "drilldown.linkToSearch"}
# Tokens a drilldown may read from the clicked item (Dashboard Studio's predefined click tokens).
# A table's row tokens name its shown column titles (display chains, see studio), which may hold spaces.
CLICK = re.compile(r"^(row\.[A-Za-z_][A-Za-z0-9_.{} -]*\.value|name|value|click\.(name|value)2?)$")


@pytest.fixture(params=studio.DASHBOARDS)
def dashboard(request):
    root, definition = studio.load(request.param)
    return request.param, root, definition


def test_wrapper_is_dashboard_studio(dashboard):
    name, root, definition = dashboard
    assert root.tag == "dashboard" and root.get("version") == "2", name
    assert root.get("theme") in ("light", "dark")
    assert root.findtext("label").strip() == definition["title"]
    assert root.findtext("description").strip()
    assert set(definition) >= {"title", "dataSources", "visualizations", "inputs", "layout", "defaults"}


def test_types_are_known(dashboard):
    _, _, definition = dashboard
    for viz_id, viz in definition["visualizations"].items():
        assert viz["type"] in VIZ_TYPES, viz_id
        for handler in viz.get("eventHandlers", []):
            assert handler["type"] in HANDLERS, (viz_id, handler)
    for input_id, spec in definition["inputs"].items():
        assert spec["type"] in INPUT_TYPES, input_id
        assert spec["options"]["token"] and "defaultValue" in spec["options"], input_id
    for ds_id, source in definition["dataSources"].items():
        assert source["type"] in ("ds.search", "ds.chain") and source["options"]["query"].strip(), ds_id
        assert source.get("name"), ds_id


def test_cross_references(dashboard):
    _, _, definition = dashboard
    sources, vizs, inputs = definition["dataSources"], definition["visualizations"], definition["inputs"]
    used = set()
    for item_id, spec in list(vizs.items()) + list(inputs.items()):
        for ds_id in spec.get("dataSources", {}).values():
            assert ds_id in sources, f"{item_id} reads missing data source {ds_id}"
            used.add(ds_id)
    for ds_id, source in sources.items():
        if source["type"] == "ds.chain":
            assert source["options"]["extend"] in sources, ds_id
            used.add(source["options"]["extend"])
    assert set(sources) == used, f"data sources nobody shows: {set(sources) - used}"
    layout = definition["layout"]
    items = [entry["item"] for entry in layout["structure"]]
    assert len(items) == len(set(items))
    assert set(items) == set(vizs), f"not laid out: {set(vizs) - set(items)}; unknown: {set(items) - set(vizs)}"
    assert set(layout["globalInputs"]) == set(inputs)
    for entry in layout["structure"]:
        pos = entry["position"]
        assert pos["x"] >= 0 and pos["w"] > 0 and pos["x"] + pos["w"] <= layout["options"]["width"], entry
    for viz_id, viz in vizs.items():
        if viz["type"] != "splunk.markdown":
            assert "primary" in viz.get("dataSources", {}), viz_id


def _defined_tokens(definition):
    return set(studio.input_tokens(definition)) | studio.drilldown_set_tokens(definition) | studio.default_tokens(definition)


def test_every_token_used_is_defined(dashboard):
    name, _, definition = dashboard
    defined = _defined_tokens(definition)
    for ds_id, source in definition["dataSources"].items():
        missing = studio.tokens_in(source["options"]) - defined
        assert not missing, f"{name} {ds_id} uses undefined tokens {missing}"
    defaults = definition["defaults"]["dataSources"]["ds.search"]["options"]["queryParameters"]
    assert studio.tokens_in(defaults) <= defined
    for viz_id, viz in definition["visualizations"].items():
        assert not studio.tokens_in(viz.get("options", {})) - defined, viz_id
        for handler in viz.get("eventHandlers", []):
            for token in studio.tokens_in(handler["options"]):
                assert token in defined or CLICK.match(token), f"{name} {viz_id}: drilldown token ${token}$ undefined"


def test_drilldowns_read_fields_their_panel_has(dashboard):
    """A drilldown's row.<field>.value must name a field the panel's search outputs (its final table/stats)."""
    name, _, definition = dashboard
    for viz_id, viz in definition["visualizations"].items():
        handlers = viz.get("eventHandlers", [])
        fields = set()
        for handler in handlers:
            options = handler["options"]
            texts = [t.get("key", t.get("value", "")) for t in options.get("tokens", [])] + [options.get("query", "")]
            fields |= {m.group(1) for text in texts
                       for m in re.finditer(r"row\.([A-Za-z_][A-Za-z0-9_.{} -]*)\.value", text)}
        shown = studio.display_chain(definition, viz.get("dataSources", {}).get("primary", ""))
        if fields and shown:
            _, _, titles = shown
            unknown = fields - set(titles.values()) - {f for f in fields if f not in titles and f[0].isupper()}
            assert not unknown, f"{name} {viz_id}: drilldown reads {unknown}, not among its shown titles"
        elif fields:
            query = studio.full_query(definition, viz["dataSources"]["primary"])
            for field in fields:
                assert re.search(rf"(?<![\w.]){re.escape(field)}(?![\w.])", query), f"{name} {viz_id}: {field} not in its search"


def test_every_table_shows_human_titles_and_formats_its_own_columns(dashboard):
    """A table reads a display chain (studio.display_chain); its column formats name shown titles and the
    context entries they use, and each expression reads its own column."""
    name, _, definition = dashboard
    for viz_id, viz in definition["visualizations"].items():
        if viz["type"] != "splunk.table":
            continue
        shown = studio.display_chain(definition, viz["dataSources"]["primary"])
        assert shown, f"{name} {viz_id}: its data source is not a display chain (column titles)"
        titles = set(shown[2].values())
        for column, fmt in viz["options"].get("columnFormat", {}).items():
            assert column in titles or column[0].isupper(), f"{name} {viz_id}: columnFormat for unknown {column}"
            for option, expression in fmt.items():
                if not isinstance(expression, str):
                    continue
                series = re.findall(r'seriesByName\("([^"]+)"\)', expression)
                assert series == [column], (name, viz_id, column, option, expression)
                for context in re.findall(r"\| \w+\((\w+)\)", expression):
                    assert context in viz.get("context", {}), (name, viz_id, column, context)


def test_link_targets_exist_and_receive_tokens(dashboard):
    name, _, definition = dashboard
    for viz_id, viz in definition["visualizations"].items():
        for handler in viz.get("eventHandlers", []):
            if handler["type"] != "drilldown.linkToDashboard":
                continue
            options = handler["options"]
            assert options["app"] == "aws_cryptomining" and options["dashboard"] in studio.DASHBOARDS, viz_id
            _, target = studio.load(options["dashboard"])
            target_tokens = set(studio.input_tokens(target))
            assert isinstance(options["tokens"], list)
            for pair in options["tokens"]:
                assert pair["token"] in target_tokens, f"{viz_id}: {options['dashboard']} has no input for {pair['token']}"
                assert CLICK.match(pair["value"]) or pair["value"] in _defined_tokens(definition), pair


def test_investigation_is_a_drilldown_target_of_the_overview():
    _, overview = studio.load("aws_cryptomining_overview")
    targets = {h["options"]["dashboard"] for v in overview["visualizations"].values()
               for h in v.get("eventHandlers", []) if h["type"] == "drilldown.linkToDashboard"}
    assert "aws_cryptomining_investigation" in targets
    _, investigation = studio.load("aws_cryptomining_investigation")
    assert {"instance_id", "access_key_id", "principal"} <= set(studio.input_tokens(investigation))


def test_every_dashboard_has_time_and_account_filters(dashboard):
    name, _, definition = dashboard
    types = {spec["type"]: spec["options"]["token"] for spec in definition["inputs"].values()}
    assert types.get("input.timerange") == "global_time"
    assert "account" in studio.input_tokens(definition)
    if name == "aws_cryptomining_overview":
        assert "region" in studio.input_tokens(definition)


def test_searches_use_the_data_source_macros(dashboard):
    name, _, definition = dashboard
    for ds_id, source in definition["dataSources"].items():
        query = source["options"]["query"]
        assert "index=*" not in query and not re.search(r"\bindex=aws\b|sourcetype=\"?aws:", query), (name, ds_id)


def test_export_is_not_hidden(dashboard):
    _, root, _ = dashboard
    import json

    meta = root.find("meta[@type='hiddenElements']")
    assert meta is not None and json.loads(meta.text)["hideExport"] is False


def test_navigation_lists_the_dashboards_overview_first_and_default(repo_root):
    nav = ET.parse(repo_root / "default" / "data" / "ui" / "nav" / "default.xml").getroot()
    views = [v.get("name") for v in nav.iter("view")]
    assert views[0] == "aws_cryptomining_overview"
    assert set(studio.DASHBOARDS) <= set(views)
    defaults = [v.get("name") for v in nav.iter("view") if v.get("default") == "true"]
    assert defaults == ["aws_cryptomining_overview"]
