"""The build refuses vendored libraries whose Requires-Python excludes the oldest interpreter Splunk uses."""
import pytest

from appbuild.vendor import VendorError, app_python_version, check_requires_python, vendored_libs


def dist_info(root, name, version, requires):
    folder = root / f"{name}-{version}.dist-info"
    folder.mkdir()
    header = f"Requires-Python: {requires}\n" if requires else ""
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{header}")


def test_the_app_declares_python_3_9_for_every_script():
    assert app_python_version() == "3.9"


def test_the_vendored_libraries_run_on_the_declared_python():
    check_requires_python(vendored_libs(), app_python_version())


def test_a_library_needing_a_newer_python_fails_the_build_by_name(tmp_path):
    dist_info(tmp_path, "geoip2", "9.0.0", ">=3.10")
    dist_info(tmp_path, "slack_sdk", "3.48.0", ">=3.7")
    dist_info(tmp_path, "splunk-sdk", "2.1.1", None)
    with pytest.raises(VendorError, match=r"geoip2 9\.0\.0 \(Requires-Python >=3\.10\)") as caught:
        check_requires_python(tmp_path, "3.9")
    assert "slack_sdk" not in str(caught.value)
    check_requires_python(tmp_path, "3.13")


def test_python3_alone_is_refused_because_splunk_9_4_reads_it_as_3_7(tmp_path):
    (tmp_path / "default").mkdir()
    (tmp_path / "default" / "commands.conf").write_text("[a]\npython.version = python3\n")
    with pytest.raises(VendorError, match="python3.N"):
        app_python_version(tmp_path)
    (tmp_path / "default" / "alert_actions.conf").write_text("[b]\npython.version = python3.13\n")
    (tmp_path / "default" / "commands.conf").write_text("[a]\npython.version = python3.9\n")
    with pytest.raises(VendorError, match="one python3.N"):
        app_python_version(tmp_path)
