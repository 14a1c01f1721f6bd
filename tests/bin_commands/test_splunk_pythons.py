"""bin/ under Splunk's own interpreters (3.9 and 3.13), with nothing importable but the app's vendored bin/lib.

The protocol tests run the commands and the alert action through `splunk_python`; these check the fixture
itself (the right version, no packages of its own) and that every module under bin/ imports there, which
catches 3.10+ syntax, standard-library modules that 3.13 removed, and a dependency missing from bin/lib in
modules the protocol tests happen not to reach.
"""
import json
import subprocess

VENDORED = ("splunklib", "geoip2", "maxminddb", "slack_sdk")

PROBE = """
import importlib, importlib.util, json, sys
print(json.dumps({"version": "%d.%d" % sys.version_info[:2],
                  "found": [m for m in sys.argv[1:] if importlib.util.find_spec(m)]}))
"""

IMPORT_ALL = """
import importlib, json, os, sys
bin_dir = sys.argv[1]
sys.path[:0] = [os.path.join(bin_dir, "lib"), bin_dir]
sys.argv = [sys.argv[0]]  # the command scripts dispatch only when run as __main__
names = []
for package in ("intel_commands", "slack_alert"):
    for file in sorted(os.listdir(os.path.join(bin_dir, package))):
        if file.endswith(".py"):
            names.append(package + ("" if file == "__init__.py" else "." + file[:-3]))
names += [f[:-3] for f in sorted(os.listdir(bin_dir)) if f.endswith(".py")]
for name in names:
    importlib.import_module(name)
origins = {m: os.path.relpath(importlib.import_module(m).__file__, bin_dir)
           for m in ("splunklib", "geoip2", "maxminddb", "slack_sdk", "geoip2.database", "slack_sdk.webhook")}
print(json.dumps({"imported": names, "origins": origins}))
"""


def test_interpreter_is_the_version_asked_for_and_has_no_packages(splunk_python, request):
    version = request.node.callspec.id.removeprefix("py")
    proc = subprocess.run(splunk_python + ["-c", PROBE, *VENDORED, "pytest", "hypothesis"],
                          capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == {"version": version, "found": []}


def test_every_bin_module_imports_with_only_the_vendored_libraries(splunk_python, staged_app):
    bin_dir = staged_app / "bin"
    proc = subprocess.run(splunk_python + ["-c", IMPORT_ALL, str(bin_dir)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert {"intel_commands.record_io", "slack_alert.action", "ipcontext", "miningpool",
            "cryptomining_slack"} <= set(report["imported"])
    assert all(origin.startswith("lib/") for origin in report["origins"].values()), report["origins"]
