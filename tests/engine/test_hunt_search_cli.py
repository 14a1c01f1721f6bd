"""hunt.py --search CLI contract (issue 3): table or --json rows, errors on stderr with non-zero exit."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CT = ROOT / "tests" / "data" / "cloudtrail"


def hunt(*args):
    return subprocess.run([sys.executable, str(ROOT / "hunt.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_json_rows_with_multivalue_lists_and_epoch_time():
    proc = hunt("--json", "--search",
                "eventName=RunInstances NOT errorCode=* | table _time responseElements.instancesSet.items{}.instanceId",
                str(CT))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    ids = [r["responseElements.instancesSet.items{}.instanceId"] for r in rows]
    assert ids == ["i-07d06021b0da55115", ["i-00000000000000000", "i-00000000000000001"]]
    assert all(isinstance(r["_time"], int) for r in rows)


def test_table_output_and_generating_search_without_paths():
    proc = hunt("--search", '| makeresults count=2 | eval who="alice" | table who')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["who", "-----", "alice", "alice", "(2 results)"]


def test_errors_go_to_stderr_with_non_zero_exit():
    proc = hunt("--search", "| frobnicate")
    assert proc.returncode != 0
    assert "Unknown or unsupported command 'frobnicate'" in proc.stderr
    assert proc.stdout == ""
    proc = hunt("--search", "*", str(CT / "missing.json"))
    assert proc.returncode != 0 and "does not exist" in proc.stderr
