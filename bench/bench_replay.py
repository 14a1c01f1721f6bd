"""Benchmark: replay a 30-day CloudTrail file with hourly detections and a daily baseline update.

Prints events/second of the replay and its ratio to one engine pass over the same events (the
baseline measured in the same run). The replay must scale with events, not runs x events: the
event store hands each run only its window.

    .venv/bin/python bench/bench_replay.py            # 100k events (default, quick)
    .venv/bin/python bench/bench_replay.py --full     # 1M events

The input is SYNTHETIC (labelled so): records shaped like the real stratus RunInstances /
DescribeInstances / AssumeRole CloudTrail records, with times spread over 30 days.
"""
import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replay.ingest import IngestReport, read_events  # noqa: E402
from replay.scheduler import Replay  # noqa: E402
from replay.store import EventStore  # noqa: E402
from splengine import Engine  # noqa: E402

DAYS = 30
START = 1_717_200_000  # 2024-06-01T00:00:00Z
CONF = """# bench-only app (synthetic): hourly detections, daily update
[Bench - Hourly GPU launches]
search = index=aws sourcetype="aws:cloudtrail" eventName=RunInstances requestParameters.instanceType="p*" \\
| stats count by recipientAccountId awsRegion
enableSched = 1
cron_schedule = 5 * * * *
dispatch.earliest_time = -24h@h
dispatch.latest_time = now
dispatch.index_earliest = -1h@h
dispatch.index_latest = @h
counttype = number of events
relation = greater than
quantity = 0

[Bench - Hourly failed launches]
search = index=aws sourcetype="aws:cloudtrail" eventName=RunInstances errorCode=* \\
| stats count by userIdentity.arn errorCode
enableSched = 1
cron_schedule = 10 * * * *
dispatch.earliest_time = -1h@h
dispatch.latest_time = @h
counttype = number of events
relation = greater than
quantity = 0

[Bench - Daily update]
search = index=aws sourcetype="aws:cloudtrail" eventName=RunInstances \\
| stats count min(_time) as firstSeen max(_time) as lastSeen by recipientAccountId awsRegion
enableSched = 1
cron_schedule = 15 3 * * *
dispatch.earliest_time = -1d@d
dispatch.latest_time = @d
"""
SINGLE_PASS = ('index=aws sourcetype="aws:cloudtrail" eventName=RunInstances requestParameters.instanceType="p*" '
               '| stats count by recipientAccountId awsRegion')


def synthetic_cloudtrail(path, count, seed=7, launch_share=None):
    """SYNTHETIC CloudTrail NDJSON: real record shapes, random times over DAYS days; `launch_share` sets the
    share of RunInstances (default: a fifth of the calls are drawn from the four names, so 5 %)."""
    rng = random.Random(seed)
    regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"]
    names = ["DescribeInstances", "AssumeRole", "GetCallerIdentity", "RunInstances"]
    types = ["t3.micro", "m5.large", "p3.2xlarge", "g4dn.xlarge"]
    with open(path, "w") as out:
        for i in range(count):
            t = START + rng.randrange(DAYS * 86400)
            name = names[rng.randrange(4)] if rng.random() < 0.2 else names[0]
            if launch_share is not None:
                name = "RunInstances" if rng.random() < launch_share else names[rng.randrange(3)]
            record = {
                "eventVersion": "1.09", "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                "eventSource": "ec2.amazonaws.com" if name != "AssumeRole" else "sts.amazonaws.com",
                "eventName": name, "awsRegion": regions[rng.randrange(4)],
                "sourceIPAddress": f"203.0.113.{rng.randrange(256)}", "userAgent": "aws-cli/2.15.0",
                "userIdentity": {"type": "AssumedRole", "accountId": "111122223333",
                                 "arn": f"arn:aws:sts::111122223333:assumed-role/ci-{rng.randrange(20)}/s"},
                "requestParameters": {"instanceType": types[rng.randrange(4)]} if name == "RunInstances" else None,
                "eventID": f"bench-{i}", "recipientAccountId": "111122223333", "eventType": "AwsApiCall",
            }
            if name == "RunInstances" and rng.random() < 0.3:
                record["errorCode"] = "Client.UnauthorizedOperation"
            out.write(json.dumps(record, separators=(",", ":")) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1M events instead of 100k")
    parser.add_argument("--events", type=int, help="explicit event count")
    args = parser.parse_args()
    count = args.events or (1_000_000 if args.full else 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "cloudtrail.ndjson"
        synthetic_cloudtrail(data, count)
        (tmp / "app" / "default").mkdir(parents=True)
        (tmp / "app" / "default" / "savedsearches.conf").write_text(CONF)

        began = time.perf_counter()
        report = IngestReport()
        events = list(read_events([str(data)], report, host="bench"))
        ingest = time.perf_counter() - began
        began = time.perf_counter()
        store = EventStore(events)
        build = time.perf_counter() - began

        engine = Engine(tmp / "app", tmp / "scratch")
        began = time.perf_counter()
        single = engine.search(SINGLE_PASS, events=store.view(None), now=START + DAYS * 86400)
        single_pass = time.perf_counter() - began

        replay = Replay(tmp / "app", store)
        began = time.perf_counter()
        result = replay.run()
        elapsed = time.perf_counter() - began
    runs = len(result.runs)
    print(f"events: {len(events)} (ingest {ingest:.1f}s = {len(events) / ingest:,.0f} ev/s; "
          f"store build {build:.1f}s; errors {report.error_count})")
    print(f"single engine pass (all events, 1 search): {single_pass:.2f}s, {len(single)} rows")
    print(f"replay: {runs} runs of 3 searches over {DAYS} days in {elapsed:.2f}s = "
          f"{len(events) / elapsed:,.0f} events/s; {len(result.alerts)} alerts; {len(result.errors)} run errors")
    print(f"ratio replay / single pass: {elapsed / single_pass:.2f}x  "
          f"(runs x events would be ~{runs}x)")


if __name__ == "__main__":
    main()
