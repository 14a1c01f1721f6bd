"""`| ipcontext`: iplocation-compatible location fields plus ASN and IP class, with a per-IP cache.

Streaming, distributable (runs on indexers), SCP v2. Databases: see intel_commands.settings.
"""
import os
import sys

BIN = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(BIN, "lib"))
if BIN not in sys.path:
    sys.path.insert(0, BIN)

from intel_commands.ip_enrichment import DatabaseError, IpContext, open_reader  # noqa: E402
from intel_commands.record_io import FastRecordsMixin  # noqa: E402
from intel_commands.settings import database_paths  # noqa: E402
from intel_commands.splunk_messages import FIELD_NAME_PATTERN, SafeMessagesMixin  # noqa: E402
from splunklib.searchcommands import Configuration, Option, StreamingCommand, dispatch, validators  # noqa: E402

APP_DIR = os.path.dirname(BIN)
FIELD = validators.Match("a field name", FIELD_NAME_PATTERN)
PREFIX = validators.Match("a field-name prefix (letters, digits, _)", r"^[A-Za-z0-9_]*$")


@Configuration(distributed=True)
class IpContextCommand(FastRecordsMixin, SafeMessagesMixin, StreamingCommand):
    """Adds City, Country, Region, lat, lon (+ Continent, MetroCode, Timezone), asn, as_org and ip_class."""

    field = Option(require=False, default="src", validate=FIELD)
    prefix = Option(require=False, default="", validate=PREFIX)
    allfields = Option(require=False, default=False, validate=validators.Boolean())

    def prepare(self):
        if self.fieldnames:
            self.write_error(f"ipcontext: unexpected argument {self.fieldnames[0]!r}; "
                             "use field=, prefix= or allfields=")
            sys.exit(1)
        city_path, origin, asn_path = database_paths(APP_DIR)
        try:
            if city_path is None:
                raise DatabaseError(f"GeoIP City database not configured: {origin}")
            city = open_reader(city_path, "GeoIP City", origin)
            if "City" not in city.metadata().database_type and "Country" not in city.metadata().database_type:
                raise DatabaseError(f"{city_path} is a {city.metadata().database_type} database, "
                                    f"not a City or Country database (from {origin})")
            asn = open_reader(asn_path, "GeoIP ASN", "ipcontext.conf [geoip] asn_db_path") if asn_path else None
            if asn is not None and "ASN" not in asn.metadata().database_type:
                raise DatabaseError(f"{asn_path} is a {asn.metadata().database_type} database, not an ASN "
                                    "database (from ipcontext.conf [geoip] asn_db_path)")
        except DatabaseError as error:
            self.error_exit(error, f"ipcontext: {error}")
        self.context = IpContext(city, asn, self.allfields, self.prefix)

    def stream(self, records):
        lookup = self.context.lookup
        field = self.field
        self.gen_record(**{name: None for name in self.context.output_names})  # declare output fields once
        failed = 0
        for record in records:
            try:
                record.update(lookup(record.get(field)))
            except Exception:  # one odd record must not lose the chunk; count it and report once
                failed += 1
            yield record
        if failed:
            self.write_warning(f"ipcontext: {failed} record(s) could not be enriched and were passed through")


dispatch(IpContextCommand, sys.argv, sys.stdin, sys.stdout, __name__)
