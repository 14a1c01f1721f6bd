"""Conformance cases for the conversion functions the 10.0 Conversion functions page adds (issue 20): toarray,
tobool, todouble, toint, tomv, toobject (help.splunk.com, SPL Search Reference 10.0). "documented": the page's
example with the output it shows; "derived": only what the page's text states."""
import pytest

from splengine import run_search
from splengine.values import to_str

PAGE = ("https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/evaluation-functions/"
        "conversion-functions")


def one(spl):
    row, = run_search(spl, now=1_700_000_000)
    return row


def ev(expr):
    value = one(f"| makeresults | eval n={expr}").get("n")
    return [to_str(v) for v in value] if isinstance(value, list) else to_str(value)


# -- toarray: the three basic examples and the extended example (documented)
@pytest.mark.parametrize("expr,expected", [
    ('toarray(split("1, 2, 3", ","))', "[1,2,3]"),
    ('toarray("[\\"carrots\\", 1.00, \\"potatoes\\", 1.75]")', '["carrots",1,"potatoes",1.75]'),
    ('if(isnull(toarray("somefield")), "True", "False")', "True"),
])
def test_toarray_basic_examples(expr, expected):
    assert ev(expr) == expected


def test_toarray_extended_example():
    """The multivalue test_data fields 100 200 300 and 4 5 6 become [100,200,300] and [4,5,6]."""
    rows = run_search('| makeresults format=csv data="test_data\n100 200 300\n4 5 6" '
                      '| makemv test_data | eval test_array = toarray(test_data)')
    assert [r["test_array"] for r in rows] == ["[100,200,300]", "[4,5,6]"]


# -- tobool
def test_tobool_basic_example():
    """Documented: in_stock=if(tobool(units), "In Stock", "Not in Stock") over the page's five items."""
    data = ("categoryId,units\nDream Crusher,12\nFinal Sequel,0\nGrand Theft Scooter,15\nMediocre Kingdom,35\n"
            "Orvil the Wolverine,1")
    rows = run_search(f'| makeresults format=csv data="{data}" '
                      '| eval in_stock=if(tobool(units), "In Stock", "Not in Stock")')
    assert [(r["categoryId"], r["in_stock"]) for r in rows] == [
        ("Dream Crusher", "In Stock"), ("Final Sequel", "Not in Stock"), ("Grand Theft Scooter", "In Stock"),
        ("Mediocre Kingdom", "In Stock"), ("Orvil the Wolverine", "In Stock")]


@pytest.mark.parametrize("value,expected", [('"true"', "T"), ('"True"', "T"), ('"false"', "F"), ('"False"', "F"),
                                            ("0", "F"), ("-2.5", "T"), ("1==1", "T"), ('"yes"', None),
                                            ('"TRUE"', None)])
def test_tobool_table(value, expected):
    """Derived: the page's table (other values are null; a null condition in if() is false, so null shows as
    the case() default)."""
    assert ev(f'case(isnull(tobool({value})), null(), tobool({value}), "T", true(), "F")') == expected


def test_tobool_in_where():
    """Derived: "You can use this function directly with the where command"."""
    rows = run_search('| makeresults format=csv data="units\n0\n3" | where tobool(units)')
    assert [r["units"] for r in rows] == ["3"]


# -- todouble / toint (documented basic examples, derived table rows)
@pytest.mark.parametrize("expr,expected", [
    ('todouble("16.00")', "16.00"),      # "converts the value 16.00 from a string to a double"
    ("todouble(5)", "5.0"),              # "converts the value 5 from a number to a double so that it becomes 5.0"
    ('toint("24")', "24"),
    ("toint(3.14)", "3"),                # "rounds the value down to 3"
])
def test_todouble_toint_basic_examples(expr, expected):
    assert ev(expr) == expected


def test_todouble_of_a_string_that_is_no_number_returns_nothing():
    """Documented: 'the following search doesn't return any results: eval result = todouble("number")'."""
    assert "result" not in one('| makeresults | eval result = todouble("number")')


@pytest.mark.parametrize("expr,expected", [
    ('todouble(" 12")', None),           # "if the value contains a leading and trailing space ... returns null"
    ('toint(" 12")', None),
    ('toint(trim(" 12"))', "12"),        # "You can use the trim function with toint"
    ('toint("0A4", 16)', "164"),         # string: floor(tonumber(<value>, <base>))
    ('todouble("ff", 16)', "255.0"),
    ('toint("-2.5")', "-3"),             # floor
    ("toint(split(\"1,2\", \",\"))", None),
])
def test_todouble_toint_table(expr, expected):
    """Derived: the pages' conversion tables."""
    assert ev(expr) == expected


# -- tomv
def test_tomv_basic_example():
    """The page's example: ponies' array becomes the multivalue Buttercup, Fluttershy, Rarity. Derived in its quotes:
    the page's table prints each value in double quotes, while its text says tomv "omits the double quotation
    marks" and its conversion table says json_array_to_mv(<value>), which drops them (splengine/SEMANTICS.md)."""
    row = one('| makeresults | eval ponies = json_array("Buttercup", "Fluttershy", "Rarity"), mv_ponies = tomv(ponies)')
    assert (row["mv_ponies"], row["ponies"]) == (["Buttercup", "Fluttershy", "Rarity"],
                                                 '["Buttercup","Fluttershy","Rarity"]')


def test_tomv_extended_example():
    """The surname array of a string and an object: two values, the object as compact JSON (quotes as above)."""
    row = one('| makeresults | eval surname = json_array("dubois", json_object("name", "patel")), '
              'surname_mv=tomv(surname)')
    assert (row["surname"], row["surname_mv"]) == ('["dubois",{"name":"patel"}]', ["dubois", '{"name":"patel"}'])


@pytest.mark.parametrize("expr,expected", [('tomv(split("a,b", ","))', ["a", "b"]), ('tomv("abc")', None),
                                           ('tomv(json_object("a", 1))', None)])
def test_tomv_table(expr, expected):
    """Derived: a multivalue stays, "there is no conversion from string", other values are null."""
    assert ev(expr) == expected


# -- toobject
def test_toobject_basic_example():
    row = one('| makeresults | eval employee_record = toobject("{\\"name\\": \\"maria\\", \\"age\\": 25, '
              '\\"status\\": \\"full-time\\"}")')
    assert row["employee_record"] == '{"name":"maria","age":25,"status":"full-time"}'


@pytest.mark.parametrize("expr,expected", [('toobject(json_object("a", 1))', '{"a":1}'), ('toobject("[1]")', None),
                                           ('toobject("maria")', None)])
def test_toobject_table(expr, expected):
    """Derived: an object stays, a string is parsed as an object, anything else is null."""
    assert ev(expr) == expected
