"""Dashboard panels that show times give the same instants whatever the analyst's time zone (item 3).

Each panel whose query formats times (strftime) and does not bucket them (timechart, bin, span: local-day
buckets rightly move with the zone) runs on engines in two non-UTC zones - one with a half-hour offset -
and must show the same rows as in UTC once each shown time is read as an instant, each shown time carrying
its zone's abbreviation.
"""
import pytest

from . import studio
from .conftest import (
    CAMPAIGN_END,
    CAMPAIGN_START,
    NOW,
    SHOWN_TIME,
    as_utc,
    baseline_engine,
    record_incidents,
    token_values,
)

DASHBOARDS = ("aws_cryptomining_overview", "aws_cryptomining_investigation", "aws_cryptomining_incident_report",
              "aws_cryptomining_baseline_health")
ZONES = {"Asia/Kolkata": "IST", "America/Los_Angeles": "PDT"}   # October: PDT
BUCKETING = ("timechart", "bin ", "bucket ", "span=")
# Shows the launch-volume baseline's history bounds, which are the search head's local hours (its support
# search bins by hour): in a half-hour zone they rightly sit half an hour away from UTC's.
LOCAL_HOUR_DATA = {"ds_lookup_sizes"}


def timed_panels():
    for name in DASHBOARDS:
        _, definition = studio.load(name)
        for ds_id in definition["dataSources"]:
            if studio.display_chain(definition, ds_id):
                continue  # a table's column titles over its base, which is compared
            spl = studio.full_query(definition, ds_id)
            if "strftime" in spl and not any(word in spl for word in BUCKETING):
                yield name, ds_id, studio.substitute(
                    spl, token_values(definition, CAMPAIGN_START, CAMPAIGN_END, {}))


PANELS = list(timed_panels())


@pytest.fixture(scope="module", params=list(ZONES), ids=list(ZONES))
def zoned(request, app_dir, events, saved_searches, tmp_path_factory):
    """The dashboards' engine (baselines, then findings and incidents) with its search head in `zone`."""
    zone = request.param
    local = baseline_engine(app_dir, events, saved_searches, tmp_path_factory.mktemp("tz"), tz=zone)
    record_incidents(local, events, saved_searches)
    return zone, local


def test_timed_panels_show_the_same_instants_in_every_zone(zoned, engine, events):
    zone, local = zoned
    assert len(PANELS) >= 8
    shown_any, differ = False, []
    for name, ds_id, spl in PANELS:
        kwargs = dict(events=events, now=NOW, earliest=CAMPAIGN_START, latest=CAMPAIGN_END)
        raw = local.search(spl, **kwargs)
        if ds_id not in LOCAL_HOUR_DATA and as_utc(raw, zone) != as_utc(engine.search(spl, **kwargs)):
            differ.append(ds_id)
        shown = [v for row in raw for v in row.values() if isinstance(v, str) and SHOWN_TIME.match(v)]
        assert all(v.endswith(ZONES[zone]) for v in shown), (name, ds_id, shown[:3])
        shown_any = shown_any or bool(shown)
    assert shown_any and differ == []
