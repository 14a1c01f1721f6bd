"""The plan's footprint (what a search reads, writes, how far back it looks) for every shipped saved search,
checked against what its macro-expanded SPL text says, command by command, and on small searches whose answers
follow from the search language (subsearches, append, OR/IN, NOT, wildcards, inline time modifiers)."""
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from replay.app_overlay import offline_app
from replay.savedsearches import load_saved_searches
from splengine import Engine
from splengine.footprint import Write
from splengine.timemod import parse_time_modifier
from splengine.tokenizer import strip_comments

ROOT = Path(__file__).resolve().parents[2]
UTC = ZoneInfo("UTC")
SEARCHES = load_saved_searches(ROOT / "default" / "savedsearches.conf")
NOW = 1_790_000_000   # any run time
# The text oracles: every command's name after a pipe (or `[` of a subsearch), its options, then the table.
_OUTPUT = re.compile(r"(?:\||\[)\s*outputlookup\s+((?:\w+\s*=\s*\S+\s+)*)([\w.]+)")
_READ = re.compile(r"(?:\||\[)\s*(?:inputlookup|lookup)\s+(?:\w+\s*=\s*\S+\s+)*([\w.]+)")
_SOURCETYPE = re.compile(r"\bsourcetype\s*(=|!=|::|\s+IN\s*\()\s*(\"[^\"]*\"|[^\s)]+)", re.IGNORECASE)


@pytest.fixture(scope="module")
def engine():
    with offline_app(ROOT, ROOT / "tests" / "data" / "geoip" / "GeoLite2-City-Test.mmdb") as app:
        yield Engine(app)


def _text(engine, search):
    return engine.app.macros.expand(strip_comments(search.search))


@pytest.mark.parametrize("search", SEARCHES, ids=lambda s: s.name)
def test_writes_and_reads_match_the_commands_in_the_text(engine, search):
    text = _text(engine, search)
    footprint = engine.compile(search.search).footprint
    expected_writes = [Write("outputlookup", table, bool(re.search(r"\bappend\s*=\s*(t|true|1)\b", opts, re.I)))
                       for opts, table in _OUTPUT.findall(text)]
    assert sorted(footprint.writes, key=str) == sorted(expected_writes, key=str)
    assert footprint.lookups == set(_READ.findall(text))
    transforms = engine.app.conf("transforms.conf")
    tables = footprint.lookups | {w.target for w in footprint.writes}
    assert footprint.collections == {transforms[t]["collection"] for t in tables
                                     if transforms.get(t, {}).get("external_type") == "kvstore"}


@pytest.mark.parametrize("search", SEARCHES, ids=lambda s: s.name)
def test_sourcetypes_match_the_text(engine, search):
    """Every shipped search names its sourcetypes with literal `sourcetype="x"` tests: the plan requires exactly
    those (or reads no events at all)."""
    text = _text(engine, search)
    footprint = engine.compile(search.search).footprint
    named = {value.strip('"') for op, value in _SOURCETYPE.findall(text)}
    assert all(op == "=" for op, _ in _SOURCETYPE.findall(text)), "a shipped search negates a sourcetype"
    assert footprint.sourcetypes == named
    assert footprint.indexes == ({"aws"} if footprint.retrievals else set())


@pytest.mark.parametrize("search", [s for s in SEARCHES if s.scheduled], ids=lambda s: s.name)
def test_main_lookback_is_the_dispatch_window_of_a_search_that_retrieves_events(engine, search):
    footprint = engine.compile(search.search).footprint
    back = footprint.lookback(search.earliest, search.index_earliest, NOW, UTC, main_only=True)
    if search.search.lstrip().startswith("|"):
        assert back == 0 and not any(main for _, main in footprint.retrievals)
        return
    reaches = [NOW - parse_time_modifier(bound, NOW, UTC) for bound in (search.earliest, search.index_earliest) if bound]
    assert back == min(reaches)
    assert footprint.lookback(search.earliest, search.index_earliest, NOW, UTC) >= back


@pytest.mark.parametrize("spl,indexes,sourcetypes", [
    ('index=aws sourcetype="aws:cloudtrail" eventName=RunInstances', {"aws"}, {"aws:cloudtrail"}),
    ("index=aws (sourcetype=a OR sourcetype=b)", {"aws"}, {"a", "b"}),
    ("index=aws sourcetype IN (a, b)", {"aws"}, {"a", "b"}),
    ("index=aws (sourcetype=a OR eventName=x)", {"aws"}, None),   # one branch reads any sourcetype
    ("index=aws NOT sourcetype=a", {"aws"}, None),
    ("index=aws sourcetype=aws:*", {"aws"}, None),
    ("index=aws sourcetype::a", {"aws"}, None),               # an indexed-field term: not a field test
    ("sourcetype=a | append [search index=other sourcetype=b]", None, {"a", "b"}),
    ('index=aws sourcetype=a [search index=aws sourcetype=b | fields x]', {"aws"}, {"a", "b"}),
    ("| makeresults | eval x=1", set(), set()),
])
def test_what_the_base_searches_require(engine, spl, indexes, sourcetypes):
    footprint = engine.compile(spl).footprint
    assert footprint.indexes == (None if indexes is None else frozenset(indexes))
    assert footprint.sourcetypes == (None if sourcetypes is None else frozenset(sourcetypes))


def test_lookback_takes_inline_modifiers_and_subsearches(engine):
    footprint = engine.compile("index=aws x=1 earliest=-2h | append [search index=aws earliest=-7d@d y=1]").footprint
    assert footprint.retrievals == (({"earliest": "-2h"}, True), ({"earliest": "-7d@d"}, False))
    now = 20718 * 86400 + 3600 * 5   # 2026-09-22 05:00 UTC: -7d@d reaches 7 days and 5 hours back
    assert footprint.lookback("-24h", None, now, UTC, main_only=True) == 7200
    assert footprint.lookback("-24h", None, now, UTC) == 7 * 86400 + 5 * 3600
    assert engine.compile("index=aws x=1").footprint.lookback(None, None, now, UTC) is None   # all time
    assert engine.compile("index=aws x=1").footprint.lookback("-1h", "-10m", now, UTC) == 600   # the tighter bound


def test_appended_writes_and_kvstore_reads(engine):
    footprint = engine.compile("| inputlookup aws_cryptomining_findings | lookup aws_cryptomining_instance_types "
                               "instance_type OUTPUT vcpu | outputlookup append=true aws_cryptomining_allowlist "
                               "| outputlookup aws_cryptomining_incidents").footprint
    assert footprint.lookups == {"aws_cryptomining_findings", "aws_cryptomining_instance_types"}
    assert footprint.writes == (Write("outputlookup", "aws_cryptomining_allowlist", True),
                                Write("outputlookup", "aws_cryptomining_incidents", False))
    assert footprint.collections == {"aws_cryptomining_findings", "aws_cryptomining_allowlist",
                                     "aws_cryptomining_incidents"}
    assert footprint.retrievals == ()
