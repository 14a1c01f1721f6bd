"""Alerts do not depend on the search head's time zone, and every time they show says its offset (item 3).

strftime formats in the user's (here: the replay's) time zone, so a literal "Z" after it was a lie outside
UTC; the app's formats end in %:z (the offset, +05:30). The campaign scenario that most detections' tests
use is replayed with the search head in two other zones - one with a half-hour offset - and must raise the
same alerts, at the same instants, with the same rows once each shown time is read back as an instant.
"""
import re
from datetime import datetime

import pytest
from detection_scenarios import replay

SCENARIO = (("samples/synthetic-campaign",), 14)
ZONES = ("Asia/Kolkata", "America/Los_Angeles")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$")


def instant(value):
    if isinstance(value, list):
        return tuple(instant(v) for v in value)
    if isinstance(value, str) and ISO.match(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return value


def alerts(result):
    return sorted((a.search_name, a.trigger_time,
                   tuple(sorted(tuple(sorted((k, instant(v)) for k, v in row.items())) for row in a.results)))
                  for a in result.alerts)


def shown_times(result):
    return [v for a in result.alerts for row in a.results for v in row.values() if isinstance(v, str) and ISO.match(v)]


@pytest.mark.parametrize("zone", ZONES)
def test_campaign_alerts_are_the_same_in_every_time_zone(zone):
    in_utc, local = replay(*SCENARIO), replay(*SCENARIO, tz=zone)
    assert local.errors == [] and in_utc.alerts
    assert alerts(local) == alerts(in_utc)
    offset = {"Asia/Kolkata": "+05:30", "America/Los_Angeles": "-07:00"}[zone]   # October: PDT
    shown = shown_times(local)
    assert shown and all(t.endswith(offset) for t in shown), shown[:3]
    assert all(t.endswith("+00:00") for t in shown_times(in_utc))
