"""iplocation over MaxMind's GeoLite2 City test database (tests/data/geoip, Apache-2.0/MIT).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/iplocation
Output fields City, Country, Region, lat, lon; allfields=true adds Continent, MetroCode, Timezone; prefix=.
"""
from pathlib import Path

import pytest

from splengine import run_search
from splengine.errors import SplError

GEOIP_DB = Path(__file__).resolve().parents[1] / "data" / "geoip" / "GeoLite2-City-Test.mmdb"

DATA = '| makeresults format=csv data="ip\n81.2.69.160\n216.160.83.56\n8.8.8.8\nnot-an-ip\n67.43.156.0"'


def test_default_fields():
    got = run_search(DATA + " | iplocation ip", now=0, geoip_db=GEOIP_DB)
    assert {k: got[0][k] for k in ("City", "Region", "Country", "lat", "lon")} == {
        "City": "London", "Region": "England", "Country": "United Kingdom", "lat": "51.5142", "lon": "-0.0931"}
    assert "Continent" not in got[0]
    assert got[1]["City"] == "Milton" and got[1]["Region"] == "Washington"
    assert set(got[2]) == {"_time", "ip"} and set(got[3]) == {"_time", "ip"}   # not found / not an IP
    assert got[4]["Country"] == "Bhutan" and "City" not in got[4]


def test_prefix_and_allfields():
    got = run_search(DATA + " | iplocation prefix=src_ allfields=true ip | head 1", now=0, geoip_db=GEOIP_DB)
    assert got[0]["src_City"] == "London"
    assert got[0]["src_Continent"] == "Europe" and got[0]["src_Timezone"] == "Europe/London"


def test_missing_database_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("SPLENGINE_GEOIP_DB", raising=False)
    with pytest.raises(SplError, match="no GeoIP2 City database configured"):
        run_search(DATA + " | iplocation ip", now=0)
