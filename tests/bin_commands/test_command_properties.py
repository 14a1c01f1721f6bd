"""Property tests: >= 10,000 generated malformed records per command, through the real protocol.

Hypothesis generates the records (collected first, then sent in chunks through one command process, so the
run stays fast); the invariants are checked per record: every record comes out, in order, with its input
fields unchanged, no error or warning, and added fields only with valid values. A second, in-process set of
properties on the matching/lookup functions gives shrunk counter-examples if one ever fails.
"""
import sys

import pytest
from conftest import DATA, ROOT_BIN, run_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splengine.chunked import decode_rows, encode_rows

N_RECORDS = 10000
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
REAL_HOSTS = ["nanopool.org", "moneropool.ru", "pool.supportxmr.com", "gulf.moneroocean.stream",
              "dynamodb.us-west-2.amazonaws.com", "ec2.amazonaws.com", "xn--mnzpool-n2a.de", "münzpool.de"]


def _host():
    label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=0, max_size=12)
    return st.one_of(
        st.sampled_from(REAL_HOSTS),
        st.builds(lambda a, h, dot: f"{a}.{h}{dot}", label, st.sampled_from(REAL_HOSTS), st.sampled_from(["", ".", ".."])),
        st.builds(lambda a, h: f"{a}{h}", label, st.sampled_from(REAL_HOSTS)),
        st.lists(label, min_size=1, max_size=130).map(".".join),
    )


def _ip():
    return st.one_of(
        st.ip_addresses().map(str),
        st.ip_addresses(v=6).map(lambda ip: f"[{ip}]"),
        st.ip_addresses(v=6).map(lambda ip: f"{ip}%eth{0}"),
        st.builds(lambda a, b, c, d: f"{a}.{b}.{c}.{d}", *[st.integers(-5, 400)] * 4),
        st.sampled_from(["AWS Internal", "cloudformation.amazonaws.com", "06.237.252.245", "::ffff:81.2.69.160",
                         "194.145.227.21", "81.2.69.160", "1.128.0.0", "redacted", "-"]),
    )


def _scalar():
    return st.one_of(
        st.none(),
        st.text(alphabet=CHARS, max_size=40),
        st.binary(max_size=48).map(lambda b: b.replace(b"\x00", b"").decode("latin-1")),
        st.builds(lambda c, n: c * n, st.sampled_from(["a", "é", "1.", "$", '"', "\n", "🙂"]), st.integers(100, 20000)),
        st.integers(-(2 ** 70), 2 ** 70),
        st.floats(allow_nan=True, allow_infinity=True),
        _host(),
        _ip(),
        st.builds(lambda s, h, p: f"{s}://{h}:{p}", st.sampled_from(["stratum+tcp", "stratum+ssl", "stratum+tls", "http", "STRATUM+TCP"]),
                  st.one_of(_host(), _ip()), st.one_of(st.integers(-1, 70000).map(str), st.text(alphabet=CHARS, max_size=6))),
        st.builds(lambda h, p: f"{h}:{p}", _host(), st.integers(-1, 70000)),
    )


VALUE = st.one_of(_scalar(), st.lists(_scalar().filter(lambda v: v is not None), max_size=4))
RECORD = st.fixed_dictionaries({}, optional={name: VALUE for name in ("q", "ip", "port", "url", "src")})


def generated_records(n=N_RECORDS):
    records = []

    @settings(max_examples=n, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(RECORD)
    def collect(record):
        records.append(record)

    collect()
    return [dict(record, _serial=i) for i, record in enumerate(records)]


def as_splunk_sends(records):
    """What the command receives for each input record (the CSV round trip, empty values are null)."""
    return decode_rows(encode_rows(records))


def check_stream(records, out, messages, added_check):
    assert messages == []
    assert len(out) == len(records)
    sent = as_splunk_sends(records)
    for i, (before, after) in enumerate(zip(sent, out)):
        assert after["_serial"] == str(i)
        assert {k: after.get(k) for k in before} == before, before
        added = {k: v for k, v in after.items() if k not in before}
        added_check(before, added)


MATCH_KINDS = {"domain_exact", "domain_suffix", "ip", "ip_port", "stratum_url", "port"}


def _miningpool_added(before, added):
    if added:
        assert added["mining_match"] in MATCH_KINDS, (before, added)
        assert added["mining_confidence"] in {"high", "medium", "low"}
        assert added["mining_category"] in {"mining_pool", "browser_miner", "miner_malware_infra", "pool_website"}
        assert set(added) <= {"mining_indicator", "mining_match", "mining_pool", "mining_coin", "mining_category",
                              "mining_confidence", "mining_source"}


IP_CLASSES = {"public", "private", "shared", "loopback", "link_local", "multicast", "unspecified", "reserved",
              "aws_service"}


def _ipcontext_added(before, added):
    if added:
        assert added["ip_class"] in IP_CLASSES, (before, added)
        assert isinstance(before["src"], str)  # multivalues never get fields
        for key in ("lat", "lon"):
            if key in added:
                float(added[key])
        assert set(added) <= {"ip_class", "City", "Country", "Region", "lat", "lon", "asn", "as_org"}


@pytest.fixture(scope="module")
def records():
    return generated_records()


def test_miningpool_survives_generated_records(splunk_python, staged_app, records):
    args = ["domain_field=q", "ip_field=ip", "port_field=port", "url_field=url", "portonly=true"]
    out, messages = run_command(splunk_python, staged_app, "miningpool", args, records, chunk_size=2500)
    check_stream(records, out, messages, _miningpool_added)
    assert sum("mining_match" in r for r in out) > 100  # the generator does reach real indicators


def test_ipcontext_survives_generated_records(splunk_python, app_copy, records):
    local = app_copy / "local"
    local.mkdir(exist_ok=True)
    (local / "ipcontext.conf").write_text(f"[geoip]\ncity_db_path = {DATA / 'geoip' / 'GeoIP2-City-Test.mmdb'}\n"
                                          f"asn_db_path = {DATA / 'geoip' / 'GeoLite2-ASN-Test.mmdb'}\n")
    out, messages = run_command(splunk_python, app_copy, "ipcontext", ["field=src"], records, chunk_size=2500)
    check_stream(records, out, messages, _ipcontext_added)
    assert sum(r.get("ip_class") == "public" for r in out) > 100


# In-process properties on the logic (shrinking counter-examples).
sys.path.insert(0, str(ROOT_BIN))
from intel_commands.indicators import IndicatorIndex  # noqa: E402
from intel_commands.ip_enrichment import IpContext  # noqa: E402
from intel_commands.pool_matching import MiningPoolMatcher  # noqa: E402


@pytest.fixture(scope="module")
def matcher():
    index = IndicatorIndex()
    index.load(ROOT_BIN.parent / "lookups" / "mining_indicators.csv")
    return MiningPoolMatcher(index, portonly=True)


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(domain=VALUE, ip=VALUE, port=VALUE, url=VALUE)
def test_matcher_never_raises(matcher, domain, ip, port, url):
    result = matcher.match(domain, ip, port, url)
    assert result is None or result["match"] in MATCH_KINDS


@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=VALUE)
def test_ip_lookup_never_raises(value):
    import geoip2.database

    context = _ip_context(geoip2.database)
    result = context.lookup(value)
    assert not result or result["ip_class"] in IP_CLASSES


_CONTEXT = []


def _ip_context(database):
    if not _CONTEXT:
        _CONTEXT.append(IpContext(database.Reader(str(DATA / "geoip" / "GeoIP2-City-Test.mmdb")),
                                  database.Reader(str(DATA / "geoip" / "GeoLite2-ASN-Test.mmdb"))))
    return _CONTEXT[0]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.lists(st.sampled_from(["81.2.69.160", " 81.2.69.160", "2.125.160.216", "10.0.0.1", "AWS Internal",
                                        "", "1.128.0.1", "::ffff:81.2.69.160"]) | VALUE, max_size=40))
def test_ip_cache_answers_as_a_fresh_lookup_and_stays_bounded(values, monkeypatch):
    """The per-raw-value cache (cleared when full) never changes an answer."""
    import geoip2.database
    import intel_commands.ip_enrichment as module

    monkeypatch.setattr(module, "CACHE_SIZE", 3)
    context = IpContext(geoip2.database.Reader(str(DATA / "geoip" / "GeoIP2-City-Test.mmdb")))
    for value in values + values:
        assert context.lookup(value) == IpContext(context.city_reader).lookup(value)
        assert len(context._cache) <= 3
