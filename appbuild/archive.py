"""Write the installable .tar.gz: one top-level folder named after the app, normalised owners and modes."""
import tarfile
from pathlib import Path


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o755 if info.isdir() else 0o644
    return info


def write_tarball(app_dir: Path, out_path: Path) -> Path:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out_path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        paths = [app_dir] + sorted(app_dir.rglob("*"))
        for path in paths:
            arcname = str(Path(app_dir.name) / path.relative_to(app_dir)) if path != app_dir else app_dir.name
            tar.add(path, arcname=arcname, recursive=False, filter=_normalise)
    return out_path
