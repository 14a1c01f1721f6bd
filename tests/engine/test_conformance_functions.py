"""Conformance cases for eval functions (issue 20), from the Search Reference's Evaluation functions pages
(help.splunk.com, SPL Search Reference 9.4). "documented": the page's own example with the output it states;
"derived": only what the page's text states."""
import pytest

from splengine import run_search
from splengine.errors import SplError

REF = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions"
CONVERSION = f"{REF}/conversion-functions"
MATH = f"{REF}/mathematical-functions"


def ev(expr, setup=""):
    row, = run_search(f"| makeresults | eval {setup}n={expr}" if setup else f"| makeresults | eval n={expr}",
                      now=1_700_000_000)
    return row.get("n")


# -- CONVERSION printf: the "Supported conversion specifiers" and "Flag characters" tables (documented)
@pytest.mark.parametrize("expr,expected", [
    ('printf("%.3A",pi())', "0X1.922P+1"),
    ('printf("%c,%c",65,"Foo")', "A,F"),
    ('printf("%d,%i,%d",-2,+4,30)', "-2,4,30"),
    ('printf("%.2e",5139)', "5.14e+03"),
    ('printf("%.2f",pi())', "3.14"),
    ('printf("%.2g,%.2g",pi(),123)', "3.1,1.2e+02"),
    ('printf("%o",255)', "377"),
    ('printf("%s%z", "foo", "bar")', "foobar"),
    ('printf("%u",99)', "99"),
    ('printf("%x,%X,%p",10,10,10)', "a,A,A"),
    ('printf("100%%")', "100%"),
    ("printf(\"%'d\",12345)", "12,345"),
    ('printf("%-4d",1)', "1   "),
    ('printf("%04d",1)', "0001"),
    ('printf("%#x", 1)', "0x1"),
    ('printf("%.*f", 1, 1.23)', "1.2"),
])
def test_printf_documented_examples(expr, expected):
    assert ev(expr) == expected


@pytest.mark.parametrize("expr,expected", [
    # "%+4d" (page shows +1) and "% -4d" (page shows 1): width 4 pads with blanks ("If the value to print is
    # shorter than this number, the result is padded with blank spaces"); the page's HTML drops the blanks
    ('printf("%+4d",1)', "  +1"),
    ('printf("% -4d",1)', " 1  "),
    ('printf("%*d", 5, 123)', "  123"),
    ('printf("%*.*e", 9, 2, pi())', " 3.14e+00"),
])
def test_printf_width_pads_with_blanks(expr, expected):
    """Derived: the Field width table's rule, the page's examples with their padding."""
    assert ev(expr) == expected


# -- CONVERSION tonumber / tostring
@pytest.mark.parametrize("expr,expected", [
    ('tonumber("0A4",16)', 164),            # "uses a base of 16 to return the number 164"
    ('tonumber("0101", 2)', 5),             # Binary conversion: "the result of the following function is 5"
    ('tostring(9, "binary")', "1001"),      # "the binary representation of 9 is 1001"
    ('tostring(1==1) + " " + tostring(15, "hex") + " " + tostring(12345.6789, "commas")', "True 0xF 12,345.68"),
])
def test_tonumber_and_tostring_documented_examples(expr, expected):
    assert ev(expr) == expected


def test_tostring_duration_documented_example():
    """"The following example returns foo=615 and foo2=00:10:15"."""
    row, = run_search('| makeresults | eval foo=615 | eval foo2 = tostring(foo, "duration")')
    assert (row["foo"], row["foo2"]) == (615, "00:10:15")


@pytest.mark.parametrize("value,expected,trimmed", [(" 12", None, 12), ("12 ", None, 12), ("12", 12, 12),
                                                    ("12.5", 12.5, 12.5), ("seven", None, None)])
def test_tonumber_of_a_field_value(value, expected, trimmed):
    """Derived: "If the tonumber function can't parse a field value to a number, for example if the value
    contains a leading and trailing space, the function returns NULL. Use the trim function"."""
    assert ev("tonumber(v)", f'v="{value}", ') == expected
    assert ev("tonumber(trim(v))", f'v="{value}", ') == trimmed


def test_tonumber_of_a_literal_that_does_not_parse_fails():
    """Documented: "If the tonumber function can't parse a string to a number, the function returns an error.
    For example, the following search fails: | makeresults | eval result=tonumber("seven")"."""
    with pytest.raises(SplError, match="tonumber\\(\\): 'seven' is not a number"):
        run_search('| makeresults | eval result=tonumber("seven")')


def test_tonumber_decimal_point_gives_a_double():
    """Derived: "If the string contains a decimal point ( . ), then the tonumber function converts the string to
    a double. Otherwise, the function converts the string to an integer"."""
    row, = run_search('| makeresults | eval d=tonumber("16.00"), i=tonumber("16"), t=typeof(d)')
    assert type(row["d"]) is float and type(row["i"]) is int and row["t"] == "Number"


# -- MATH: the basic examples with their stated results (documented)
@pytest.mark.parametrize("expr,expected", [
    ("ceil(1.9)", 2), ("floor(1.9)", 1), ("round(3.5)", 4), ("round(2.555, 2)", 2.56), ("sqrt(9)", 3),
    ("sum(1, 2, 3)", 6), ("sum(1, 2, tonumber(\"3\"))", 6),
])
def test_math_documented_examples(expr, expected):
    assert ev(expr) == expected


@pytest.mark.parametrize("setup,expected", [
    # "a field called a with value 5.0, a field called b with value 9, and a field called x with value 14 ...
    # A field is not created for c"
    ('a = 5.0, b = "9", ', 14),
    ('a="1", ', 6),            # Example 3: "a field called c with value 6"
    ('a="somedata", ', 5),     # Example 4: "a field called c with value 5"
])
def test_sum_documented_examples(setup, expected):
    expr = "sum(a, b, c)" if "b =" in setup else "sum(a, 2, 3)"
    row, = run_search(f"| makeresults | eval {setup}n={expr}")
    assert row["n"] == expected and "c" not in row


@pytest.mark.parametrize("expr", ['sum(1, 2, "3")', 'sum("somedata", 2, 3)'])
def test_sum_of_a_string_literal_is_an_error(expr):
    """Documented: "the following example returns an error because one of the arguments ... is a string"."""
    with pytest.raises(SplError, match="sum\\(\\): the string literal"):
        ev(expr)


def test_sum_of_a_multivalue_field():
    """Derived: "When the function is applied to a multivalue field, each numeric value of the field is
    included in the total"."""
    assert ev('sum(m, 10)', 'm=split("1,2,x", ","), ') == 13
