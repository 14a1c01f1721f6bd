"""savedsearches/*.yml -> savedsearches.conf: response actions of detections and validation of the rba block."""
import json
import re
import shutil

import pytest
import yaml

from appbuild import savedsearches
from appbuild.layout import ROOT


def _stanza(name):
    spec = next(s for s in savedsearches.load_sources() if s["name"] == name)
    return dict(savedsearches.settings(spec))


def test_detections_ship_slack_risk_and_notable_configured_but_off():
    conf = _stanza("AWS Cryptomining - Large or GPU EC2 Instance Launch")
    assert (conf["action.cryptomining_slack"], conf["action.risk"], conf["action.notable"]) == ("0", "0", "0")
    assert "actions" not in conf   # nothing fires until an admin enables it
    assert json.loads(conf["action.risk.param._risk"]) == [
        {"risk_object_field": "user", "risk_object_type": "user", "risk_score": 64},
        {"threat_object_field": "src_ip", "threat_object_type": "ip_address"}]
    assert conf["action.cryptomining_slack.param.severity"] == conf["action.notable.param.severity"] == "high"
    assert conf["action.notable.param.nes_fields"] == "account,user,region,instance_type,outcome,capacity_path"
    assert conf["action.correlationsearch.label"] == "AWS Cryptomining - Large or GPU EC2 Instance Launch"
    support = _stanza("AWS Cryptomining - Baseline - Launch Entities - Update")
    assert not any(key.startswith(("action.risk", "action.notable", "action.cryptomining_slack")) for key in support)


@pytest.mark.parametrize("rba,message", [
    (None, "a detection needs 'rba.message'"),
    ({"message": "m", "risk_objects": []}, "a detection needs 'rba.risk_objects'"),
    ({"message": "m", "risk_objects": [{"field": "user", "type": "person", "score": 5}]}, "type must be one of"),
    ({"message": "m", "risk_objects": [{"field": "user", "type": "user", "score": 500}]}, "score must be an integer 1-100"),
    ({"message": "m", "risk_objects": [{"field": "user", "type": "user", "score": 5}], "threat_objects": [{"field": "x"}]},
     "rba.threat_objects"),
])
def test_bad_rba_block_is_refused_naming_the_file(tmp_path, rba, message):
    source = ROOT / "savedsearches" / "unseen_region.yml"
    spec = yaml.safe_load(source.read_text())
    if rba is None:
        del spec["rba"]
    else:
        spec["rba"] = rba
    (tmp_path / "unseen_region.yml").write_text(yaml.safe_dump(spec))
    with pytest.raises(savedsearches.SavedSearchError, match=message) as error:
        savedsearches.load_sources(tmp_path)
    assert str(error.value).startswith("unseen_region.yml:")
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize("edit,message", [
    (lambda s: s["tests"][0]["expect"].update(alert=3),
     r"unseen_region.yml: tests\[0\].expect has unknown key 'alert' \(allowed: alerts, key, "),
    (lambda s: s.update(shedule=s.pop("schedule")), "unseen_region.yml: the file has unknown key 'shedule'"),
    (lambda s: s["alert"]["condition"].update(relation="greater"),
     "unseen_region.yml: alert.condition.relation must be one of .*'greater than'.*got 'greater'"),
    (lambda s: s["alert"].update(digest="no"), "unseen_region.yml: alert.digest must be true or false, got 'no'"),
    (lambda s: s["tests"][0].pop("expect"), r"unseen_region.yml: tests\[0\] lacks the required key 'expect'"),
    (lambda s: s["tests"][0]["expect"].pop("alerts") and s["tests"][0]["expect"].pop("values"),
     r"unseen_region.yml: tests\[0\].expect needs 'alerts' or 'values'"),
])
def test_schema_refuses_misspelled_unknown_or_mistyped_keys(tmp_path, edit, message):
    """appbuild/schema.py: every key of a savedsearches/*.yml, tests: included, is declared; a typo fails the build."""
    spec = yaml.safe_load((ROOT / "savedsearches" / "unseen_region.yml").read_text())
    edit(spec)
    (tmp_path / "unseen_region.yml").write_text(yaml.safe_dump(spec))
    with pytest.raises(savedsearches.SavedSearchError, match=message):
        savedsearches.load_sources(tmp_path)


def test_allowlist_names_are_the_yaml_stems_and_documented():
    """A detection filters the allowlist by its own file stem (a real-time variant shares its scheduled twin's
    entries), and the README lists every name admins may use."""
    import re

    used = set()
    for spec in savedsearches.load_sources():
        for name in re.findall(r"`aws_cryptomining_allowlist\((\w+)\)`", spec["search"]):
            assert name == spec["_source"].stem.removesuffix("_realtime"), spec["_source"].name
            used.add(name)
    assert len(used) == 22
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"Detection names: (.*?)\(or `\*`\)", readme, re.S).group(1)
    assert set(re.findall(r"`(\w+)`", documented)) == used


def test_real_time_scheduling_of_an_index_window_search_is_refused(tmp_path):
    """Under load real-time scheduling skips runs, and a skipped run's index-time window is never searched."""
    spec = yaml.safe_load((ROOT / "savedsearches" / "unseen_region.yml").read_text())
    spec["schedule"]["realtime"] = True
    (tmp_path / "unseen_region.yml").write_text(yaml.safe_dump(spec))
    with pytest.raises(savedsearches.SavedSearchError, match="must be continuously scheduled") as error:
        savedsearches.load_sources(tmp_path)
    assert str(error.value).startswith("unseen_region.yml:")


def test_duplicate_mitre_ids_are_refused(tmp_path):
    spec = yaml.safe_load((ROOT / "savedsearches" / "unseen_ami.yml").read_text())
    spec["annotations"]["mitre_attack"] = ["T1496", "T1496"]
    (tmp_path / "unseen_ami.yml").write_text(yaml.safe_dump(spec))
    with pytest.raises(savedsearches.SavedSearchError, match="lists an id twice"):
        savedsearches.load_sources(tmp_path)


def test_no_detection_ships_a_mitre_id_twice():
    conf = (ROOT / "default" / "savedsearches.conf").read_text()
    for value in re.findall(r"^action\.correlationsearch\.annotations = (.*)$", conf, re.M):
        ids = json.loads(value)["mitre_attack"]
        assert len(ids) == len(set(ids)), ids

def test_incident_alert_ships_slack_and_an_es_notable_per_incident_off():
    conf = _stanza("AWS Cryptomining - Incident Correlation")
    assert (conf["action.cryptomining_slack"], conf["action.notable"]) == ("0", "0")
    assert conf["action.notable.param.rule_title"] == "$incident_id$: $title$"
    assert conf["action.notable.param.nes_fields"] == "incident_id" and "action.risk" not in conf
    assert conf["alert.digest_mode"] == "0" and conf["alert.suppress"] == "0"   # one alert per incident row
