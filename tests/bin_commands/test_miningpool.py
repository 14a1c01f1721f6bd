"""miningpool driven as splunkd drives it (subprocess, SCP v2, CSV chunks), with real Resolver and flow records."""
import csv

import pytest
from conftest import DATA, command_argv, ndjson_records, run_command, vpcflow_v2_records

from splengine.chunked import ChunkedCommandError, ChunkedCommandProcess

OUT = ("mining_indicator", "mining_match", "mining_pool", "mining_coin", "mining_category", "mining_confidence",
       "mining_source")


def mp(python, app, args, rows, **kw):
    return run_command(python, app, "miningpool", args, rows, **kw)


def test_panther_resolver_records_flag_moneropool_in_order(splunk_python, staged_app):
    rows = ndjson_records(DATA / "commands_route53" / "route53_resolver_vpcdns.ndjson")
    out, messages = mp(splunk_python, staged_app, [], rows, chunk_size=4)
    assert [r.get("query_name") for r in out] == [r.get("query_name") for r in rows]
    hits = {r["query_name"]: r for r in out if "mining_indicator" in r}
    assert set(hits) == {"moneropool.ru", "moneropool.ru.", "abc.abc.moneropool.ru", "abc.abc.moneropool.ru.",
                         "webservicepag.webhop.net", "webservicepag.webhop.net."}  # Panther's miner-malware IOC
    assert hits["webservicepag.webhop.net"]["mining_source"] == "panther-analysis"
    assert hits["moneropool.ru."]["mining_match"] == "domain_exact"
    assert hits["abc.abc.moneropool.ru"]["mining_match"] == "domain_suffix"
    assert hits["abc.abc.moneropool.ru"]["mining_indicator"] == "moneropool.ru"
    assert hits["moneropool.ru"]["mining_category"] == "mining_pool"
    assert hits["moneropool.ru"]["mining_confidence"] == "high"
    assert "panther-analysis" in hits["moneropool.ru"]["mining_source"]
    for before, after in zip(rows, out):  # input fields untouched
        assert {k: after[k] for k in before} == before
    assert messages == []


def test_benign_elastic_resolver_records_pass_through_unchanged(splunk_python, staged_app):
    rows = ndjson_records(DATA / "commands_route53" / "elastic-test-route53.log")
    assert len(rows) == 34
    out, _ = mp(splunk_python, staged_app, ["domain_field=query_name"], rows, chunk_size=10)
    assert out == rows


@pytest.mark.parametrize("query, indicator, kind", [
    ("xmr-eu1.nanopool.org", "xmr-eu1.nanopool.org", "domain_exact"),
    ("random-node7.nanopool.org.", "nanopool.org", "domain_suffix"),
    ("NANOPOOL.ORG.", "nanopool.org", "domain_exact"),
    ("pool.supportxmr.com:5555", "pool.supportxmr.com", "domain_exact"),
    ("stratum+tcp://pool.supportxmr.com:3333", "pool.supportxmr.com", "stratum_url"),
    ("stratum+ssl://user.worker@gulf.moneroocean.stream:20128", "gulf.moneroocean.stream", "stratum_url"),
    ("stratum+tls://203.0.113.77:443", "203.0.113.77:443", "stratum_url"),
])
def test_domain_and_url_forms(splunk_python, staged_app, query, indicator, kind):
    out, _ = mp(splunk_python, staged_app, ["domain_field=q"], [{"q": query}])
    assert (out[0]["mining_indicator"], out[0]["mining_match"]) == (indicator, kind)


@pytest.mark.parametrize("query", ["notnanopool.org", "nanopool.org.evil.example", "nanopool", "org",
                                   "xnanopool.org", "nanopool.org-x.com", "nanopool_org", "10.0.0.2"])
def test_no_substring_or_label_fragment_matches(splunk_python, staged_app, query):
    out, _ = mp(splunk_python, staged_app, ["domain_field=q"], [{"q": query}])
    assert out == [{"q": query}]


def test_unknown_host_in_stratum_url_is_medium_confidence(splunk_python, staged_app):
    out, _ = mp(splunk_python, staged_app, ["url_field=cmd"], [{"cmd": "stratum+tcp://xmr.corp-internal.example.net:3333"}])
    assert out[0]["mining_match"] == "stratum_url"
    assert out[0]["mining_confidence"] == "medium"
    assert out[0]["mining_indicator"] == "xmr.corp-internal.example.net:3333"


def test_spath_style_field_names(splunk_python, staged_app):
    out, _ = mp(splunk_python, staged_app, ["domain_field=answers{}.Rdata"], [{"answers{}.Rdata": "moneropool.ru."}])
    assert out[0]["mining_match"] == "domain_exact"


def test_prefix_option(splunk_python, staged_app):
    out, _ = mp(splunk_python, staged_app, ["domain_field=q", "prefix=pool_"], [{"q": "moneropool.ru"}])
    assert out[0]["pool_match"] == "domain_exact" and "mining_match" not in out[0]


def _flow_rows():
    rows = []
    for name in ("beats-accept-reject-traffic.log", "integrations-test-extra-samples.log"):
        rows += vpcflow_v2_records(DATA / "commands_vpcflow" / name)
    return rows


def test_real_vpc_flow_records_match_nothing(splunk_python, staged_app):
    rows = _flow_rows()
    assert len(rows) == 11
    out, _ = mp(splunk_python, staged_app, ["ip_field=dstaddr", "port_field=dstport"], rows)
    assert out == rows
    out, _ = mp(splunk_python, staged_app, ["ip_field=dstaddr", "port_field=dstport", "portonly=true"], rows)
    assert out == rows  # ports 22, 3389, 0: no stratum port


def test_flow_to_pool_ip_port(splunk_python, staged_app):
    # SYNTHETIC: the first beats v2 record with its destination replaced by the maltrail pool 194.145.227.21:14444.
    real = _flow_rows()[0]
    to_pool = dict(real, dstaddr="194.145.227.21", dstport="14444")
    other_port = dict(real, dstaddr="194.145.227.21", dstport="80")
    stratum_port = dict(real, dstaddr="198.51.100.23", dstport="3333")
    rows = [real, to_pool, other_port, stratum_port]
    out, _ = mp(splunk_python, staged_app, ["ip_field=dstaddr", "port_field=dstport"], rows)
    assert out[1]["mining_match"] == "ip_port"
    assert out[1]["mining_indicator"] == "194.145.227.21:14444"
    assert out[1]["mining_category"] == "mining_pool"
    assert out[0] == real and out[2] == other_port and out[3] == stratum_port
    out, _ = mp(splunk_python, staged_app, ["ip_field=dstaddr", "port_field=dstport", "portonly=true"], rows)
    assert (out[3]["mining_match"], out[3]["mining_confidence"], out[3]["mining_indicator"]) == ("port", "low", "3333")
    assert out[1]["mining_match"] == "ip_port"
    out, _ = mp(splunk_python, staged_app, ["ip_field=dstaddr"], [to_pool])  # port unknown: weaker evidence
    assert (out[0]["mining_match"], out[0]["mining_confidence"]) == ("ip", "medium")


def test_fields_appear_even_when_first_record_of_chunk_does_not_match(splunk_python, staged_app):
    rows = [{"q": "example.org"}] * 3 + [{"q": "moneropool.ru"}] + [{"q": "example.org"}] * 3
    out, _ = mp(splunk_python, staged_app, ["domain_field=q"], rows * 3, chunk_size=7)
    assert [r.get("mining_match") for r in out] == [None, None, None, "domain_exact", None, None, None] * 3


def test_local_indicators_merge_and_bad_rows_are_reported(splunk_python, app_copy):
    local = app_copy / "lookups" / "mining_indicators_local.csv"
    with open(local, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "indicator_type", "port", "match", "category", "coin", "pool_name",
                         "confidence", "source"])
        writer.writerow(["münzpool.de", "domain", "", "suffix", "mining_pool", "XMR", "Münzpool", "high",
                         "SOC case 4711"])
        writer.writerow(["moneropool.ru", "domain", "", "exact", "mining_pool", "XMR", "MoneroPool RU", "high",
                         "SOC override"])
        writer.writerow(["pool.bad", "dns", "", "exact", "mining_pool", "", "", "", ""])
    try:
        rows = [{"q": "eu.xn--mnzpool-n2a.de."}, {"q": "MÜNZPOOL.de"}, {"q": "moneropool.ru"}]
        out, messages = mp(splunk_python, app_copy, ["domain_field=q"], rows)
    finally:
        local.unlink()
    assert [r["mining_match"] for r in out] == ["domain_suffix", "domain_exact", "domain_exact"]
    assert out[0]["mining_indicator"] == "xn--mnzpool-n2a.de" and out[0]["mining_source"] == "SOC case 4711"
    assert out[2]["mining_pool"] == "MoneroPool RU"
    assert messages == [("WARN", "miningpool: indicator row skipped: "
                         f"{local}:4: indicator_type: expected one of domain, ip, ip_port, port, got 'dns'")]


@pytest.mark.parametrize("args, message", [
    (["nosuch=1"], "Unrecognized option: nosuch=1"),
    (["prefix=bad-prefix"], "Illegal value: prefix=bad-prefix"),
    (["portonly=maybe"], "Illegal value: portonly=maybe"),
    (["domain_field=a b"], "Illegal value: domain_field=a b"),
    (["query_name"], "miningpool: unexpected argument 'query_name'"),
    (["port_field=dstport"], "miningpool: port_field needs ip_field"),
    (["prefix={0}"], "Illegal value: prefix={0}"),  # braces must not break splunklib's message formatting
    (["{x}"], "miningpool: unexpected argument '{x}'"),
    (["nosuch{}=1"], "Unrecognized option: nosuch{}=1"),
])
def test_bad_arguments_name_the_argument(splunk_python, staged_app, args, message):
    with ChunkedCommandProcess(command_argv(splunk_python, staged_app, "miningpool")) as proc:
        with pytest.raises(ChunkedCommandError) as caught:
            proc.getinfo(args)
    assert message in str(caught.value)


def test_getinfo_declares_a_distributable_streaming_command(splunk_python, staged_app):
    with ChunkedCommandProcess(command_argv(splunk_python, staged_app, "miningpool")) as proc:
        info = proc.getinfo([])
        proc.execute([], finished=True)
    assert info["type"] == "streaming"
    assert "distributed" not in info or info["distributed"] is True
