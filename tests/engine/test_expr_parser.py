"""Eval expression syntax: operators, precedence, field names, literals, errors.

https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/eval  (operators, quoting)
https://help.splunk.com/en/splunk-enterprise/search/search-manual/9.3/expressions-and-predicates
  (eval/where evaluate NOT, then AND, then OR, then XOR; operators must be capitalised)
"""

import pytest
from expr_helpers import MiniContext, ev

from splengine.errors import SplError, SplSyntaxError, SplUnsupportedError
from splengine.expr.eval import parse_assignments, parse_expression, truthy


def test_arithmetic_precedence_and_parentheses():
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("10 - 4 - 3") == 3
    assert ev("2 * -3") == -6
    assert ev("7 % 3") == 1


def test_division_is_floating_point():
    assert ev("10 / 4") == 2.5
    assert ev("10 / 2") == 5
    assert ev("1 / 0") is None


def test_concatenation_dot_and_plus_on_strings():
    # eval docs: "." concatenates strings and numbers; "+" on two strings concatenates
    assert ev('"abc" . 1 . "def"') == "abc1def"
    assert ev('first . " " . last', {"first": "Ada", "last": "Lovelace"}) == "Ada Lovelace"
    assert ev('"a" + "b"') == "ab"
    assert ev('"a" + 1') is None


def test_numeric_strings_from_fields_are_numbers():
    assert ev("x + 1", {"x": "41"}) == 42
    assert ev("x * 2", {"x": "1.5"}) == 3.0
    assert ev("x > 9", {"x": "10"}) is True          # numeric, not lexicographic
    assert ev('x > "9"', {"x": "abc"}) is True        # lexicographic when one side is not numeric


def test_logical_precedence_not_and_or_xor():
    # AND before OR
    assert ev("1=1 OR 1=2 AND 1=2") is True
    # NOT applies to the next clause only
    assert ev("NOT 1=2 AND 1=1") is True
    # XOR is evaluated last
    assert ev("1=1 XOR 1=1 OR 1=2") is False
    assert ev("1=1 XOR 1=2") is True


def test_lowercase_logical_operators():
    """The date and time functions page's where clause writes them in lower case: ``(h=c and m > n) or (...)``."""
    assert ev("a=1 and b=2", {"a": "1", "b": "2"}) is True
    assert ev("a=2 or not b=3", {"a": "1", "b": "2"}) is True
    assert ev("and + 1", {"and": "2"}) == 3       # a field named like an operator stays usable as an operand


def test_comparison_operators():
    row = {"a": "5"}
    assert ev("a = 5", row) and ev("a == 5", row) and ev("a != 6", row)
    assert ev("a < 6", row) and ev("a <= 5", row) and ev("a >= 5", row) and not ev("a > 5", row)
    assert ev('"abc" < "abd"') is True
    assert ev('"B" < "a"') is True       # uppercase sorts before lowercase


def test_like_operator_percent_and_underscore():
    assert ev('x LIKE "Run%"', {"x": "RunInstances"}) is True
    assert ev('x LIKE "R_n%"', {"x": "RunInstances"}) is True
    assert ev('x LIKE "run%"', {"x": "RunInstances"}) is False


def test_in_operator():
    assert ev('x IN ("a", "b")', {"x": "b"}) is True
    assert ev('x IN ("a", "b")', {"x": "c"}) is False


def test_field_names_quoted_dotted_braced():
    row = {"5minutes": "late", "responseElements.instancesSet.items{}.instanceType": "p3.16xlarge",
           "user name": "bob"}
    assert ev("'5minutes'=\"late\"", row) is True
    assert ev("responseElements.instancesSet.items{}.instanceType", row) == "p3.16xlarge"
    assert ev("'user name'", row) == "bob"


def test_string_escapes():
    assert ev(r'"say \"hi\""') == 'say "hi"'
    assert ev(r'"a\\b"') == "a\\b"
    assert ev(r'"\d+"') == "\\d+"       # other backslashes are kept for regexes


def test_null_propagation():
    assert ev("x + 1") is None
    assert ev('x . "a"') is None
    assert ev("x > 1") is None
    assert ev("-x") is None


def test_where_truthiness_and_three_valued_logic():
    assert truthy(ev("x > 1")) is False           # comparison with null is false in where
    assert truthy(ev("NOT x > 1")) is False
    assert truthy(ev("x > 1 OR 1=1")) is True
    with pytest.raises(SplError, match="boolean"):
        truthy("yes")


def test_multivalue_comparison_matches_any_value():
    assert ev('x = "b"', {"x": ["a", "b"]}) is True
    assert ev('x = "c"', {"x": ["a", "b"]}) is False


def test_positions_are_absolute():
    with pytest.raises(SplSyntaxError) as e:
        parse_expression("a + ", offset=100)
    assert e.value.position == 104
    with pytest.raises(SplSyntaxError) as e:
        parse_expression('"abc', offset=10)
    assert e.value.position == 10


def test_unknown_function_is_refused_with_name_and_position():
    with pytest.raises(SplUnsupportedError) as e:
        parse_expression("x + frobnicate(1)", offset=20)
    assert "frobnicate" in str(e.value) and e.value.position == 24


def test_wrong_arity_names_function():
    with pytest.raises(SplError, match=r"if\(\) takes 3"):
        parse_expression("if(1=1, 2)")
    with pytest.raises(SplError, match="substr"):
        parse_expression("substr()")


def test_trailing_garbage_is_refused():
    with pytest.raises(SplSyntaxError, match="unexpected"):
        parse_expression("a b")
    with pytest.raises(SplSyntaxError):
        parse_expression("f(a,")


def test_parse_assignments():
    assigns = parse_assignments('a=1, b=a+1, "c d"=upper("x")', offset=5)
    assert [name for name, _ in assigns] == ["a", "b", "c d"]
    row = {}
    ctx = MiniContext()
    for name, expr in assigns:
        row[name] = expr.evaluate(row, ctx)
    assert row == {"a": 1, "b": 2, "c d": "X"}


def test_eval_refuses_boolean_results():
    # eval docs: "The result of an eval expression cannot be a Boolean."
    ((_, expr),) = parse_assignments("ok=1<2")
    with pytest.raises(SplError, match="boolean"):
        expr.evaluate({}, MiniContext())


def test_compiled_once_evaluated_many_times():
    expr = parse_expression('if(x > 100, "big", "small")')
    ctx = MiniContext()
    out = [expr.evaluate({"x": str(i)}, ctx) for i in range(98, 103)]
    assert out == ["small", "small", "small", "big", "big"]
