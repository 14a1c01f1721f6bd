"""ipcontext driven as splunkd drives it, with MaxMind's test databases and real flow / CloudTrail values."""
import contextlib
import ipaddress
import os
import shutil

import pytest
from conftest import DATA, command_argv, ndjson_records, run_command

from splengine.chunked import ChunkedCommandError, ChunkedCommandProcess

GEOIP = DATA / "geoip"


@pytest.fixture(scope="module")
def geo_app(app_copy):
    """App copy whose local/ipcontext.conf points at the MaxMind test City and ASN databases."""
    local = app_copy / "local"
    local.mkdir(exist_ok=True)
    (local / "ipcontext.conf").write_text(
        f"[geoip]\ncity_db_path = {GEOIP / 'GeoIP2-City-Test.mmdb'}\nasn_db_path = {GEOIP / 'GeoLite2-ASN-Test.mmdb'}\n")
    return app_copy


@contextlib.contextmanager
def local_conf(app, text):
    """Temporarily replace the app copy's local/ipcontext.conf (None: no local file)."""
    local = app / "local" / "ipcontext.conf"
    local.parent.mkdir(exist_ok=True)
    saved = local.read_text() if local.exists() else None
    if text is None:
        local.unlink(missing_ok=True)
    else:
        local.write_text(text)
    try:
        yield
    finally:
        if saved is None:
            local.unlink(missing_ok=True)
        else:
            local.write_text(saved)


def ipc(python, app, args, rows, **kw):
    return run_command(python, app, "ipcontext", args, rows, **kw)


def tgw_flow_records():
    """Elastic's Transit Gateway flow lines: srcaddr/dstaddr are the first two IP tokens of each line."""
    rows = []
    for line in (DATA / "commands_vpcflow" / "integrations-test-tgw-samples.log").read_text().splitlines():
        ips = []
        for token in line.split():
            try:
                ipaddress.ip_address(token)
            except ValueError:
                continue
            ips.append(token)
        if len(ips) >= 2:
            rows.append({"srcaddr": ips[0], "dstaddr": ips[1]})
    return rows


def test_known_answers_on_real_flow_addresses(splunk_python, geo_app):
    rows = tgw_flow_records()
    assert len(rows) >= 3
    out, messages = ipc(splunk_python, geo_app, ["field=srcaddr"], rows)
    by_ip = {r["srcaddr"]: r for r in out}
    milton = by_ip["216.160.83.56"]
    assert (milton["City"], milton["Region"], milton["Country"]) == ("Milton", "Washington", "United States")
    assert (float(milton["lat"]), float(milton["lon"])) == (47.2513, -122.3149)
    assert milton["ip_class"] == "public"
    assert by_ip["175.16.199.0"]["City"] == "Changchun"
    telstra = by_ip["1.128.0.0"]
    assert (telstra["asn"], telstra["as_org"]) == ("1221", "Telstra Pty Ltd")
    assert [r["srcaddr"] for r in out] == [r["srcaddr"] for r in rows]
    assert messages == []


def test_allfields_and_prefix(splunk_python, geo_app):
    out, _ = ipc(splunk_python, geo_app, ["field=ip", "prefix=src_", "allfields=true"], [{"ip": "81.2.69.160"}, {"ip": "67.43.156.0"}])
    london, bhutan = out
    assert (london["src_City"], london["src_Country"], london["src_Region"]) == ("London", "United Kingdom", "England")
    assert (london["src_Continent"], london["src_Timezone"]) == ("Europe", "Europe/London")
    assert "City" not in london
    assert bhutan["src_Country"] == "Bhutan" and "src_City" not in bhutan


def test_cloudtrail_source_ip_values(splunk_python, geo_app):
    rows = ndjson_records(DATA / "commands_cloudtrail" / "panther-cloudtrail-source-ips.ndjson")
    out, messages = ipc(splunk_python, geo_app, ["field=sourceIPAddress"], rows, chunk_size=100)
    assert len(out) == len(rows) == 475
    assert [r.get("eventName") for r in out] == [r.get("eventName") for r in rows]
    classes = {}
    for row in out:
        classes.setdefault(row.get("sourceIPAddress"), row.get("ip_class"))
    assert classes["AWS Internal"] == "aws_service"
    assert classes["cloudformation.amazonaws.com"] == "aws_service"
    assert classes["10.0.1.100"] == "private"
    assert classes["127.0.0.1"] == "loopback"
    assert classes["203.0.113.50"] == "reserved"  # documentation range: no lookup
    assert classes["8.8.8.8"] == "public"
    assert classes["06.237.252.245"] is None and classes["redacted"] is None and classes[None] is None
    for row in out:
        if row.get("ip_class") != "public":
            assert not {"City", "Country", "lat", "lon", "asn"} & set(row)
    assert messages == []


def test_ipv6_mapped_and_scoped_values(splunk_python, geo_app):
    rows = [{"ip": "::ffff:81.2.69.160"}, {"ip": "fe80::1%eth0"}, {"ip": "2001:218::1"}, {"ip": "fd00::5"},
            {"ip": "100.64.3.4"}, {"ip": "[2001:218::1]"}]
    out, _ = ipc(splunk_python, geo_app, ["field=ip"], rows)
    assert out[0]["City"] == "London"
    assert out[1]["ip_class"] == "link_local"
    assert out[2]["Country"] == "Japan"
    assert out[3]["ip_class"] == "private"
    assert out[4]["ip_class"] == "shared"
    assert out[5]["Country"] == "Japan"


def test_city_db_from_limits_conf_then_splunk_share(splunk_python, app_copy, tmp_path):
    home = tmp_path / "splunk"
    (home / "etc" / "system" / "local").mkdir(parents=True)
    (home / "share").mkdir()
    env = dict(os.environ, SPLUNK_HOME=str(home))
    shutil.copy(GEOIP / "GeoLite2-City-Test.mmdb", home / "share" / "GeoLite2-City.mmdb")
    with local_conf(app_copy, None):
        out, _ = ipc(splunk_python, app_copy, ["field=ip"], [{"ip": "81.2.69.160"}], env=env)
        assert out[0]["City"] == "London" and "asn" not in out[0]
        (home / "etc" / "system" / "local" / "limits.conf").write_text(
            f"[iplocation]\ndb_path = {GEOIP / 'GeoIP2-City-Test.mmdb'}\n")
        (home / "share" / "GeoLite2-City.mmdb").unlink()
        out, _ = ipc(splunk_python, app_copy, ["field=ip"], [{"ip": "214.78.120.0"}], env=env)  # only in GeoIP2-City-Test
    assert out[0]["City"] == "San Diego"


def test_missing_database_is_a_clear_error(splunk_python, app_copy, tmp_path):
    env = dict(os.environ, SPLUNK_HOME=str(tmp_path / "nosplunk"))
    with local_conf(app_copy, None), ChunkedCommandProcess(command_argv(splunk_python, app_copy, "ipcontext"), env=env) as proc:
        with pytest.raises(ChunkedCommandError) as caught:
            proc.getinfo(["field=ip"])
    message = str(caught.value)
    assert message.startswith("ipcontext: GeoIP City database not found: ")
    assert "GeoLite2-City.mmdb" in message and "Traceback" not in message


def test_wrong_database_type_for_asn_is_a_clear_error(splunk_python, app_copy, tmp_path):
    home = tmp_path / "splunk"
    (home / "share").mkdir(parents=True)
    shutil.copy(GEOIP / "GeoLite2-City-Test.mmdb", home / "share" / "GeoLite2-City.mmdb")
    env = dict(os.environ, SPLUNK_HOME=str(home))
    with local_conf(app_copy, f"[geoip]\nasn_db_path = {GEOIP / 'GeoLite2-Country-Test.mmdb'}\n"):
        with ChunkedCommandProcess(command_argv(splunk_python, app_copy, "ipcontext"), env=env) as proc:
            with pytest.raises(ChunkedCommandError, match="not an ASN database .*asn_db_path"):
                proc.getinfo([])


@pytest.mark.parametrize("args, message", [
    (["fields=ip"], "Unrecognized option: fields=ip"),
    (["allfields=sometimes"], "Illegal value: allfields=sometimes"),
    (["prefix=a-b"], "Illegal value: prefix=a-b"),
    (["clientip"], "ipcontext: unexpected argument 'clientip'"),
])
def test_bad_arguments_name_the_argument(splunk_python, geo_app, args, message):
    with ChunkedCommandProcess(command_argv(splunk_python, geo_app, "ipcontext")) as proc:
        with pytest.raises(ChunkedCommandError) as caught:
            proc.getinfo(args)
    assert message in str(caught.value)
