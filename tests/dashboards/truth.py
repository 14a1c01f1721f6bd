"""What an analyst must find: samples/synthetic-campaign/ground_truth.json and the Splunk internal-log samples,
read independently of the dashboards' SPL so the panel tests compare against the data, not against themselves."""
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GT = json.loads((ROOT / "samples" / "synthetic-campaign" / "ground_truth.json").read_text(encoding="utf-8"))
INTERNAL = ROOT / "tests" / "data" / "splunk_internal"

ACCOUNT = GT["account"]
KEY = GT["access_key_id"]
PRINCIPAL = GT["principal"]
ATTACKER_IP = GT["source_ip"]
BENIGN_IP = GT["benign"]["source_ip"]
LAUNCHES = GT["launches"]
FAILED = GT["failed_launches"]
INSTANCES = {i["instance_id"]: i for i in GT["instances"]}
INSTANCE_IDS = set(GT["instance_ids"])
REGIONS_TOUCHED = set(GT["ami_by_region"])  # every region the key called EC2 in (each got its own AMI)
REGIONS_WITH_INSTANCES = {launch["region"] for launch in LAUNCHES}
POOL_DOMAINS = {pool["domain"] for pool in GT["mining_pools"]}
POOL_ENDPOINTS = {(pool["ip"], str(pool["port"])) for pool in GT["mining_pools"]}
COST_PER_HOUR = round(GT["estimated_cost_usd_per_hour"], 2)
GUARDDUTY = {(f["type"], f["instance_id"]) for f in GT["guardduty"]}
SPOT_REQUEST_IDS = {sid for req in GT["spot_requests"] for sid in req["spot_instance_request_ids"]}
BENIGN = GT["benign"]
BENIGN_START = datetime.fromisoformat(BENIGN["start"].replace("Z", "+00:00")).timestamp()
BENIGN_END = datetime.fromisoformat(BENIGN["end"].replace("Z", "+00:00")).timestamp()


def _scenario(name):
    """Records of a SYNTHETIC API-call scenario (tests/data/<name>, tools/synth_api_calls.py)."""
    path = ROOT / "tests" / "data" / name / "cloudtrail.ndjson"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# The campaign's key also repurposes an existing instance, then blinds GuardDuty, Resolver logging and the trail.
KEY_TAMPERING = [e for e in _scenario("telemetry_tampering") if e["userIdentity"].get("accessKeyId") == KEY]
KEY_REPURPOSING = [e for e in _scenario("instance_repurposing") if e["userIdentity"].get("accessKeyId") == KEY]
REPURPOSED = "i-02959684373769888"  # stopped, resized to p3.16xlarge, new user data, started
# Panther's CloudTrail sample: calls made with the role credentials of an EC2 instance (principalId role:i-...).
PANTHER_INSTANCE = "i-0abcdef1234567890"

_KV = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,\]"]+))')


def _records(name, marker):
    for line in (INTERNAL / name).read_text(encoding="utf-8").splitlines():
        if marker in line:
            fields = {}
            for key, quoted, bare in _KV.findall(line):
                fields.setdefault(key, quoted or bare)
            yield fields


def alerts_fired() -> Counter:
    """Saved search name -> alert_fired records in the _audit sample."""
    return Counter(r["ss_name"] for r in _records("audit.log", "action=alert_fired"))


def scheduler_runs() -> Counter:
    """(saved search name, status) -> scheduler.log records."""
    return Counter((r["savedsearch_name"], r["status"]) for r in _records("scheduler.log", "SavedSplunker"))


def slack_events() -> Counter:
    """(event, search name) -> cryptomining_slack stderr records relayed into splunkd.log."""
    return Counter((r["event"], r["search_name"]) for r in _records("splunkd_sendmodalert.log", " event="))


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
