"""A scratch copy of the app for offline runs, with local/ipcontext.conf naming the GeoIP databases.

The `ipcontext` command reads its databases from the app's ipcontext.conf (or $SPLUNK_HOME), as on a
Splunk server. hunt.py has no Splunk and must never write the repository's local/, so it runs the app
from a copy of its shipped files in a temporary directory, with the responder's databases configured.
"""
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from appbuild.layout import shipped_files


@contextmanager
def offline_app(app_dir, city_db=None, asn_db=None):
    """Yield the path of a temporary copy of `app_dir`'s shipped files with local/ipcontext.conf set."""
    for name, path in (("--geoip-db", city_db), ("--asn-db", asn_db)):
        if path is not None and not Path(path).is_file():
            raise FileNotFoundError(f"{name}: no such database file: {path}")
    scratch = Path(tempfile.mkdtemp(prefix="hunt-app-"))
    try:
        copy = scratch / Path(app_dir).resolve().name
        for source, relative in shipped_files(Path(app_dir)):
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        settings = ["[geoip]"]
        if city_db:
            settings.append(f"city_db_path = {Path(city_db).resolve()}")
        if asn_db:
            settings.append(f"asn_db_path = {Path(asn_db).resolve()}")
        (copy / "local").mkdir()
        (copy / "local" / "ipcontext.conf").write_text("\n".join(settings) + "\n", encoding="utf-8")
        yield copy
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
