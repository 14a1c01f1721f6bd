"""Generate SYNTHETIC CloudTrail records for detection scenarios no public log set holds (deterministic).

The public sets (../shared/datasets: Stratus Red Team, Panther) hold real StopLogging, DeleteTrail,
PutEventSelectors, DeleteFlowLogs, DeleteResolverQueryLogConfig and user-data ModifyInstanceAttribute records;
the detections' tests use those (samples/). They hold no GuardDuty API call, no
DisassociateResolverQueryLogConfig and no instance resized to a GPU type, so these scenarios are made here:

- telemetry_tampering: the campaign's stolen key blinds GuardDuty, Resolver logging and the trail's management
  events (advanced event selectors) after GuardDuty reported its miners; Terraform sets selectors that keep
  management events by the API default; a SOC role restores GuardDuty and the selectors later.
- instance_repurposing: the same key stops an existing instance of the account, resizes it to a GPU type,
  replaces its user data and starts it again; a failed resize of a running instance; Terraform's own benign
  resize and attribute change.

Every record copies the envelope of real records (Stratus Red Team's DeleteFlowLogs, StopInstances,
ModifyInstanceAttribute and StartInstances: eventVersion 1.09, tlsDetails, management event, response shapes);
the account, principals, access key, source IPs and the Terraform user agent are the synthetic campaign's
(samples/synthetic-campaign). Request parameters follow the GuardDuty, Route 53 Resolver and EC2 API
references.

Usage: python3 tools/synth_api_calls.py [--out-dir DIR]   (writes DIR/<scenario>/cloudtrail.ndjson)
"""
import argparse
import hashlib
import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "tests" / "data"
ACCOUNT = "710983524617"
REGION = "us-east-1"
DETECTOR = "12abc34d567e8fa901bc2d34e56789f0"
TRAIL = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/management-events"
EXISTING = "i-02959684373769888"  # m5.xlarge launched by terraform-apply in us-east-1 on 2026-09-30
RUNNING = "i-0200d9ecbbd706365"  # m5.xlarge launched by terraform-apply in us-east-1 on 2026-09-29

ATTACKER = {
    "ip": "89.160.20.128",
    "agent": "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9",
    "identity": {"accessKeyId": "AKIA2KZ5XQ7WHR4TVN3Q", "accountId": ACCOUNT,
                 "arn": f"arn:aws:iam::{ACCOUNT}:user/svc-backup-uploader", "principalId": "AIDA2KZ5XQ7WJ6M3P5L8R",
                 "type": "IAMUser", "userName": "svc-backup-uploader"},
}


def _assumed_role(role, session, role_id, access_key, created, mfa):
    """An assumed-role identity shaped like the campaign's (and Panther's) real ones."""
    return {"type": "AssumedRole", "principalId": f"{role_id}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
            "accessKeyId": access_key,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id,
                                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT,
                                                 "userName": role},
                               "webIdFederationData": {},
                               "attributes": {"creationDate": created,
                                              "mfaAuthenticated": "true" if mfa else "false"}}}


RESPONDER = {  # the company's own network (the campaign's benign source IP) and a console session of a SOC role
    "ip": "216.160.83.56",
    "agent": "AWS Internal",
    "identity": _assumed_role("soc-responder", "analyst-jdoe", "AROA2KZ5XQ7WM4R8C2D6E", "ASIAY36YECRKQ3HZT7WA",
                              "2026-10-01T08:21:40Z", mfa=True),
}
TERRAFORM = {  # the campaign's benign automation
    "ip": "216.160.83.56",
    "agent": "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.67.0 "
             "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 os/linux lang/go#1.22.6 "
             "md/GOOS#linux md/GOARCH#amd64 api/ec2#1.177.3",
    "identity": _assumed_role("terraform-apply", "terraform-5c1e2a9d7f30", "AROA2KZ5XQ7WFJ3N6TQ4B",
                              "ASIAY36YECRKV7PLM2XD", "2026-10-01T09:58:12Z", mfa=False),
}
DENIED = "AccessDeniedException"


def _items(instance_id, state=None):
    item = {"instanceId": instance_id}
    if state:
        (current, current_code), (previous, previous_code) = state
        item.update(currentState={"code": current_code, "name": current},
                    previousState={"code": previous_code, "name": previous})
    return {"instancesSet": {"items": [item]}}


def _modify(instance_id, **params):
    return dict(instanceId=instance_id, **params)


# scenario -> (start, [(minutes after start, actor, service, call, request parameters, error code)])
SCENARIOS = {
    "telemetry_tampering": (datetime(2026, 10, 1, 3, 30, tzinfo=timezone.utc), [  # after GuardDuty's 03:15 findings
        (0, ATTACKER, "guardduty", "DeleteDetector", {"detectorId": DETECTOR}, DENIED),
        (3, ATTACKER, "guardduty", "UpdateDetector", {"detectorId": DETECTOR, "findingPublishingFrequency": "SIX_HOURS"},
         None),
        (6, ATTACKER, "guardduty", "CreateFilter", {
            "detectorId": DETECTOR, "name": "noise-reduction", "action": "ARCHIVE", "rank": 1,
            "findingCriteria": {"criterion": {"type": {"eq": ["CryptoCurrency:EC2/BitcoinTool.B!DNS"]}}}}, None),
        (9, ATTACKER, "guardduty", "CreateFilter", {
            "detectorId": DETECTOR, "name": "low-severity-view", "action": "NOOP", "rank": 2,
            "findingCriteria": {"criterion": {"severity": {"lt": 4}}}}, None),
        (12, ATTACKER, "guardduty", "UpdateDetector", {"detectorId": DETECTOR, "enable": False}, None),
        (15, ATTACKER, "guardduty", "StopMonitoringMembers", {"detectorId": DETECTOR, "accountIds": ["210987654321"]},
         None),
        (18, ATTACKER, "guardduty", "DisassociateFromAdministratorAccount", {"detectorId": DETECTOR}, None),
        (21, ATTACKER, "route53resolver", "DisassociateResolverQueryLogConfig", {
            "resolverQueryLogConfigId": "rqlc-8f3b2a71c0d94e65", "resourceId": "vpc-01e31a7c"}, None),
        (24, ATTACKER, "cloudtrail", "PutEventSelectors", {"trailName": TRAIL, "advancedEventSelectors": [
            {"name": "S3 data events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]},
                                                          {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]},
         None),
        (300, RESPONDER, "guardduty", "UpdateDetector", {"detectorId": DETECTOR, "enable": True}, None),
        (290, TERRAFORM, "cloudtrail", "PutEventSelectors", {"trailName": TRAIL, "eventSelectors": [  # the API's
            {"readWriteType": "All", "includeManagementEvents": False,  # default for a selector without the key
             "dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::"]}]},  # is true: management
            {"readWriteType": "All"}]}, None),  # events stay logged
        (302, RESPONDER, "cloudtrail", "PutEventSelectors", {"trailName": TRAIL, "advancedEventSelectors": [
            {"name": "Management events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]},
            {"name": "S3 data events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]},
                                                          {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]},
         None),
    ]),
    "instance_repurposing": (datetime(2026, 10, 1, 3, 0, tzinfo=timezone.utc), [
        (0, ATTACKER, "ec2", "StopInstances", dict(force=True, **_items(EXISTING)), None),
        (2, ATTACKER, "ec2", "ModifyInstanceAttribute", _modify(EXISTING, instanceType={"value": "p3.16xlarge"}), None),
        (3, ATTACKER, "ec2", "ModifyInstanceAttribute", _modify(EXISTING, userData="<sensitiveDataRemoved>"), None),
        (4, ATTACKER, "ec2", "StartInstances", _items(EXISTING), None),
        (11, ATTACKER, "ec2", "ModifyInstanceAttribute", _modify(RUNNING, attribute="instanceType",
                                                                 value="g4dn.12xlarge"), "IncorrectInstanceState"),
        (420, TERRAFORM, "ec2", "ModifyInstanceAttribute", _modify(RUNNING, instanceType={"value": "m5.2xlarge"}),
         None),
        (421, TERRAFORM, "ec2", "ModifyInstanceAttribute", _modify(RUNNING, disableApiTermination={"value": True}),
         None),
    ]),
}
STATE_CHANGES = {"StopInstances": (("stopping", 64), ("running", 16)), "StartInstances": (("pending", 0), ("stopped", 80))}
ERRORS = {
    DENIED: "User: {arn} is not authorized to perform: {service}:{call} on resource: arn:aws:guardduty:{region}:"
            "{account}:detector/" + DETECTOR,
    "IncorrectInstanceState": "The instance '" + RUNNING + "' is not in the 'stopped' state.",
}


def _response(call, params, request_id):
    if call in STATE_CHANGES:
        instance_id = params["instancesSet"]["items"][0]["instanceId"]
        return dict(requestId=request_id, **_items(instance_id, STATE_CHANGES[call]))
    if call == "ModifyInstanceAttribute":
        return {"_return": True, "requestId": request_id}
    if call == "CreateFilter":
        return {"name": params["name"]}
    if call == "PutEventSelectors":
        selectors = {k: v for k, v in params.items() if k.endswith("EventSelectors")}
        return dict(trailARN=params["trailName"], **selectors)
    return None


def record(scenario, start, minutes, actor, service, call, params, error):
    when = start + timedelta(minutes=minutes)
    seed = hashlib.sha256(f"{scenario}/{minutes}/{call}".encode()).digest()
    request_id = str(uuid.UUID(bytes=seed[:16]))
    event = {
        "awsRegion": REGION,
        "eventCategory": "Management",
        "eventID": str(uuid.UUID(bytes=seed[16:32])),
        "eventName": call,
        "eventSource": f"{service}.amazonaws.com",
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventType": "AwsApiCall",
        "eventVersion": "1.09",
        "managementEvent": True,
        "readOnly": False,
        "recipientAccountId": ACCOUNT,
        "requestID": request_id,
        "requestParameters": params,
        "responseElements": None if error else _response(call, params, request_id),
        "sourceIPAddress": actor["ip"],
        "tlsDetails": {"cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": f"{service}.{REGION}.amazonaws.com", "tlsVersion": "TLSv1.3"},
        "userAgent": actor["agent"],
        "userIdentity": actor["identity"],
    }
    if error:
        event["errorCode"] = error
        event["errorMessage"] = ERRORS[error].format(arn=actor["identity"]["arn"], service=service, call=call,
                                                     region=REGION, account=ACCOUNT)
    return event


def write(out_dir):
    """Write every scenario to out_dir/<scenario>/cloudtrail.ndjson; return {path: record count}."""
    written = {}
    for scenario, (start, calls) in SCENARIOS.items():
        out = Path(out_dir) / scenario / "cloudtrail.ndjson"
        out.parent.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(record(scenario, start, *call), separators=(",", ":"), sort_keys=True) for call in calls]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written[out] = len(lines)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    for out, count in write(parser.parse_args().out_dir).items():
        print(f"wrote {count} SYNTHETIC records to {out}")


if __name__ == "__main__":
    main()
