"""Conformance cases for the bitwise eval functions (issue 20), from the Search Reference's "Bitwise functions"
page (help.splunk.com, SPL Search Reference 10.0). "documented": the page's example with the output it shows;
"derived": only what the page's text states."""
import pytest

from splengine import run_search

PAGE = "https://help.splunk.com/splunk-enterprise/search/spl-search-reference/10.0/evaluation-functions/bitwise-functions"


def one(spl):
    row, = run_search(spl, now=1_700_000_000)
    return row


@pytest.mark.parametrize("expr,expected", [
    ("bit_and(12, 9)", 8),                    # bit_and usage: "the result of the following search is 8"
    ("bit_or(4, 2)", 6),                      # bit_or usage
    ("bit_xor(3, 2)", 1),                     # bit_xor usage
    ("bit_shift_left(2, 1)", 4),              # bit_shift_left usage
    ("bit_shift_left(1, 53)", 0),             # "the function returns 0" (its results table)
    ("bit_shift_right(4, 1)", 2),             # bit_shift_right usage
    # the bit_shift_left table of examples
    ("bit_shift_left(3, 1)", 6),
    ("bit_shift_left(3, 52)", 4503599627370496),
    ("bit_shift_left(3, 57)", 0),
    ("bit_shift_left(3, pow(2,53)-1)", 0),
    ("bit_shift_left(3, pow(2,53))", None),
    ("bit_shift_left(67, 1)", 134),
    ("bit_shift_left(pow(2,53), 1)", None),
    ("bit_shift_left(3, -2)", None),
    ("bit_shift_right(-3, 1)", None),
])
def test_usage_examples(expr, expected):
    """Documented: each function's Usage example and the bit_shift_left table."""
    assert one(f"| makeresults | eval result = {expr}").get("result") == expected


def test_bit_not_with_and_without_bitmask():
    """Documented: bit_not usage, the table with long_binary/long_result/short_binary/short_result."""
    row = one('| makeresults | eval long_result = bit_not(9), short_result = bit_not(9, tonumber("1111", 2)) '
              '| eval long_binary = tostring(long_result, "binary"), short_binary = tostring(short_result, "binary")')
    assert (row["long_binary"], row["long_result"], row["short_binary"], row["short_result"]) == (
        "11111111111111111111111111111111111111111111111110110", 9007199254740982, "110", 6)


def test_example_1_and_or_xor():
    row = one("| makeresults | eval AND_result = bit_and(4, 6), OR_result = bit_or(4, 6), XOR_result = bit_xor(4, 6)")
    assert (row["AND_result"], row["OR_result"], row["XOR_result"]) == (4, 6, 2)


def test_example_2_shifts():
    row = one("| makeresults | eval LEFT_result = bit_shift_left(2,1), RIGHT_result = bit_shift_right(2,1)")
    assert (row["LEFT_result"], row["RIGHT_result"]) == (4, 1)


def test_example_3_binary_string():
    row = one('| makeresults | eval LEFT_result = bit_shift_left(2,1) | eval string = tostring(LEFT_result, "binary")')
    assert (row["LEFT_result"], row["string"]) == (4, "100")


@pytest.mark.parametrize("mask,expected", [("", (9007199254740982, "11111111111111111111111111111111111111111111111110110")),
                                           (', tonumber("111",2)', (6, "110"))])
def test_example_4_bitmask(mask, expected):
    row = one(f'| makeresults | eval NOT_result = bit_not(9{mask}) | eval string = tostring(NOT_result, "binary")')
    assert (row["NOT_result"], row["string"]) == expected


def test_example_5_out_of_range_is_null():
    """Only max_supported_val is shown: result is null."""
    row = one("| makeresults | eval max_supported_val = pow(2, 53)-1 "
              "| eval result = bit_and(max_supported_val + 1, 1)")
    assert row["max_supported_val"] == 9007199254740991 and "result" not in row


def test_example_6_set_flags():
    row = one('| makeresults | eval flags = "00010", result = tonumber(flags, 2) '
              '| eval result = bit_or(result, tonumber("11001", 2)) | eval result = tostring(result, "binary")')
    assert (row["flags"], row["result"]) == ("00010", "11011")


def test_example_7_check_a_flag():
    """Documented: bit_and(result, 4) is 0 (the table's result). The page's last step,
    if(result==0, "false", "true"), then gives "false" (derived: the page's table shows the value before it)."""
    base = '| makeresults | eval flags = "00010", result = tonumber(flags, 2) | eval result = bit_and(result, 4)'
    assert one(base)["result"] == 0
    assert one(base + ' | eval result = if(result==0, "false", "true")')["result"] == "false"


def test_example_8_matching_bits():
    row = one('| makeresults | eval bin_number1 = "10011", bin_number2 = "10001", number1 = tonumber(bin_number1, 2), '
              'number2 = tonumber(bin_number2, 2) | eval matching_bits = bit_xor(number1, number2) '
              '| eval matching_bits = bit_not(matching_bits, tonumber("11111",2)) '
              '| eval matching_bits = tostring(matching_bits, "binary")')
    assert (row["bin_number1"], row["bin_number2"], row["matching_bits"], row["number1"], row["number2"]) == (
        "10011", "10001", "11101", 19, 17)


def test_example_9_append_a_flag():
    row = one('| makeresults | eval flags = "10001", result = tonumber(flags, 2), flag_bool = 1 '
              '| eval result = bit_shift_left(result, 1) | eval result = bit_or(result, flag_bool) '
              '| eval result = tostring(result, "binary")')
    assert (row["flags"], row["flag_bool"], row["result"]) == ("10001", 1, "100011")


def test_example_10_nested():
    row = one('| makeresults | eval streamId = tonumber("0xa3b7514f19ce7", 16), '
              'result = bit_and(bit_shift_right(streamId,8), tonumber("0xFFFFFFFF",16))')
    assert (row["result"], row["streamId"]) == (1964306844, 2880123815697639)


@pytest.mark.parametrize("expr", ["bit_and(1.5, 1)", 'bit_or("a", 1)', "bit_xor(-1, 1)", "bit_not(9, -1)",
                                  "bit_and(missing, 1)"])
def test_arguments_outside_the_range_give_null(expr):
    """Derived: "numbers that are negative or greater than 53 bits return null"; a fraction or a string is no
    nonnegative integer either."""
    assert "result" not in one(f"| makeresults | eval result = {expr}")
