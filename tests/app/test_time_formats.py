"""Every time the app formats or parses says its offset (docs/platform.md, item 3).

strftime() formats in the searching user's time zone (Search Reference, "Date and time format variables"), so a
literal "Z" after the seconds claims UTC while printing local time; strptime() with a literal "Z" reads the text
as local time. The detections' own time-zone replay (tests/detections/test_time_zones.py) covers the campaign's
detections only: this check covers every macro, saved search and dashboard query that ships.
"""
import re

from tests.app.test_distributed import shipped_spl

TIME_FUNCTION = re.compile(r"\b(strftime|strptime)\s*\(")
LITERAL_Z = re.compile(r"%S(?:\.%\d?[NQ])?Z")


def formats_claiming_utc(spl):
    """Format strings of strftime/strptime calls in `spl` that end the time in a literal Z."""
    found = []
    for call in TIME_FUNCTION.finditer(spl):
        args = spl[call.end():call.end() + 200]
        fmt = re.search(r'"((?:[^"\\]|\\.)*)"', args)
        if fmt and LITERAL_Z.search(fmt.group(1)):
            found.append(f"{call.group(1)}(..., \"{fmt.group(1)}\")")
    return found


def test_the_checker_finds_a_literal_z():
    assert formats_claiming_utc('| eval t=strftime(_time, "%Y-%m-%dT%H:%M:%SZ")')
    assert formats_claiming_utc('| eval t=strptime(x, "%Y-%m-%dT%H:%M:%S.%3NZ")')
    assert not formats_claiming_utc('| eval t=strftime(_time, "%Y-%m-%dT%H:%M:%S%:z")')


def test_no_shipped_time_format_claims_utc():
    checked, wrong = 0, []
    for where, spl in shipped_spl():
        if TIME_FUNCTION.search(spl):
            checked += 1
        wrong += [f"{where}: {call}" for call in formats_claiming_utc(spl)]
    assert checked >= 10 and wrong == []
