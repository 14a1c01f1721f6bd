"""Run splunk-appinspect on a package and gate on its JSON report (its exit code is 0 even on failures)."""
import json
import subprocess
import sys
from pathlib import Path

GATED = ("failure", "error", "manual_check_required_fail")


def run(package: Path, report: Path):
    """Inspect in precert mode with the cloud tag; return the report's summary dict."""
    cmd = [
        str(Path(sys.executable).with_name("splunk-appinspect")), "inspect", str(package),
        "--mode", "precert", "--included-tags", "cloud",
        "--data-format", "json", "--output-file", str(report),
        "--skip-trusted-libraries-update", "--max-messages", "all",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if not report.exists():
        raise RuntimeError(f"splunk-appinspect wrote no report (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return summary(json.loads(report.read_text(encoding="utf-8")))


def summary(report: dict) -> dict:
    return report.get("summary", {})


def findings(report: dict, results=("failure", "error", "warning")):
    """(result, check name, message) for every non-passing check message in a report."""
    out = []
    for app in report.get("reports", []):
        for group in app.get("groups", []):
            for check in group.get("checks", []):
                if check.get("result") in results:
                    for message in check.get("messages", []) or [{"message": ""}]:
                        out.append((check["result"], check["name"], message.get("message", "")))
    return out


def passed(summ: dict) -> bool:
    return all(not summ.get(key) for key in GATED)
