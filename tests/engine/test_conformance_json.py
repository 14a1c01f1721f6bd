"""Conformance cases for the JSON eval functions (issue 20), from the Search Reference's JSON functions page
(help.splunk.com, SPL Search Reference 9.4, evaluation-functions/json-functions). "documented": the page's
example with the output it states; "derived": only what the page's text states. JSON values are compact JSON
text, as the page's json_extract results show (splengine/SEMANTICS.md)."""
import json

import pytest

from splengine import run_search
from splengine.errors import SplUnsupportedError

JSON_FUNCTIONS = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/json-functions"


def evals(assignments, setup=""):
    row, = run_search(f"| makeresults {setup}| eval {assignments} | fields - _time", now=1_700_000_000)
    return row


def quoted(value):
    """An SPL double-quoted string literal holding ``value``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("expr,expected", [
    # json_object examples 1-3 and json_array examples 1-2, with the JSON the page states
    ('json_object("name", "maria")', {"name": "maria"}),
    ('json_object("name", json_array("maria", "arun"))', {"name": ["maria", "arun"]}),
    ('json_object("cities", json_array("London", "Sydney", "Berlin", "Santiago"))',
     {"cities": ["London", "Sydney", "Berlin", "Santiago"]}),
    ('json_array("buttercup", "fluttershy", "rarity")', ["buttercup", "fluttershy", "rarity"]),
    ('json_array("dubois", json_object("name", "patel"))', ["dubois", {"name": "patel"}]),
])
def test_json_object_and_json_array_examples(expr, expected):
    """Documented (JSON_FUNCTIONS json_object, json_array examples)."""
    assert json.loads(evals(f"n={expr}")["n"]) == expected


def test_json_object_nested_example():
    """Documented (json_object example 4): a nested object holding the gamelist array."""
    row = evals('gamelist = json_array("Pandemic", "Forbidden Island", "Castle Panic"), games = json_object('
                '"category", json_object("boardgames", json_object("cooperative", gamelist)))')
    assert json.loads(row["games"]) == {
        "category": {"boardgames": {"cooperative": ["Pandemic", "Forbidden Island", "Castle Panic"]}}}


def test_json_example_1():
    """Documented (json example 1): json() of the animals object returns its value, {"animal":"pony"}."""
    assert evals('animals = json_object("animal", "pony"), result = json(animals)')["result"] == '{"animal":"pony"}'


def test_json_of_a_value_that_is_not_json():
    """Documented (json example 2): "When the value is not JSON, the function returns null" (Golden Gate Bridge)."""
    assert "result" not in evals('bridges="Golden Gate Bridge", result = json(bridges)')


CITIES = [
    {"name": "London", "Bridges": [{"name": "Tower Bridge", "length": 801},
                                   {"name": "Millennium Bridge", "length": 1066}]},
    {"name": "Venice", "Bridges": [{"name": "Rialto Bridge", "length": 157}, {"name": "Bridge of Sighs", "length": 36},
                                   {"name": "Ponte della Paglia"}]},
    {"name": "San Francisco", "Bridges": [{"name": "Golden Gate Bridge", "length": 8981},
                                          {"name": "Bay Bridge", "length": 23556}]},
]


def extract(document, path):
    text = json.dumps(document, separators=(",", ":"))
    return evals(f"n=json_extract(cities, {quoted(path)})", setup=f"| eval cities={quoted(text)} ").get("n")


def test_json_extract_example_1_whole_object():
    """Documented (json_extract example 1): "{}" returns the entire object of the cities field."""
    document = {"cities": CITIES}
    assert extract(document, "{}") == json.dumps(document, separators=(",", ":"))


@pytest.mark.parametrize("path,expected", [
    ("{0}", '{"name":"London","Bridges":[{"name":"Tower Bridge","length":801},{"name":"Millennium Bridge",'
            '"length":1066}]}'),
    ("{2}", '{"name":"San Francisco","Bridges":[{"name":"Golden Gate Bridge","length":8981},{"name":"Bay Bridge",'
            '"length":23556}]}'),
    ("{}.name", '["London","Venice","San Francisco"]'),
    ("{}.Bridges{}", '[{"name":"Tower Bridge","length":801},{"name":"Millennium Bridge","length":1066},'
                     '{"name":"Rialto Bridge","length":157},{"name":"Bridge of Sighs","length":36},'
                     '{"name":"Ponte della Paglia"},{"name":"Golden Gate Bridge","length":8981},'
                     '{"name":"Bay Bridge","length":23556}]'),
    ("{}.Bridges{}.name", '["Tower Bridge","Millennium Bridge","Rialto Bridge","Bridge of Sighs",'
                          '"Ponte della Paglia","Golden Gate Bridge","Bay Bridge"]'),
    ("{2}.Bridges{0}", '{"name":"Golden Gate Bridge","length":8981}'),
    ("{2}.Bridges{0}.length", 8981),
])
def test_json_extract_examples_2_to_8(path, expected):
    """Documented (json_extract examples 2-8, with the results the page shows): "{0}" is London, "{2}" San
    Francisco, "{}.name" the city names ... "{2}.Bridges{0}.length" is 8981. The {<num>} indexing "only works
    when the <path> maps to a JSON array", so these examples apply to the array of cities."""
    assert extract(CITIES, path) == expected


@pytest.mark.parametrize("document,keys", [
    ({"name": "Clifton Suspension Bridge", "length": 1352, "city": "Bristol", "country": "England"},
     ["name", "length", "city", "country"]),
    ({"name": "Rialto Bridge", "length": 157, "city": "Venice", "region": "Veneto", "country": "Italy"},
     ["name", "length", "city", "region", "country"]),
    ({"name": "Tilikum Crossing", "length": 1700, "city": "Portland", "state": "Oregon", "country": "United States"},
     ["name", "length", "city", "state", "country"]),
])
def test_json_keys_examples(document, keys):
    """Documented (json_keys examples 1-2): the keys as a JSON array, in the object's order, printed as the page
    prints them (a blank after each comma)."""
    row = evals("bridge_keys = json_keys(bridges)", setup=f"| eval bridges={quoted(json.dumps(document))} ")
    assert row["bridge_keys"] == "[" + ", ".join(f'"{k}"' for k in keys) + "]"


GAMES = {"category": {"boardgames": {"cooperative": [{"name": "Pandemic"}, {"name": "Forbidden Island"},
                                                     {"name": "Castle Panic"}]}}}
COMPETITIVE = ('json_array(json_object("name", "Settlers of Catan"), json_object("name", "Terraforming Mars"), '
               'json_object("name", "Ticket to Ride"))')


def json_set(document, args):
    text = json.dumps(document, separators=(",", ":"))
    return json.loads(evals(f"my_games = json_set(games, {args})", setup=f"| eval games={quoted(text)} ")["my_games"])


def test_json_set_example_1_overwrites_an_array_element():
    """Derived (json_set example 1): {2} of category.boardgames.cooperative (Castle Panic) is replaced by
    {"name":"Sherlock Holmes: Consulting Detective"} (the page writes the value as "name":"..."; json_object
    builds it)."""
    out = json_set(GAMES, '"category.boardgames.cooperative{2}", json_object("name", "Sherlock Holmes: Consulting '
                          'Detective")')
    assert out["category"]["boardgames"]["cooperative"] == [
        {"name": "Pandemic"}, {"name": "Forbidden Island"}, {"name": "Sherlock Holmes: Consulting Detective"}]


def test_json_set_example_2_creates_a_missing_key():
    """Documented (json_set example 2, the results table): "Because the key competitive doesn't exist in the path,
    the key is created" under category.boardgames, holding the array of three games."""
    out = json_set(GAMES, f'"category.boardgames.competitive", {COMPETITIVE}')
    assert out["category"]["boardgames"]["competitive"] == [
        {"name": "Settlers of Catan"}, {"name": "Terraforming Mars"}, {"name": "Ticket to Ride"}]
    assert out["category"]["boardgames"]["cooperative"] == GAMES["category"]["boardgames"]["cooperative"]


def test_json_set_example_3_every_element_then_one():
    """Documented (json_set example 3): "competitive{}.available" set to true() adds available:true to every game;
    then "competitive{0}.available" set to false() overwrites Settlers of Catan's."""
    with_competitive = json_set(GAMES, f'"category.boardgames.competitive", {COMPETITIVE}')
    every = json_set(with_competitive, '"category.boardgames.competitive{}.available", true()')
    assert [g["available"] for g in every["category"]["boardgames"]["competitive"]] == [True, True, True]
    first = json_set(every, '"category.boardgames.competitive{0}.available", false()')
    assert [g["available"] for g in first["category"]["boardgames"]["competitive"]] == [False, True, True]


def test_json_set_skips_a_mismatched_path():
    """Derived (json_set usage): "for object {"a": "b"}, json_set(.., "a.c", "d") produces no results since "a"
    has a string value": the object is unchanged."""
    assert json_set({"a": "b"}, '"a.c", "d"') == {"a": "b"}


@pytest.mark.parametrize("setup,expected", [
    ('firstnames = json_object("names", json_array("maria", "arun"))', "true"),   # the page's example
    ('firstnames = "{\\"names\\": [\\"maria\\""', "false"),                       # derived: not valid JSON
])
def test_json_valid_example(setup, expected):
    """Documented (json_valid example): { "names": ["maria", "arun"] } in firstnames is valid."""
    assert evals(f'{setup}, IsValid = if(json_valid(firstnames), "true", "false")')["IsValid"] == expected


@pytest.mark.parametrize("assignments,field,expected", [
    # json_append example 1: "Fluttershy" appended to ponylist
    ('ponies = json_object("ponylist", json_array("Minty", "Rarity", "Buttercup")), '
     'updatePonies = json_append(ponies, "ponylist", "Fluttershy")', "updatePonies",
     {"ponylist": ["Minty", "Rarity", "Buttercup", "Fluttershy"]}),
    # json_append example 2: a string appended to a nested object's array
    ('ponyDetails = json_object("Fluttershy", json_object("ponySkills", json_array("running", "jumping"))), '
     'ponyDetailsUpdated = json_append(ponyDetails, "Fluttershy.ponySkills", "codebreaking")', "ponyDetailsUpdated",
     {"Fluttershy": {"ponySkills": ["running", "jumping", "codebreaking"]}}),
    # json_extend example 1: three band names added to the list
    ('fakeBandsInMovies = json_object("fakeMovieBandList", json_array("The Blues Brothers", "Spinal Tap", '
     '"Wyld Stallyns")), updateBandList = json_extend(fakeBandsInMovies, "fakeMovieBandList", json_array('
     '"The Soggy Bottom Boys", "The Weird Sisters", "The Barden Bellas"))', "updateBandList",
     {"fakeMovieBandList": ["The Blues Brothers", "Spinal Tap", "Wyld Stallyns", "The Soggy Bottom Boys",
                            "The Weird Sisters", "The Barden Bellas"]}),
    # json_extend example 2: the object of array2 added to characterClasses (the page names the key updatedParty)
    ('dndChars = json_object("characterClasses", json_array("wizard", "rogue", "barbarian")), array2 = json_array('
     'json_object("artifact", "deck of many things")), updatedParty = json_extend(dndChars, "characterClasses", '
     'array2)', "updatedParty",
     {"characterClasses": ["wizard", "rogue", "barbarian", {"artifact": "deck of many things"}]}),
])
def test_json_append_and_json_extend_examples(assignments, field, expected):
    """Documented (json_append examples 1-2, json_extend examples 1-2, with the output the page states)."""
    assert json.loads(evals(assignments)[field]) == expected


def test_json_append_adds_an_array_as_one_element_and_json_extend_flattens_it():
    """Derived (json_append "Append arrays as single elements"; json_extend "flattens arrays"): ["a","b","c"] with
    ["d","e","f"] gives ["a","b","c",["d","e","f"]] and ["a","b","c","d","e","f"]; a scalar is wrapped first."""
    row = evals('doc = json_object("x", json_array("a", "b", "c"), "s", 1), d = json_array("d", "e", "f"), '
                'app = json_append(doc, "x", d), ext = json_extend(doc, "x", d), wrap = json_append(doc, "s", 2)')
    assert json.loads(row["app"])["x"] == ["a", "b", "c", ["d", "e", "f"]]
    assert json.loads(row["ext"])["x"] == ["a", "b", "c", "d", "e", "f"]
    assert json.loads(row["wrap"])["s"] == [1, 2]


@pytest.mark.parametrize("keep,expected", [("", ["Buttercup", "Fluttershy", "Rarity"]),
                                           (", true()", ['"Buttercup"', '"Fluttershy"', '"Rarity"'])])
def test_json_array_to_mv_example(keep, expected):
    """Documented (json_array_to_mv example): the multivalue field Buttercup, Fluttershy, Rarity; with true() the
    values keep their quote characters."""
    row = evals(f'ponies = json_array("Buttercup", "Fluttershy", "Rarity"), '
                f'my_sweet_ponies = json_array_to_mv(ponies{keep})')
    assert row["my_sweet_ponies"] == expected


@pytest.mark.parametrize("document,keys,expected", [
    # example 1: SSN and accounts removed
    ({"name": "Wei Zhang", "SSN": "123-45-6789", "city": "Seattle",
      "accounts": ["Hagal Quartz", "Caladan Water", "Arrakis Spices"]}, '"SSN", "accounts"',
     {"name": "Wei Zhang", "city": "Seattle"}),
    # example 2: the nested addresses.email removed
    ({"name": "Celestino Paulo", "company": "Isthmus Pastimes",
      "addresses": {"email": "celestino@sample.com", "office": "edificio 890 Avenida Demetrio Panama City Panama"}},
     '"addresses.email"', {"name": "Celestino Paulo", "company": "Isthmus Pastimes",
                           "addresses": {"office": "edificio 890 Avenida Demetrio Panama City Panama"}}),
])
def test_json_delete_examples(document, keys, expected):
    """Documented (json_delete examples 1-2, with the results the page shows; the page writes the object as a
    JSON literal after `eval object =`, given here as a string)."""
    row = evals(f"sales_account = json_delete(object, {keys})", setup=f"| eval object={quoted(json.dumps(document))} ")
    assert json.loads(row["sales_account"]) == expected


@pytest.mark.parametrize("document,expected", [
    ('{"a": 1, "b": 2}', '[{"key":"a","value":1},{"key":"b","value":2}]'),          # the basic example
    ('{"name":"maria","age":25,"status":"full-time"}',                               # the extended example
     '[{"key":"name","value":"maria"},{"key":"age","value":25},{"key":"status","value":"full-time"}]'),
])
def test_json_entries_examples(document, expected):
    """Documented (json_entries examples, with the arrays the page shows)."""
    assert evals(f"entries=json_entries({quoted(document)})")["entries"] == expected


def test_json_extract_exact_and_json_set_exact_examples():
    """Documented (json_set_exact example: {"system.splunk.path":"/opt/splunk"} from json_object(); json_set gives
    {"system":{"splunk":{"path":"/opt/splunk"}}}); derived (json_extract_exact example: the key with periods is
    extracted whole)."""
    row = evals('my_object=json_object(), splunk_path=json_set_exact(my_object, "system.splunk.path", "/opt/splunk"), '
                'nested=json_set(my_object, "system.splunk.path", "/opt/splunk"), '
                'extracted_path=json_extract_exact(splunk_path, "system.splunk.path")')
    assert row["splunk_path"] == '{"system.splunk.path":"/opt/splunk"}'
    assert row["nested"] == '{"system":{"splunk":{"path":"/opt/splunk"}}}'
    assert row["extracted_path"] == "/opt/splunk"


@pytest.mark.parametrize("expr,expected", [
    ('json_has_key_exact(json_object("name", "charlie"), "name")', "has key"),         # basic example 1
    ('json_has_key_exact("{\\"charlie.garcia\\":10}", "charlie.garcia")', "has key"),  # basic example 2
    ('json_has_key_exact("{\\"name\\":\\"charlie\\",\\"age\\":21,\\"region\\":\\"US\\"}", "status")',
     "doesn't have key"),                                                               # extended example, row 2
])
def test_json_has_key_exact_examples(expr, expected):
    """Documented (json_has_key_exact examples, with the results the page states)."""
    assert evals(f'test=if({expr}, "has key", "doesn\'t have key")')["test"] == expected


MV_PAGE = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/evaluation-functions/multivalue-eval-functions"


@pytest.mark.parametrize("infer,expected", [
    ("false()", '["\\"Buttercup\\"","\\"Fluttershy\\"","\\"Rarity\\"","true","null"]'),
    ("true()", '["Buttercup","Fluttershy","Rarity",true,null]'),
])
def test_mv_to_json_array_example(infer, expected):
    """Documented (MV_PAGE mv_to_json_array example, with the arrays the page shows)."""
    row = evals('ponies = mvappend("\\"Buttercup\\"", "\\"Fluttershy\\"", "\\"Rarity\\"", "true", "null"), '
                f'my_sweet_ponies = mv_to_json_array(ponies, {infer})')
    assert row["my_sweet_ponies"] == expected


def test_mv_to_json_array_infers_null_for_what_is_not_json():
    """Derived (mv_to_json_array with true(): "If the function does not recognize the resulting array element as a
    proper JSON data type ... the function turns the element into a null data type")."""
    assert evals('v = mvappend("5", "abc"), a = mv_to_json_array(v, true())')["a"] == "[5,null]"


def test_json_set_exact_with_several_pairs_is_refused_by_name():
    """Derived: "If you supply multiple key-value pairs to json_set_exact, the function outputs an array" without
    saying what the array holds, so the form is refused, naming it."""
    with pytest.raises(SplUnsupportedError, match=r"json_set_exact\(\) with more than one key-value pair"):
        evals('o=json_set_exact(json_object(), "a", 1, "b", 2)')
