"""Benchmark: hunt.py (the app's full schedule, and one --search) against DuckDB reading the same file once.

Writes a SYNTHETIC 30-day CloudTrail NDJSON (bench_replay.synthetic_cloudtrail: real record shapes, 0.3 %
RunInstances as in issue 21's measurements), then measures, each in its own process:
- DuckDB: one read of the file with a launches-per-account-and-region query (the baseline);
- `hunt.py --baseline-days 7 FILE`: every enabled scheduled search of the app at each of its cron times;
- `hunt.py --search 'index=aws eventName=RunInstances | stats count by recipientAccountId awsRegion' FILE`;
and prints wall and CPU seconds (user + system, from the child's rusage: on a machine shared with other jobs the
CPU time is the steadier figure; DuckDB's CPU time counts both of its threads), the ratios to the DuckDB baseline
and each process's peak RSS (ru_maxrss). `--until EPOCH` replays a fixed slice of the schedule (the full
schedule of a large file can take hours on a loaded machine).

    .venv/bin/python bench/bench_hunt.py --events 1000000 [--skip-replay] [--keep FILE]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_replay import synthetic_cloudtrail  # noqa: E402

CITY = ROOT / "tests" / "data" / "geoip" / "GeoIP2-City-Test.mmdb"
PHASES = "hunt.py: CPU seconds: "
SEARCH = "index=aws eventName=RunInstances | stats count by recipientAccountId awsRegion"
DUCKDB = """import duckdb, sys, time
began = time.perf_counter()
rows = duckdb.sql("SELECT recipientAccountId, awsRegion, count(*) FROM read_json_auto(?, format='newline_delimited') "
                  "WHERE eventName = 'RunInstances' GROUP BY ALL", params=[sys.argv[1]]).fetchall()
print(len(rows), time.perf_counter() - began)
"""


def measure(argv):
    """(wall seconds, CPU seconds, peak RSS MiB, stdout, stderr) of one child process (its own rusage, from
    wait4: the custom commands' processes it waited for included)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode not in (0, 1):
            raise SystemExit(f"{argv[:3]} failed ({child.returncode}): {err.read()[-2000:]}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read(), err.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--skip-replay", action="store_true", help="only DuckDB and --search")
    parser.add_argument("--keep", help="write (or reuse) the synthetic file here")
    parser.add_argument("--until", help="end the replay at this epoch (a fixed slice of the schedule)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.keep) if args.keep else Path(tmp) / "cloudtrail.ndjson"
        if not data.exists():
            synthetic_cloudtrail(data, args.events, launch_share=0.003)
        python = sys.executable
        duck_wall, duck_cpu, duck_rss, _, _ = measure([python, "-c", DUCKDB, str(data)])
        print(f"DuckDB, one read of {args.events:,} events: {duck_wall:.1f} s wall, {duck_cpu:.1f} s CPU, "
              f"peak RSS {duck_rss:.0f} MiB")
        wall, cpu, rss, _, _ = measure([python, "hunt.py", "--json", "--search", SEARCH, str(data)])
        print(f"hunt.py --search: {wall:.1f} s wall = {wall / duck_wall:.1f}x DuckDB, {cpu:.1f} s CPU = "
              f"{cpu / duck_cpu:.1f}x, peak RSS {rss:.0f} MiB")
        if not args.skip_replay:
            until = ["--until", args.until] if args.until else []
            wall, cpu, rss, out, err = measure([python, "hunt.py", "--json", "--baseline-days", "7",
                                                "--geoip-db", str(CITY), *until, str(data)])
            print(f"hunt.py {'schedule until ' + args.until if args.until else 'full schedule'}: {wall:.1f} s wall = "
                  f"{wall / duck_wall:.1f}x DuckDB, {cpu:.1f} s CPU = {cpu / duck_cpu:.1f}x, peak RSS {rss:.0f} MiB, "
                  f"{len(out.splitlines())} alert rows")
            # hunt.py's own lines: the store's size and the CPU seconds of each phase (ingest, indexes, initial
            # builds, idle set-up, runs), also per event to show how each grows with the number of events
            for line in err.splitlines():
                if line.startswith(("hunt.py: event store:", "hunt.py: replayed")):
                    print(line)
                if line.startswith(PHASES):
                    phases = [part.rsplit(" ", 1) for part in line[len(PHASES):].split(", ")]
                    print(line + "; per event: " + ", ".join(
                        f"{name} {float(cpu) * 1e6 / args.events:.1f} us" for name, cpu in phases))


if __name__ == "__main__":
    main()
