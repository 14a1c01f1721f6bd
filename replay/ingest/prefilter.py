"""Skip the JSON lines a search cannot match before parsing them (hunt.py --search over NDJSON exports).

The engine already drops an event whose `_raw` lacks a literal that a top-level `field=value` test of the base
search needs (`splengine.expr.search.required_raw_literals`, checked case-insensitively on `_raw` for fields the
ingester did not set). Every event read from a JSON line has a `_raw` made of that line's characters: the line
itself, or a message of it with its JSON string escapes undone, or (AWS CLI outputs) its values written again by
orjson. For literals of `[A-Za-z0-9 _:@.-]` (the only ones the engine derives) only a `\\u` escape can make a
character of `_raw` that is not in the line, so a line without `\\u` that lacks a literal (lower-cased) holds no
event the engine would keep: it is skipped without being parsed, which is where --search spends its time
(JSON parsing, sourcetype detection, time parsing, building the event). Fields the ingester sets outside
`_raw` (`INGEST_FIELDS`) are never used to skip. Lines skipped are counted, not reported as errors.
"""

INGEST_FIELDS = frozenset({"index", "sourcetype", "source", "host"})


class LineFilter:
    """Callable on a JSON line's text: False when no event of it can match the literals; counts the skipped."""

    def __init__(self, literals):
        self.literals = tuple(sorted({literal.lower() for field, literal in literals
                                      if field not in INGEST_FIELDS and not field.startswith("_")}, key=len,
                                     reverse=True))
        self.skipped = 0

    def __bool__(self):
        return bool(self.literals)

    def __call__(self, line):
        if "\\u" in line:
            return True
        low = line.lower()
        for literal in self.literals:
            if literal not in low:
                self.skipped += 1
                return False
        return True
