#!/usr/bin/env python3
"""Benchmark: filter + stats over CloudTrail-shaped NDJSON, the SPL engine vs DuckDB on the same file.

    .venv/bin/python bench/bench_engine.py                 # 100k events (default, quick)
    .venv/bin/python bench/bench_engine.py --events 1000000

The events are SYNTHETIC, shaped like real CloudTrail management events (field layout copied from the
Stratus/Panther records in tests/data/cloudtrail): mostly Describe*/Get*/List* calls, ~2% RunInstances
with instancesSet items. Both sides read the same NDJSON file from disk in the timed section:

- engine: replay.ingest.read_events (what hunt.py uses) + `eventName=RunInstances | stats count by awsRegion`
- engine (events in memory): the same search over already-read events (the replay's situation)
- DuckDB: SELECT awsRegion, count(*) ... FROM read_json(file) WHERE eventName = 'RunInstances' GROUP BY 1

Prints each time and the ratios engine/DuckDB (goal: within 3x).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPL = "eventName=RunInstances | stats count by awsRegion"
SQL = ("SELECT awsRegion, count(*) AS count FROM read_json('{path}', format='newline_delimited') "
       "WHERE eventName = 'RunInstances' GROUP BY awsRegion ORDER BY awsRegion")
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "sa-east-1"]
CALLS = [("ec2.amazonaws.com", "DescribeInstances"), ("ec2.amazonaws.com", "DescribeRegions"),
         ("s3.amazonaws.com", "GetBucketAcl"), ("iam.amazonaws.com", "ListRoles"),
         ("sts.amazonaws.com", "AssumeRole"), ("sts.amazonaws.com", "GetCallerIdentity"),
         ("cloudtrail.amazonaws.com", "LookupEvents"), ("ec2.amazonaws.com", "DescribeSecurityGroups")]
TYPES = ["t3.micro", "m5.large", "c5.xlarge", "p3.2xlarge", "g4dn.xlarge"]


def make_event(rng: random.Random, t: int) -> dict:
    region = rng.choice(REGIONS)
    role = rng.choice(["ci-terraform", "ops-admin", "AWSServiceRoleForAutoScaling"])
    account = rng.choice(["111122223333", "444455556666"])
    event = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole", "principalId": f"AROAEXAMPLE{rng.randrange(10**6):06d}:session",
            "arn": f"arn:aws:sts::{account}:assumed-role/{role}/session", "accountId": account,
            "accessKeyId": f"ASIAEXAMPLE{rng.randrange(10**8):08d}",
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{account}:role/{role}",
                                                 "accountId": account, "userName": role},
                               "attributes": {"creationDate": "2024-08-01T11:00:00Z", "mfaAuthenticated": "false"}},
        },
        "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
        "awsRegion": region,
        "sourceIPAddress": f"198.51.100.{rng.randrange(1, 255)}",
        "userAgent": "aws-sdk-go/1.44.0 (go1.20; linux; amd64) terraform/1.5.0",
        "requestID": f"{rng.getrandbits(128):032x}",
        "eventID": f"{rng.getrandbits(128):032x}",
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }
    if rng.random() < 0.02:
        itype = rng.choice(TYPES)
        n = rng.randint(1, 3)
        event.update({
            "eventSource": "ec2.amazonaws.com", "eventName": "RunInstances", "readOnly": False,
            "requestParameters": {"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890",
                                                              "minCount": n, "maxCount": n}]},
                                  "instanceType": itype, "monitoring": {"enabled": False}},
            "responseElements": {"instancesSet": {"items": [
                {"instanceId": f"i-{rng.getrandbits(64):017x}"[:19], "imageId": "ami-0abcdef1234567890",
                 "instanceType": itype, "instanceState": {"code": 0, "name": "pending"}} for _ in range(n)]}},
        })
    else:
        source, name = rng.choice(CALLS)
        event.update({"eventSource": source, "eventName": name,
                      "requestParameters": {"maxResults": 1000, "filterSet": {}}, "responseElements": None})
    return event


def generate(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = 1_722_500_000
    with path.open("wb") as out:
        for i in range(count):
            out.write(orjson.dumps(make_event(rng, start + i * 2)) + b"\n")


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="number of events (default 100000)")
    parser.add_argument("--keep", metavar="PATH", help="write the NDJSON here and keep it")
    args = parser.parse_args(argv)

    import duckdb

    import splengine
    from replay.ingest import read_events

    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "cloudtrail.ndjson"
        t_gen, _ = timed(lambda: generate(path, args.events))
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.events} synthetic CloudTrail-shaped events ({size_mb:.0f} MB) in {t_gen:.1f}s")

        con = duckdb.connect()
        t_duck, duck = timed(lambda: con.execute(SQL.format(path=str(path).replace("'", "''"))).fetchall())
        engine = splengine.Engine(ROOT, Path(tmp) / "lookups")
        t_engine, rows = timed(lambda: engine.search(SPL, events=read_events([str(path)]), now=2e9))
        t_read, events = timed(lambda: list(read_events([str(path)])))
        t_mem, rows_mem = timed(lambda: engine.search(SPL, events=events, now=2e9))

    got = sorted((r["awsRegion"], r["count"]) for r in rows)
    if got != sorted(duck) or rows_mem != rows:
        print(f"MISMATCH: engine {got} vs duckdb {sorted(duck)}", file=sys.stderr)
        return 1
    print(f"results agree: {len(got)} regions, {sum(c for _, c in got)} RunInstances events")
    print(f"duckdb  read_json + filter + group by : {t_duck:7.2f} s")
    print(f"engine  ingest + search               : {t_engine:7.2f} s   ratio engine/duckdb = {t_engine / t_duck:.2f}x")
    print(f"engine  search over events in memory  : {t_mem:7.2f} s   ratio engine/duckdb = {t_mem / t_duck:.2f}x"
          f"   (reading alone: {t_read:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
