"""Generate SYNTHETIC CloudTrail records of GuardDuty and Route 53 Resolver tampering (deterministic).

The public sets hold real StopLogging, DeleteTrail, PutEventSelectors, DeleteFlowLogs and
DeleteResolverQueryLogConfig records (Stratus Red Team, Panther), but no GuardDuty API call and no
DisassociateResolverQueryLogConfig. These records copy the envelope of Stratus Red Team's real DeleteFlowLogs
record (eventVersion 1.09, IAM user with access key, tlsDetails, management event) and change the service, the
call, its request parameters and the time; request parameters follow the GuardDuty and Route 53 Resolver API
references. Positives and negatives (re-enabling, a NOOP filter, a frequency-only update) are both present.

Usage: python3 tools/synth_tampering_events.py [--out FILE]
"""
import argparse
import hashlib
import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "tests" / "data" / "telemetry_tampering" / "cloudtrail.ndjson"
ACCOUNT = "710983524617"
REGION = "us-east-1"
DETECTOR = "12abc34d567e8fa901bc2d34e56789f0"
START = datetime(2026, 10, 1, 3, 30, 0, tzinfo=timezone.utc)  # after the campaign's GuardDuty findings (03:15)

# (minutes after START, service, call, request parameters, error code) - in the order an attacker would go.
CALLS = [
    (0, "guardduty", "DeleteDetector", {"detectorId": DETECTOR}, "AccessDeniedException"),
    (3, "guardduty", "UpdateDetector", {"detectorId": DETECTOR, "findingPublishingFrequency": "SIX_HOURS"}, None),
    (6, "guardduty", "CreateFilter", {
        "detectorId": DETECTOR, "name": "noise-reduction", "action": "ARCHIVE", "rank": 1,
        "findingCriteria": {"criterion": {"type": {"eq": ["CryptoCurrency:EC2/BitcoinTool.B!DNS"]}}}}, None),
    (9, "guardduty", "CreateFilter", {
        "detectorId": DETECTOR, "name": "low-severity-view", "action": "NOOP", "rank": 2,
        "findingCriteria": {"criterion": {"severity": {"lt": 4}}}}, None),
    (12, "guardduty", "UpdateDetector", {"detectorId": DETECTOR, "enable": False}, None),
    (15, "guardduty", "StopMonitoringMembers", {"detectorId": DETECTOR, "accountIds": ["210987654321"]}, None),
    (18, "guardduty", "DisassociateFromAdministratorAccount", {"detectorId": DETECTOR}, None),
    (21, "route53resolver", "DisassociateResolverQueryLogConfig", {
        "resolverQueryLogConfigId": "rqlc-8f3b2a71c0d94e65", "resourceId": "vpc-01e31a7c"}, None),
    (300, "guardduty", "UpdateDetector", {"detectorId": DETECTOR, "enable": True}, None),  # the SOC turns it back on
]
ATTACKER = {
    "ip": "89.160.20.128",
    "agent": "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9",
    "identity": {"accessKeyId": "AKIA2KZ5XQ7WHR4TVN3Q", "accountId": ACCOUNT,
                 "arn": f"arn:aws:iam::{ACCOUNT}:user/svc-backup-uploader", "principalId": "AIDA2KZ5XQ7WJ6M3P5L8R",
                 "type": "IAMUser", "userName": "svc-backup-uploader"},
}
RESPONDER = {  # the company's own network (the campaign's benign source IP) and a console session of a SOC role
    "ip": "216.160.83.56",
    "agent": "AWS Internal",
    "identity": {"type": "AssumedRole", "principalId": "AROA2KZ5XQ7WM4R8C2D6E:analyst-jdoe",
                 "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/soc-responder/analyst-jdoe", "accountId": ACCOUNT,
                 "accessKeyId": "ASIAY36YECRKQ3HZT7WA",
                 "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROA2KZ5XQ7WM4R8C2D6E",
                                                      "arn": f"arn:aws:iam::{ACCOUNT}:role/soc-responder",
                                                      "accountId": ACCOUNT, "userName": "soc-responder"},
                                    "webIdFederationData": {},
                                    "attributes": {"creationDate": "2026-10-01T08:21:40Z",
                                                   "mfaAuthenticated": "true"}}},
}


def record(minutes, service, call, params, error):
    actor = RESPONDER if minutes >= 300 else ATTACKER
    when = START + timedelta(minutes=minutes)
    seed = hashlib.sha256(f"{minutes}/{call}".encode()).digest()
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
        "responseElements": None,
        "sourceIPAddress": actor["ip"],
        "tlsDetails": {"cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": f"{service}.{REGION}.amazonaws.com", "tlsVersion": "TLSv1.3"},
        "userAgent": actor["agent"],
        "userIdentity": actor["identity"],
    }
    if error:
        event["errorCode"] = error
        event["errorMessage"] = (f"User: arn:aws:iam::{ACCOUNT}:user/svc-backup-uploader is not authorized to "
                                 f"perform: {service}:{call} on resource: arn:aws:guardduty:{REGION}:{ACCOUNT}:"
                                 f"detector/{DETECTOR}")
    if call == "CreateFilter" and not error:
        event["responseElements"] = {"name": params["name"]}
    return event


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    out = parser.parse_args().out
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record(*call), separators=(",", ":"), sort_keys=True) for call in CALLS]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} SYNTHETIC records to {out}")


if __name__ == "__main__":
    main()
