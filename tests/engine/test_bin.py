"""bin / bucket: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/bin"""
import pytest

from splengine import run_search
from splengine.errors import SplSyntaxError, SplUnsupportedError

T0 = 1628793339          # 2021-08-12T18:35:39Z


def run(spl, events, tz="UTC", **kw):
    return run_search("search * | " + spl, events=events, now=T0 + 86400 * 40, tz=tz, **kw)


def test_time_span_minutes_hours_days():
    ev = [{"_time": T0}]
    assert run("bin _time span=5m", ev)[0]["_time"] == 1628793300          # 18:35:00
    assert run("bucket _time span=1h", [{"_time": T0}])[0]["_time"] == 1628791200   # 18:00:00
    assert run("bin _time span=1d", [{"_time": T0}])[0]["_time"] == 1628726400      # 2021-08-12 00:00Z


def test_day_span_snaps_to_local_midnight():
    out = run("bin _time span=1d", [{"_time": T0}], tz="America/New_York")
    assert out[0]["_time"] == 1628740800        # 2021-08-12 00:00 -04:00


def test_month_span():
    assert run("bin _time span=1mon", [{"_time": T0}])[0]["_time"] == 1627776000    # 2021-08-01


def test_as_keeps_original():
    (r,) = run("bin _time span=1h as hour", [{"_time": T0}])
    assert r["_time"] == T0 and r["hour"] == 1628791200


def test_numeric_span_gives_ranges():
    out = run("bin size span=10", [{"_time": T0, "size": "37"}, {"_time": T0 - 1, "size": "x"}])
    assert out[0]["size"] == "30-40" and out[1]["size"] == "x"


def test_numeric_bins_picks_power_of_ten():
    ev = [{"_time": T0 - i, "n": str(v)} for i, v in enumerate((0, 42, 99))]
    out = run("bin n bins=10", ev)
    assert [r["n"] for r in out] == ["0-10", "40-50", "90-100"]


def test_time_bins_uses_standard_span():
    ev = [{"_time": T0 - i * 600} for i in range(7)]          # one hour of data
    out = run("bin _time bins=10", ev)
    assert {r["_time"] % 600 for r in out} == {0}             # 10-minute buckets


def test_errors():
    with pytest.raises(SplSyntaxError, match="span"):
        run("bin _time span=abc", [])
    with pytest.raises(SplUnsupportedError, match="fortnight"):
        run("bin _time span=1fortnight", [])
    with pytest.raises(SplUnsupportedError, match="minspan applies to _time only"):   # aligntime, minspan: issue 20
        run("bin size minspan=5", [])
