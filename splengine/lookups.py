"""CSV and KV store lookups: resolve names via transforms.conf, load tables, match rows, write scratch copies.

Resolution: a name is a transforms.conf stanza with ``filename`` (its settings apply: match_type
WILDCARD()/CIDR(), case_sensitive_match, max_matches, min_matches, default_match), or a file name in
the app's ``lookups/`` directory. Reads prefer the scratch lookup directory, where ``outputlookup``
writes: the app's source files are never modified. A deleted file is remembered with a tombstone.
Settings reference:
https://help.splunk.com/splunk-enterprise/manage-knowledge-objects/knowledge-management-manual/9.4/use-the-configuration-files-to-configure-lookups/add-field-matching-rules-to-your-lookup-configuration

KV store lookups behave as Splunk's do, not as CSV ones (transforms.conf.spec, 9.4-10.4, and limits.conf
[kvstore]; docs/platform.md):
- `case_sensitive_match = false` "is honored only when the data in the KV Store lookup table is entirely in
  lower case. The input data can be in any case": the input is lowercased and compared with the stored
  value as it is, so a stored value with capitals never matches (wildcard patterns likewise).
- every record has a `_key`; `inputlookup` returns at most limits.conf [kvstore] max_rows_per_query rows
  (50000 by default, after its WHERE filter), read from the app's limits.conf here.
"""
from __future__ import annotations

import csv
import gzip
import io
import ipaddress
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .conf import conf_bool
from .errors import SplError, SplUnsupportedError
from .values import mv_values, to_str, wildcard_to_regex

_MATCH_TYPE = re.compile(r"\s*(WILDCARD|CIDR|EXACT)\s*\(\s*([^)]+?)\s*\)\s*,?", re.I)
DEFAULT_MAX_MATCHES = 100
DEFAULT_KV_MAX_ROWS_PER_QUERY = 50000
KV_KEY = "_key"
_TOMBSTONE = ".deleted"


@dataclass
class LookupDef:
    name: str
    filename: str
    wildcard: set = field(default_factory=set)
    cidr: set = field(default_factory=set)
    case_sensitive: bool = True
    max_matches: int = DEFAULT_MAX_MATCHES
    min_matches: int = 0
    default_match: str | None = None
    kvstore: bool = False


def _bool(text: str) -> bool:
    return conf_bool(text) is True


def parse_match_type(text: str, name: str) -> tuple[set, set]:
    wildcard, cidr = set(), set()
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _MATCH_TYPE.match(text, pos)
        if not m:
            raise SplError(f"transforms.conf [{name}]: invalid match_type '{text}'")
        kind = m.group(1).upper()
        if kind == "WILDCARD":
            wildcard.add(m.group(2))
        elif kind == "CIDR":
            cidr.add(m.group(2))
        pos = m.end()
    return wildcard, cidr


class LookupStore:
    """Lookup resolution, loading (cached) and writing for one app + scratch directory."""

    def __init__(self, app):
        self.app = app
        self._tables: dict = {}
        self._matchers: dict = {}   # (definition, inputs) -> (rows it indexes, definition, Matcher)
        self._scratch: Path | None = app.scratch_lookup_dir
        self._kvstore_fields: dict[str, list[str]] = {}

    @property
    def scratch(self) -> Path:
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="splengine-lookups-"))
        self._scratch.mkdir(parents=True, exist_ok=True)
        return self._scratch

    def definition(self, name: str, pos: int | None = None) -> LookupDef:
        stanza = self.app.conf("transforms.conf").get(name)
        if stanza is not None:
            kvstore = stanza.get("external_type", "").strip() == "kvstore"
            if kvstore:
                stanza = dict(stanza, filename=self._kvstore_table(name, stanza, pos))
            if "filename" not in stanza:
                kind = "external_type" if "external_type" in stanza else "collection" if "collection" in stanza else None
                what = f"{kind} lookups" if kind else "lookups without 'filename'"
                raise SplUnsupportedError(f"lookup '{name}': {what} are not supported (CSV and KV store lookups only)",
                                          pos)
            if stanza.get("time_field"):
                raise SplUnsupportedError(f"lookup '{name}': time-based lookups (time_field) are not supported", pos)
            wildcard, cidr = parse_match_type(stanza.get("match_type", ""), name)
            try:
                max_matches = int(stanza.get("max_matches", DEFAULT_MAX_MATCHES))
                min_matches = int(stanza.get("min_matches", 0))
            except ValueError:
                raise SplError(f"transforms.conf [{name}]: max_matches/min_matches must be integers", pos) from None
            return LookupDef(name, stanza["filename"], wildcard, cidr,
                             _bool(stanza.get("case_sensitive_match", "true")), max_matches, min_matches,
                             stanza.get("default_match"), kvstore)
        if name.endswith((".csv", ".csv.gz")):
            return LookupDef(name, name)
        raise SplError(f"The lookup table '{name}' does not exist or is not available "
                       "(no transforms.conf stanza and not a .csv file name)", pos)

    def _kvstore_table(self, name: str, stanza: dict, pos) -> str:
        """The scratch table standing for a KV store collection (an empty collection until written).

        The collection must be declared in collections.conf; its columns are transforms.conf fields_list
        without _key. Collections live only in the scratch directory: they are never shipped files.
        """
        collection = stanza.get("collection", "").strip()
        if not collection:
            raise SplError(f"transforms.conf [{name}]: external_type = kvstore needs 'collection'", pos)
        if collection not in self.app.conf("collections.conf"):
            raise SplError(f"lookup '{name}': KV store collection '{collection}' is not defined in collections.conf",
                           pos)
        fields = [f.strip() for f in stanza.get("fields_list", "").split(",") if f.strip() and f.strip() != KV_KEY]
        if not fields:
            raise SplError(f"transforms.conf [{name}]: a KV store lookup needs 'fields_list'", pos)
        filename = f"kvstore.{collection}.csv"
        self._kvstore_fields[filename] = [KV_KEY] + fields
        return filename

    def kv_max_rows_per_query(self) -> int:
        """limits.conf [kvstore] max_rows_per_query (as the app's limits.conf sets it), default 50000."""
        value = self.app.conf("limits.conf").get("kvstore", {}).get("max_rows_per_query", "")
        try:
            return int(value) if str(value).strip() else DEFAULT_KV_MAX_ROWS_PER_QUERY
        except ValueError:
            raise SplError(f"limits.conf [kvstore] max_rows_per_query = {value!r} is not an integer") from None

    # -- files ------------------------------------------------------------------------------------
    def _check_name(self, filename: str, pos) -> None:
        if "/" in filename or "\\" in filename or filename.startswith("."):
            raise SplError(f"Invalid lookup file name '{filename}'", pos)

    def read_path(self, filename: str) -> Path | None:
        """Where the current version of a lookup file is, or None if it does not exist."""
        scratch = self._scratch
        if scratch is not None:
            if (scratch / (filename + _TOMBSTONE)).exists():
                return None
            if (scratch / filename).exists():
                return scratch / filename
        if filename in self._kvstore_fields:
            return None
        source = self.app.app_dir / "lookups" / filename
        return source if source.exists() else None

    def load(self, filename: str, pos: int | None = None) -> tuple[list[str], list[dict]]:
        """(header, rows) of a lookup file; rows hold non-empty cells only."""
        self._check_name(filename, pos)
        path = self.read_path(filename)
        if path is None and filename in self._kvstore_fields:
            return list(self._kvstore_fields[filename]), []
        if path is None:
            raise SplError(f"The lookup table file '{filename}' does not exist", pos)
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        cached = self._tables.get(filename)
        if cached is not None and cached[0] == key:
            return cached[1]
        raw = path.read_bytes()
        if filename.endswith(".gz"):
            raw = gzip.decompress(raw)
        reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
        header = next(reader, [])
        rows = []
        for rec in reader:
            rows.append({h: v for h, v in zip(header, rec) if v != ""})
        self._tables[filename] = (key, (header, rows))
        return header, rows

    def matcher(self, definition: LookupDef, inputs: list[str], pos=None) -> Matcher:
        """A Matcher over the table's current version, reused while the file is unchanged."""
        header, rows = self.load(definition.filename, pos)
        key = (definition.name, tuple(inputs))
        cached = self._matchers.get(key)
        if cached is not None and cached[0] is rows and cached[1] == definition:
            return cached[2]
        matcher = Matcher(definition, header, rows, inputs, pos)
        self._matchers[key] = (rows, definition, matcher)
        return matcher

    def write(self, filename: str, header: list[str], rows: list[dict], pos=None) -> None:
        """Write the table's new version; a version equal to the current one is not rewritten (a scheduled
        outputlookup usually writes back what it read: rewriting cost more than the run's search)."""
        self._check_name(filename, pos)
        target = self.scratch / filename
        buf = io.StringIO()
        if header:
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(row.get(h)) for h in header])
        data = buf.getvalue().encode()
        if self._current(filename) == data:
            return
        (self.scratch / (filename + _TOMBSTONE)).unlink(missing_ok=True)
        target.write_bytes(gzip.compress(data) if filename.endswith(".gz") else data)
        self._tables.pop(filename, None)

    def _current(self, filename: str) -> bytes | None:
        """The uncompressed bytes of the scratch version of `filename`, None when there is none (never written,
        or deleted)."""
        target = self.scratch / filename
        if (self.scratch / (filename + _TOMBSTONE)).exists() or not target.exists():
            return None
        raw = target.read_bytes()
        return gzip.decompress(raw) if filename.endswith(".gz") else raw

    def delete(self, filename: str, pos=None) -> None:
        self._check_name(filename, pos)
        (self.scratch / filename).unlink(missing_ok=True)
        (self.scratch / (filename + _TOMBSTONE)).write_text("deleted by outputlookup\n")
        self._tables.pop(filename, None)

    def exists(self, filename: str) -> bool:
        """A KV store collection always exists (possibly empty); a CSV file when it has a current version."""
        return filename in self._kvstore_fields or self.read_path(filename) is not None


def _cell(value) -> str:
    """A CSV cell: multivalue fields are written newline-separated, as Splunk does."""
    values = mv_values(value)
    return "\n".join(to_str(v) for v in values)


class Matcher:
    """Finds the lookup rows matching an event for given (lookup field, event field) inputs."""

    def __init__(self, definition: LookupDef, header: list[str], rows: list[dict], inputs: list[str], pos=None):
        for name in inputs:
            if name not in header:
                raise SplError(f"lookup '{definition.name}': field '{name}' is not in the lookup table", pos)
        self.definition = definition
        self.rows = rows
        self.inputs = inputs
        self.case = definition.case_sensitive
        # KV store: only the input is lowercased when case-insensitive; stored values stay as they are
        self.fold_table = not self.case and not definition.kvstore
        self.special = any(f in definition.wildcard or f in definition.cidr for f in inputs)
        if self.special:
            self.tests = [[self._compile(f, row.get(f)) for f in inputs] for row in rows]
        else:
            self.index: dict = {}
            for i, row in enumerate(rows):
                key = tuple(self._table_value(row.get(f)) for f in inputs)
                self.index.setdefault(key, []).append(i)

    def _norm(self, v):
        """An input value as compared."""
        if v is None:
            return None
        return v if self.case else v.lower()

    def _table_value(self, v):
        if v is None:
            return None
        return v.lower() if self.fold_table else v

    def _compile(self, name, cell):
        if cell is None:
            return lambda v: False
        if name in self.definition.cidr:
            try:
                net = ipaddress.ip_network(cell.strip(), strict=False)
            except ValueError:
                return lambda v, c=cell: v == c

            def in_net(v):
                try:
                    return ipaddress.ip_address(v.strip()) in net
                except ValueError:
                    return False
            return in_net
        if name in self.definition.wildcard and "*" in cell:
            rx = wildcard_to_regex(cell, self.fold_table)
            return lambda v: rx.match(self._norm(v)) is not None
        target = self._table_value(cell)
        return lambda v: self._norm(v) == target

    def match(self, values: list[str]) -> list[dict]:
        """Rows matching one combination of input values, at most max_matches, in file order."""
        limit = self.definition.max_matches
        if not self.special:
            hits = self.index.get(tuple(self._norm(v) for v in values), [])
            return [self.rows[i] for i in hits[:limit]]
        out = []
        for row, tests in zip(self.rows, self.tests):
            if all(t(v) for t, v in zip(tests, values)):
                out.append(row)
                if len(out) >= limit:
                    break
        return out


def input_combinations(row: dict, event_fields: list[str]) -> list[list[str]]:
    """Every combination of the event's (possibly multivalue) input values, as strings."""
    combos = [[]]
    for name in event_fields:
        values = [to_str(v) for v in mv_values(row.get(name))]
        if not values:
            return []
        combos = [c + [v] for c in combos for v in values]
    return combos
