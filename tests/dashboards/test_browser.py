"""The dashboards as an analyst sees them: each view rendered by Splunk's Dashboard Studio framework (DashboardCore,
Enterprise view-only preset) in headless Chromium, its ds.search/ds.chain answered by the engine over the test
events through a splunkd stand-in (splunkd.py), inputs and tokens resolved by the framework.

One browser run (session fixture) loads every dashboard at 1440 and 1920 px, drives the overview's inputs, clicks
every drilldown and loads definitions broken on purpose; the tests below read what it saw. Needs Chromium, Node.js
and `npm ci` in tests/dashboards/browser: skipped with a one-line hint where they are missing, an error in CI.
`DASHBOARD_SCREENSHOTS=<dir>` also writes a PNG at 1440 and 1920 px and a PDF of every dashboard, and a 720 px
copy of the 1440 px PNG in <dir>/small (`python3 dev.py screenshots` puts those in docs/img).
"""
from __future__ import annotations

import copy
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import browser_harness, row_cache, studio
from . import truth as t
from .conftest import NOW, build_engine
from .panels import HUMAN_TITLE
from .row_cache import RowCache
from .splunkd import Splunkd, engine_runner

APP = "/en-US/app/aws_cryptomining/"
WIDTHS = (1440, 1920)
OPEN_WITH = {  # form tokens each dashboard is opened with, as the overview's drilldowns open them
    "aws_cryptomining_overview": {},
    "aws_cryptomining_baseline_health": {},
    "aws_cryptomining_investigation": {"access_key_id": t.KEY},
    "aws_cryptomining_incident_report": {"access_key_id": t.KEY},
}
# Panels with no rows when opened as above, and why; every other panel must show rows/series/markers/a value.
COMPUTE = "the compute-services campaign is another key on another day (compute_truth.DAY, covered by the panel tests)"
METRICS = ("the metrics and billing sample is another account in June 2026, outside the campaign's day "
           "(samples/synthetic-metrics; covered by the panel tests in metrics_panels.py)")
EMPTY = {
    ("aws_cryptomining_investigation", "viz_role_calls"):
        "the key's instances made no call with their role credentials (Panther's instance does, test_investigation)",
    ("aws_cryptomining_overview", "viz_compute_services"): COMPUTE,
    ("aws_cryptomining_investigation", "viz_compute_calls"): COMPUTE,
    ("aws_cryptomining_incident_report", "viz_compute_resources"): COMPUTE,
    ("aws_cryptomining_overview", "viz_saturated_instances"): METRICS,
    ("aws_cryptomining_overview", "viz_spend_over_time"): METRICS,
    ("aws_cryptomining_overview", "viz_cost_anomalies"): METRICS,
}
# Panels of a drilldown's target that stay empty for the clicked row, and why.
TARGET_EMPTY = {
    ("aws_cryptomining_overview", "viz_instance_changes"): dict.fromkeys(
        ("viz_launches", "viz_timeline", "viz_dns", "viz_flows", "viz_guardduty"),
        "the repurposed instance was launched before the range and left no DNS, flow or finding in the samples"),
}
CLICK_ROW = {("aws_cryptomining_baseline_health", "viz_lookup_sizes"): 1,  # row 0: the allowlist, empty in the tests
             # row 1 names three instances on two lines (row 0 one): its search is built from a multivalue row token
             ("aws_cryptomining_incident_report", "viz_containment"): 1}
MUTANT = "aws_cryptomining_incident_report"
MUTATIONS = {  # viz id -> how the mutant definition breaks it
    "viz_summary": "chain extends a data source that does not exist",
    "viz_first_call": "primary data source that does not exist",
    "viz_sources": "misspelled visualization type",
}
# The incident report opened from the nav bar: no key or incident, every credential's rows (more and longer than an
# incident's: its principals, sources and containment commands). Checked as the report's own states.
NO_KEY = "no_key"
INPUT_STEPS = [{"select": "input_account", "option": t.ACCOUNT}, {"select": "input_region", "option": "us-east-1"},
               {"timerange": "Last 7 days"}]


def _handlers(kind):
    return [(name, viz_id) for name in studio.DASHBOARDS
            for viz_id, viz in studio.load(name)[1]["visualizations"].items()
            if any(h["type"] == kind for h in viz.get("eventHandlers", []))]


# Drilldowns not clicked in the browser (test_drilldowns.py runs each on its panel's fullest row in the engine):
# empty in the pages' scenario (EMPTY), no row to click.
NOT_CLICKED = set(EMPTY)
LINKS_TO_DASHBOARD = [h for h in _handlers("drilldown.linkToDashboard") if h not in NOT_CLICKED]
LINKS_TO_SEARCH = [h for h in _handlers("drilldown.linkToSearch") if h not in NOT_CLICKED]
PANELS = [(name, viz_id, width) for name in studio.DASHBOARDS for viz_id in studio.load(name)[1]["visualizations"]
          for width in WIDTHS]


def path(name: str, tokens: dict) -> str:
    return APP + name + ("?" + urllib.parse.urlencode({f"form.{k}": v for k, v in tokens.items()}) if tokens else "")


def mutant() -> dict:
    """The incident report broken three ways, one panel each (MUTATIONS)."""
    definition = copy.deepcopy(studio.load(MUTANT)[1])
    vizs, sources = definition["visualizations"], definition["dataSources"]
    chain = sources[vizs["viz_summary"]["dataSources"]["primary"]]
    assert chain["type"] == "ds.chain"
    chain["options"]["extend"] = "ds_no_such_base"
    vizs["viz_first_call"]["dataSources"]["primary"] = "ds_no_such_source"
    vizs["viz_sources"]["type"] = "splunk.tabel"
    return definition


def jobs(shots: Path | None) -> list[dict]:
    """One page per dashboard: drawn at 1440 px, every drilldown clicked (a linked dashboard opens on its own page),
    drawn again at 1920 px; the overview then drives its inputs. Then the incident report with no key (NO_KEY), at
    both widths, and the mutant."""
    out = []
    for name in studio.DASHBOARDS:
        steps = [{"png": str(shots / f"{name}-{WIDTHS[0]}.png"), "thumb": str(shots / "small" / f"{name}.png"),
                  "thumbWidth": 720}] if shots else []
        steps += [{"click": viz_id, "follow": True} for n, viz_id in LINKS_TO_DASHBOARD if n == name]
        steps += [{"click": viz_id, "row": CLICK_ROW.get((n, viz_id), 0)} for n, viz_id in LINKS_TO_SEARCH if n == name]
        steps.append({"resize": WIDTHS[1]})
        if shots:
            steps.append({"png": str(shots / f"{name}-{WIDTHS[1]}.png"), "pdf": str(shots / f"{name}.pdf")})
        if name == "aws_cryptomining_overview":
            steps += [{"resize": WIDTHS[0]}] + INPUT_STEPS
        out.append({"id": name, "path": path(name, OPEN_WITH[name]), "width": WIDTHS[0], "steps": steps})
    out.append({"id": NO_KEY, "path": APP + NO_KEY, "width": WIDTHS[0], "steps": [{"resize": WIDTHS[1]}]})
    out.append({"id": "mutant", "path": APP + "mutant"})
    return out


@dataclass
class BrowserRun:
    snapshots: dict[str, list[dict]]
    splunkd: Splunkd

    def page(self, job: str, label: str = "load") -> dict:
        """The snapshot `label` of a job: load, width <px>, click <viz>, select <input>=<option>, timerange <label>."""
        snaps = self.snapshots[job]
        failure = [s["failure"] for s in snaps if "failure" in s]
        assert not failure, f"{job}: {failure[0]}"
        return next(s for s in snaps if s["label"] == label)


@pytest.fixture(scope="session")
def browser(request, events, app_dir, saved_searches, tmp_path_factory):
    reason = browser_harness.missing()
    if reason:
        message = f"browser dashboard tests not run: {reason}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    dist = browser_harness.build()
    definitions = {name: studio.load(name)[1] for name in studio.DASHBOARDS}
    definitions["mutant"] = mutant()
    definitions[NO_KEY] = definitions[MUTANT]
    # The engine's rows of an earlier run with the same inputs (row_cache.py); without them, the session's engine.
    cache = RowCache(row_cache.digest())
    engines = [] if cache.entries else [request.getfixturevalue("engine")]

    def engine():   # a search the cached run did not make (a partial run's cache): the engine is built now
        if not engines:
            engines.append(build_engine(app_dir, events, saved_searches, tmp_path_factory.mktemp("kvstore")))
        return engines[0]

    themes = {name: studio.load(name)[0].get("theme", "light") for name in studio.DASHBOARDS}
    themes["mutant"] = themes[NO_KEY] = themes[MUTANT]
    splunkd = Splunkd(engine_runner(engine, events, NOW), definitions, dist, NOW, app_dir, themes, cache)
    shots = os.environ.get("DASHBOARD_SCREENSHOTS")
    if shots:
        (Path(shots) / "small").mkdir(parents=True, exist_ok=True)
    base = splunkd.start()
    try:
        snapshots = browser_harness.run(base, jobs(Path(shots).resolve() if shots else None))
    finally:
        splunkd.stop()
    yield BrowserRun(snapshots, splunkd)
    cache.save()   # after the tests: their drilldown searches are in it too


def problems(snap: dict, name: str, viz_id: str, empty: dict | None = None) -> list[str]:
    """What is wrong with one drawn panel: error, waiting, no rows where the data has them, rows not drawn.
    `empty`: viz id -> why it may be empty on this page (default: EMPTY for the dashboard)."""
    if empty is None:
        empty = {v: why for (n, v), why in EMPTY.items() if n == name}
    panel = snap["panels"].get(viz_id)
    if panel is None:
        return ["not on the page"]
    out = []
    if panel["error"]:
        out.append(f"error: {panel['error']}")
    if panel["placeholder"]:
        out.append("still waiting for data (placeholder drawn)")
    if panel["titleTruncated"]:
        out.append(f"title truncated: {panel['title']}")
    if panel["type"] == "splunk.markdown":
        return out + ([] if panel["markdown"] else ["markdown empty"])
    binding = snap["bindings"].get(viz_id)
    if binding is None:
        return out + ["no data source bound"]
    if binding["status"] != "done":
        out.append(f"search {binding['status']}: {binding['message']}")
    # A timechart over no events still returns its time buckets: rows with no series, which a chart rightly
    # draws as nothing. Such a chart has no data.
    series = [f for f in binding.get("fields", []) if not f.startswith("_")]
    if panel["type"] in ("splunk.column", "splunk.line") and not series:
        if viz_id not in empty:
            out.append(f"{binding['rows']} time buckets without a series, and the tests do not expect it empty")
        return out
    if binding["rows"] == 0:
        if viz_id not in empty:
            out.append("no rows, and the tests do not expect it empty")
        elif panel["message"] != "No search results returned":
            # The framework's empty state (dashboard-ui getStatusMessage: the search done with totalCount 0, for a
            # chain its post_process_count), written only in a visualization taller than 150 px.
            out.append(f"empty panel shows {panel['message']!r} instead of 'No search results returned'")
        return out
    if viz_id in empty:
        out.append(f"{binding['rows']} rows but expected empty: {empty[viz_id]}")
    if panel["message"]:
        out.append(f"message over data: {panel['message']}")
    drawn = {"splunk.table": panel["rows"], "splunk.column": panel["points"], "splunk.line": panel["points"],
             "splunk.map": panel["markers"], "splunk.singlevalue": panel["value"]}.get(panel["type"])
    if not drawn:
        out.append(f"{binding['rows']} rows given, nothing drawn ({panel['type']})")
    if panel["type"] == "splunk.map" and not panel["mapLoaded"]:
        out.append("the map never loaded (maplibre fired no 'load')")
    return out


def page_errors(snap: dict) -> list[str]:
    return [f"{e['kind']}: {e['text'][:300]}" for e in snap["errors"]] + [f"external request: {u}" for u in snap["external"]]


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_definition_is_valid_for_the_framework(browser, name):
    snap = browser.page(name)
    assert snap["validation"] == [] and snap["coreErrors"] == [], (snap["validation"], snap["coreErrors"])
    assert snap["fatal"] is None and snap["settled"], snap["fatal"]


@pytest.mark.parametrize("name,viz_id,width", PANELS, ids=[f"{n[17:]}-{v}-{w}" for n, v, w in PANELS])
def test_panel_is_drawn(browser, name, viz_id, width):
    snap = browser.page(name, "load" if width == WIDTHS[0] else f"width {width}")
    assert snap["width"] == width
    assert problems(snap, name, viz_id) == []


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_no_page_or_console_error(browser, name):
    for snap in browser.snapshots[name]:
        if "errors" in snap:
            assert page_errors(snap) == [], snap["label"]


def test_empty_expectations_name_real_panels():
    for name, viz_id in set(EMPTY) | NOT_CLICKED | set(CLICK_ROW) | set(TARGET_EMPTY):
        assert viz_id in studio.load(name)[1]["visualizations"], (name, viz_id)
    _, overview = studio.load("aws_cryptomining_overview")
    map_query, table_query = [h["options"]["query"] for v in ("viz_launch_map", "viz_launch_sources")
                              for h in overview["visualizations"][v]["eventHandlers"]]
    _, _, titles = studio.display_chain(overview, overview["visualizations"]["viz_launch_sources"]["dataSources"]["primary"])
    for field, title in titles.items():   # the table's row tokens name its shown titles
        map_query = map_query.replace(f"$row.{field}.value$", f"$row.{title}.value$")
    assert map_query == table_query


def _tokens(snap):
    return snap["tokens"]["default"]


def test_account_region_and_time_inputs_drive_the_searches(browser):
    overview = "aws_cryptomining_overview"
    account = browser.page(overview, f"select input_account={t.ACCOUNT}")
    region = browser.page(overview, "select input_region=us-east-1")
    week = browser.page(overview, "timerange Last 7 days")
    assert _tokens(account)["account"] == t.ACCOUNT
    assert _tokens(region)["region"] == "us-east-1" and _tokens(region)["account"] == t.ACCOUNT
    assert (_tokens(week)["global_time.earliest"], _tokens(week)["global_time.latest"]) == ("-7d@h", "now")
    ran = browser.splunkd.searches
    assert any(f'account="{t.ACCOUNT}"' in s["spl"] and 'region="us-east-1"' in s["spl"] for s in ran)
    assert any(s["earliest"] == "-7d@h" for s in ran)
    for snap in (account, region, week):
        assert page_errors(snap) == [], snap["label"]
        for viz_id in snap["panels"]:
            assert problems(snap, overview, viz_id) == [], (snap["label"], viz_id)
    launches = region["panels"]["viz_large_gpu"]
    assert dict(zip(launches["columns"], launches["firstRow"]))["Region"] == "us-east-1"
    assert region["bindings"]["viz_large_gpu"]["total"] < account["bindings"]["viz_large_gpu"]["total"]


@pytest.mark.parametrize("name,viz_id", LINKS_TO_DASHBOARD, ids=[f"{n[17:]}-{v}" for n, v in LINKS_TO_DASHBOARD])
def test_drilldown_opens_the_target_with_the_row_tokens(browser, name, viz_id):
    source = browser.page(name)
    target = browser.page(name, f"click {viz_id}")
    handler = next(h for h in studio.load(name)[1]["visualizations"][viz_id]["eventHandlers"]
                   if h["type"] == "drilldown.linkToDashboard")["options"]
    assert target["dashboard"] == handler["dashboard"], target["opened"]
    clicked = dict(zip(source["panels"][viz_id]["columns"], source["panels"][viz_id]["firstRow"]))
    for pair in handler["tokens"]:
        got = _tokens(target)[pair["token"]]
        if pair["value"].startswith("row."):
            field = pair["value"][4:-6]
            assert got and got == clicked.get(field, got), (pair, got, clicked)
        else:
            assert got == _tokens(source)[pair["value"]], pair
    assert page_errors(target) == []
    empty = {v: why for (n, v), why in EMPTY.items() if n == handler["dashboard"]}
    empty.update(TARGET_EMPTY.get((name, viz_id), {}))
    for viz_id_target in target["panels"]:
        assert problems(target, handler["dashboard"], viz_id_target, empty) == [], viz_id_target


@pytest.mark.parametrize("name,viz_id", LINKS_TO_SEARCH, ids=[f"{n[17:]}-{v}" for n, v in LINKS_TO_SEARCH])
def test_drilldown_search_finds_the_clicked_records(browser, name, viz_id):
    click = browser.page(name, f"click {viz_id}")
    assert click["newTab"] and click["opened"], click
    url = urllib.parse.urlsplit(click["opened"])
    assert url.path == APP + "search"
    params = dict(urllib.parse.parse_qsl(url.query))
    query = params["q"]
    assert "$" not in query.replace("$$", ""), query
    assert query.startswith("search ")
    rows = browser.splunkd.rows(query[len("search "):], params.get("earliest", ""), params.get("latest", ""))
    assert rows, f"{name} {viz_id}: {query}"


def test_launch_map_marker_opens_the_search_of_its_source_ip(browser):
    """A SOC analyst clicks a marker to see what its source IP did: the marker's own row (the map's search gives
    each marker its row, Map.js handleLayerClick) fills the search, the same IP as the Launch source IPs table."""
    overview = "aws_cryptomining_overview"
    page, click = browser.page(overview), browser.page(overview, "click viz_launch_map")
    table = page["panels"]["viz_launch_sources"]
    assert page["panels"]["viz_launch_map"]["markers"] == table["rows"] == 1
    ip = dict(zip(table["columns"], table["firstRow"]))["Source IP"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(click["opened"]).query))["q"]
    assert f'sourceIPAddress="{ip}"' in query, query


def test_a_broken_definition_fails_the_panel_tests(browser):
    snap = browser.page("mutant")
    for viz_id, breakage in MUTATIONS.items():
        assert problems(snap, MUTANT, viz_id), f"{viz_id} ({breakage}) passed"
    intact = [v for v in snap["panels"] if v not in MUTATIONS and problems(snap, MUTANT, v)]
    assert not intact, intact
    assert any("/visualizations/viz_sources/type" in error for error in snap["validation"]), snap["validation"]


# What the analyst reads: every table's columns under human titles, severities and statuses in colour, money as
# dollars, ids and times on one line (their columns are wide enough), at both widths.
ONE_LINE = {"Time", "First seen", "Last seen", "Access key", "Instance id", "AMI", "Incident", "Account", "Source IP",
            "Region", "Instance type"}
TABLES = [(name, viz_id) for name in studio.DASHBOARDS
          for viz_id, viz in studio.load(name)[1]["visualizations"].items() if viz["type"] == "splunk.table"]


def _shown_tables(browser, name, label):
    snap = browser.page(name, label)
    for viz_id, panel in snap["panels"].items():
        if panel["type"] == "splunk.table" and panel["rows"]:
            yield viz_id, panel


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def expected_colour(viz: dict, column: str, text: str) -> str | None:
    """The background the viz's columnFormat gives a cell of `column` showing `text` (None: not coloured)."""
    expression = viz["options"].get("columnFormat", {}).get(column, {}).get("rowBackgroundColors")
    if not expression:
        return None
    function, context = re.search(r"\| (matchValue|rangeValue)\((\w+)\)$", expression).groups()
    for entry in viz["context"][context]:
        if function == "matchValue" and entry["match"] == text:
            return _rgb(entry["value"])
        if function == "rangeValue":
            value = float(text)
            if entry.get("from", float("-inf")) <= value < entry.get("to", float("inf")):
                return _rgb(entry["value"])
    return None


@pytest.mark.parametrize("name", studio.DASHBOARDS)
@pytest.mark.parametrize("width", WIDTHS)
def test_tables_show_human_column_titles(browser, name, width):
    shown = list(_shown_tables(browser, name, "load" if width == WIDTHS[0] else f"width {width}"))
    assert shown
    for viz_id, panel in shown:
        raw = [c for c in panel["columns"] if not HUMAN_TITLE.match(c)]
        assert raw == [], f"{name} {viz_id}: raw field names in the header: {raw}"
        assert panel["columnsTruncated"] == [], (viz_id, panel["columnsTruncated"])


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_severities_and_statuses_are_coloured_money_in_dollars_ids_on_one_line(browser, name):
    vizs = studio.load(name)[1]["visualizations"]
    coloured = 0
    for label in ("load", f"width {WIDTHS[1]}"):
        for viz_id, panel in _shown_tables(browser, name, label):
            viz = vizs[viz_id]
            for column, text, look in zip(panel["columns"], panel["firstRow"], panel["firstRowLook"]):
                colour = expected_colour(viz, column, text)
                if colour:
                    assert look["background"] == colour, (viz_id, column, text, look)
                    coloured += 1
                data = viz["options"].get("columnFormat", {}).get(column, {}).get("data", "")
                if "formatByType(moneyFormat)" in data and text:
                    assert re.fullmatch(r"\$ \d{1,3}(,\d{3})*\.\d\d", text), (viz_id, column, text)
                    assert look["lines"] == 1, f"{name} {viz_id} {column} at {label}: {text!r} takes {look['lines']} lines"
                if column in ONE_LINE and text:
                    assert look["lines"] == 1, f"{name} {viz_id} {column} at {label}: {text!r} takes {look['lines']} lines"
    assert coloured, f"{name}: no severity or status cell to check"


def test_critical_incident_is_red(browser):
    panel = browser.page("aws_cryptomining_overview")["panels"]["viz_incidents"]
    row = dict(zip(panel["columns"], zip(panel["firstRow"], panel["firstRowLook"])))
    text, look = row["Severity"]
    assert text == "critical" and look["background"] == _rgb("#D41F1F") and look["color"] == _rgb("#FFFFFF"), look



def drawn_states(browser, name):
    """Every state of a dashboard's job that drew panels: both widths, the inputs driven, the drilldown targets; for
    the incident report, also opened with no key at both widths."""
    states = [snap for snap in browser.snapshots[name] if snap.get("panels")]
    if name == MUTANT:
        states += [dict(snap, label=f"no key {snap['label']}") for snap in browser.snapshots[NO_KEY] if snap.get("panels")]
    return states


def look_problems(snap: dict) -> dict[str, list[str]]:
    """viz id -> what the analyst cannot read whole in it (run.mjs snapshot()): rows or text cut by the panel, a row
    taller than the cells in view (a wrapping cell scrolled out of the panel; coloured or not), a description,
    single value, legend or axis title shortened."""
    out = {}
    for viz_id, panel in snap["panels"].items():
        found = panel["clipped"] + panel["rowSlack"] + [f"chart text cut: {t}" for t in panel["chartTextCut"]] + [
            f"value cut: {t}" for t in panel["valueCut"]]
        if panel["descriptionTruncated"]:
            found.append(f"description cut: {panel['description']}")
        if found:
            out[viz_id] = found
    return out


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_no_panel_content_is_clipped_or_painted_beyond_its_cells(browser, name):
    """At 1440 and 1920 px, after each input and in each drilldown's target: every row of a table's page and its
    header inside the panel, no text cut; no row taller than the cells the analyst sees in it; no description,
    single value, legend entry or axis title shortened. The incident report also opened with no key (NO_KEY): a page of
    every credential's rows (its summary's principals, its sources' user agents, its containment commands) fits."""
    states = drawn_states(browser, name)
    assert len(states) >= 2
    found = {f"{snap['label']} ({snap.get('dashboard')} at {snap['width']} px)": look_problems(snap) for snap in states}
    assert {state: problems for state, problems in found.items() if problems} == {}


# A table row read at a glance: at most four lines of text (a line is 20 px, a row's padding 16 px; a few px for
# rounding), in every state at both widths, and in the incident report opened with no key or incident (NO_KEY, and as
# drawn by the mutant). Lists are capped in SPL to their first three values and "+N more"; principals show their ARN
# without "arn:aws:<service>::<account>:", user agents the tools that made the calls
# (`aws_cryptomining_short_user_agent`); a containment command is two shell lines (three where its ids would not fit
# one) naming at most three instance or Spot request ids, its Targets two to a line.
MAX_ROW_PX = 16 + 4 * 20 + 4


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_table_rows_are_at_most_four_lines_tall(browser, name):
    tall = {}
    for snap in drawn_states(browser, name) + (drawn_states(browser, "mutant") if name == MUTANT else []):
        for viz_id, panel in snap["panels"].items():
            heights = [h for h in panel.get("rowHeights", []) if h > MAX_ROW_PX]
            if heights:
                tall[f"{snap['label']} {snap.get('dashboard') or name} {snap['width']} {viz_id}"] = max(heights)
    assert tall == {}, f"table rows taller than {MAX_ROW_PX} px"


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_page_does_not_scroll_sideways(browser, name):
    wide = {snap["label"]: snap["overflowX"] for snap in drawn_states(browser, name) if snap["overflowX"] > 0}
    assert wide == {}


# A panel is sized to what it draws. The grid draws each row track as round(track / layout height * 100) fr
# (GridLayoutViewer's getCSSGridTemplate): heights come in steps of about 1 % of the dashboard's height. A grid row
# holding a table with data is no taller than its fullest table needs (its page as drawn, or a full page of typical
# rows where that is taller: test_a_full_page_of_typical_rows_fits_its_panel) plus one such step (blank px below the
# last row or the pagination), whatever else the row holds (a map or a chart takes any height it is given, so it does
# not excuse a row); no panel is taller than a screen and a half (long tables page). The blank is checked at 1440 px:
# the grid's heights stay the same at 1920 px, where the tables take the wider panel
# (test_tables_take_their_panels_width) and wrapped text takes fewer lines; nothing is cut at either width
# (test_no_panel_content_is_clipped_...).
GUTTER_PX = 8   # the grid's gap (gridLayoutOptions.gutterSize)
ROW_FIT_TOLERANCE_PX = 16   # a last row's bottom padding and its scroll box's
MAX_PANEL_PX = 1300


def grid_step(definition: dict) -> float:
    """px of one fr of the dashboard's grid: what a row can be made shorter by, at most."""
    structure = definition["layout"]["structure"]
    ys = sorted({y for e in structure for y in (e["position"]["y"], e["position"]["y"] + e["position"]["h"])})
    height = ys[-1]
    fr = [round((b - a) / height * 100) for a, b in zip(ys, ys[1:])]
    return (height - GUTTER_PX * len(fr)) / sum(fr)


# A full page of a table fits its panel, else a SOC with more rows than the test data scrolls inside it (and the
# incident report's PDF, which draws the canvas as laid out, loses what is scrolled): `count` rows as tall as the
# table's typical row (the median of the rows it drew in every state of its dashboard at that width, drilldown targets
# included; one line, the shortest row drawn in the run, ~36 px, where it drew none), the header (where the table is
# empty in the tests, as tall as the tallest drawn) and the pagination a full page draws (with the panel's padding:
# what a paginated table's box leaves under its rows), in the box under the panel's title, at 1440 and 1920 px. The
# incident report's tables page by at least 10 (test_incident_report.py: its PDF shows a table's first page), so its
# panels are as tall. A table whose search gives one row, whatever its count (a stats over all the credential's calls,
# its first call), draws one.
ONE_ROW = {("aws_cryptomining_incident_report", v): why for v, why in (
    ("viz_summary", "stats over the credential's calls, no by clause"),
    ("viz_launch_summary", "stats over the credential's launches, no by clause"),
    ("viz_first_call", "the first call: head 1"),
    ("viz_incident_spend_total", "stats over the incident's spend, no by clause"))}


def page_geometry(browser) -> tuple[int, int, int, int]:
    """(px of a one-line row, of the tallest header, of a table's padding with its pagination, without) in the run."""
    tables = [p for snaps in browser.snapshots.values() for s in snaps for p in (s.get("panels") or {}).values()
              if p.get("fit") and p["fit"]["scroll"] is not None]
    frames = {paginated: [p["fit"]["wrapper"] - p["fit"]["scroll"] for p in tables if p["fit"]["paginated"] == paginated]
              for paginated in (True, False)}
    return (min(h for p in tables for h in p["rowHeights"]), max(p["fit"]["head"] for p in tables), max(frames[True]),
            min(frames[False]))


def typical_rows(browser, name: str, width: int) -> dict[str, int]:
    """viz id -> px of the median row each table of the dashboard drew at `width`, in every job that showed it."""
    shown_as = {name, NO_KEY} if name == MUTANT else {name}
    heights = {}
    for snaps in browser.snapshots.values():
        for snap in snaps:
            if snap.get("panels") and snap.get("dashboard") in shown_as and snap["width"] == width:
                for viz_id, panel in snap["panels"].items():
                    heights.setdefault(viz_id, []).extend(panel.get("rowHeights", []))
    return {viz_id: sorted(h)[(len(h) - 1) // 2] for viz_id, h in heights.items() if h}


def full_page_px(name: str, viz_id: str, panel: dict, geometry: tuple[int, int, int, int], definition: dict,
                 typical: dict[str, int]) -> int:
    """px a page of the table's `count` typical rows (`definition`: the dashboard's; `typical`: typical_rows) takes
    with its header and pagination (one row: none)."""
    row, head, paged, single = geometry
    if (name, viz_id) in ONE_ROW:
        return row + (panel["fit"]["head"] or head) + single
    count = definition["visualizations"][viz_id]["options"]["count"]
    return count * typical.get(viz_id, row) + (panel["fit"]["head"] or head) + paged


@pytest.mark.parametrize("name", studio.DASHBOARDS)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_full_page_of_typical_rows_fits_its_panel(browser, name, width):
    label = "load" if width == WIDTHS[0] else f"width {width}"
    geometry = page_geometry(browser)
    definition = studio.load(name)[1]
    typical = typical_rows(browser, name, width)
    over = {}
    for job in (name, NO_KEY) if name == MUTANT else (name,):
        tables = {v: p for v, p in browser.page(job, label)["panels"].items() if p["type"] == "splunk.table"}
        for viz_id, panel in tables.items():
            needed = full_page_px(name, viz_id, panel, geometry, definition, typical)
            if needed > panel["fit"]["wrapper"]:
                over[f"{job} {viz_id}"] = (needed, panel["fit"]["wrapper"])
    assert over == {}, f"a full page taller than its panel's box (px needed, px given; {geometry}): {over}"


@pytest.mark.parametrize("name", studio.DASHBOARDS)
@pytest.mark.parametrize("width", WIDTHS)
def test_panels_are_sized_to_their_content(browser, name, width):
    snap = browser.page(name, "load" if width == WIDTHS[0] else f"width {width}")
    tall = {v: p["box"][3] for v, p in snap["panels"].items() if p["box"][3] > MAX_PANEL_PX}
    assert tall == {}
    if width != WIDTHS[0]:
        return
    definition = studio.load(name)[1]
    step = grid_step(definition)
    geometry = page_geometry(browser)
    typical = typical_rows(browser, name, width)
    rows = {}
    for viz_id, panel in snap["panels"].items():
        rows.setdefault(panel["box"][1], []).append((viz_id, panel))
    grown = {}
    for top, row in rows.items():
        # px below what the table needs: its drawn page, or its full page of typical rows where that is taller
        blanks = {v: min(p["blankBelow"], p["fit"]["wrapper"] - full_page_px(name, v, p, geometry, definition, typical))
                  for v, p in row if p["blankBelow"] is not None}
        if blanks and min(blanks.values()) > step + ROW_FIT_TOLERANCE_PX:
            grown[top] = {v: p["blankBelow"] if p["blankBelow"] is not None else p["type"] for v, p in row}
    assert grown == {}, f"grid rows taller than their tables need (step {step:.0f} px; blank px below each): {grown}"


# Every column of a table in view at 1440 px: the declared widths of its shown columns fit its panel (tables empty in
# the tests included), and a drawn table does not run past its panel's right edge, in every state drawn at 1440 px.
TABLE_PADDING_PX = 16
# A table whose every column has a width is drawn at their sum and leaves the rest of its panel blank (Table.js
# isFullyFixed: width fit-content). One column without a width (90 px, Table.js INITIAL_UNSET_COLUMN_WIDTH) makes it
# take the panel's width (react-ui resizableFillLayout: width 100 %, table-layout fixed), every column widened in
# proportion: every table leaves exactly one narrow count, outcome or region column without one.
UNSET_COLUMN_PX = 90


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_tables_fit_their_panel_at_1440_px(browser, name):
    definition = studio.load(name)[1]
    load = browser.page(name)
    declared = {}
    for viz_id, viz in definition["visualizations"].items():
        if viz["type"] != "splunk.table":
            continue
        _, _, titles = studio.display_chain(definition, viz["dataSources"]["primary"])
        shown = list(dict.fromkeys([*titles.values(), *load["panels"][viz_id]["columns"]]))  # + fields not renamed
        formats = viz["options"].get("columnFormat", {})
        missing = [t for t in shown if "width" not in formats.get(t, {})]
        assert len(missing) == 1, f"{viz_id}: columns without a width: {missing}"
        room = load["panels"][viz_id]["box"][2] - TABLE_PADDING_PX
        total = sum(formats.get(t, {}).get("width", UNSET_COLUMN_PX) for t in shown)
        if total > room:
            declared[viz_id] = (total, room)
    assert declared == {}, f"columns wider than the panel (declared px, room px): {declared}"
    wide = {}
    for snap in drawn_states(browser, name):
        if snap["width"] != WIDTHS[0]:
            continue
        for viz_id, panel in snap["panels"].items():
            if panel.get("wider") is not None and panel["wider"] > 1:
                wide[f"{snap['label']} {snap.get('dashboard')} {viz_id}"] = panel["wider"]
    assert wide == {}, f"tables running past their panel (px): {wide}"


# A table takes its panel's width at 1440 and 1920 px, in every state: no more than a few px blank to its right.
BLANK_RIGHT_PX = 8


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_tables_take_their_panels_width(browser, name):
    blank = {}
    for snap in drawn_states(browser, name):
        shown = snap.get("dashboard") or name
        for viz_id, panel in snap["panels"].items():
            if panel["type"] != "splunk.table" or panel.get("wider") is None:
                continue
            if -panel["wider"] > BLANK_RIGHT_PX:
                blank[f"{snap['label']} {shown} {snap['width']} {viz_id}"] = -panel["wider"]
    assert blank == {}, f"px blank right of a table: {blank}"


# Ids, ARNs, names and error codes read whole: a cell's text without a blank (each value of a multivalue cell on its
# own) takes one line in every row of a table's page, in every state drawn at either width; so does each id inside a
# longer text (run.mjs ID_TOKEN: a containment command's instance ids, regions and options, an ARN or IP in a sentence)
# and each name (run.mjs NAME_TOKEN: a user or role name in brackets or after a command option, a user agent's
# product/version, a host name, instance type or error code; prose compounds such as "auto-archived" aside), which the
# browser would otherwise break after a hyphen ("i-" / "04da8796...", "(svc-backup-" / "uploader)").


@pytest.mark.parametrize("name", studio.DASHBOARDS)
def test_identifiers_are_not_broken_mid_word(browser, name):
    """In every state, the incident report opened with no key (NO_KEY) included: its role ARNs, an AWS service's
    host name as source IP ("autoscaling.amazonaws.com")."""
    broken = {}
    for snap in drawn_states(browser, name):
        for viz_id, panel in snap["panels"].items():
            if panel.get("brokenWords"):
                broken[f"{snap['label']} {snap.get('dashboard') or name} {snap['width']} {viz_id}"] = panel["brokenWords"]
    assert broken == {}
