#!/usr/bin/env python3
"""Benchmark: a 1,000-row alert becomes one delivered Slack message in < 1 s (target), end to end.

Runs the staged app's bin/cryptomining_slack.py --execute exactly as splunkd does (subprocess, JSON payload
on stdin, gzipped results file, vendored libraries) against the loopback Slack + splunkd fake of the tests.
Baseline measured in the same run: a bare interpreter start that only imports the vendored slack_sdk and
splunklib, i.e. the floor any Python alert action pays. Prints median times and the ratio.

    .venv/bin/python bench/bench_slack.py            # 5 runs each
    BENCH_FULL=1 .venv/bin/python bench/bench_slack.py   # 20 runs each, 10,000-row alert as well
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appbuild.staging import stage  # noqa: E402
from tests.slack.conftest import SESSION_KEY, sample_rows, write_results  # noqa: E402
from tests.slack.fakes import FakeServer  # noqa: E402

TARGET_SECONDS = 1.0


def timed(cmd, stdin, env):
    start = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"run failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def rows(count):
    base = sample_rows()
    return [dict(base[i % len(base)], count=str(1 + i % 7)) for i in range(count)]


def main():
    full = os.environ.get("BENCH_FULL") == "1"
    runs = 20 if full else 5
    sizes = (1000, 10000) if full else (1000,)
    with tempfile.TemporaryDirectory(prefix="bench-slack-") as tmp, FakeServer(SESSION_KEY) as server:
        tmp = Path(tmp)
        app = stage(tmp / "stage")
        script = app / "bin" / "cryptomining_slack.py"
        server.passwords[("aws_cryptomining_slack", "bench")] = server.base + "/hooks/services/T/B/bench"
        env = {"PATH": os.environ.get("PATH", ""), "SPLUNK_HOME": str(tmp / "home")}
        baseline_code = (f"import sys; sys.path.insert(0, {str(app / 'bin' / 'lib')!r}); "
                         "import slack_sdk.webhook, splunklib.client")
        baseline = statistics.median(timed([sys.executable, "-c", baseline_code], "", env) for _ in range(runs))
        print(f"baseline (interpreter + vendored imports): {baseline * 1000:.0f} ms median of {runs}")
        worst = 0.0
        for size in sizes:
            results = write_results(tmp / f"results_{size}.csv.gz", rows(size))
            times = []
            for i in range(runs):
                payload = json.dumps({
                    "app": "aws_cryptomining", "search_name": "bench", "sid": f"bench_{size}_{i}",
                    "server_uri": server.base, "session_key": SESSION_KEY, "results_file": str(results),
                    "results_link": "https://splunk.example.com/app/aws_cryptomining/search?sid=x",
                    "configuration": {"credential": "bench", "max_rows": "40"}})
                before = len(server.requests("/hooks/services/T/B/bench"))
                times.append(timed([sys.executable, str(script), "--execute"], payload, env))
                sent = server.requests("/hooks/services/T/B/bench")[before:]
                assert len(sent) == 1 and f"{size} result(s)" in json.dumps(sent[0]["body"]), "not one message"
            median = statistics.median(times)
            worst = max(worst, median)
            print(f"{size} rows -> 1 message: {median * 1000:.0f} ms median of {runs} "
                  f"(max {max(times) * 1000:.0f} ms), {median / baseline:.2f}x baseline, target < "
                  f"{TARGET_SECONDS * 1000:.0f} ms: {'OK' if median < TARGET_SECONDS else 'MISSED'}")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
