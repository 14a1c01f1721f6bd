"""Generate the SYNTHETIC cryptojacking campaign under samples/synthetic-campaign/ (deterministic, seeded).

No public log set holds weeks of benign EC2 launches followed by a stolen-key GPU campaign, so the detections'
replay tests need one. Every record copies the JSON structure of real records (Panther and Stratus CloudTrail
RunInstances/GetCallerIdentity, the GuardDuty sample finding, real Resolver query logs, VPC flow v2 text), with
values invented here. Same seed, same bytes: tests assert exact alerts against ground_truth.json.

Usage: python3 tools/synth_campaign.py [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import samples_io  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "samples" / "synthetic-campaign"
LOOKUP = REPO / "lookups" / "ec2_instance_types.csv"
SEED = 20261001
UTC = timezone.utc

ACCOUNT = "710983524617"
BENIGN_START = datetime(2026, 9, 1, tzinfo=UTC)
BENIGN_DAYS = 30
BENIGN_REGIONS = ("us-east-1", "eu-west-1")
BENIGN_TYPES = ("t3.micro", "t3.small", "t3.medium", "m5.large", "m5.xlarge")
CI_IP = "216.160.83.56"  # GeoIP test range (US, Milton WA; AS209)
ATTACKER_IP = "89.160.20.128"  # GeoIP test range (SE, Linkoping; AS29518 Bredband2 AB)
ATTACK_DAY = datetime(2026, 10, 1, tzinfo=UTC)
STOLEN_USER = "svc-backup-uploader"

TERRAFORM_UA = (
    "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.67.0 "
    "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 os/linux lang/go#1.22.6 "
    "md/GOOS#linux md/GOARCH#amd64 api/{api}#{ver}"
)
CLI_UA = (
    "aws-cli/2.17.37 md/awscrt#0.21.2 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.9 "
    "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off "
    "md/command#{command}"
)
BOTO3_UA = (
    "Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#5.15.0-119-generic md/arch#x86_64 lang/python#3.10.12 "
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.10"
)

# Mining pools (domains and IP:port from ../shared/intel/merged/mining_indicators.csv, maltrail/panther rows).
# Which IP a domain resolves to here is invented; each IP is listed for that port in the intel file.
POOLS = (
    ("xmr-eu1.nanopool.org", "149.202.42.174", 14444),
    ("pool.supportxmr.com", "104.140.244.186", 3333),
    ("moneropool.ru", "37.59.43.136", 4444),
)
BENIGN_DOMAINS = (
    ("al2023-repos-{region}-de612dc2.s3.dualstack.{region}.amazonaws.com.", "52.216.{a}.{b}"),
    ("ec2.{region}.amazonaws.com.", "54.239.{a}.{b}"),
    ("0.amazon.pool.ntp.org.", "162.159.{a}.{b}"),
)


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ms(t: datetime) -> int:
    return int(t.timestamp()) * 1000


class Ids:
    """Seeded AWS-style identifiers (uuid4 text, hex resource ids, key ids)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, prefix: str, n: int = 17) -> str:
        """Resource id like EC2's: 17-character ids start with 0 (i-0..., vpc-0...)."""
        head = "0" if n == 17 else ""
        return prefix + head + "".join(self.rng.choice("0123456789abcdef") for _ in range(n - len(head)))

    def key(self, prefix: str, n: int = 16) -> str:
        return prefix + "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(n))


def load_types() -> dict:
    with LOOKUP.open(encoding="utf-8") as fh:
        return {r["instance_type"]: r for r in csv.DictReader(fh)}


# ---------------------------------------------------------------- identities (shapes of real records)


def role_identity(ids: Ids, role: str, role_id: str, session: str, created: datetime) -> dict:
    return {
        "type": "AssumedRole",
        "principalId": f"{role_id}:{session}",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}",
        "accountId": ACCOUNT,
        "accessKeyId": ids.key("ASIA"),
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}",
                "accountId": ACCOUNT,
                "userName": role,
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": iso(created), "mfaAuthenticated": "false"},
        },
    }


def autoscaling_identity(created: datetime) -> dict:
    role = "AWSServiceRoleForAutoScaling"
    return {
        "type": "AssumedRole",
        "principalId": "AROA2KZ5XQ7WMBLN4JH6E:AutoScaling",
        "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/AutoScaling",
        "accountId": ACCOUNT,
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA2KZ5XQ7WMBLN4JH6E",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/{role}",
                "accountId": ACCOUNT,
                "userName": role,
            },
            "attributes": {"creationDate": iso(created), "mfaAuthenticated": "false"},
        },
        "invokedBy": "autoscaling.amazonaws.com",
    }


def user_identity(user: str, user_id: str, access_key: str) -> dict:
    return {
        "type": "IAMUser",
        "principalId": user_id,
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}",
        "accountId": ACCOUNT,
        "accessKeyId": access_key,
        "userName": user,
    }


# ---------------------------------------------------------------- CloudTrail records


class Trail:
    """Builds CloudTrail records in CloudTrail's own key order."""

    def __init__(self, ids: Ids):
        self.ids = ids
        self.records: list = []

    def call(self, t, identity, source, name, region, ip, ua, req, resp, *, error=None, read_only=False, tls=True):
        rec = {"eventVersion": "1.10", "userIdentity": identity, "eventTime": iso(t), "eventSource": source}
        rec.update({"eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": ua})
        if error:
            rec.update({"errorCode": error[0], "errorMessage": error[1]})
        request_id = self.ids.uuid()
        rec.update({"requestParameters": req, "responseElements": resp, "requestID": request_id})
        rec.update({"eventID": self.ids.uuid(), "readOnly": read_only, "eventType": "AwsApiCall"})
        rec.update({"managementEvent": True, "recipientAccountId": ACCOUNT, "eventCategory": "Management"})
        if tls:
            host = f"{source.split('.')[0]}.{region}.amazonaws.com"
            rec["tlsDetails"] = {
                "tlsVersion": "TLSv1.3",
                "cipherSuite": "TLS_AES_128_GCM_SHA256",
                "clientProvidedHostHeader": host,
            }
        if isinstance(resp, dict) and "requestId" in resp:
            resp["requestId"] = request_id
        self.records.append(rec)
        return rec


def instance_item(ids: Ids, spec: dict, itype: str, vcpu: int, t: datetime, index: int, net: dict) -> dict:
    """One responseElements.instancesSet.items[] entry (structure of the real Panther RunInstances records)."""
    region, az = spec["region"], spec["az"]
    a, b = net["rng"].randrange(0, 256), net["rng"].randrange(4, 255)
    ip = f"172.31.{a}.{b}"
    dns = f"ip-172-31-{a}-{b}.{'ec2.internal' if region == 'us-east-1' else region + '.compute.internal'}"
    eni = ids.hex("eni-")
    groups = {"items": [{"groupId": net["sg"], "groupName": net["sg_name"]}]}
    item = {
        "instanceId": ids.hex("i-"),
        "imageId": spec["ami"],
        "bootMode": "uefi-preferred",
        "currentInstanceBootMode": "legacy-bios",
        "instanceState": {"code": 0, "name": "pending"},
        "privateDnsName": dns,
        "keyName": spec.get("key_name"),
        "amiLaunchIndex": index,
        "productCodes": {},
        "instanceType": itype,
        "launchTime": ms(t),
        "placement": {"availabilityZone": az, "tenancy": "default"},
        "monitoring": {"state": "disabled"},
        "subnetId": net["subnet"],
        "vpcId": net["vpc"],
        "privateIpAddress": ip,
        "stateReason": {"code": "pending", "message": "pending"},
        "architecture": "x86_64",
        "rootDeviceType": "ebs",
        "rootDeviceName": "/dev/xvda",
        "blockDeviceMapping": {},
        "virtualizationType": "hvm",
        "hypervisor": "xen",
        "tagSet": {"items": spec.get("tags", [])} if spec.get("tags") else {},
        "groupSet": groups,
        "sourceDestCheck": True,
        "networkInterfaceSet": {
            "items": [
                {
                    "networkInterfaceId": eni,
                    "subnetId": net["subnet"],
                    "vpcId": net["vpc"],
                    "ownerId": ACCOUNT,
                    "status": "in-use",
                    "macAddress": ":".join(f"{net['rng'].randrange(256):02x}" for _ in range(6)),
                    "privateIpAddress": ip,
                    "privateDnsName": dns,
                    "sourceDestCheck": True,
                    "interfaceType": "interface",
                    "groupSet": groups,
                    "attachment": {
                        "attachmentId": ids.hex("eni-attach-"),
                        "deviceIndex": 0,
                        "networkCardIndex": 0,
                        "status": "attaching",
                        "attachTime": ms(t),
                        "deleteOnTermination": True,
                    },
                    "privateIpAddressesSet": {
                        "item": [{"privateIpAddress": ip, "privateDnsName": dns, "primary": True}]
                    },
                    "ipv6AddressesSet": {},
                    "tagSet": {},
                    "operator": {"managed": False},
                }
            ]
        },
        "ebsOptimized": False,
        "enaSupport": True,
        "cpuOptions": {"coreCount": max(1, vcpu // 2), "threadsPerCore": 2 if vcpu > 1 else 1},
        "capacityReservationSpecification": {"capacityReservationPreference": "open"},
        "enclaveOptions": {"enabled": False},
        "metadataOptions": {
            "state": "pending",
            "httpTokens": "required",
            "httpPutResponseHopLimit": 2,
            "httpEndpoint": "enabled",
            "httpProtocolIpv4": "enabled",
            "httpProtocolIpv6": "disabled",
            "instanceMetadataTags": "disabled",
        },
        "maintenanceOptions": {"autoRecovery": "default"},
        "privateDnsNameOptions": {
            "hostnameType": "ip-name",
            "enableResourceNameDnsARecord": False,
            "enableResourceNameDnsAAAARecord": False,
        },
        "operator": {"managed": False},
    }
    if spec.get("key_name") is None:
        del item["keyName"]
    if spec.get("profile"):
        item["iamInstanceProfile"] = {"arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{spec['profile']}",
                                      "id": "AIPA2KZ5XQ7WL3D8N4R6T"}
    if spec.get("client_token"):
        item["clientToken"] = spec["client_token"]
    if spec.get("spot"):
        item["instanceLifecycle"] = "spot"
        item["spotInstanceRequestId"] = ids.hex("sir-", 8)
    return item


def run_instances(trail: Trail, types: dict, nets: dict, t, identity, ip, ua, spec: dict, *, tls=True):
    """RunInstances: request as the SDKs send it; response items for `launched` instances, or an error."""
    ids = trail.ids
    net = nets[spec["region"]]
    item = {"imageId": spec["ami"], "minCount": spec["min"], "maxCount": spec["max"]}
    if spec.get("key_name"):
        item["keyName"] = spec["key_name"]
    req = {"instancesSet": {"items": [item]}}
    if spec.get("type_in_request", True):
        req["instanceType"] = spec["type"]
    req.update({"blockDeviceMapping": {}, "monitoring": {"enabled": False}, "disableApiTermination": False})
    req.update({"disableApiStop": False, "clientToken": spec.get("client_token") or ids.uuid(), "subnetId": net["subnet"]})
    if spec.get("launch_template"):
        req["launchTemplate"] = {"launchTemplateId": spec["launch_template"], "version": spec.get("lt_version", "1")}
        del req["instancesSet"]["items"][0]["imageId"]  # the template carries the image
    if spec.get("spot"):
        req["instanceMarketOptions"] = {
            "marketType": "spot",
            "spotOptions": {"spotInstanceType": "one-time", "instanceInterruptionBehavior": "terminate"},
        }
    if spec.get("az_in_request"):
        req["availabilityZone"] = spec["az"]
    if spec.get("terraform"):
        req["ebsOptimized"] = False
        req["privateDnsNameOptions"] = {"hostnameType": "ip-name", "enableResourceNameDnsARecord": True,
                                        "enableResourceNameDnsAAAARecord": False}
    if spec.get("tags"):
        req["tagSpecificationSet"] = {"items": [{"resourceType": "instance", "tags": spec["tags"]}]}
    if spec.get("error"):
        return trail.call(t, identity, "ec2.amazonaws.com", "RunInstances", spec["region"], ip, ua, req, None,
                          error=spec["error"], tls=tls)
    vcpu = int(types[spec["type"]]["vcpu"])
    items = [instance_item(ids, spec, spec["type"], vcpu, t, i, net) for i in range(spec["launched"])]
    resp = {"requestId": "", "reservationId": ids.hex("r-"), "ownerId": ACCOUNT, "groupSet": {},
            "instancesSet": {"items": items}}
    if spec.get("requester"):
        resp["requesterId"] = spec["requester"]
    return trail.call(t, identity, "ec2.amazonaws.com", "RunInstances", spec["region"], ip, ua, req, resp, tls=tls)


def get_caller_identity(trail: Trail, t, identity, ip, ua, region="us-east-1"):
    return trail.call(t, identity, "sts.amazonaws.com", "GetCallerIdentity", region, ip, ua, None, None,
                      read_only=True)


# ---------------------------------------------------------------- benign month


def network(ids: Ids, rng: random.Random) -> dict:
    return {"vpc": ids.hex("vpc-"), "subnet": ids.hex("subnet-"), "sg": ids.hex("sg-"), "sg_name": "default",
            "rng": rng}


def benign_month(trail: Trail, rng: random.Random, types: dict, nets: dict, amis: dict) -> list:
    """Terraform and CI launches on working hours plus AutoScaling scale-outs; returns launched instances."""
    ids = trail.ids
    launched = []
    roles = {"terraform-apply": "AROA2KZ5XQ7WFJ3N6TQ4B", "ci-deploy": "AROA2KZ5XQ7WC5PLR8DM2"}
    for day in range(BENIGN_DAYS):
        date = BENIGN_START + timedelta(days=day)
        weekday = date.weekday() < 5
        runs = rng.randint(2, 4) if weekday else rng.randint(0, 1)
        for _ in range(runs):
            role = rng.choice(("terraform-apply", "terraform-apply", "ci-deploy"))
            t = date + timedelta(hours=rng.randint(8, 17), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
            region = "us-east-1" if rng.random() < 0.7 else "eu-west-1"
            session = f"GitHubActions-{rng.randint(10**9, 10**10 - 1)}" if role == "ci-deploy" else f"terraform-{ids.hex('', 12)}"
            identity = role_identity(ids, role, roles[role], session, t - timedelta(seconds=40))
            if role == "terraform-apply":
                ua = TERRAFORM_UA.format(api="ec2", ver="1.177.3")
                get_caller_identity(trail, t - timedelta(seconds=12), identity, CI_IP,
                                    TERRAFORM_UA.format(api="sts", ver="1.30.5"), region)
            else:
                ua = CLI_UA.format(command="ec2.run-instances")
            count = 2 if rng.random() < 0.15 else 1
            itype = rng.choice(BENIGN_TYPES)
            spec = {"region": region, "az": region + rng.choice("abc"), "type": itype, "ami": amis[region],
                    "min": count, "max": count, "launched": count,
                    "terraform": role == "terraform-apply",
                    "tags": [{"key": "Name", "value": f"app-{rng.choice(('api', 'worker', 'batch'))}"},
                             {"key": "ManagedBy", "value": "terraform" if role == "terraform-apply" else "ci"}]}
            rec = run_instances(trail, types, nets, t, identity, CI_IP, ua, spec)
            launched += [(i, region) for i in rec["responseElements"]["instancesSet"]["items"]]
        for _ in range(rng.randint(1, 2)):  # AutoScaling scale-out (service-linked role, launch template)
            t = date + timedelta(hours=rng.randint(0, 23), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
            spec = {"region": "us-east-1", "az": "us-east-1" + rng.choice("abc"), "type": "m5.large",
                    "ami": amis["us-east-1"], "min": 1, "max": 1, "launched": 1, "launch_template": "lt-0c4e1a7d2b9f36e58",
                    "lt_version": "3", "requester": "940372691376", "az_in_request": True,
                    "profile": "web-asg-node", "client_token": f"fleet-{ids.uuid()}-0",
                    "tags": [{"key": "aws:autoscaling:groupName", "value": "web-asg"},
                             {"key": "aws:ec2launchtemplate:id", "value": "lt-0c4e1a7d2b9f36e58"}]}
            rec = run_instances(trail, types, nets, t, autoscaling_identity(t - timedelta(seconds=2)),
                                "autoscaling.amazonaws.com", "autoscaling.amazonaws.com", spec, tls=False)
            launched += [(i, "us-east-1") for i in rec["responseElements"]["instancesSet"]["items"]]
    return launched


# ---------------------------------------------------------------- attack day


def vcpu_limit() -> tuple:
    return ("Client.VcpuLimitExceeded",
            "You have requested more vCPU capacity than your current vCPU limit of 0 allows for the instance bucket "
            "that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request "
            "to request an adjustment to this limit.")


def attack(trail: Trail, rng: random.Random, types: dict, nets: dict) -> dict:
    ids = trail.ids
    access_key = "AKIA2KZ5XQ7WHR4TVN3Q"
    user_id = "AIDA2KZ5XQ7WJ6M3P5L8R"
    me = user_identity(STOLEN_USER, user_id, access_key)
    arn = me["arn"]
    t0 = ATTACK_DAY + timedelta(hours=2, minutes=13, seconds=7)
    amis = {"us-east-1": "ami-0f3a9c61e2b7d4805", "us-west-2": "ami-07d5e2b94c18a3f61",
            "eu-central-1": "ami-0b8e41c7d9a2f6e35", "ap-southeast-1": "ami-0e29c7a4f18b5d360",
            "sa-east-1": "ami-04c8d1f7a3e96b2d5", "ap-northeast-1": "ami-0a6f3e8c2d71b9e44",
            "ap-south-1": "ami-09b2d7e4c8f13a6e0"}
    key = "ops-key"
    unauthorized = ("Client.UnauthorizedOperation",
                    f"You are not authorized to perform this operation. User: {arn} is not authorized to perform: "
                    "ec2:RunInstances on resource: arn:aws:ec2:ap-northeast-1:" + ACCOUNT + ":instance/* with an "
                    "explicit deny in a service control policy. Encoded authorization failure message: "
                    + ids.key("", 96))
    steps = [
        # minute offset, action, spec
        (0, "GetCallerIdentity", {"region": "us-east-1"}),
        (1, "DescribeRegions", {"region": "us-east-1"}),
        (3, "RunInstances", {"region": "us-east-1", "type": "p3.16xlarge", "min": 8, "max": 8,
                             "error": ("Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set.")}),
        (4, "RunInstances", {"region": "us-east-1", "type": "p3.16xlarge", "min": 8, "max": 8,
                             "error": vcpu_limit()}),
        (6, "RunInstances", {"region": "us-west-2", "type": "p4d.24xlarge", "min": 2, "max": 2, "az": "us-west-2a",
                             "error": ("Server.InsufficientInstanceCapacity",
                                       "We currently do not have sufficient p4d.24xlarge capacity in the Availability "
                                       "Zone you requested (us-west-2a). Our system will be working on provisioning "
                                       "additional capacity. You can currently get p4d.24xlarge capacity by not "
                                       "specifying an Availability Zone in your request or choosing us-west-2b, "
                                       "us-west-2c.")}),
        (8, "RunInstances", {"region": "ap-northeast-1", "type": "g5.48xlarge", "min": 1, "max": 1,
                             "error": unauthorized}),
        (11, "CreateKeyPair", {"region": "us-west-2"}),
        (12, "RunInstances", {"region": "us-west-2", "type": "p3.8xlarge", "min": 2, "max": 2, "launched": 2}),
        (18, "CreateKeyPair", {"region": "eu-central-1"}),
        (19, "RunInstances", {"region": "eu-central-1", "type": "g4dn.12xlarge", "min": 1, "max": 4, "launched": 4}),
        (21, "RunInstances", {"region": "eu-central-1", "type": "g4dn.xlarge", "min": 3, "max": 3, "launched": 3,
                              "spot": True}),
        (25, "CreateKeyPair", {"region": "ap-southeast-1"}),
        (26, "RunInstances", {"region": "ap-southeast-1", "type": "p4d.24xlarge", "min": 1, "max": 1,
                              "launched": 1}),
        (31, "CreateLaunchTemplate", {"region": "sa-east-1"}),
        (32, "RunInstances", {"region": "sa-east-1", "type": "g4dn.2xlarge", "min": 2, "max": 2, "launched": 2,
                              "launch_template": "lt-0d7a3f9e1c52b8460", "type_in_request": False}),
        (35, "RunInstances", {"region": "ap-south-1", "type": None, "min": 2, "max": 2,
                              "launch_template": "lt-03e8b6c1f4a92d7b5", "type_in_request": False,
                              "error": vcpu_limit()}),
        (39, "RunInstances", {"region": "us-east-1", "type": "g5.12xlarge", "min": 2, "max": 2, "launched": 2}),
        (44, "RequestSpotInstances", {"region": "eu-central-1", "type": "g4dn.4xlarge", "count": 6}),
    ]
    truth = {"launches": [], "failed_launches": [], "spot_requests": [], "instances": []}
    for minute, action, spec in steps:
        t = t0 + timedelta(minutes=minute, seconds=rng.randint(0, 50) if minute else 0)
        region = spec["region"]
        if action == "GetCallerIdentity":
            get_caller_identity(trail, t, me, ATTACKER_IP, BOTO3_UA, region)
            first_call = t
        elif action == "DescribeRegions":
            trail.call(t, me, "ec2.amazonaws.com", "DescribeRegions", region, ATTACKER_IP, BOTO3_UA,
                       {"regionSet": {}, "allRegions": True}, None, read_only=True)
        elif action == "CreateKeyPair":
            trail.call(t, me, "ec2.amazonaws.com", "CreateKeyPair", region, ATTACKER_IP, BOTO3_UA,
                       {"keyName": key, "keyType": "rsa", "keyFormat": "pem"},
                       {"requestId": "", "keyName": key,
                        "keyFingerprint": ":".join(f"{rng.randrange(256):02x}" for _ in range(20)),
                        "keyPairId": ids.hex("key-"), "keyMaterial": "<sensitiveDataRemoved>"})
        elif action == "CreateLaunchTemplate":
            trail.call(t, me, "ec2.amazonaws.com", "CreateLaunchTemplate", region, ATTACKER_IP, BOTO3_UA,
                       {"CreateLaunchTemplateRequest": {"LaunchTemplateName": "batch-gpu", "LaunchTemplateData": {
                           "ImageId": amis[region], "InstanceType": "g4dn.2xlarge", "KeyName": key}}},
                       {"CreateLaunchTemplateResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/",
                        "requestId": ids.uuid(), "launchTemplate": {
                            "launchTemplateId": "lt-0d7a3f9e1c52b8460", "launchTemplateName": "batch-gpu",
                            "createTime": iso(t).replace("Z", ".000Z"), "createdBy": arn,
                            "defaultVersionNumber": 1, "latestVersionNumber": 1}}})
        elif action == "RequestSpotInstances":
            spec_l = {"imageId": amis[region], "keyName": key, "instanceType": spec["type"],
                      "groupSet": {}, "monitoring": {"enabled": False}}
            items = [{"spotInstanceRequestId": ids.hex("sir-", 8), "spotPrice": "1.204000",
                      "type": "one-time", "state": "open",
                      "status": {"code": "pending-evaluation", "updateTime": ms(t),
                                 "message": "Your Spot request has been submitted for review, and is pending evaluation."},
                      "launchSpecification": spec_l, "createTime": ms(t), "productDescription": "Linux/UNIX",
                      "instanceInterruptionBehavior": "terminate"} for _ in range(spec["count"])]
            trail.call(t, me, "ec2.amazonaws.com", "RequestSpotInstances", region, ATTACKER_IP, BOTO3_UA,
                       {"instanceCount": spec["count"], "type": "one-time", "launchSpecification": spec_l},
                       {"requestId": "", "spotInstanceRequestSet": {"items": items}})
            truth["spot_requests"].append({"time": iso(t), "region": region, "instance_type": spec["type"],
                                           "instance_count": spec["count"],
                                           "spot_instance_request_ids": [i["spotInstanceRequestId"] for i in items]})
        else:
            run = {"az": spec.get("az", region + "a"), "ami": amis[region], "key_name": key, **spec}
            if "error" in spec:
                rec = run_instances(trail, types, nets, t, me, ATTACKER_IP, BOTO3_UA, run)
                truth["failed_launches"].append({
                    "time": iso(t), "region": region, "instance_type": spec["type"], "error_code": spec["error"][0],
                    "min_count": spec["min"], "max_count": spec["max"], "launch_template": spec.get("launch_template"),
                    "event_id": rec["eventID"]})
            else:
                rec = run_instances(trail, types, nets, t, me, ATTACKER_IP, BOTO3_UA, run)
                items = rec["responseElements"]["instancesSet"]["items"]
                price = types[spec["type"]]["price_usd_per_hour"]
                truth["launches"].append({
                    "time": iso(t), "region": region, "instance_type": spec["type"], "image_id": amis[region],
                    "min_count": spec["min"], "max_count": spec["max"], "launched": len(items),
                    "type_in_request": spec.get("type_in_request", True),
                    "launch_template": spec.get("launch_template"), "spot": bool(spec.get("spot")),
                    "instance_ids": [i["instanceId"] for i in items],
                    "estimated_cost_usd_per_hour": round(len(items) * float(price), 6), "event_id": rec["eventID"]})
                for i in items:
                    eni = i["networkInterfaceSet"]["items"][0]
                    truth["instances"].append({"instance_id": i["instanceId"], "region": region,
                                               "instance_type": spec["type"], "private_ip": i["privateIpAddress"],
                                               "eni": eni["networkInterfaceId"], "vpc_id": i["vpcId"],
                                               "launch_time": iso(t)})
    truth.update({"principal": STOLEN_USER, "principal_arn": arn, "principal_type": "IAMUser",
                  "access_key_id": access_key, "account": ACCOUNT, "source_ip": ATTACKER_IP,
                  "user_agent": BOTO3_UA, "first_malicious_call": iso(first_call), "ami_by_region": amis})
    return truth


# ---------------------------------------------------------------- other capacity paths of the attack day
# Drawn from their own generator (seed + 1) so that every record above keeps its bytes: the key checks its GPU
# vCPU quota region by region and asks for more (Service Quotas), tries an EC2 Fleet across zones where the p4d
# RunInstances found no capacity, and parks an empty Auto Scaling group on its GPU launch template. Shapes as in
# tools/synth_api_calls.py (Service Quotas and EC2/Auto Scaling API references; tests/data/*/SOURCE.md).
GPU_QUOTA = ("L-DB2E81BA", "Running On-Demand G and VT instances")


def other_capacity_paths(ids: Ids, t0: datetime, me: dict) -> tuple[list, dict]:
    trail = Trail(ids)
    arn = me["arn"]
    quota = []
    for n, region in enumerate(("us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1")):
        t = t0 + timedelta(minutes=2, seconds=8 * n)
        trail.call(t, me, "servicequotas.amazonaws.com", "GetServiceQuota", region, ATTACKER_IP, BOTO3_UA,
                   {"serviceCode": "ec2", "quotaCode": GPU_QUOTA[0]}, None, read_only=True)
        quota.append({"time": iso(t), "api_call": "GetServiceQuota", "region": region, "quota_code": GPU_QUOTA[0]})
    t = t0 + timedelta(minutes=2, seconds=40)
    request_id = ids.uuid()
    trail.call(t, me, "servicequotas.amazonaws.com", "RequestServiceQuotaIncrease", "us-east-1", ATTACKER_IP,
               BOTO3_UA, {"serviceCode": "ec2", "quotaCode": GPU_QUOTA[0], "desiredValue": 256.0},
               {"requestedQuota": {"id": request_id.replace("-", ""), "serviceCode": "ec2",
                                   "serviceName": "Amazon Elastic Compute Cloud (Amazon EC2)",
                                   "quotaCode": GPU_QUOTA[0], "quotaName": GPU_QUOTA[1], "desiredValue": 256.0,
                                   "status": "PENDING", "created": "Oct 1, 2026, 2:15:47 AM",
                                   "requester": '{"accountId":"' + ACCOUNT + '","callerArn":"' + arn + '"}',
                                   "quotaArn": f"arn:aws:servicequotas:us-east-1:{ACCOUNT}:ec2/{GPU_QUOTA[0]}",
                                   "globalQuota": False, "unit": "None", "quotaRequestedAtLevel": "ACCOUNT"}})
    quota.append({"time": iso(t), "api_call": "RequestServiceQuotaIncrease", "region": "us-east-1",
                  "quota_code": GPU_QUOTA[0], "desired_value": 256.0})
    t = t0 + timedelta(minutes=7, seconds=23)
    fleet_id = f"fleet-{ids.uuid()}"
    template = "lt-0d7a3f9e1c52b8460"
    template_spec = {"LaunchTemplateId": template, "Version": "1"}
    trail.call(t, me, "ec2.amazonaws.com", "CreateFleet", "us-west-2", ATTACKER_IP, BOTO3_UA,
               {"CreateFleetRequest": {"Type": "instant", "ClientToken": ids.uuid(),
                                       "TargetCapacitySpecification": {"TotalTargetCapacity": 2,
                                                                       "DefaultTargetCapacityType": "on-demand"},
                                       "LaunchTemplateConfigs": {
                                           "LaunchTemplateSpecification": template_spec,
                                           "Overrides": [{"InstanceType": "p4d.24xlarge", "AvailabilityZone": az,
                                                          "tag": n} for n, az in enumerate(("us-west-2b",
                                                                                            "us-west-2c"), 1)],
                                           "tag": 1}}},
               {"CreateFleetResponse": {"xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": ids.uuid(),
                                        "fleetId": fleet_id, "fleetInstanceSet": "", "errorSet": {"item": {
                                            "errorCode": "InsufficientInstanceCapacity",
                                            "errorMessage": "We currently do not have sufficient p4d.24xlarge "
                                                            "capacity in the Availability Zone you requested "
                                                            "(us-west-2b).",
                                            "lifecycle": "on-demand", "launchTemplateAndOverrides": {
                                                "launchTemplateSpecification": {"launchTemplateId": template,
                                                                                "version": "1"},
                                                "overrides": {"instanceType": "p4d.24xlarge",
                                                              "availabilityZone": "us-west-2b"}}}}}})
    fleet = {"time": iso(t), "api_call": "CreateFleet", "region": "us-west-2", "fleet_id": fleet_id,
             "type": "instant", "instance_types": ["p4d.24xlarge"], "target_capacity": 2,
             "error_code": "InsufficientInstanceCapacity"}
    t = t0 + timedelta(minutes=33, seconds=23)
    trail.call(t, me, "autoscaling.amazonaws.com", "CreateAutoScalingGroup", "sa-east-1", ATTACKER_IP, BOTO3_UA,
               {"autoScalingGroupName": "batch-gpu-workers", "launchTemplate": {"launchTemplateId": template,
                                                                                "version": "$Latest"},
                "minSize": 0, "maxSize": 8, "desiredCapacity": 0, "vPCZoneIdentifier": ids.hex("subnet-")}, None)
    group = {"time": iso(t), "api_call": "CreateAutoScalingGroup", "region": "sa-east-1",
             "group": "batch-gpu-workers", "launch_template": template, "instance_types": ["g4dn.2xlarge"],
             "min_size": 0, "max_size": 8, "desired_capacity": 0}
    return trail.records, {"quota_calls": quota, "capacity_requests": [fleet, group]}


# ---------------------------------------------------------------- network and GuardDuty evidence


def resolver_logs(rng: random.Random, truth: dict, benign: list) -> list:
    """Route 53 Resolver query log lines (fields and order of the real query logs)."""
    lines = []

    def q(t, inst, region, vpc, name, rdata):
        lines.append({"version": "1.100000", "account_id": ACCOUNT, "region": region, "vpc_id": vpc,
                      "query_timestamp": iso(t), "query_name": name, "query_type": "A", "query_class": "IN",
                      "rcode": "NOERROR", "answers": [{"Rdata": rdata, "Type": "A", "Class": "IN"}],
                      "srcaddr": inst["private_ip"], "srcport": str(rng.randint(32768, 60999)), "transport": "UDP",
                      "srcids": {"instance": inst["instance_id"]}})

    for inst in truth["instances"]:
        start = samples_io.parse_iso(inst["launch_time"]) + timedelta(minutes=3)
        domain, ip, _port = POOLS[rng.randrange(len(POOLS))]
        for k in range(12):  # miner re-resolves its pool every ~10 minutes for two hours
            q(start + timedelta(minutes=10 * k, seconds=rng.randint(0, 59)), inst, inst["region"], inst["vpc_id"],
              domain + ".", ip)
        inst["pool"] = {"domain": domain, "ip": ip, "port": _port}
    for item, region in benign[-40:]:  # the most recent benign instances do ordinary lookups
        inst = {"instance_id": item["instanceId"], "private_ip": item["privateIpAddress"]}
        t0 = datetime.fromtimestamp(item["launchTime"] / 1000, UTC) + timedelta(minutes=2)
        for name, rdata in BENIGN_DOMAINS:
            q(t0 + timedelta(seconds=rng.randint(0, 300)), inst, region, item["vpcId"], name.format(region=region),
              rdata.format(a=rng.randint(0, 255), b=rng.randint(1, 254)))
    lines.sort(key=lambda r: (r["query_timestamp"], r["srcids"]["instance"]))
    return lines


FLOW_HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"


def flow_logs(rng: random.Random, truth: dict) -> dict:
    """VPC flow log v2 default-format lines per region: miner <-> pool stratum traffic every 10 minutes."""
    by_region: dict = {}
    for inst in truth["instances"]:
        start = samples_io.parse_iso(inst["launch_time"]) + timedelta(minutes=4)
        sport = rng.randint(32768, 60999)
        for k in range(12):
            a = int((start + timedelta(minutes=10 * k)).timestamp())
            b = a + 600
            pkts, byts = rng.randint(40, 90), rng.randint(6000, 16000)
            pool = inst["pool"]
            by_region.setdefault(inst["region"], []).extend([
                (a, f"2 {ACCOUNT} {inst['eni']} {inst['private_ip']} {pool['ip']} {sport} {pool['port']} 6 {pkts} {byts} {a} {b} ACCEPT OK"),
                (a, f"2 {ACCOUNT} {inst['eni']} {pool['ip']} {inst['private_ip']} {pool['port']} {sport} 6 {pkts - 3} {byts + 900} {a} {b} ACCEPT OK"),
            ])
    return {r: [FLOW_HEADER] + [line for _, line in sorted(v)] for r, v in sorted(by_region.items())}


def finding(ids: Ids, inst: dict, ftype: str, t: datetime, action: dict, *, runtime: dict | None = None) -> dict:
    """A GuardDuty finding with the structure of GuardDuty's own EC2 findings (values synthetic)."""
    detector = hashlib.md5(f"{ACCOUNT}{inst['region']}".encode()).hexdigest()
    fid = ids.hex("", 32)
    subject = f"EC2 instance {inst['instance_id']}"
    titles = {
        "CryptoCurrency:EC2/BitcoinTool.B!DNS": (f"Bitcoin-related domain name queried by {subject}.",
                                                  f"{subject} is querying a domain name that is associated with Bitcoin-related activity."),
        "CryptoCurrency:EC2/BitcoinTool.B": (f"Bitcoin-related IP address contacted by {subject}.",
                                              f"{subject} is communicating with a Bitcoin-related IP address."),
        "Impact:EC2/BitcoinDomainRequest.Reputation": (f"{subject} queried a cryptocurrency-related domain.",
                                                        f"{subject} is querying a domain name that is associated with cryptocurrency-related activity."),
        "CryptoCurrency:Runtime/BitcoinTool.B": (f"A process on {subject} is communicating with a Bitcoin-related IP address.",
                                                 f"A process on {subject} is communicating with a Bitcoin-related IP address."),
    }
    title, description = titles[ftype]
    first = t
    last = t + timedelta(minutes=50)
    service = {"serviceName": "guardduty", "detectorId": detector, "action": action, "resourceRole": "TARGET",
               "additionalInfo": {"value": "{}", "type": "default"},
               "evidence": {"threatIntelligenceDetails": [{"threatNames": ["Monero mining pool"],
                                                           "threatListName": "ProofPoint"}]},
               "eventFirstSeen": first.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
               "eventLastSeen": last.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "archived": False, "count": 6}
    if runtime:
        service["featureName"] = "RuntimeMonitoring"
        service["runtimeDetails"] = runtime
        del service["evidence"]
    return {
        "schemaVersion": "2.0", "accountId": ACCOUNT, "region": inst["region"], "partition": "aws", "id": fid,
        "arn": f"arn:aws:guardduty:{inst['region']}:{ACCOUNT}:detector/{detector}/finding/{fid}", "type": ftype,
        "resource": {"resourceType": "Instance", "instanceDetails": {
            "instanceId": inst["instance_id"], "instanceType": inst["instance_type"],
            "launchTime": inst["launch_time"].replace("Z", ".000Z"), "platform": None, "productCodes": [],
            "networkInterfaces": [{"networkInterfaceId": inst["eni"], "privateIpAddresses": [
                {"privateDnsName": None, "privateIpAddress": inst["private_ip"]}], "subnetId": None,
                "vpcId": inst["vpc_id"], "privateDnsName": None, "securityGroups": [], "publicIp": None,
                "ipv6Addresses": [], "publicDnsName": "", "privateIpAddress": inst["private_ip"]}],
            "tags": [], "instanceState": "running", "availabilityZone": inst["region"] + "a",
            "imageId": inst["image_id"], "imageDescription": "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image"}},
        "service": service, "severity": 8,
        "createdAt": (last + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "updatedAt": (last + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "title": title, "description": description,
    }


def guardduty(ids: Ids, truth: dict) -> tuple[list, list]:
    by_id = {i["instance_id"]: i for i in truth["instances"]}
    for launch in truth["launches"]:
        for iid in launch["instance_ids"]:
            by_id[iid]["image_id"] = launch["image_id"]
    insts = list(by_id.values())
    dns = lambda inst: {"actionType": "DNS_REQUEST", "dnsRequestAction": {  # noqa: E731
        "domain": inst["pool"]["domain"], "protocol": "UDP", "blocked": False}}
    net = lambda inst: {"actionType": "NETWORK_CONNECTION", "networkConnectionAction": {  # noqa: E731
        "connectionDirection": "OUTBOUND", "protocol": "TCP", "blocked": False,
        "localIpDetails": {"ipAddressV4": inst["private_ip"]},
        "localPortDetails": {"port": 41872, "portName": "Unknown"},
        "remoteIpDetails": {"ipAddressV4": inst["pool"]["ip"], "organization": {
            "asn": "16276", "asnOrg": "OVH SAS", "isp": "OVH SAS", "org": "OVH SAS"},
            "country": {"countryName": "France"}, "city": {"cityName": "Roubaix"},
            "geoLocation": {"lat": 50.6942, "lon": 3.1746}},
        "remotePortDetails": {"port": inst["pool"]["port"], "portName": "Unknown"}}}
    runtime = lambda inst: {"process": {  # noqa: E731
        "name": "xmrig", "executablePath": "/var/tmp/.cache/xmrig", "executableSha256": ids.hex("", 64),
        "pid": 2817, "namespacePid": 2817, "pwd": "/var/tmp/.cache", "euid": 0, "user": "root", "userId": 0,
        "startTime": samples_io.parse_iso(inst["launch_time"]).timestamp() + 240, "uuid": ids.uuid(),
        "parentUuid": ids.uuid(), "lineage": [{"ancestorName": "bash", "ancestorPid": 2790, "parentUuid": ids.uuid()}]},
        "context": {}}
    t = lambda inst, mins: samples_io.parse_iso(inst["launch_time"]) + timedelta(minutes=mins)  # noqa: E731
    bare = [
        finding(ids, insts[0], "CryptoCurrency:EC2/BitcoinTool.B!DNS", t(insts[0], 3), dns(insts[0])),
        finding(ids, insts[2], "Impact:EC2/BitcoinDomainRequest.Reputation", t(insts[2], 3), dns(insts[2])),
        finding(ids, insts[6], "CryptoCurrency:EC2/BitcoinTool.B", t(insts[6], 4), net(insts[6])),
        finding(ids, insts[9], "CryptoCurrency:Runtime/BitcoinTool.B", t(insts[9], 4), net(insts[9]),
                runtime=runtime(insts[9])),
    ]
    wrapped_finding = finding(ids, insts[-1], "CryptoCurrency:EC2/BitcoinTool.B!DNS", t(insts[-1], 3), dns(insts[-1]))
    envelope = {"version": "0", "id": ids.uuid(), "detail-type": "GuardDuty Finding", "source": "aws.guardduty",
                "account": ACCOUNT, "time": wrapped_finding["updatedAt"][:19] + "Z",
                "region": wrapped_finding["region"], "resources": [], "detail": wrapped_finding}
    truth["guardduty"] = [{"type": f["type"], "instance_id": f["resource"]["instanceDetails"]["instanceId"],
                           "region": f["region"], "severity": f["severity"], "eventbridge": False} for f in bare]
    truth["guardduty"].append({"type": wrapped_finding["type"], "region": wrapped_finding["region"],
                               "instance_id": insts[-1]["instance_id"], "severity": 8, "eventbridge": True})
    return bare, [envelope]


# ---------------------------------------------------------------- main


def generate(out: Path, seed: int = SEED) -> dict:
    rng = random.Random(seed)
    ids = Ids(rng)
    types = load_types()
    trail = Trail(ids)
    regions = ("us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-1", "sa-east-1",
               "ap-northeast-1", "ap-south-1")
    nets = {r: network(ids, rng) for r in regions}
    benign_amis = {"us-east-1": "ami-0c2b8ca1dad447f8a", "eu-west-1": "ami-0d71ea30463e0ff8d"}
    benign = benign_month(trail, rng, types, nets, benign_amis)
    truth = attack(trail, rng, types, nets)
    attacker_identity = user_identity(STOLEN_USER, "AIDA2KZ5XQ7WJ6M3P5L8R", truth["access_key_id"])
    others, other_truth = other_capacity_paths(Ids(random.Random(seed + 1)),
                                               samples_io.parse_iso(truth["first_malicious_call"]), attacker_identity)
    trail.records.extend(others)
    truth.update(other_truth)
    truth["instances"].sort(key=lambda i: (i["launch_time"], i["instance_id"]))
    resolver = resolver_logs(rng, truth, benign)
    flows = flow_logs(rng, truth)
    bare, wrapped = guardduty(ids, truth)

    if out.exists():
        for child in ("cloudtrail", "route53-resolver", "vpcflow", "guardduty"):
            shutil.rmtree(out / child, ignore_errors=True)
    files = samples_io.write_cloudtrail_export(out / "cloudtrail", trail.records)
    samples_io.write_json_lines(out / "route53-resolver" / "resolver-query-logs.jsonl", resolver)
    for region, lines in flows.items():
        path = out / "vpcflow" / f"{ACCOUNT}_vpcflowlogs_{region}.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    samples_io.write_json_lines(out / "guardduty" / "findings.jsonl", bare)
    samples_io.write_json_lines(out / "guardduty" / "eventbridge-findings.jsonl", wrapped)

    launch_events = [r for r in trail.records if r["eventName"] == "RunInstances"]
    attack_start = truth["first_malicious_call"]
    truth.update({
        "synthetic": True,
        "generator": "tools/synth_campaign.py",
        "seed": seed,
        "benign": {
            "start": iso(BENIGN_START), "end": iso(BENIGN_START + timedelta(days=BENIGN_DAYS)),
            "regions": list(BENIGN_REGIONS), "amis": benign_amis, "instance_types": sorted(
                {i["instanceType"] for i, _ in benign}),
            "principals": ["terraform-apply", "ci-deploy", "AWSServiceRoleForAutoScaling"],
            "source_ip": CI_IP,
            "run_instances_events": sum(1 for r in launch_events if r["eventTime"] < attack_start),
            "instances_launched": len(benign),
        },
        "new_regions": sorted({x["region"] for x in truth["launches"] + truth["failed_launches"]
                               + truth["spot_requests"]} - set(BENIGN_REGIONS)),
        "new_regions_with_instances": sorted({x["region"] for x in truth["launches"]} - set(BENIGN_REGIONS)),
        "new_amis": sorted({x["image_id"] for x in truth["launches"]}),
        "instance_types": sorted({x["instance_type"] for x in truth["launches"]}),
        "instance_ids": [i["instance_id"] for i in truth["instances"]],
        "instances_launched": len(truth["instances"]),
        "estimated_cost_usd_per_hour": round(sum(x["estimated_cost_usd_per_hour"] for x in truth["launches"]), 6),
        "mining_pools": [{"domain": d, "ip": ip, "port": p} for d, ip, p in POOLS],
        "files": {"cloudtrail_files": len(files), "cloudtrail_records": len(trail.records),
                  "resolver_queries": len(resolver), "vpcflow_records": sum(len(v) - 1 for v in flows.values()),
                  "guardduty_findings": len(bare), "guardduty_eventbridge": len(wrapped)},
    })
    for inst in truth["instances"]:
        inst.pop("image_id", None)
    (out / "ground_truth.json").write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write (its data subfolders are replaced)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (the committed sample uses the default)")
    args = parser.parse_args(argv)
    truth = generate(args.out, args.seed)
    print(json.dumps(truth["files"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
