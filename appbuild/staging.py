"""Assemble the app exactly as it ships: shipped repo files + generated conf + vendored libraries."""
import json
import shutil
from pathlib import Path

from appbuild import savedsearches, vendor
from appbuild.layout import APP_ID, ROOT, app_version, shipped_files


class DriftError(RuntimeError):
    """default/savedsearches.conf differs from what savedsearches/*.yml generate."""


def check_generated(root=ROOT):
    expected = savedsearches.generate(root / "savedsearches")
    conf = root / "default" / "savedsearches.conf"
    actual = conf.read_text(encoding="utf-8") if conf.exists() else ""
    if actual != expected:
        raise DriftError("default/savedsearches.conf is out of date: run `python3 package.py --generate-only`")


def _manifest(root, version):
    manifest = json.loads((root / "app.manifest").read_text(encoding="utf-8"))
    manifest["info"]["id"]["name"] = APP_ID
    manifest["info"]["id"]["version"] = version
    return json.dumps(manifest, indent=2) + "\n"


def _stamp_launcher_version(app_conf: Path, version):
    """Add `version` to the staged [launcher] stanza (AppInspect wants it there too, equal to [id])."""
    lines = app_conf.read_text(encoding="utf-8").splitlines()
    index = lines.index("[launcher]")
    lines.insert(index + 1, f"version = {version}")
    app_conf.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stage(dest_parent: Path, root=ROOT) -> Path:
    """Write the app tree under dest_parent/aws_cryptomining and return that directory."""
    check_generated(root)
    app_dir = Path(dest_parent) / APP_ID
    if app_dir.exists():
        shutil.rmtree(app_dir)
    for source, rel in shipped_files(root):
        target = app_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    version = app_version(root)
    (app_dir / "app.manifest").write_text(_manifest(root, version), encoding="utf-8")
    _stamp_launcher_version(app_dir / "default" / "app.conf", version)
    vendor.copy_into(app_dir / "bin" / "lib")
    return app_dir
