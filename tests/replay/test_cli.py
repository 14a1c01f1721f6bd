"""hunt.py replay mode: JSON alert rows, readable report, errors with exit codes; one parser for both modes."""
import io
import json
import re
from pathlib import Path

import pytest

from hunt import main

HERE = Path(__file__).resolve().parent
APP = str(HERE / "apps" / "replay_edges")
STRATUS = str(HERE.parent / "data" / "replay_ingest" / "stratus-ec2-launch-unusual-instances.json")
CITY_DB = str(HERE.parent / "data" / "geoip" / "GeoLite2-City-Test.mmdb")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--app", APP, "--geoip-db", CITY_DB, *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_json_one_object_per_alert_row():
    code, out, err = run("--json", "--index-lag", "2m", STRATUS)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["_alert"]["search_name"] for r in rows} == {"Edge - Time Window", "Edge - Index Window",
                                                          "Edge - Throttled"}
    for row in rows:
        assert row["eventName"] == "RunInstances" and row["awsRegion"] == "ca-south-3r"
        assert isinstance(row["_alert"]["trigger_time"], int) and row["_alert"]["actions"] == ["webhook"]
        assert "search_name" not in row and "trigger_time" not in row
    assert "read 3 events" in err and "replayed" in err


def test_json_alert_metadata_never_overwrites_a_result_field(tmp_path):
    """A detection's own `severity` (low/high) stays; the alert's numeric severity is under `_alert`, and a row
    that already has `_alert` keeps it (the metadata goes to `__alert`)."""
    conf_app = tmp_path / "app" / "default"
    conf_app.mkdir(parents=True)
    (conf_app / "savedsearches.conf").write_text(
        "[Probe]\nsearch = index=aws eventName=RunInstances | head 1 | eval severity=\"low\", "
        "search_name=\"row's own\", _alert=\"kept\" | table severity search_name _alert awsRegion\n"
        "enableSched = 1\ncron_schedule = */5 * * * *\ndispatch.earliest_time = -1d\ndispatch.latest_time = now\n"
        "counttype = number of events\nrelation = greater than\nquantity = 0\nalert.severity = 5\n"
        "alert.suppress = 1\nalert.suppress.period = 1d\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", str(tmp_path / "app"), "--geoip-db", CITY_DB, "--index-lag", "2m", "--json", STRATUS],
                out=out, err=err) == 0, err.getvalue()
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert (row["severity"], row["search_name"], row["_alert"]) == ("low", "row's own", "kept")
    assert row["__alert"]["severity"] == 5 and row["__alert"]["search_name"] == "Probe"


def test_report_groups_alerts_by_search_and_since_until_limit_the_replay():
    code, out, _ = run("--index-lag", "2m", STRATUS)
    assert code == 0 and "== Edge - Index Window: 1 alert(s)" in out and "ca-south-3r" in out
    code, out, _ = run("--since", "2024-08-01T12:00:00Z", STRATUS)
    assert code == 0 and "No alerts." in out


def test_bad_inputs_exit_2_with_a_message(tmp_path):
    code, _, err = run(str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err
    conf_app = tmp_path / "app" / "default"
    conf_app.mkdir(parents=True)
    (conf_app / "savedsearches.conf").write_text("[S]\nsearch = index=aws\nenableSched = 1\ncron_schedule = 0 * * * mon\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", str(tmp_path / "app"), "--geoip-db", CITY_DB, STRATUS], out=out, err=err) == 2
    assert "cron_schedule" in err.getvalue()


def test_missing_geoip_database_option_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("SPLENGINE_GEOIP_DB", raising=False)
    monkeypatch.delenv("SPLUNK_HOME", raising=False)
    code, _, err = run("--geoip-db", str(tmp_path / "nope.mmdb"), STRATUS)
    assert code == 2 and "--geoip-db" in err and "nope.mmdb" in err


def test_offline_app_copy_carries_the_databases_and_leaves_the_app_alone(tmp_path):
    from replay.app_overlay import offline_app
    asn = str(HERE.parent / "data" / "geoip" / "GeoLite2-ASN-Test.mmdb")
    with offline_app(APP, CITY_DB, asn) as copy:
        conf = (copy / "local" / "ipcontext.conf").read_text()
        assert f"city_db_path = {CITY_DB}" in conf and f"asn_db_path = {asn}" in conf
        assert (copy / "default" / "savedsearches.conf").is_file()
    assert not copy.exists() and not (Path(APP) / "local").exists()


def test_find_city_db_order(tmp_path):
    from replay.cli import find_city_db
    splunk_db = tmp_path / "share" / "GeoLite2-City.mmdb"
    splunk_db.parent.mkdir()
    splunk_db.write_bytes(b"")
    assert find_city_db({"SPLENGINE_GEOIP_DB": "/x.mmdb", "SPLUNK_HOME": str(tmp_path)}) == "/x.mmdb"
    assert find_city_db({"SPLUNK_HOME": str(tmp_path)}) == str(splunk_db)
    assert find_city_db({"SPLUNK_HOME": str(tmp_path / "nowhere")}) in (None, "/usr/share/GeoIP/GeoLite2-City.mmdb",
                                                                      "/var/lib/GeoIP/GeoLite2-City.mmdb")


def test_hunt_py_without_search_runs_the_replay():
    import subprocess
    import sys
    root = HERE.parents[1]
    proc = subprocess.run([sys.executable, str(root / "hunt.py"), "--app", APP, "--geoip-db", CITY_DB, "--json",
                           "--index-lag", "2m", STRATUS], capture_output=True, text=True, timeout=120, cwd=root)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {r["_alert"]["search_name"] for r in rows} == {"Edge - Time Window", "Edge - Index Window", "Edge - Throttled"}


def test_one_parser_one_error_prefix_for_both_modes(tmp_path, capsys):
    """hunt.py is one argparse program: an option of the other mode is refused, and every error of either mode
    reads "hunt.py: error: ..." on stderr with exit code 2."""
    with pytest.raises(SystemExit) as exit_:
        main(["--search", "*", "--since", "2024-08-01T12:00:00Z", STRATUS])
    assert exit_.value.code == 2 and "hunt.py: error: --since applies to the replay, not to --search" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--now", "5", STRATUS])
    assert "hunt.py: error: --now applies to --search only" in capsys.readouterr().err
    code, _, err = run(str(tmp_path / "missing.json"))
    assert code == 2 and err.splitlines()[-1].startswith("hunt.py: error: ")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--search", "| frobnicate"], out=out, err=err) == 2
    assert err.getvalue().startswith("hunt.py: error: Unknown or unsupported command 'frobnicate'")


def test_one_json_printer_for_both_modes():
    """Alert rows and search rows go through the same printer: integral floats as integers, lists as lists."""
    code, out, _ = run("--json", "--index-lag", "2m", STRATUS)
    replay_rows = [json.loads(line) for line in out.splitlines()]
    search_out = io.StringIO()
    assert main(["--json", "--search", "| makeresults | eval n=2.0, f=2.5, mv=split(\"a,b\", \",\")"],
                out=search_out) == 0
    row = json.loads(search_out.getvalue())
    assert (row["n"], row["f"], row["mv"]) == (2, 2.5, ["a", "b"])
    assert code == 0 and all(isinstance(r["_alert"]["trigger_time"], int) for r in replay_rows)


def test_report_prints_the_incidents_before_the_detections(tmp_path):
    """A search whose alert rows carry incident_id is reported first, one line per notification."""
    conf_app = tmp_path / "app" / "default"
    conf_app.mkdir(parents=True)
    schedule = ("enableSched = 1\ncron_schedule = */5 * * * *\ndispatch.earliest_time = -1d\n"
                "dispatch.latest_time = now\ncounttype = number of events\nrelation = greater than\nquantity = 0\n"
                "alert.digest_mode = 0\nalert.suppress = 1\nalert.suppress.period = 1d\nalert.suppress.fields = awsRegion\n")
    (conf_app / "savedsearches.conf").write_text(
        "[A Detection]\nsearch = index=aws eventName=RunInstances | table awsRegion\n" + schedule +
        "[Z Incidents]\nsearch = index=aws eventName=RunInstances | head 1 | eval incident_id=\"INC-0123456789AB\", "
        "notify=\"new\", score=80, title=\"Access key AKIAEXAMPLE: 1 detection\", detections=split(\"a b\", \" \") "
        "| table incident_id notify score title detections awsRegion\n" + schedule)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", str(tmp_path / "app"), "--geoip-db", CITY_DB, "--index-lag", "2m", STRATUS],
                out=out, err=err) == 0
    text = out.getvalue()
    assert text.index("== Incidents (Z Incidents): 1 incident(s), 1 notification(s)") < text.index("== A Detection")
    assert "INC-0123456789AB new score 80: Access key AKIAEXAMPLE: 1 detection\n    detections: a, b\n" in text
    assert "== Z Incidents" not in text


def test_no_events_read_is_an_error_naming_what_was_looked_at(tmp_path):
    """An empty folder, or one holding only files of other extensions or broken files, exits 2 and says which
    paths were read and what was skipped, instead of "No alerts." as if the account were clean."""
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(str(empty))
    assert code == 2 and "No alerts." not in out
    assert f"hunt.py: error: no events read from {empty}: 0 log file(s) opened" in err
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("RunInstances at 12:00\n")
    (other / "broken.json").write_text('{"Records": [{"eventTime": \n')
    code, _, err = run(str(other))
    last = err.splitlines()[-1]
    assert code == 2 and last.startswith(f"hunt.py: error: no events read from {other}: 1 log file(s) opened")
    assert "1 file(s) skipped for their extension" in last and str(other / "notes.txt") in last
    assert f"{other / 'broken.json'}:2: invalid JSON" in last


def test_search_mode_no_events_read_is_an_error_unless_the_search_reads_none(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert main(["--search", "index=aws | stats count", str(tmp_path)], out=out, err=err) == 2
    assert err.getvalue().startswith(f"hunt.py: error: no events read from {tmp_path}")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--search", "| makeresults | eval x=1", str(tmp_path)], out=out, err=err) == 0
    assert "(1 result)" in out.getvalue()


LOCATED = "index=aws eventName=RunInstances | head 1 | eval ip=\"81.2.69.160\" | ipcontext field=ip " \
          "| iplocation prefix=l_ ip | table ip ip_class City Country l_City"


def _geoip_app(tmp_path):
    """An app with the real ipcontext command (bin/ and commands.conf copied) and one search using ipcontext and
    iplocation on 81.2.69.160, which MaxMind's test database places in London."""
    import shutil
    root = HERE.parents[1]
    app = tmp_path / "geoapp"
    shutil.copytree(root / "bin" / "intel_commands", app / "bin" / "intel_commands")
    shutil.copy(root / "bin" / "ipcontext.py", app / "bin")
    (app / "default").mkdir()
    for name in ("commands.conf", "ipcontext.conf"):
        shutil.copy(root / "default" / name, app / "default")
    (app / "default" / "savedsearches.conf").write_text(
        f"[Located]\nsearch = {LOCATED}\nenableSched = 1\ncron_schedule = */5 * * * *\n"
        "dispatch.earliest_time = -1d\ndispatch.latest_time = now\ncounttype = number of events\n"
        "relation = greater than\nquantity = 0\nalert.suppress = 1\nalert.suppress.period = 1d\n")
    return str(app)


def _located_rows(app, *extra):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--app", app, "--index-lag", "2m", "--json", *extra, STRATUS], out=out, err=err)
    assert code == 0, err.getvalue()
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_without_geoip_database_one_warning_and_empty_location_fields(tmp_path, monkeypatch):
    """No --geoip-db, no SPLENGINE_GEOIP_DB, no Splunk, no geoipupdate copy: the replay runs, warns once, and
    ipcontext/iplocation add no location field; ip_class (no database needed) is still there."""
    monkeypatch.delenv("SPLENGINE_GEOIP_DB", raising=False)
    monkeypatch.delenv("SPLUNK_HOME", raising=False)
    monkeypatch.setattr("replay.cli.CITY_DB_CANDIDATES", ("$SPLUNK_HOME/share/GeoLite2-City.mmdb",))
    rows, err = _located_rows(_geoip_app(tmp_path))
    assert len(rows) == 1 and rows[0]["ip"] == "81.2.69.160" and rows[0]["ip_class"] == "public"
    assert not {"City", "Country", "l_City"} & set(rows[0])
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("hunt.py: warning: no GeoIP City database found")
    assert "--geoip-db" in warnings[0]


def test_splunk_home_database_is_found_and_used(tmp_path, monkeypatch):
    """With SPLUNK_HOME set, Splunk's own $SPLUNK_HOME/share/GeoLite2-City.mmdb is used without --geoip-db."""
    import shutil
    monkeypatch.delenv("SPLENGINE_GEOIP_DB", raising=False)
    home = tmp_path / "splunk"
    (home / "share").mkdir(parents=True)
    shutil.copy(CITY_DB, home / "share" / "GeoLite2-City.mmdb")
    monkeypatch.setenv("SPLUNK_HOME", str(home))
    rows, err = _located_rows(_geoip_app(tmp_path))
    assert (rows[0]["City"], rows[0]["Country"], rows[0]["l_City"]) == ("London", "United Kingdom", "London")
    assert "warning" not in err
    with_option, _ = _located_rows(_geoip_app(tmp_path / "b"), "--geoip-db", CITY_DB)
    assert [{k: r[k] for k in ("ip", "City", "Country")} for r in with_option] == \
           [{k: r[k] for k in ("ip", "City", "Country")} for r in rows]


def test_progress_bar_percentage_simulated_time_and_eta():
    """Half the simulated span done in 30 wall seconds: 50%, and the other half is expected to take 30 s more."""
    from replay.cli import ProgressBar
    ticks = iter([100.0, 130.0, 190.0])
    stream = io.StringIO()
    bar = ProgressBar(stream, True, clock=lambda: next(ticks))
    start, end = 1_722_470_400, 1_722_470_400 + 86_400   # 2024-08-01 00:00 UTC + 1 day
    bar.start_replay(start)
    bar.replaying(500, start + 43_200, end)
    assert stream.getvalue() == ("\rhunt.py: [############............]  50% 500 runs, simulated 2024-08-01 12:00, "
                                 "ETA 0:00:30\x1b[K")
    bar.replaying(1000, end, end)
    bar.finish()
    assert stream.getvalue().endswith("100% 1000 runs, simulated 2024-08-02 00:00, ETA 0:00:00\x1b[K\n")


def test_progress_bar_on_a_terminal_only(tmp_path):
    """Under a pty (stdout and stderr terminals) hunt.py draws the bar with carriage returns; piped, or with
    --json on a terminal, stderr holds no bar, only the summary lines."""
    import os
    import pty
    import subprocess
    import sys
    root = HERE.parents[1]
    cmd = [sys.executable, str(root / "hunt.py"), "--app", APP, "--geoip-db", CITY_DB, "--index-lag", "2m", STRATUS]

    def under_pty(extra):
        main_fd, child_fd = pty.openpty()
        proc = subprocess.Popen(cmd + extra, stdout=child_fd, stderr=child_fd, cwd=root)
        os.close(child_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:   # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main_fd)
        assert proc.wait(timeout=120) == 0
        return b"".join(chunks).decode()

    text = under_pty([])
    bar_lines = [part for part in text.split("\r") if part.startswith("hunt.py: [")]
    assert bar_lines and "100%" in bar_lines[-1] and "runs, simulated 2024-08-01" in bar_lines[-1]
    assert "ETA 0:00:00" in bar_lines[-1] and "Replay 2024-08-01" in text
    assert "hunt.py: [" not in under_pty(["--json"])
    piped = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=root)
    assert piped.returncode == 0 and "\r" not in piped.stderr and "hunt.py: [" not in piped.stderr
    assert "hunt.py: replayed " in piped.stderr and " scheduled runs in " in piped.stderr
    phases = r"ingest [0-9.]+, indexes [0-9.]+, initial builds [0-9.]+, idle set-up [0-9.]+, runs [0-9.]+\n"
    assert re.search("hunt.py: CPU seconds: " + phases, piped.stderr)


def test_report_html_is_self_contained_escaped_and_complete(tmp_path):
    """--report writes one HTML file: the incident (with its entities and notifications), every alert on the
    timeline, the entities, and the containment checklist of the app's incident report dashboard. A hostile value
    in the data (markup in a field) is escaped, and the file loads nothing from elsewhere."""
    import shutil
    root = HERE.parents[1]
    app = tmp_path / "app"
    (app / "default").mkdir(parents=True)
    dashboard = Path("default") / "data" / "ui" / "views" / "aws_cryptomining_incident_report.xml"
    (app / dashboard).parent.mkdir(parents=True)
    shutil.copy(root / dashboard, app / dashboard)
    schedule = ("enableSched = 1\ncron_schedule = */5 * * * *\ndispatch.earliest_time = -1d\n"
                "dispatch.latest_time = now\ncounttype = number of events\nrelation = greater than\nquantity = 0\n"
                "alert.digest_mode = 0\nalert.suppress = 1\nalert.suppress.period = 1d\nalert.suppress.fields = awsRegion\n")
    (app / "default" / "savedsearches.conf").write_text(
        "[A Detection]\nsearch = index=aws eventName=RunInstances | eval user_agent=\"<script>alert(1)</script>\" "
        "| table awsRegion sourceIPAddress recipientAccountId user_agent\n" + schedule +
        "[Z Incidents]\nsearch = index=aws eventName=RunInstances | head 1 | eval incident_id=\"INC-0123456789AB\", "
        "notify=\"new\", score=80, title=\"Key <b>AKIAEXAMPLE</b>: 1 detection\", detections=\"a_detection\", "
        "access_keys=\"AKIAEXAMPLE\", instance_ids=\"i-0abc i-0def\" "
        "| table incident_id notify score title detections access_keys instance_ids awsRegion\n" + schedule)
    report = tmp_path / "incident.html"
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", str(app), "--geoip-db", CITY_DB, "--index-lag", "2m", "--report", str(report), STRATUS],
                out=out, err=err) == 0, err.getvalue()
    html = report.read_text()
    assert f"incident report written to {report}" in err.getvalue()
    assert "<script" not in html and "<b>" not in html and "<link" not in html and "src=" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Key &lt;b&gt;AKIAEXAMPLE&lt;/b&gt;" in html
    incidents = html[html.index("<h2>Incidents</h2>"):html.index("<h2>Detections</h2>")]
    assert "INC-0123456789AB" in incidents and "score 80" in incidents and "i-0abc, i-0def" in incidents
    timeline = html[html.index("<h2>Timeline</h2>"):html.index("<h2>Entities</h2>")]
    assert timeline.count("<tr>") == 1 + 2   # header + one alert per search (suppressed per region for 1 day)
    entities = html[html.index("<h2>Entities</h2>"):html.index("<h2>Containment</h2>")]
    assert "<td>access key</td><td>AKIAEXAMPLE</td><td>Z Incidents</td>" in entities
    assert "<td>instance</td><td>i-0def</td>" in entities and "<td>region</td><td>ca-south-3r</td>" in entities
    containment = html[html.index("<h2>Containment</h2>"):]
    assert "<li><strong>Terminate the instances</strong>" in containment and "DenyGpuInstanceLaunches" in containment
    assert containment.count("<li>") == 8


def test_report_is_a_replay_option():
    with pytest.raises(SystemExit):
        main(["--search", "*", "--report", "x.html"])


def test_search_mode_without_geoip_database_warns_once_and_runs(tmp_path, monkeypatch):
    """--search has the replay's fallback: no City database found, one warning, location fields empty, ip_class
    there; a search that looks up no address gets no warning."""
    monkeypatch.delenv("SPLENGINE_GEOIP_DB", raising=False)
    monkeypatch.delenv("SPLUNK_HOME", raising=False)
    monkeypatch.setattr("replay.cli.CITY_DB_CANDIDATES", ("$SPLUNK_HOME/share/GeoLite2-City.mmdb",))
    app = _geoip_app(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", app, "--json", "--search", LOCATED, STRATUS], out=out, err=err) == 0, err.getvalue()
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 1 and rows[0]["ip_class"] == "public" and not {"City", "Country", "l_City"} & set(rows[0])
    warnings = [line for line in err.getvalue().splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("hunt.py: warning: no GeoIP City database found")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", app, "--json", "--search", "index=aws eventName=RunInstances | stats count", STRATUS],
                out=out, err=err) == 0
    assert json.loads(out.getvalue()) == {"count": 1} and "warning" not in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["--app", app, "--json", "--geoip-db", CITY_DB, "--search", LOCATED, STRATUS], out=out, err=err) == 0
    assert json.loads(out.getvalue())["City"] == "London" and "warning" not in err.getvalue()
