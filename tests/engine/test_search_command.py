"""search command conformance: terms, field=value, !=, NOT, comparisons, IN, precedence, subsearches.

Semantics from https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/search
and the search manual's "Boolean expressions" page
(https://help.splunk.com/splunk-enterprise/search/search-manual/9.4/search-primer/boolean-expressions):
NOT, then OR, then AND (implicit between terms).
"""
import pytest

from splengine import run_search
from splengine.errors import SplSyntaxError, SplUnsupportedError

NOW = 1_800_000_000

ROWS = [
    {"_raw": "alpha beta", "_time": 5, "f": "Apple", "n": "10", "mv": ["x", "y"]},
    {"_raw": "gamma delta", "_time": 4, "f": "banana", "n": "9"},
    {"_raw": "alpha_gamma", "_time": 3, "n": "abc"},
    {"_raw": "epsilon", "_time": 2, "f": "cherry", "n": "100", "mv": ["z"]},
]


def names(spl, events=ROWS):
    return [r["_raw"] for r in run_search(spl, events=events, now=NOW)]


def test_bare_terms_are_case_insensitive_and_whole_segments():
    assert names("ALPHA") == ["alpha beta", "alpha_gamma"]
    assert names("alph") == []            # a term matches whole segments, not substrings
    assert names("alph*") == ["alpha beta", "alpha_gamma"]


def test_implicit_and_and_quoted_phrase():
    assert names("alpha beta") == ["alpha beta"]
    assert names('"gamma delta"') == ["gamma delta"]


def test_field_value_case_insensitive_with_wildcards():
    assert names("f=apple") == ["alpha beta"]
    assert names("f=b*") == ["gamma delta"]
    assert names("f=*") == ["alpha beta", "gamma delta", "epsilon"]


def test_not_equal_requires_the_field_but_not_does_not():
    # docs: "Searching with the boolean NOT comparison operator is not the same as using the != comparison"
    assert names("f!=apple") == ["gamma delta", "epsilon"]
    assert names("NOT f=apple") == ["gamma delta", "alpha_gamma", "epsilon"]


def test_numeric_and_lexicographic_comparisons():
    assert names("n>9") == ["alpha beta", "epsilon"]
    assert names("n<=9") == ["gamma delta"]
    assert names("n>=a") == ["alpha_gamma"]  # non-numeric value: lexicographic


def test_multivalue_matches_if_any_value_matches():
    assert names("mv=y") == ["alpha beta"]
    assert names("mv IN (z, q)") == ["epsilon"]


def test_or_binds_tighter_than_and():
    # "a b OR c" is a AND (b OR c)
    assert names("alpha beta OR gamma") == ["alpha beta", "alpha_gamma"]
    assert names("(alpha beta) OR epsilon") == ["alpha beta", "epsilon"]
    assert names("NOT alpha OR epsilon") == ["gamma delta", "epsilon"]


def test_in_operator_with_wildcards():
    # docs example: status IN(4*, 5*)
    assert names("f IN (apple, cher*)") == ["alpha beta", "epsilon"]


def test_results_come_newest_first():
    shuffled = [ROWS[2], ROWS[0], ROWS[3], ROWS[1]]
    assert names("*", shuffled) == ["alpha beta", "gamma delta", "alpha_gamma", "epsilon"]


def test_subsearch_becomes_a_filter_via_format():
    spl = 'f=* [| makeresults format=csv data="f\napple\ncherry"]'
    assert names(spl) == ["alpha beta", "epsilon"]


def test_empty_subsearch_matches_nothing():
    # format's default for no results is NOT ( )
    assert names('* [| makeresults | where 1=2]') == []


def test_subsearch_with_return():
    spl = '* [| makeresults format=csv data="fruit\nbanana" | return f=fruit]'
    assert names(spl) == ["gamma delta"]


def test_later_search_filters_rows():
    out = run_search("| makeresults count=3 | streamstats count as i | search i>1", now=NOW)
    assert [r["i"] for r in out] == [2, 3]


def test_earliest_latest_override_dispatch_range():
    events = [{"_raw": f"e{i}", "_time": NOW - i * 60} for i in range(10)]
    got = run_search("earliest=-5m latest=-1m", events=events, now=NOW, earliest=0, latest=NOW)
    # earliest is inclusive, latest exclusive
    assert [r["_raw"] for r in got] == ["e2", "e3", "e4", "e5"]
    got = run_search("*", events=events, now=NOW + 1, earliest="-2m@m", latest="now")
    assert [r["_raw"] for r in got] == ["e0", "e1", "e2"]


def test_index_time_modifiers():
    events = [{"_raw": f"e{i}", "_time": NOW - 3600, "_indextime": NOW - i * 60} for i in range(5)]
    got = run_search("_index_earliest=-2m _index_latest=now", events=events, now=NOW)
    assert [r["_raw"] for r in got] == ["e1", "e2"]


def test_metadata_fields(ct_events):
    got = run_search('index=aws sourcetype="aws:cloudtrail" source=stratus*', events=ct_events, now=NOW)
    assert len(got) == 7


def test_errors_are_positioned():
    with pytest.raises(SplSyntaxError, match=r"missing '\)' \(at position 0\)"):
        run_search("(a OR b", now=NOW)
    with pytest.raises(SplUnsupportedError, match="only supported at the top level"):
        run_search("(earliest=-1h OR a)", now=NOW)
    with pytest.raises(SplUnsupportedError, match=r"Unknown or unsupported command 'frobnicate' \(at position 4\)"):
        run_search("a | frobnicate x", now=NOW)
    with pytest.raises(SplSyntaxError, match="not a generating command"):
        run_search("| eval x=1", now=NOW)
