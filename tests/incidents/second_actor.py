"""A second, simultaneous cryptojacking actor derived from the labelled synthetic campaign (test-time only).

The campaign's attack-day records (from an hour before its first malicious call) are copied with every
identifier of the actor replaced: access key, IAM user and its id, source IP, instance, ENI and spot-request
ids and private IPs, and the identifiers AWS gives each record or resource once: CloudTrail eventID and
request ids, reservation, attachment, fleet and launch-template ids, GuardDuty finding ids, and the names of
the actor's launch templates and Auto Scaling groups (unique within an account). A copy that kept those would
be the same API call twice, not a second actor: the detections rightly count a CloudTrail eventID once and
attribute a group's launches to whoever created that group. The records keep their exact shape and times, so
the copy is a second stolen key mining at the same time as the first. Optionally its successful RunInstances records in `late_region` reach the index
`late_by` seconds after their event time (a late CloudTrail delivery).
"""
import copy
import json
import re
import uuid
from datetime import datetime

SECOND_KEY = "AKIA7QXW3RZ5KH2TVN9P"
SECOND_USER = "svc-report-exporter"
SECOND_IP = "81.2.69.160"   # MaxMind test-database range (GB)


def _epoch(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timestamp() if text.endswith("Z") else float(text)


# JSON keys whose values AWS issues once per record or resource, and those naming the actor's own resources.
ISSUED_ONCE = re.compile(r'"(eventID|requestID|requestId|reservationId|attachmentId|fleetId|spotFleetRequestId|'
                         r'launchTemplateId|LaunchTemplateId)":"([^"]+)"')
GUARDDUTY_ID = re.compile(r'"(id)":"([^"]+)"')
NAMED = re.compile(r'"(launchTemplateName|LaunchTemplateName|autoScalingGroupName|AutoScalingGroupName)":"([^"]+)"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _reissued(value):
    """Another id of the same shape: its prefix kept (lt-, eni-attach-, fleet-), a UUID replaced by version 5 of
    it, other hex reversed."""
    prefix, tail = re.fullmatch(r"((?:[a-z]+-)*)(.*)", value).groups()
    return prefix + (str(uuid.uuid5(uuid.NAMESPACE_OID, tail)) if UUID.fullmatch(tail) else tail[::-1])


def _issued_once(events, start):
    """Old -> new for the ids issued once in the records copied (from `start`) and the names of the actor's
    launch templates and Auto Scaling groups."""
    subs = {}
    for event in events:
        if event["_time"] < start:
            continue
        raw = event["_raw"]
        found = ISSUED_ONCE.findall(raw)
        if event.get("sourcetype") == "aws:cloudwatch:guardduty":
            found += GUARDDUTY_ID.findall(raw)
        subs.update((value, _reissued(value)) for _, value in found)
        subs.update((name, name + "-b") for _, name in NAMED.findall(raw))
    return subs


def replacements(truth, events):
    """Old identifier -> new one, for every identifier of the campaign's actor."""
    subs = {truth["access_key_id"]: SECOND_KEY, truth["principal"]: SECOND_USER, truth["source_ip"]: SECOND_IP}
    for event in events:
        if truth["access_key_id"] in event["_raw"]:
            principal_id = json.loads(event["_raw"])["userIdentity"]["principalId"]
            subs[principal_id] = principal_id[:4] + principal_id[4:][::-1]
            break
    for inst in truth["instances"]:
        for name in ("instance_id", "eni"):
            prefix, _, tail = inst[name].partition("-")
            subs[inst[name]] = f"{prefix}-{tail[::-1]}"
        octets = inst["private_ip"].split(".")
        subs[inst["private_ip"]] = f"10.77.{octets[2]}.{octets[3]}"
    for spot in truth["spot_requests"]:
        for sir in spot["spot_instance_request_ids"]:
            subs[sir] = "sir-" + sir[4:][::-1]
    return subs


def second_actor(truth, events, late_region=None, late_by=0):
    """The derived actor's events (new dicts; `events` is unchanged)."""
    start = _epoch(truth["first_malicious_call"]) - 3600
    subs = {**_issued_once(events, start), **replacements(truth, events)}
    pattern = re.compile("|".join(re.escape(old) for old in sorted(subs, key=len, reverse=True)))
    out = []
    for event in events:
        if event["_time"] < start:
            continue
        new = copy.deepcopy(event)
        for name, value in event.items():
            if isinstance(value, str):
                new[name] = pattern.sub(lambda m: subs[m.group(0)], value)
        new.pop("_indextime", None)
        if late_region and '"eventName":"RunInstances"' in new["_raw"] and f'"awsRegion":"{late_region}"' in new["_raw"] \
                and '"errorCode"' not in new["_raw"]:
            new["_indextime"] = int(new["_time"] + late_by)
        out.append(new)
    return out
