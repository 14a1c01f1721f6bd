"""`| miningpool`: enrich records whose domain, IP, IP:port or stratum URL is a known mining indicator.

Streaming, distributable (runs on indexers), SCP v2. Indicators: lookups/mining_indicators.csv (shipped)
merged with lookups/mining_indicators_local.csv (admins' own, optional; its rows win).
"""
import gc
import os
import sys
from functools import lru_cache

BIN = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(BIN, "lib"))
if BIN not in sys.path:
    sys.path.insert(0, BIN)

from intel_commands.indicators import IndicatorFileError, IndicatorIndex  # noqa: E402
from intel_commands.pool_matching import OUTPUTS, MiningPoolMatcher  # noqa: E402
from intel_commands.record_io import FastRecordsMixin  # noqa: E402
from intel_commands.splunk_messages import FIELD_NAME_PATTERN, SafeMessagesMixin  # noqa: E402
from intel_commands.values import raw_text  # noqa: E402
from splunklib.searchcommands import Configuration, Option, StreamingCommand, dispatch, validators  # noqa: E402

LOOKUPS = os.path.join(os.path.dirname(BIN), "lookups")
SHIPPED = os.path.join(LOOKUPS, "mining_indicators.csv")
LOCAL = os.path.join(LOOKUPS, "mining_indicators_local.csv")
FIELD = validators.Match("a field name", FIELD_NAME_PATTERN)
PREFIX = validators.Match("a field-name prefix (letters, digits, _)", r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_WARNINGS = 20
CACHE_SIZE = 100000


@Configuration(distributed=True)
class MiningPoolCommand(FastRecordsMixin, SafeMessagesMixin, StreamingCommand):
    """Adds <prefix>indicator, match, pool, coin, category, confidence and source to matching records."""

    domain_field = Option(require=False, validate=FIELD)
    ip_field = Option(require=False, validate=FIELD)
    port_field = Option(require=False, validate=FIELD)
    url_field = Option(require=False, validate=FIELD)
    prefix = Option(require=False, default="mining_", validate=PREFIX)
    portonly = Option(require=False, default=False, validate=validators.Boolean())

    def prepare(self):
        if self.fieldnames:
            self.write_error(f"miningpool: unexpected argument {self.fieldnames[0]!r}; "
                             "use domain_field=, ip_field=, port_field=, url_field=, prefix= or portonly=")
            sys.exit(1)
        if not any((self.domain_field, self.ip_field, self.url_field, self.port_field)):
            self.domain_field = "query_name"
        if self.port_field and not (self.ip_field or self.domain_field or self.url_field or self.portonly):
            self.write_error("miningpool: port_field needs ip_field, domain_field or url_field, or portonly=true")
            sys.exit(1)
        index = IndicatorIndex()
        try:
            problems = index.load(SHIPPED) + index.load(LOCAL, required=False)
        except (IndicatorFileError, OSError, UnicodeDecodeError) as error:
            self.error_exit(error, f"miningpool: cannot load indicators: {error}")
        for problem in problems[:MAX_WARNINGS]:
            self.write_warning(f"miningpool: indicator row skipped: {problem}")
        if len(problems) > MAX_WARNINGS:
            self.write_warning(f"miningpool: {len(problems) - MAX_WARNINGS} more indicator rows skipped")
        self.matcher = MiningPoolMatcher(index, self.portonly)
        gc.freeze()  # the index lives for the whole search: keep the collector from rescanning it per chunk
        self.names = [(name, self.prefix + name) for name in OUTPUTS]

    def _prefixed_match(self, *values):
        result = self.matcher.match(*values)
        return None if result is None else {out: result[name] for name, out in self.names}

    def stream(self, records):
        match = lru_cache(maxsize=CACHE_SIZE)(self._prefixed_match)  # per-search cache per distinct value set
        fields = (self.domain_field, self.ip_field, self.port_field, self.url_field)
        self.gen_record(**{out: None for _, out in self.names})  # declare the output fields once (all chunks)
        failed = 0
        for record in records:
            try:
                result = match(*[raw_text(record.get(f)) if f else None for f in fields])
                if result is not None:
                    record.update(result)
            except Exception:  # one odd record must not lose the chunk; count it and report once
                failed += 1
            yield record
        if failed:
            self.write_warning(f"miningpool: {failed} record(s) could not be matched and were passed through")


dispatch(MiningPoolCommand, sys.argv, sys.stdin, sys.stdout, __name__)
