"""Cost and Usage Report (legacy CUR, CSV) rows -> the fields of the Add-on's `aws:billing:cur` events.

A CUR file starts with a header line of `category/Column` names (`identity/LineItemId`,
`lineItem/UnblendedCost`, `product/region`, ...; https://docs.aws.amazon.com/cur/latest/userguide/
data-dictionary.html). Splunk's CSV header extraction makes each name a field with the characters
that are not letters, digits or `_` turned into `_` (`lineItem_UnblendedCost`); values stay strings.
`_time` is the row's `lineItem/UsageStartDate`.
"""
import csv
import re

TIME_COLUMN = "lineItem/UsageStartDate"
_FIELD_CHARS = re.compile(r"[^A-Za-z0-9_]")


class CurFormatError(ValueError):
    """A CUR line that cannot be read; the message names the column or the problem."""


def is_header(line):
    """Is this text line a CUR header (first column identity/LineItemId, with a usage start date column)?"""
    return line.startswith("identity/LineItemId,") and TIME_COLUMN in line


def parse_header(line):
    columns = next(csv.reader([line]))
    return tuple(columns), tuple(_FIELD_CHARS.sub("_", name) for name in columns)


def extract(line, header):
    """Fields of one CUR data line under `header` (from parse_header)."""
    columns, names = header
    values = next(csv.reader([line]), [])
    if len(values) != len(columns):
        raise CurFormatError(f"CUR row has {len(values)} columns, its header {len(columns)}")
    return dict(zip(names, values))


def time_field():
    return _FIELD_CHARS.sub("_", TIME_COLUMN)
