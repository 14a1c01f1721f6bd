"""The analyst role (default/authorize.conf, issue 13 item 11): the dashboards' panels on `_internal`/`_audit`
show an analyst exactly what they show an admin, and the role reaches no other internal record.

Splunk applies a role's srchFilter to every search of its users (authorize.conf.spec, srchFilter); the test
applies it the same way, with the engine, to Splunk's internal records (tests/data/splunk_internal, SYNTHETIC
in Splunk's formats) plus records of other apps in the same formats (built below from those lines, labelled
foreign), then runs every panel that reads an internal index on what the filter lets through.
"""
import re

import pytest

from appbuild.layout import ROOT
from splengine import Engine
from splengine.conf import parse_conf

from . import studio
from .conftest import CAMPAIGN_END, CAMPAIGN_START, KV, NOW, SPLUNKD_HEAD, internal_events, token_values

ROLE = "role_aws_cryptomining_analyst"
INDEX = re.compile(r"\bindex\s*=\s*\"?([A-Za-z0-9_*-]+)")
INTERNAL_QUERY = re.compile(r"\bindex\s*=\s*\"?_(internal|audit)\b")


def role():
    conf = parse_conf((ROOT / "default" / "authorize.conf").read_text(encoding="utf-8"), "authorize.conf")
    return conf[ROLE]


def dashboard_queries():
    """(dashboard, data source id or None for a drilldown, query) of every search the dashboards run."""
    for name in studio.DASHBOARDS:
        _, definition = studio.load(name)
        for ds_id, source in definition["dataSources"].items():
            yield name, ds_id, source["options"]["query"]
        for viz in definition.get("visualizations", {}).values():
            for handler in viz.get("eventHandlers", []):
                query = handler.get("options", {}).get("query")
                if query:
                    yield name, None, query


def _event(raw, index, sourcetype):
    """A record as the dashboards' tests index them (tests/dashboards/conftest.py internal_events)."""
    event = {"_raw": raw, "_time": CAMPAIGN_START + 7200, "_indextime": CAMPAIGN_START + 7201, "index": index,
             "sourcetype": sourcetype, "source": sourcetype, "host": "sh1"}
    for match in KV.finditer(raw):
        event.setdefault(match.group(1), match.group(2) if match.group(2) is not None else match.group(3))
    head = SPLUNKD_HEAD.match(raw) if sourcetype == "splunkd" else None
    if head:
        event.update(head.groupdict())
    return event


def foreign_events(own):
    """Other apps' records in the same formats: the filter must keep them from the analyst."""
    def first(sourcetype, text):
        return next(e["_raw"] for e in own if e["sourcetype"] == sourcetype and text in e["_raw"])
    scheduler = first("scheduler", 'app="aws_cryptomining"')
    audit = first("audittrail", "alert_fired")
    sendmodalert = first("splunkd", "event=")
    return [
        _event(scheduler.replace('app="aws_cryptomining"', 'app="search"').replace(";aws_cryptomining;", ";search;"),
               "_internal", "scheduler"),
        _event(audit.replace('ss_app="aws_cryptomining"', 'ss_app="splunk_secure_gateway"'), "_audit", "audittrail"),
        _event(audit.replace("action=alert_fired", "action=login attempt").replace("ss_app=", "app="),
               "_audit", "audittrail"),
        _event(sendmodalert.replace("action=cryptomining_slack", "action=slack"), "_internal", "splunkd"),
        _event("10-01-2026 02:00:00.000 +0000 INFO  TcpOutputProc - Connected to idx=10.0.0.5:9997",
               "_internal", "splunkd"),
    ]


@pytest.fixture(scope="module")
def engine(staged_app, tmp_path_factory):
    return Engine(staged_app, tmp_path_factory.mktemp("analyst_kv"))


def test_role_is_user_plus_exactly_the_internal_indexes_the_dashboards_read():
    stanza = role()
    assert stanza["importRoles"] == "user"
    read = {m.lower() for _, _, query in dashboard_queries() for m in INDEX.findall(query) if m.startswith("_")}
    assert read == {"_internal", "_audit"}
    assert set(stanza["srchIndexesAllowed"].split(";")) == read  # nothing broader (no "_*")
    assert not any(key.startswith("srchIndexesDefault") or stanza[key] == "enabled" for key in stanza)


def test_the_collections_the_dashboards_read_are_readable_by_every_role():
    """KV store collections and their lookups take the app's default permissions (no stanza of their own in
    metadata/default.meta), which let every role read; the role needs nothing more for them."""
    meta = parse_conf((ROOT / "metadata" / "default.meta").read_text(encoding="utf-8"), "default.meta")
    assert re.search(r"\bread\s*:\s*\[\s*\*\s*\]", meta[""]["access"])
    narrowed = [name for name, stanza in meta.items() if name.startswith(("collections", "transforms", "lookups"))
                and "access" in stanza]
    assert narrowed == []


def test_filter_lets_the_analyst_see_this_apps_internal_records_only(engine):
    own = internal_events()
    foreign = foreign_events(own)
    cloudtrail = {"_raw": '{"eventName": "RunInstances"}', "_time": CAMPAIGN_START + 60, "index": "aws",
                  "sourcetype": "aws:cloudtrail", "source": "s3", "host": "aws-test"}
    seen = engine.search(f"search {role()['srchFilter']}", events=own + foreign + [cloudtrail], now=NOW,
                         earliest=CAMPAIGN_START, latest=CAMPAIGN_END)
    raws = {row["_raw"] for row in seen}
    assert raws >= {e["_raw"] for e in own} | {cloudtrail["_raw"]}
    assert not raws & {e["_raw"] for e in foreign}


def test_every_internal_panel_shows_the_analyst_what_it_shows_an_admin(engine):
    own = internal_events()
    everything = own + foreign_events(own)
    visible = [e for e in everything if e["_raw"] in {
        row["_raw"] for row in engine.search(f"search {role()['srchFilter']}", events=everything, now=NOW,
                                             earliest=CAMPAIGN_START, latest=CAMPAIGN_END)}]
    panels = 0
    for name in studio.DASHBOARDS:
        _, definition = studio.load(name)
        for ds_id in definition["dataSources"]:
            query = studio.full_query(definition, ds_id)
            if not INTERNAL_QUERY.search(query):
                continue
            spl = studio.substitute(query, token_values(definition, CAMPAIGN_START, CAMPAIGN_END, {}))
            admin = engine.search(spl, events=everything, now=NOW, earliest=CAMPAIGN_START, latest=CAMPAIGN_END)
            analyst = engine.search(spl, events=visible, now=NOW, earliest=CAMPAIGN_START, latest=CAMPAIGN_END)
            assert admin, f"{name} {ds_id}: no rows even for an admin"
            assert analyst == admin, f"{name} {ds_id}"
            panels += 1
    assert panels >= 5
