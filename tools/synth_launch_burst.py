"""Generate the SYNTHETIC scale-out that the abnormal-launch-volume detection must flag (deterministic).

The synthetic campaign (samples/synthetic-campaign) gives terraform-apply a month of 1-2 instance launches; its
attacker has no launch history, so the campaign alone never makes the volume detection fire. This adds, on
2026-10-01 14:00-14:30 UTC, four terraform-apply RunInstances calls of 10 m5.xlarge each in us-east-1: 40
instances in an hour against an hourly average of about one. Records are built by the campaign's own builders
(tools/synth_campaign.py: the structure of real Panther/Stratus RunInstances records), with its account, role,
source IP, user agent and AMI.

Usage: python3 tools/synth_launch_burst.py [--out-dir DIR]   (writes DIR/cloudtrail.ndjson)
"""
from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import samples_io  # noqa: E402
from synth_campaign import CI_IP, TERRAFORM_UA, Ids, Trail, load_types, network, role_identity, run_instances  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "tests" / "data" / "launch_volume_burst"
SEED = 20261001_14
START = datetime(2026, 10, 1, 14, 0, 7, tzinfo=timezone.utc)
CALLS, PER_CALL = 4, 10
ROLE, ROLE_ID = "terraform-apply", "AROA2KZ5XQ7WFJ3N6TQ4B"   # the campaign's Terraform role
AMI = "ami-0c2b8ca1dad447f8a"                                  # the campaign's us-east-1 AMI


def records() -> list:
    rng = random.Random(SEED)
    ids = Ids(rng)
    trail = Trail(ids)
    types = load_types()
    nets = {"us-east-1": network(ids, rng)}
    for call in range(CALLS):
        t = START + timedelta(minutes=10 * call, seconds=rng.randint(0, 40))
        identity = role_identity(ids, ROLE, ROLE_ID, f"terraform-{ids.hex('', 12)}", t - timedelta(seconds=40))
        spec = {"region": "us-east-1", "az": "us-east-1" + rng.choice("abc"), "type": "m5.xlarge", "ami": AMI,
                "min": PER_CALL, "max": PER_CALL, "launched": PER_CALL, "terraform": True,
                "tags": [{"key": "Name", "value": "load-test-worker"}, {"key": "ManagedBy", "value": "terraform"}]}
        run_instances(trail, types, nets, t, identity, CI_IP, TERRAFORM_UA.format(api="ec2", ver="1.177.3"), spec)
    return trail.records


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    out = parser.parse_args(argv).out_dir / "cloudtrail.ndjson"
    count = samples_io.write_json_lines(out, records())
    print(f"wrote {count} SYNTHETIC records to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
