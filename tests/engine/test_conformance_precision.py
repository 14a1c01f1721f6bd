"""Conformance cases for eval's decimal precision (issue 20): the eval page's "Rounding" section and the
Mathematical functions page's exact() and sigfig() (help.splunk.com, SPL Search Reference 9.4).
"documented": the page's example with the output it states; "derived": only what the page's text states."""
import pytest

from splengine import run_search
from splengine.values import to_str

EVAL = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eval"
MATH = ("https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/"
        "mathematical-functions")


def shown(spl):
    """The rows as Splunk shows them: every value in its rendered string form."""
    return [{k: to_str(v) for k, v in row.items() if k != "_time"} for row in run_search(spl, now=1_700_000_000)]


def test_eval_rounding_example():
    """Documented (EVAL, Usage > Rounding): 'the following search has different precision for 0.2 in each of
    the calculations based on the number of zeros following the number 2' -> 2, 1.7, 1.65, 1.650."""
    rows = shown("|makeresults | eval decimal1=8.250 * 0.2, decimal2=8.250 * 0.20, decimal3=8.250 * 0.200, "
                 "exact=8.250 * exact(0.2)")
    assert rows == [{"decimal1": "2", "decimal2": "1.7", "decimal3": "1.65", "exact": "1.650"}]


def test_sigfig_example_1():
    """Documented (MATH, sigfig example 1): '1.00*1111 returns the value n=1111', sigfig() of it 'returns
    n=1110' (3 significant figures, the fewer of 1.00's 3 and 1111's 4)."""
    assert shown("| makeresults | eval m=1.00*1111, n=sigfig(1.00*1111)") == [{"m": "1111", "n": "1110"}]


def test_sigfig_addition_keeps_fewest_decimal_places():
    """Derived (MATH, sigfig usage): 'If the calculation is 123.0 + 4.567 = 127.567, then the sigfig function
    returns the fewest number of decimal places ... the result returned is 127.6'."""
    assert shown("| makeresults | eval n=sigfig(123.0 + 4.567)") == [{"n": "127.6"}]


@pytest.mark.parametrize("count,expected", [(100, "3.9900000000000055"), (10000, "3.990000000000215")])
def test_sigfig_example_2_stats_average_is_a_double(count, expected):
    """Documented (MATH, sigfig example 2): the average of 3.99 over 100 and 10000 rows."""
    assert shown(f"| makeresults count={count} | eval test=3.99 | stats avg(test)") == [{"avg(test)": expected}]


def test_sigfig_example_2_multiplied_by_one_point_zero_zero():
    """Documented (MATH, sigfig example 2): sigfig(test*1.00) of that average 'The result ... 3.99'."""
    rows = shown("| makeresults count=10000 | eval test=3.99 | stats avg(test) AS test "
                 "| eval new_test=sigfig(test*1.00)")
    assert rows == [{"test": "3.990000000000215", "new_test": "3.99"}]


@pytest.mark.parametrize("expr,expected", [
    ("0.014 * 0.23", "0.0032"),      # 2 significant figures each: leading zeros do not count
    ("8.250 / 0.20", "41"),          # division follows multiplication's rule; integer digits stay
    ("1.5 * 2", "3.0"),              # an integer is exact: only 1.5's 2 significant figures count
    ("123.0 + 4.567", "127.6"),      # addition: the fewest decimal places
    ("5.25 - 0.5", "4.8"),           # subtraction: likewise (4.75 to 1 place, half away from zero)
    ("2.50 + 1", "3.50"),            # an integer limits no decimal places
    ("-(1.20 * 2)", "-2.40"),
    ("8.250", "8.250"),              # a literal shows the digits it was written with
    ("10 / 4", "2.5"),               # exact operands: the double itself
])
def test_precision_rules(expr, expected):
    """Derived (EVAL Rounding: 'The precision of the results can be no greater than the precision of the
    least-precise input'; MATH sigfig usage: multiplication/division keep the fewest significant figures,
    addition/subtraction the fewest decimal places)."""
    assert shown(f"| makeresults | eval n={expr}") == [{"n": expected}]


def test_precision_of_field_values_carries_through_evals():
    """Derived (EVAL Rounding): a field's value is an input with the precision it is written with."""
    rows = shown("| makeresults | eval x1=0.014 | eval x2=\"0.230\" | eval x3=x1*x2, x4=x2*10")
    assert rows == [{"x1": "0.014", "x2": "0.230", "x3": "0.0032", "x4": "2.30"}]


def test_exact_renders_every_digit():
    """Derived (MATH exact: 'renders the result of a numeric expression with a larger amount of precision in
    the formatted output'; the page's example is exact(3.14 * num))."""
    assert shown("| makeresults | eval num=7, n=exact(3.14 * num), r=3.14 * num") == \
        [{"num": "7", "n": "21.98", "r": "22.0"}]


def test_rounded_rendering_keeps_the_value():
    """Derived: only the rendering rounds; comparisons see the computed double (see SEMANTICS.md)."""
    assert shown("| makeresults | eval d=8.250 * 0.2 | where d > 1.6 AND d < 1.7 | eval c=if(d=2, \"two\", \"not\")") \
        == [{"d": "2", "c": "not"}]


def test_sigfig_of_an_exact_number_is_the_number():
    """Derived (MATH sigfig: 'rounds that number to the appropriate number of significant figures'): an
    integer or an exact() result has no fewer figures to round to."""
    assert shown("| makeresults | eval a=sigfig(1111), b=sigfig(exact(1.00*1111.5))") == [{"a": "1111", "b": "1111.5"}]


MAKERESULTS = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/makeresults"


@pytest.mark.parametrize("expr,expected", [
    ("round(805/1000, 4)", "0.8050"),            # an exact input: the four places asked for
    ("round(2.555, 2)", "2.56"),                  # MATH round example: "returns 2.56"
    ("round(4, 2)", "4.00"),
    ("round(200*exact(0.02), 2)", "4.00"),        # exact(): every figure kept, round() sets the precision
    ("round(200*0.02, 2)", "4"),                  # a measured input: the rounded double (Splunk Answers' "$4")
    ("round(44.93/24, 4)", "1.8721"),
    ("round(3.14159, 2) * 2", "6.28"),
    ("round(2.5)", "3"),
])
def test_round_sets_the_precision_shown(expr, expected):
    """Documented (MAKERESULTS extended example 5, `eval test=round(random()/random(),4)`): the page's table
    shows values such as 0.8050, with four decimal places kept: round(x, N) of an exact x shows N decimal places.
    A measured x (a decimal written with its precision) gives the rounded double (splengine/SEMANTICS.md)."""
    assert shown(f"| makeresults | eval n={expr}") == [{"n": expected}]
