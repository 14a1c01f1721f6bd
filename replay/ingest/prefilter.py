"""Skip the JSON lines a search cannot match before parsing them (hunt.py --search over NDJSON exports).

The engine drops an event whose `_raw` lacks a literal that a `field=value` test of its base search needs
(`splengine.expr.search.required_raw_literals`: the value's longest piece without wildcards, of
`[A-Za-z0-9 _:@.-]`, checked case-insensitively on `_raw` for fields the ingester did not set; the engine has
no calculated fields, so every other field's value comes from `_raw`). A base search's tree thus gives a
formula over literals that any line holding a matching event must satisfy: `field=value` needs its literal,
`field IN (a, b)` one of theirs, AND all of its parts, OR one of its branches; NOT, bare terms, comparisons,
pure digits (a number may be written otherwise) and fields the ingester sets (`INGEST_FIELDS`) need nothing.

Every event read from a JSON line has a `_raw` made of that line's characters: the line itself, a message of it
with its JSON string escapes undone, or (AWS CLI outputs) its values written again by orjson. For those literals
only a `\\u` escape can make a character of `_raw` that is not in the line, so a line without `\\u` whose
lower-cased text satisfies none of the search's formulas (its base search's, its subsearches') holds no event
it would keep: it is skipped without being parsed, where the time goes (JSON parsing, sourcetype detection,
time parsing, building the event). Skipped lines are counted, not reported as errors. Text lines (VPC flow, billing CSV) and JSON
documents (`{"Records": [...]}`) are always parsed.
"""
from splengine.expr.search import required_raw_literals
from splengine.expr.search.ast import And, Compare, In, Or

INGEST_FIELDS = frozenset({"index", "sourcetype", "source", "host"})


def requirement(node):
    """The literal formula of a search tree: a lower-case literal, ("and" | "or", parts), or None when a line
    without any literal may hold a match."""
    if isinstance(node, And):
        parts = tuple(p for p in map(requirement, node.children) if p is not None)
        return None if not parts else parts[0] if len(parts) == 1 else ("and", parts)
    if isinstance(node, Or):
        parts = tuple(map(requirement, node.children))
        return None if not parts or None in parts else ("or", parts)
    if isinstance(node, In) and node.values:
        return requirement(Or(node.pos, [Compare(node.pos, node.field, "=", value) for value in node.values]))
    if isinstance(node, Compare) and node.field not in INGEST_FIELDS and not node.field.startswith("_"):
        found = required_raw_literals(node)
        return found[0][1] if found and not found[0][1].isdigit() else None
    return None


def _literals(req, out):
    if isinstance(req, str):
        out.add(req)
    else:
        for part in req[1]:
            _literals(part, out)
    return out


def _anchors(req):
    """Literals one of which a line must hold for `req` to hold (an AND needs only its smallest part's)."""
    if isinstance(req, str):
        return {req}
    parts = [_anchors(part) for part in req[1]]
    return min(parts, key=len) if req[0] == "and" else set().union(*parts)


def _holds(req, present):
    if isinstance(req, str):
        return req in present
    if req[0] == "and":
        return all(_holds(part, present) for part in req[1])
    return any(_holds(part, present) for part in req[1])


class LineFilter:
    """Callable on a JSON line's text: False when it satisfies none of the trees' formulas (counted in
    `skipped`). False as a whole (nothing to filter) when some tree has no formula: it may match any line."""

    def __init__(self, trees):
        reqs = [requirement(tree) for tree in trees]
        self.requirements = tuple(dict.fromkeys(reqs)) if reqs and None not in reqs else ()
        self.literals = tuple(sorted(set().union(*(_literals(r, set()) for r in self.requirements))))
        # a quick rejection before the whole formula: most lines hold none of these (often a single literal)
        self.anchors = tuple(sorted(set().union(*map(_anchors, self.requirements)), key=len, reverse=True))
        self.skipped = 0

    def __bool__(self):
        return bool(self.requirements)

    def __call__(self, line):
        if "\\u" in line:
            return True
        low = line.lower()
        for anchor in self.anchors:
            if anchor in low:
                present = {literal for literal in self.literals if literal in low}
                if any(_holds(req, present) for req in self.requirements):
                    return True
                break
        self.skipped += 1
        return False
