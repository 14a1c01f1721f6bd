#!/usr/bin/env python3
"""Build the installable app package and gate it on splunk-appinspect.

    python3 package.py                  # generate conf, stage, vendor, tar.gz, AppInspect (precert + cloud)
    python3 package.py --generate-only  # only regenerate default/savedsearches.conf from savedsearches/
    python3 package.py --skip-appinspect

Writes dist/aws_cryptomining-<version>.tar.gz and dist/aws_cryptomining-<version>.appinspect.json,
prints a one-line summary and exits non-zero when AppInspect reports any failure or error.
Run it inside the dev virtual environment (`python3 dev.py main` does that for you).
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

from appbuild import appinspect, savedsearches
from appbuild.archive import write_tarball
from appbuild.layout import APP_ID, ROOT, app_version
from appbuild.staging import stage

DIST = ROOT / "dist"


def build(skip_appinspect=False):
    savedsearches.write()
    version = app_version()
    package = DIST / f"{APP_ID}-{version}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="aws_cryptomining-stage-") as tmp:
        write_tarball(stage(Path(tmp)), package)
    print(f"package: {package.relative_to(ROOT)}")
    if skip_appinspect:
        return 0
    report_path = DIST / f"{APP_ID}-{version}.appinspect.json"
    summ = appinspect.run(package, report_path)
    counts = ", ".join(f"{key} {summ.get(key, 0)}" for key in ("failure", "error", "warning", "manual_check", "success"))
    ok = appinspect.passed(summ)
    print(f"appinspect: {'PASS' if ok else 'FAIL'} ({counts}) report: {report_path.relative_to(ROOT)}")
    if not ok:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        for result, name, message in appinspect.findings(report, results=appinspect.GATED):
            print(f"  {result}: {name}: {message}", file=sys.stderr)
    return 0 if ok else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate-only", action="store_true", help="only regenerate default/savedsearches.conf")
    parser.add_argument("--skip-appinspect", action="store_true", help="build the package without inspecting it")
    args = parser.parse_args(argv)
    if args.generate_only:
        savedsearches.write()
        print(f"wrote {savedsearches.CONF_PATH.relative_to(ROOT)}")
        return 0
    return build(skip_appinspect=args.skip_appinspect)


if __name__ == "__main__":
    sys.exit(main())
