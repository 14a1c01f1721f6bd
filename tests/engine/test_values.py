"""Value model helpers (splengine.values).

Docs: https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eval
(numbers are double-precision; field values that look like numbers are used as numbers),
https://help.splunk.com/en/splunk-enterprise/search/spl2-search-manual/sort-and-order (lexicographic
order: by encoding, numbers before letters, uppercase before lowercase).
"""
import pytest

from splengine.values import (
    compare,
    format_number,
    is_null,
    make_mv,
    mv_values,
    sort_key,
    to_number,
    to_str,
    wildcard_to_regex,
)


def test_is_null():
    assert is_null(None) and is_null([])
    assert not is_null("") and not is_null(0) and not is_null(["a"])


@pytest.mark.parametrize("text,expected", [
    ("5", 5), ("-12", -12), ("5.0", 5.0), (".5", 0.5), ("1e3", 1000.0), (" 7 ", 7),
    ("0x1F", None), ("abc", None), ("", None), ("nan", None), ("inf", None), ("5abc", None),
    ("123456789012345678901", 123456789012345678901),
])
def test_to_number_strings(text, expected):
    assert to_number(text) == expected
    assert type(to_number(text)) is type(expected)


def test_to_number_non_strings():
    assert to_number(3) == 3 and to_number(2.5) == 2.5
    assert to_number(None) is None and to_number(["1", "2"]) is None and to_number(True) is None


@pytest.mark.parametrize("n,text", [
    (5, "5"), (5.0, "5"), (10 / 4, "2.5"), (1 / 3, "0.3333333333333333"), (1e-7, "0.0000001"),
    (1e20, "100000000000000000000"), (-0.25, "-0.25"),
])
def test_format_number(n, text):
    assert format_number(n) == text
    assert to_str(n) == text


def test_to_str():
    assert to_str(None) is None and to_str("x") == "x"
    with pytest.raises(TypeError):
        to_str(["a", "b"])


def test_mv_helpers():
    assert mv_values(None) == [] and mv_values("a") == ["a"] and mv_values(["a", "b"]) == ["a", "b"]
    assert make_mv([]) is None and make_mv(["a"]) == "a" and make_mv(["a", "b"]) == ["a", "b"]


def test_compare_numbers_numerically_strings_lexicographically():
    assert compare("10", "9") == 1          # both numeric -> numeric
    assert compare("10", "9a") == -1        # one side not numeric -> lexicographic
    assert compare("B", "a") == -1          # uppercase before lowercase
    assert compare(5, "5.0") == 0
    assert compare(None, 1) is None and compare("a", None) is None


def test_sort_key_numbers_before_strings():
    assert sorted(["b", "10", "9", "A"], key=sort_key) == ["9", "10", "A", "b"]


def test_wildcard_to_regex():
    rx = wildcard_to_regex("Run*ces")
    assert rx.match("RunInstances") and rx.match("runinstances") and not rx.match("RunInstancesX")
    assert wildcard_to_regex("a.b").match("a.b") and not wildcard_to_regex("a.b").match("axb")
    assert not wildcard_to_regex("Ab*", case_insensitive=False).match("ab")
