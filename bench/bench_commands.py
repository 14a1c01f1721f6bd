"""Throughput of `miningpool` and `ipcontext` over the chunked protocol vs a pass-through splunklib command.

Every command runs as splunkd runs it: `python bin/<cmd>.py` from the staged app (vendored bin/lib only),
getinfo, then execute chunks of 50,000 CSV records with `__mv_` columns. The chunks are encoded once up front,
so the figures are the commands' own cost plus the pipe, not the client's CSV encoding. The baseline is a
pass-through splunklib StreamingCommand (tests/bin_commands/scripts/passthrough.py) on the same chunks, same run.
The commands read and write records with intel_commands.record_io (splunklib's output, faster loops), so
a second pass-through with that same record I/O is measured too: against it the ratios show the enrichment's
own cost.

Records are SYNTHETIC DNS query records shaped like Route 53 Resolver query logs (the fields of the real
records in tests/data/commands_route53), with query names drawn with Zipf-like repetition from the real query
names of those files, generated service/CDN hosts and 0.5 % mining-pool hosts; answer IPs are drawn with
Zipf-like repetition from the networks of MaxMind's test City database (tests/data/geoip).

Usage: .venv/bin/python bench/bench_commands.py            (200,000 records)
       .venv/bin/python bench/bench_commands.py --full     (1,000,000 records)
       .venv/bin/python bench/bench_commands.py --records N
"""
import argparse
import csv
import ipaddress
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from splengine.chunked import ChunkedCommandError, ChunkedCommandProcess, app_python, encode_rows  # noqa: E402

DATA = ROOT / "tests" / "data"
PASSTHROUGH = ROOT / "tests" / "bin_commands" / "scripts" / "passthrough.py"
CHUNK = 50000
GEO_NETWORKS = ["81.2.69.160/27", "216.160.83.56/29", "89.160.20.128/25", "175.16.199.0/24", "2.125.160.216/29",
                "67.43.156.0/24", "202.196.224.0/20", "1.128.0.0/11", "12.81.92.0/22", "2001:218::/32"]


def zipf_choice(rng, items, n, s=1.1):
    weights = [1.0 / (rank + 1) ** s for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=n)


def real_query_names():
    names = []
    for path in (DATA / "commands_route53").glob("*"):
        if path.suffix in (".ndjson", ".log"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    names.append(json.loads(line).get("query_name"))
    return [n for n in names if n and "moneropool" not in n]


def dns_records(n, seed=7):
    rng = random.Random(seed)
    hosts = real_query_names()
    hosts += [f"{rng.choice(['api', 'cdn', 's3', 'logs', 'sts', 'ec2'])}{i}.{rng.choice(['us-east-1', 'eu-west-1'])}"
              f".amazonaws.com." for i in range(3000)]
    hosts += [f"img{i}.cdn{rng.randrange(50)}.example-content.net." for i in range(2000)]
    rng.shuffle(hosts)
    pools = ["xmr-eu1.nanopool.org.", "pool.supportxmr.com.", "gulf.moneroocean.stream.", "moneropool.ru.",
             "rx.unmineable.com.", "xmr.2miners.com."]
    networks = [ipaddress.ip_network(n) for n in GEO_NETWORKS]
    ips = [str(net[rng.randrange(min(net.num_addresses, 1 << 16))]) for net in networks for _ in range(300)]
    rng.shuffle(ips)
    names = zipf_choice(rng, hosts, n)
    answers = zipf_choice(rng, ips, n)
    instances = [f"i-0{rng.getrandbits(60):015x}" for _ in range(400)]
    records = []
    for i in range(n):
        records.append({
            "_time": str(1700000000 + i // 50), "query_name": rng.choice(pools) if i % 200 == 0 else names[i],
            "query_type": "A", "rcode": "NOERROR", "srcaddr": f"10.0.{i % 7}.{i % 251}", "srcport": str(1024 + i % 60000),
            "srcids.instance": instances[i % len(instances)], "vpc_id": "vpc-01e31a7c", "account_id": "626345947581",
            "answers{}.Rdata": answers[i],
        })
    return records


def write_indicator_table(path, n, seed=11):
    """First n rows of the shipped table, padded with SYNTHETIC domain indicators when n is larger."""
    with open(ROOT / "lookups" / "mining_indicators.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        rows = list(reader)[:n]
    rng = random.Random(seed)
    while len(rows) < n:
        rows.append({"indicator": f"pool{len(rows)}-{rng.getrandbits(24):06x}.synthetic-mining.net",
                     "indicator_type": "domain", "match": "suffix", "category": "mining_pool",
                     "confidence": "medium", "source": "synthetic benchmark"})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def run(argv, args, chunks, n, env=None):
    """(records/s, startup seconds) for one command over pre-encoded chunks."""
    start = time.perf_counter()
    with ChunkedCommandProcess(argv, env=env) as proc:
        proc.getinfo(args)
        started = time.perf_counter() - start
        t0 = time.perf_counter()
        out_bytes = 0
        for i, body in enumerate(chunks):
            try:
                _, out = proc.execute_raw(body, finished=i == len(chunks) - 1)
            except ChunkedCommandError as error:
                raise RuntimeError(f"{argv[-1]} failed: {error}\n{error.stderr[-3000:]}") from None
            out_bytes += len(out)
        elapsed = time.perf_counter() - t0
    if proc.messages:
        raise RuntimeError(f"{argv[-1]} reported {proc.messages}")
    return n / elapsed, started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 records (default 200,000)")
    parser.add_argument("--records", type=int)
    options = parser.parse_args()
    n = options.records or (1000000 if options.full else 200000)

    from appbuild.staging import stage

    work = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    try:
        app = stage(work / "stage")
        apps = {}
        for size in (1000, 100000):
            copy = work / f"app{size}" / app.name
            shutil.copytree(app, copy)
            write_indicator_table(copy / "lookups" / "mining_indicators.csv", size)
            (copy / "local").mkdir(exist_ok=True)
            (copy / "local" / "ipcontext.conf").write_text(
                f"[geoip]\ncity_db_path = {DATA / 'geoip' / 'GeoIP2-City-Test.mmdb'}\n"
                f"asn_db_path = {DATA / 'geoip' / 'GeoLite2-ASN-Test.mmdb'}\n")
            apps[size] = copy
        print(f"generating {n:,} synthetic Route 53 Resolver-shaped records ...", flush=True)
        records = dns_records(n)
        distinct_ips = len(set(r["answers{}.Rdata"] for r in records))
        distinct_names = len(set(r["query_name"] for r in records))
        chunks = [encode_rows(records[i:i + CHUNK]) for i in range(0, n, CHUNK)]
        del records
        python = app_python()
        env = dict(os.environ, PASSTHROUGH_LIB=str(app / "bin" / "lib"))
        fast_env = dict(env, PASSTHROUGH_FASTIO_BIN=str(app / "bin"))
        cases = [
            ("pass-through (splunklib)", python + [str(PASSTHROUGH)], [], env),
            ("pass-through (app record I/O)", python + [str(PASSTHROUGH)], [], fast_env),
            ("miningpool, 1k indicators", python + [str(apps[1000] / "bin" / "miningpool.py")],
             ["domain_field=query_name"], None),
            ("miningpool, 100k indicators", python + [str(apps[100000] / "bin" / "miningpool.py")],
             ["domain_field=query_name"], None),
            ("ipcontext (City+ASN)", python + [str(apps[1000] / "bin" / "ipcontext.py")],
             ["field=answers{}.Rdata"], None),
        ]
        print(f"{n:,} records, {len(chunks)} chunks of <= {CHUNK:,}; {distinct_names:,} distinct query names, "
              f"{distinct_ips:,} distinct answer IPs")
        results = {}
        for name, argv, args, case_env in cases:
            rate, startup = run(argv, args, chunks, n, case_env)
            results[name] = rate
            print(f"  {name:30} {rate:>10,.0f} records/s   startup+getinfo {startup * 1000:6.0f} ms", flush=True)
        base = results["pass-through (splunklib)"]
        mp1k, mp100k = results["miningpool, 1k indicators"], results["miningpool, 100k indicators"]
        ipc = results["ipcontext (City+ASN)"]
        print("ratios:")
        print(f"  miningpool (1k) / pass-through      {mp1k / base:5.2f}   (goal >= 0.80)")
        print(f"  miningpool (100k) / pass-through    {mp100k / base:5.2f}")
        print(f"  miningpool 100k slowdown vs 1k      {(1 - mp100k / mp1k) * 100:5.1f} %  (goal <= 10 %)")
        print(f"  ipcontext / pass-through            {ipc / base:5.2f}   (goal >= 0.70)")
        fast = results["pass-through (app record I/O)"]
        print("the enrichment alone (against a pass-through with the commands' own record I/O):")
        print(f"  app record I/O / splunklib I/O      {fast / base:5.2f}")
        print(f"  miningpool (1k) / same-I/O pass     {mp1k / fast:5.2f}")
        print(f"  ipcontext / same-I/O pass           {ipc / fast:5.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
