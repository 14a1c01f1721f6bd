"""Public API: run_search, Engine (compiled-search cache, event stores asked only for the window),
custom commands from commands.conf over SCP v2, and loud refusal of unsupported syntax."""
from pathlib import Path

import pytest

from splengine import Engine, run_search
from splengine.errors import SplError, SplUnsupportedError

ROOT = Path(__file__).resolve().parents[2]


class RecordingStore:
    """A time-indexed store stand-in: records the windows the engine asks for."""

    def __init__(self, events):
        self.events = sorted(events, key=lambda e: -e["_time"])
        self.calls = []

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None):
        self.calls.append((earliest, latest, index_earliest, index_latest))
        for ev in self.events:
            if earliest is not None and ev["_time"] < earliest:
                continue
            if latest is not None and ev["_time"] >= latest:
                continue
            it = ev.get("_indextime", ev["_time"])
            if index_earliest is not None and it < index_earliest:
                continue
            if index_latest is not None and it >= index_latest:
                continue
            yield ev


def test_engine_asks_the_store_only_for_the_window():
    now = 1_700_003_600
    store = RecordingStore([{"_raw": f"e{i}", "_time": now - i * 600, "_indextime": now - i * 600 + 300}
                            for i in range(12)])
    eng = Engine(ROOT)
    got = eng.search("_index_earliest=-30m _index_latest=now | stats count", events=store, now=now,
                     earliest="-24h", latest="now")
    assert store.calls == [(now - 86400, now, now - 1800, now)]
    assert got == [{"count": 3}]


def test_engine_caches_compiled_searches():
    eng = Engine(ROOT)
    assert eng.compile("| makeresults | eval a=1") is eng.compile("| makeresults | eval a=1")
    assert eng.search("| makeresults | eval a=now()", now=42) == [{"_time": 42, "a": 42}]
    assert eng.search("| makeresults | eval a=now()", now=43) == [{"_time": 43, "a": 43}]


def test_run_search_with_time_zone():
    got = run_search('| makeresults | eval d=strftime(relative_time(now(), "@d"), "%Y-%m-%d %H:%M")',
                     now=1_700_000_000, tz="Asia/Tokyo")
    assert got[0]["d"] == "2023-11-15 00:00"


def test_custom_command_over_scp_v2():
    got = run_search('| makeresults format=csv data="q\nmoneropool.ru\nexample.com" | miningpool domain_field=q'
                     ' | table q mining_indicator', app_dir=ROOT, now=0)
    assert got == [{"q": "moneropool.ru", "mining_indicator": "moneropool.ru"}, {"q": "example.com"}]


def test_custom_command_errors_become_spl_errors():
    with pytest.raises(SplError, match="miningpool: Unrecognized option: bogus=1"):
        run_search("| makeresults | miningpool bogus=1", app_dir=ROOT, now=0)


@pytest.mark.parametrize("spl, message", [
    ("| makeresults | collect index=x", r"Unknown or unsupported command 'collect' \(at position 16\)"),
    ("| makeresults | head 5 bogus", r"head: unsupported or unexpected argument 'bogus' \(at position 23\)"),
    ("| makeresults | dedup x bad=1", r"dedup: unsupported option 'bad' \(at position 24\)"),
    ("| makeresults | rex mode=xml \"(?<a>x)\"", r"rex: unsupported mode 'xml'"),
    ("| makeresults | spath path=a{2}.b", r"indexed array paths"),
    ("search user=TERM(Foo)", r"user=TERM\(\.\.\.\) is not supported .*\(at position 12\)"),
    ("x starttime=1", r"time modifier 'starttime' is not supported \(at position 2\)"),
])
def test_unsupported_syntax_is_refused_with_its_position(spl, message):
    with pytest.raises(SplUnsupportedError, match=message):
        run_search(spl, app_dir=ROOT, now=0)


def test_every_saved_search_of_the_app_compiles():
    from replay.app_overlay import offline_app
    from splengine.conf import read_layered

    geoip = ROOT / "tests" / "data" / "geoip"
    with offline_app(ROOT, geoip / "GeoLite2-City-Test.mmdb") as app:   # ipcontext checks its database
        eng = Engine(app)
        searches = {n: s["search"] for n, s in read_layered(app, "savedsearches.conf").items() if "search" in s}
        assert searches
        for spl in searches.values():
            eng.compile(spl)


def test_newest_first_store_is_streamed_and_others_are_sorted():
    pulled = []

    class Store:
        newest_first = True

        def select(self, *window):
            for i in range(1000):
                pulled.append(i)
                yield {"_raw": f"e{i}", "_time": 1000 - i}

    assert [r["_raw"] for r in run_search("* | head 2", events=Store(), now=2000)] == ["e0", "e1"]
    assert len(pulled) <= 3
    # a plain iterable (here a generator, oldest first) is read once and its matches sorted newest first
    gen = ({"_raw": f"e{i}", "_time": i} for i in range(5))
    assert [r["_raw"] for r in run_search("*", events=gen, now=10)] == ["e4", "e3", "e2", "e1", "e0"]


def test_one_shot_iterators_are_kept_when_a_subsearch_reads_the_events_again():
    gen = ({"_raw": f"user=u{i}", "_time": i, "user": f"u{i}"} for i in range(4))
    got = run_search("* [search user=u2 | fields user]", events=gen, now=10)
    assert [r["user"] for r in got] == ["u2"]
