"""Every key of every shipped .conf is valid on every supported Splunk version.

The specs are extracts of Splunk's own .conf.spec files per version (tests/data/conf_specs/, SOURCE.md says
which and how); the app's README/*.conf.spec extend them, as in Splunk. A misspelled key, or one only newer
versions know (`python.required` before 10.2), fails here instead of showing as "Invalid key" in btool.
"""
import json
import re

import pytest
from conf_specs import invalid_keys, load_spec

from appbuild.layout import ROOT

SPECS = ROOT / "tests" / "data" / "conf_specs"
APP_OWN_CONFS = {"ipcontext.conf"}  # a conf file of this app's own, declared by README/ipcontext.conf.spec
VERSIONS = sorted((p.name for p in SPECS.iterdir() if p.is_dir()), key=lambda v: tuple(map(int, v.split("."))))


def shipped_confs(app):
    return sorted((app / "default").glob("*.conf"))


def spec_paths(app, version, conf):
    name = conf.name + ".spec"
    return [p for p in (SPECS / version / name, app / "README" / name) if p.is_file()]


def test_supported_versions_are_the_manifests():
    """The spec folders are the supported versions, the oldest of which app.manifest declares."""
    manifest = json.loads((ROOT / "app.manifest").read_text(encoding="utf-8"))
    declared = manifest["platformRequirements"]["splunk"]["Enterprise"]
    assert declared == f">={VERSIONS[0]}"
    assert VERSIONS == ["9.4", "10.0", "10.2", "10.4"]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_shipped_key_is_valid(staged_app, version):
    problems = []
    for conf in shipped_confs(staged_app):
        paths = spec_paths(staged_app, version, conf)
        if paths:
            problems += invalid_keys(conf, load_spec(paths))
    assert problems == [], f"not valid on Splunk {version}: {problems}"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_shipped_conf_has_a_splunk_spec_on_every_version(staged_app, version):
    """Each shipped conf is checked against Splunk's own spec of each version, so no key goes unchecked on any
    declared version; only the app's own conf file has no Splunk spec (its spec is in README/)."""
    missing = [conf.name for conf in shipped_confs(staged_app)
               if conf.name not in APP_OWN_CONFS and not (SPECS / version / f"{conf.name}.spec").is_file()]
    assert missing == [], f"no Splunk spec for {missing} on {version}"
    assert all((staged_app / "README" / f"{name}.spec").is_file() for name in APP_OWN_CONFS)


def test_python_keys_are_checked_on_every_version(staged_app):
    """The keys that differ across versions (the interpreter ones) have a spec on each version."""
    for version in VERSIONS:
        for name in ("commands.conf", "alert_actions.conf"):
            assert (SPECS / version / f"{name}.spec").is_file(), (version, name)


def test_checker_refuses_misspelled_and_too_new_keys(tmp_path):
    conf = tmp_path / "savedsearches.conf"
    conf.write_text("[Some search]\nrealtime_shedule = 0\nrealtime_schedule = 0\naction.slack.param.x = 1\n")
    problems = invalid_keys(conf, load_spec([SPECS / VERSIONS[0] / "savedsearches.conf.spec"]))
    assert problems == ["savedsearches.conf: [Some search] realtime_shedule"]
    role = tmp_path / "authorize.conf"
    role.write_text("[role_x]\nimportRoles = user\nsrchIndexesAlowed = _internal\nqueuedSearchQuota = 2\n")
    assert invalid_keys(role, load_spec([SPECS / "10.0" / "authorize.conf.spec"])) == [
        "authorize.conf: [role_x] srchIndexesAlowed", "authorize.conf: [role_x] queuedSearchQuota"]  # 10.2+
    assert invalid_keys(role, load_spec([SPECS / "10.4" / "authorize.conf.spec"])) == [
        "authorize.conf: [role_x] srchIndexesAlowed"]
    commands = tmp_path / "commands.conf"
    commands.write_text("[cmd]\nfilename = cmd.py\npython.required = 3.9, 3.13\n")
    assert invalid_keys(commands, load_spec([SPECS / "9.4" / "commands.conf.spec"])) == [
        "commands.conf: [cmd] python.required"]
    assert invalid_keys(commands, load_spec([SPECS / "10.2" / "commands.conf.spec"])) == []


def test_interpreter_is_one_every_version_runs_for_the_vendored_libraries(staged_app):
    """python3 means 3.7 on Splunk 9.4 (its commands/alert_actions specs): too old for geoip2/maxminddb."""
    for name in ("commands.conf", "alert_actions.conf"):
        text = (staged_app / "default" / name).read_text(encoding="utf-8")
        assert set(re.findall(r"^python\.version\s*=\s*(\S+)", text, re.M)) == {"python3.9"}, name
