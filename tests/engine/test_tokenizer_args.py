"""Tokenizer and ArgList: positions, quoting, options, fields."""
import pytest

from splengine.args import ArgList
from splengine.errors import SplSyntaxError, SplUnsupportedError
from splengine.tokenizer import tokenize


def _args(text):
    return ArgList("cmd", tokenize(text), text, 0, len(text))


def test_tokens_keep_positions_and_kinds():
    text = 'x!="a \\"b\\"" O\'Brien \'f g\' count(y)'
    toks = tokenize(text)
    assert [(t.kind, t.value, t.pos) for t in toks] == [
        ("WORD", "x", 0), ("OP", "!=", 1), ("STRING", 'a "b"', 3), ("WORD", "O'Brien", 13),
        ("SQSTRING", "f g", 21), ("WORD", "count", 27), ("LPAREN", "(", 32), ("WORD", "y", 33),
        ("RPAREN", ")", 34)]


def test_bang_inside_value_is_part_of_word():
    toks = tokenize("type=CryptoCurrency:EC2/BitcoinTool.B!DNS")
    assert toks[2].value == "CryptoCurrency:EC2/BitcoinTool.B!DNS"


def test_unterminated_string_is_positioned():
    with pytest.raises(SplSyntaxError, match=r"position 4"):
        tokenize('a = "b')


def test_take_options_anywhere_and_unknown_option():
    args = _args("a, b limit=5 keep=true c")
    assert args.take_options({"limit": "int", "keep": "bool"}) == {"limit": 5, "keep": True}
    assert [f for f, _ in args.take_fields()] == ["a", "b", "c"]
    args.expect_end()
    with pytest.raises(SplUnsupportedError, match=r"unsupported option 'bogus' \(at position 2\)"):
        _args("a bogus=1").take_options({"limit": "int"})


def test_by_clause_as_and_rest_span():
    args = _args("x as y by a, b")
    assert args.take_field()[0] == "x"
    assert args.take_as() == "y"
    assert args.take_by_clause() == ["a", "b"]
    assert args.at_end()
    args = _args("n=if(a>1, 2, 3)")
    assert args.rest_span() == ("n=if(a>1, 2, 3)", 0)


def test_expect_end_names_leftover():
    args = _args("a junk")
    args.next()
    with pytest.raises(SplUnsupportedError, match=r"'junk' \(at position 2\)"):
        args.expect_end()
