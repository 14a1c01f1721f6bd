"""Conformance cases for the Informational functions page (issue 20): help.splunk.com, SPL Search Reference
9.4/10.x, evaluation-functions/informational-functions. "documented": the page's example with the result it
states; "derived": only what the page's text states."""
import pytest

from splengine import run_search
from splengine.errors import SplError
from splengine.values import to_str

INFO = ("https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/"
        "informational-functions")


def result(spl):
    row, = run_search(spl, now=1_700_000_000)
    return {k: to_str(v) if not isinstance(v, list) else v for k, v in row.items() if k != "_time"}


@pytest.mark.parametrize("expr,expected", [
    ('if(isarray("[1, 2, 3]"), "True", "False")', "True"),     # "returns True because [1, 2, 3] is an array"
    ('if(isarray(1), "True", "False")', "False"),              # "1 is not an array"
    ('if(isbool(1==2), "True", "False")', "True"),             # "returns True because 1==2 is Boolean"
    ('if(isbool(a), "True", "False")', "False"),               # "the value a is not Boolean"
    ('if(isdouble(3.546), "True", "False")', "True"),          # "the value 3.546 is a double"
    ('if(isdouble(1000000), "True", "False")', "False"),       # "1000000 is not a double"
    ('if(isobject("{cities: \\"3\\"}"), "is object", "is not object")', "is not object"),
])
def test_documented_examples(expr, expected):
    assert result(f"| makeresults | eval result = {expr}")["result"] == expected


def test_ismv_example():
    """Documented: split("1, 2, 3", ",") is a multivalue, ismv() of it True."""
    row = result('| makeresults | eval number_list=split("1, 2, 3", ",") '
                 '| eval result=if(ismv(number_list), "True", "False")')
    assert row == {"number_list": ["1", " 2", " 3"], "result": "True"}


@pytest.mark.parametrize("games,expected", [
    ('"Ticket to Ride, Settlers of Catan"', "False"),
    ('"{\\"type\\": \\"competitive\\", \\"name\\": \\"Ticket to Ride\\"}"', "True"),
])
def test_isobject_examples(games, expected):
    """Documented: isobject("games") is False (the literal "games" is no JSON object); isobject(games) of a
    field holding a JSON object is True."""
    arg = '"games"' if expected == "False" else "games"
    row = result(f'| makeresults | eval games = {games} | eval result = if(isobject({arg}), "True", "False")')
    assert row["result"] == expected


@pytest.mark.parametrize("field,fn,expected", [
    ("5", "isint", "int"), ("5.5", "isint", "not int"), (None, "isnull", "yes"), ("x", "isnotnull", "yes"),
    ("12", "isnum", "yes"), ("abc", "isnum", "no"), ("abc", "isstr", "yes"),
])
def test_if_examples_with_a_field(field, fn, expected):
    """Derived: the pages' `eval n=if(<fn>(field), ...)` examples on a field with and without a value."""
    yes, no = ("int", "not int") if fn == "isint" else ("yes", "no")
    setup = f'| eval field="{field}"' if field is not None else ""
    row = result(f'| makeresults {setup} | eval n=if({fn}(field),"{yes}","{no}")')
    assert row["n"] == expected


def test_isnum_of_a_literal_string():
    """Documented (isnum and NaN): isnum("anystring") and isnum("NaN") of literals are false."""
    row = result('| makeresults | eval a=if(isnum("anystring"), "true", "false"), '
                 'b=if(isnum("NaN"), "true", "false")')
    assert row == {"a": "false", "b": "false"}


def test_typeof_example():
    """Documented (typeof): typeof(12) + typeof("string") + typeof(1==2) + typeof(badfield) is
    NumberStringBoolInvalid."""
    row = result('| makeresults | eval n=typeof(12) + typeof("string") + typeof(1==2) + typeof(badfield)')
    assert row["n"] == "NumberStringBoolInvalid"


def test_typeof_of_time():
    """Documented (typeof): typeof(_time) of makeresults is Number."""
    assert result("| makeresults | eval t=typeof(_time)")["t"] == "Number"


def test_isstr_of_literals():
    """Documented (isstr and NaN): isstr("anystring") and isstr("NaN") are true."""
    row = result('| makeresults | eval a=if(isstr("anystring"), "true", "false"), b=if(isstr("NaN"), "true", "false")')
    assert row == {"a": "true", "b": "true"}


# -- Cryptographic functions page: `eval n=md5(field)` etc., no outputs given (derived: "computes and returns
# the MD5 hash" / "the secure hash ... based on the SHA-1/SHA-256/SHA-512 hash function" of the string value;
# expected digests are the FIPS 180 / RFC 1321 test vectors for "abc")
CRYPTO = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/cryptographic-functions"


@pytest.mark.parametrize("fn,digest", [
    ("md5", "900150983cd24fb0d6963f7d28e17f72"),
    ("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
               "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
])
def test_cryptographic_functions_of_a_field(fn, digest):
    assert result(f'| makeresults | eval field="abc" | eval n={fn}(field)')["n"] == digest


# -- Statistical eval functions page (avg, max, min, random)
STAT_EVAL = ("https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/"
             "statistical-eval-functions")


@pytest.mark.parametrize("setup,expr,expected", [
    ('a = 5.0, b = "9", ', "avg(a, b, c)", "7"),            # example 1: "x with value 7"
    ("", "avg(1, 2, 3)", "2"),                               # example 2: "returns c=2"
    ("", 'avg(1, 2, tonumber("3"))', "2"),                   # "where c=2"
    ('a="1", ', "avg(a, 2, 3)", "2"),                        # example 3
    ('a="somedata", ', "avg(a, 2, 3)", "2.5"),               # example 4: "c with value 2.5"
    ('name="baz", ', 'max(1, 3, 6, 7, "foo", name)', "foo"),  # max: "If the value in the name field is baz"
    ('name="zaz", ', 'max(1, 3, 6, 7, "foo", name)', "zaz"),
    ('size=9, ', 'min(3, 6, 7, "maria", size)', "3"),         # min: "If the value in the size field is 9"
    ('size=1, ', 'min(3, 6, 7, "maria", size)', "1"),
])
def test_statistical_eval_documented_examples(setup, expr, expected):
    assert result(f"| makeresults | eval {setup}n={expr}")["n"] == expected


@pytest.mark.parametrize("literal", ['avg(1, 2, "3")', 'avg("somedata", 2, 3)'])
def test_avg_of_a_string_literal_is_an_error(literal):
    """Documented: 'the following example returns an error because one of the arguments ... is a string'."""
    from splengine.errors import SplError
    with pytest.raises(SplError, match="avg"):
        result(f"| makeresults | eval c={literal}")


@pytest.mark.parametrize("values,fn,expected", [("1 3 5 6 4 2", "max", "6"), ("3 5 6 4 7 2", "min", "2")])
def test_max_min_of_a_multivalue_field(values, fn, expected):
    """Documented: max(n) of makemv "1 3 5 6 4 2" is 6; min(n) of "3 5 6 4 7 2" is 2."""
    assert result(f'| makeresults | eval n = "{values}" | makemv n | eval m = {fn}(n)')["m"] == expected


def test_random_range():
    """Derived (random): "a pseudo-random integer ranging from zero to 2^31-1"; (random() % 100000) + 1 is
    between 1 and 100,000."""
    rows = run_search("| makeresults count=200 | eval n=random(), m=(random() % 100000) + 1", now=1)
    assert all(type(r["n"]) is int and 0 <= r["n"] <= 2 ** 31 - 1 for r in rows)
    assert all(1 <= r["m"] <= 100000 for r in rows)
    assert len({r["n"] for r in rows}) > 1


NAN_SETUP = '| makeresults | eval strval="NaN", numval=strval % 1 | fields - _time '


def test_isnum_nan_example():
    """Documented (isnum, "Using isnum in searches with NaN"): a field holding "NaN" and strval % 1 are numbers,
    the literals "anystring" and "NaN" are not; numval shows as NaN. (The page ends with `| transpose`, which
    only turns the one row into the table shown.)"""
    row = result(NAN_SETUP + '| eval literalIsNumeric=if(isnum("anystring"), "true", "false") '
                 '| eval literalNanIsNumeric=if(isnum("NaN"), "true", "false") '
                 '| eval numvalIsNumeric=if(isnum(numval), "true", "false") '
                 '| eval strvalIsNumeric=if(isnum(strval), "true", "false")')
    assert row == {"strval": "NaN", "numval": "NaN", "literalIsNumeric": "false", "literalNanIsNumeric": "false",
                   "numvalIsNumeric": "true", "strvalIsNumeric": "true"}


def test_isstr_nan_example():
    """Documented (isstr, "Using isstr in searches with NaN"): "each isstr test identifies "NaN" as a string,
    regardless of whether the "NaN" is a string or numeric value"."""
    row = result(NAN_SETUP + '| eval literalIsStr=if(isstr("anystring"), "true", "false") '
                 '| eval literalNanIsStr=if(isstr("NaN"), "true", "false") '
                 '| eval numvalIsStr=if(isstr(numval), "true", "false") '
                 '| eval strvalIsStr=if(isstr(strval), "true", "false")')
    assert row == {"strval": "NaN", "numval": "NaN", "literalIsStr": "true", "literalNanIsStr": "true",
                   "numvalIsStr": "true", "strvalIsStr": "true"}


def test_reliable_nan_test():
    """Documented (isnum: "A reliable test for NaN ... | eval isnan=if(isnum(numval), match(numval,"NaN"), false)
    ... the search returns isnan is True"): if()'s third result is a field (false), so the expression is no Boolean
    by its form and its run-time Boolean is stored as True."""
    row = result('| makeresults | eval strval="NaN", numval=strval % 1 '
                 '| eval isnan=if(isnum(numval), match(numval,"NaN"), false)')
    assert row["isnan"] == "True"


@pytest.mark.parametrize("expr", ["1==2", "isnum(1)", "NOT isnull(x)", "if(1==1, 1==2, isnull(x))",
                                  'case(x=1, true(), true(), false())', "1 IN (1, 2)"])
def test_a_boolean_by_its_form_is_refused(expr):
    """Derived: "the eval command can't directly accept a Boolean value. You must specify the function inside
    another function, such as the if function" (every informational function's usage)."""
    with pytest.raises(SplError, match="returns a boolean"):
        result(f"| makeresults | eval b={expr}")
