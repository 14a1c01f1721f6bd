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
# ---------------------------------------------------------------- capacity from every path (issue: fleets, Spot,
# Auto Scaling, launch templates, StartInstances). Shapes follow the EC2 and Auto Scaling API references and the
# CloudTrail examples of their user guides (tests/data/capacity_paths/SOURCE.md): EC2's newer calls wrap their
# request in <Action>Request and their response in <Action>Response (as the campaign's real-shaped
# CreateLaunchTemplate), single-element lists appear as objects with "tag" numbers; Auto Scaling's are camelCase
# with a null response.
def _service_role(role, role_id, service):
    """The identity of a call an AWS service makes with its service-linked role (as the campaign's Auto Scaling)."""
    return {"ip": service, "agent": service,
            "identity": {"type": "AssumedRole", "principalId": f"{role_id}:{role.split('For')[-1]}",
                         "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{role.split('For')[-1]}",
                         "accountId": ACCOUNT,
                         "sessionContext": {"sessionIssuer": {
                             "type": "Role", "principalId": role_id,
                             "arn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/{service}/{role}",
                             "accountId": ACCOUNT, "userName": role},
                             "attributes": {"creationDate": "2026-10-01T03:55:00Z", "mfaAuthenticated": "false"}},
                         "invokedBy": service}}


AUTOSCALING = _service_role("AWSServiceRoleForAutoScaling", "AROA2KZ5XQ7WMBLN4JH6E", "autoscaling.amazonaws.com")
SPOTFLEET = _service_role("AWSServiceRoleForEC2SpotFleet", "AROA2KZ5XQ7WQ6T2V8N3C", "spotfleet.amazonaws.com")
EKS_NODEGROUP = _service_role("AWSServiceRoleForAmazonEKSNodegroup", "AROA2KZ5XQ7WR3K9B5M1D",
                              "eks-nodegroup.amazonaws.com")
KARPENTER = {  # the cluster's node provisioner, from the company's NAT address
    "ip": "216.160.83.56",
    "agent": "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.173.0 "
             "karpenter.sh-v1.0.6",
    "identity": _assumed_role("KarpenterController-prod", "1727758212", "AROA2KZ5XQ7WK8D4P6S2F",
                              "ASIAY36YECRKT5NB8QZC", "2026-10-01T04:50:00Z", mfa=False),
}
DATA_TEAM = {  # the data team's Airflow, which asks for the same Spot fleet every night
    "ip": "216.160.83.56",
    "agent": "Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#5.15.0-119-generic md/arch#x86_64 "
             "lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.10",
    "identity": _assumed_role("data-platform-spot", "airflow-nightly", "AROA2KZ5XQ7WD2F7H9J4K",
                              "ASIAY36YECRKW2MC4PLA", "2026-10-01T05:15:00Z", mfa=False),
}
GPU_TEMPLATE, WEB_TEMPLATE, TF_TEMPLATE = "lt-0a4c7e91d3b25f806", "lt-0c4e1a7d2b9f36e58", "lt-05b8d2e6f1a93c470"
GPU_AMI = "ami-0f3a9c61e2b7d4805"  # the campaign attacker's us-east-1 AMI
FLEET_IDS = ["i-0a71c3e9d52b8f604", "i-0b83d4f0e63c9a715", "i-0c95e5a1f74dab826", "i-0da6f6b2a85ebc937"]
SPOT_FLEET = "sfr-7d2a9c41-5e8b-4f63-a1d0-3b6e9f2c8a57"
XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def _ec2_response(action, body):
    return lambda request_id: {f"{action}Response": dict(xmlns=XMLNS, requestId=request_id, **body)}


def _launch_template(name, image, itype, template_id, created_by):
    params = {"CreateLaunchTemplateRequest": {"LaunchTemplateName": name, "LaunchTemplateData": {
        "ImageId": image, "InstanceType": itype}}}
    body = {"launchTemplate": {"launchTemplateId": template_id, "launchTemplateName": name,
                               "createTime": "2026-10-01T04:00:00.000Z", "createdBy": created_by,
                               "defaultVersionNumber": 1, "latestVersionNumber": 1}}
    return params, _ec2_response("CreateLaunchTemplate", body)


def _fleet(kind, capacity, market, template, types, fleet_id, instances=(), error=None):
    overrides = [{"InstanceType": t, "tag": n} for n, t in enumerate(types, 1)]
    params = {"CreateFleetRequest": {
        "Type": kind, "ClientToken": f"{fleet_id}-token",
        "TargetCapacitySpecification": {"TotalTargetCapacity": capacity, "DefaultTargetCapacityType": market},
        "LaunchTemplateConfigs": {"LaunchTemplateSpecification": {"LaunchTemplateId": template, "Version": "1"},
                                  "Overrides": overrides if len(overrides) > 1 else overrides[0], "tag": 1}}}
    body = {"fleetId": fleet_id, "errorSet": "", "fleetInstanceSet": ""}
    if instances:
        body["fleetInstanceSet"] = {"item": {"lifecycle": market, "instanceType": types[0],
                                             "instanceIds": {"item": list(instances)},
                                             "launchTemplateAndOverrides": {
                                                 "launchTemplateSpecification": {"launchTemplateId": template,
                                                                                 "version": "1"},
                                                 "overrides": {"instanceType": types[0]}}}}
    if error:
        body["errorSet"] = {"item": {"errorCode": error[0], "errorMessage": error[1],
                                     "launchTemplateAndOverrides": {
                                         "launchTemplateSpecification": {"launchTemplateId": template,
                                                                         "version": "1"},
                                         "overrides": {"instanceType": types[0]}},
                                     "lifecycle": market}}
    return params, _ec2_response("CreateFleet", body)


def _spot_fleet(kind, capacity, types, request_id):
    specs = [{"ImageId": GPU_AMI, "InstanceType": t, "tag": n} for n, t in enumerate(types, 1)]
    params = {"RequestSpotFleetRequest": {"SpotFleetRequestConfig": {
        "IamFleetRole": f"arn:aws:iam::{ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role",
        "AllocationStrategy": "capacityOptimized", "TargetCapacity": capacity, "Type": kind,
        "TerminateInstancesWithExpiration": True,
        "LaunchSpecifications": specs if len(specs) > 1 else specs[0]}}}
    return params, _ec2_response("RequestSpotFleet", {"spotFleetRequestId": request_id})


def _service_launch(itype, count, first_id, tags, template=None):
    """RunInstances made by Auto Scaling or Spot Fleet: their aws: tags name the group or fleet request."""
    params = {"instancesSet": {"items": [{"minCount": count, "maxCount": count}]}, "instanceType": itype,
              "tagSpecificationSet": {"items": [{"resourceType": "instance",
                                                 "tags": [{"key": k, "value": v} for k, v in tags]}]}}
    if template:
        params["launchTemplate"] = {"launchTemplateId": template, "version": "1"}
    ids = [first_id[:-1] + str(n) for n in range(count)]

    def response(request_id):
        return {"requestId": request_id, "reservationId": "r-" + first_id[2:], "ownerId": ACCOUNT,
                "groupSet": {}, "instancesSet": {"items": [
                    {"instanceId": i, "imageId": GPU_AMI, "instanceType": itype,
                     "instanceState": {"code": 0, "name": "pending"}, "launchTime": 1790000000000}
                    for i in ids]}}
    return params, response


def _spot_instances(kind, count, itype, first_id):
    spec = {"imageId": GPU_AMI, "instanceType": itype, "keyName": "ops-key"}
    params = {"instanceCount": count, "type": kind, "launchSpecification": spec}

    def response(request_id):
        return {"requestId": request_id, "spotInstanceRequestSet": {"items": [
            {"spotInstanceRequestId": first_id[:-1] + str(n), "type": kind, "state": "open",
             "launchSpecification": spec, "productDescription": "Linux/UNIX"} for n in range(count)]}}
    return params, response


def _asg(name, min_size, max_size, desired, template=None, overrides=()):
    params = {"autoScalingGroupName": name, "minSize": min_size, "maxSize": max_size, "desiredCapacity": desired}
    if overrides:
        params["mixedInstancesPolicy"] = {"launchTemplate": {
            "launchTemplateSpecification": {"launchTemplateId": template, "version": "$Default"},
            "overrides": [{"instanceType": t} for t in overrides]}}
    elif template:
        params["launchTemplate"] = {"launchTemplateId": template, "version": "$Latest"}
    return params


def _capacity_calls():
    east, west = {"region": "us-east-1"}, {"region": "us-west-2"}
    attacker_lt = _launch_template("gpu-batch", GPU_AMI, "g5.12xlarge", GPU_TEMPLATE,
                                   ATTACKER["identity"]["arn"])
    terraform_lt = _launch_template("web-lt-v2", "ami-0c2b8ca1dad447f8a", "t3.medium", TF_TEMPLATE,
                                    TERRAFORM["identity"]["arn"])
    fleet = _fleet("instant", 4, "spot", GPU_TEMPLATE, ["g4dn.12xlarge", "g5.12xlarge"],
                   "fleet-7c0e5a39-2d14-4b8e-9f61-a3c5d7e9b102", FLEET_IDS)
    no_quota = _fleet("instant", 2, "on-demand", GPU_TEMPLATE, ["p4d.24xlarge"],
                      "fleet-1e9b4c72-8a35-4d06-b2f7-c4a6e8d0f213",
                      error=("VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU "
                                                  "limit of 0 allows for the instance bucket that the specified "
                                                  "instance type belongs to."))
    spot_fleet = _spot_fleet("maintain", 8, ["p3.8xlarge"], SPOT_FLEET)
    asg_launch = _service_launch("g5.12xlarge", 3, "i-0e17a8c3d96fcd040",
                                 [("aws:autoscaling:groupName", "batch-workers"),
                                  ("aws:ec2launchtemplate:id", GPU_TEMPLATE)], GPU_TEMPLATE)
    fleet_launch = _service_launch("p3.8xlarge", 2, "i-0f28b9d4ea7ade150",
                                   [("aws:ec2spot:fleet-request-id", SPOT_FLEET)])
    spot = _spot_instances("persistent", 4, "g4dn.xlarge", "sir-7k2m9x4p0")
    karpenter = _fleet("instant", 1, "on-demand", "lt-0e6f1a2b3c4d5e6f7", ["m5.large", "m5.xlarge", "c5.xlarge"],
                       "fleet-3a5c7e9b-1d2f-4a6c-8e0b-2d4f6a8c0e13", ["i-01d2e3f4a5b6c7d80"])
    tf_launch = _service_launch("t3.medium", 2, "i-0a1b2c3d4e5f60710",
                                [("aws:autoscaling:groupName", "web-asg-v2"),
                                 ("aws:ec2launchtemplate:id", TF_TEMPLATE)], TF_TEMPLATE)
    nightly = _spot_fleet("request", 10, ["c5.2xlarge", "m5.2xlarge"], "sfr-2b4d6f8a-0c1e-4a3b-9d5f-7e9a1c3b5d70")
    version = {"CreateLaunchTemplateVersionRequest": {"LaunchTemplateId": WEB_TEMPLATE, "SourceVersion": "3",
                                                      "LaunchTemplateData": {"InstanceType": "p4d.24xlarge"}}}
    version_response = _ec2_response("CreateLaunchTemplateVersion", {"launchTemplateVersion": {
        "launchTemplateId": WEB_TEMPLATE, "launchTemplateName": "web-asg-template", "versionNumber": 4,
        "createTime": "2026-10-01T04:26:00.000Z", "createdBy": ATTACKER["identity"]["arn"], "defaultVersion": False,
        "launchTemplateData": {"instanceType": "p4d.24xlarge"}}})
    modify = {"ModifyLaunchTemplateRequest": {"LaunchTemplateId": WEB_TEMPLATE, "SetDefaultVersion": "4"}}
    modify_response = _ec2_response("ModifyLaunchTemplate", {"launchTemplate": {
        "launchTemplateId": WEB_TEMPLATE, "launchTemplateName": "web-asg-template", "defaultVersionNumber": 4,
        "latestVersionNumber": 4}})
    return [
        # the campaign's stolen key, from its Swedish address
        (0, ATTACKER, "ec2", "CreateLaunchTemplate", attacker_lt[0], None, dict(east, response=attacker_lt[1])),
        (2, ATTACKER, "ec2", "CreateFleet", fleet[0], None, dict(east, response=fleet[1])),
        (5, ATTACKER, "ec2", "CreateFleet", no_quota[0], None, dict(west, response=no_quota[1])),
        (7, ATTACKER, "ec2", "RequestSpotFleet", spot_fleet[0], None, dict(west, response=spot_fleet[1])),
        (9, ATTACKER, "autoscaling", "CreateAutoScalingGroup", _asg("batch-workers", 2, 10, 6, GPU_TEMPLATE), None,
         dict(east, response=lambda _: None)),
        (13, AUTOSCALING, "ec2", "RunInstances", asg_launch[0], None, dict(east, response=asg_launch[1])),
        (16, SPOTFLEET, "ec2", "RunInstances", fleet_launch[0], None, dict(west, response=fleet_launch[1])),
        (18, ATTACKER, "autoscaling", "CreateLaunchConfiguration", {
            "launchConfigurationName": "miner-lc", "imageId": GPU_AMI, "instanceType": "p3.2xlarge",
            "keyName": "ops-key"}, None, dict(east, response=lambda _: None)),
        (20, ATTACKER, "ec2", "RequestSpotInstances", spot[0], None, dict(region="eu-west-1", response=spot[1])),
        (21, ATTACKER, "ec2", "RequestSpotInstances", _spot_instances("one-time", 8, "g5.xlarge", "sir-x")[0],
         "MaxSpotInstanceCountExceeded", {"region": "ap-southeast-2"}),
        (24, ATTACKER, "autoscaling", "UpdateAutoScalingGroup", {"autoScalingGroupName": "batch-workers",
                                                                 "maxSize": 40, "desiredCapacity": 20}, None,
         dict(east, response=lambda _: None)),
        (26, ATTACKER, "ec2", "CreateLaunchTemplateVersion", version, None, dict(east, response=version_response)),
        (27, ATTACKER, "ec2", "ModifyLaunchTemplate", modify, None, dict(east, response=modify_response)),
        (30, ATTACKER, "ec2", "ModifyInstanceAttribute", _modify(FLEET_IDS[1], disableApiTermination={"value": True}),
         None, east),
        (31, ATTACKER, "ec2", "ModifyInstanceAttribute", _modify(FLEET_IDS[2], disableApiStop={"value": True}), None,
         east),
        # ... and protects an m5 instance of the account it took over: not large, but the key already alerted
        (33, ATTACKER, "ec2", "ModifyInstanceAttribute", _modify(EXISTING, disableApiTermination={"value": True}),
         None, east),
        (40, ATTACKER, "ec2", "StopInstances", _items(FLEET_IDS[0]), None, east),
        (55, ATTACKER, "ec2", "StartInstances", _items(FLEET_IDS[0]), None, east),
        # the benign twins: Terraform's template and group, Karpenter, an EKS node group, the data team's fleet
        (60, TERRAFORM, "ec2", "CreateLaunchTemplate", terraform_lt[0], None, dict(east, response=terraform_lt[1])),
        (62, TERRAFORM, "autoscaling", "CreateAutoScalingGroup", _asg("web-asg-v2", 2, 4, 2, TF_TEMPLATE), None,
         dict(east, response=lambda _: None)),
        (66, AUTOSCALING, "ec2", "RunInstances", tf_launch[0], None, dict(east, response=tf_launch[1])),
        (70, KARPENTER, "ec2", "CreateFleet", karpenter[0], None, dict(east, response=karpenter[1])),
        (75, EKS_NODEGROUP, "autoscaling", "UpdateAutoScalingGroup", _asg(
            "eks-general-ng-3ac8f2d1-7b4e-9c05-a1d6-e2f4b8c0a913", 1, 6, 3, "lt-0f7a8b9c0d1e2f304",
            ["t3.large", "m5.large"]), None, dict(east, response=lambda _: None)),
        (80, DATA_TEAM, "ec2", "RequestSpotFleet", nightly[0], None, dict(east, response=nightly[1])),
    ]


SCENARIOS["capacity_paths"] = (datetime(2026, 10, 1, 4, 0, tzinfo=timezone.utc), _capacity_calls())


# ---------------------------------------------------------------- quota reconnaissance and increases (Service Quotas
# API reference: GetServiceQuota, ListServiceQuotas, RequestServiceQuotaIncrease; JSON protocol, camelCase in
# CloudTrail, reads log no response).
CI = {  # the campaign's CI role, which reads the Standard quota before a deploy
    "ip": "216.160.83.56",
    "agent": "aws-cli/2.17.37 md/awscrt#0.21.2 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.9 "
             "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off "
             "md/command#service-quotas.get-service-quota",
    "identity": _assumed_role("ci-deploy", "GitHubActions-4821937765", "AROA2KZ5XQ7WC5PLR8DM2",
                              "ASIAY36YECRKM8WQ3TFE", "2026-10-01T02:59:20Z", mfa=False),
}


def _quota_increase(code, name, desired):
    def response(request_id):
        return {"requestedQuota": {
            "id": request_id.replace("-", "")[:32], "serviceCode": code[0], "serviceName": code[1],
            "quotaCode": code[2], "quotaName": name, "desiredValue": desired, "status": "PENDING",
            "created": "Oct 1, 2026, 2:08:00 AM", "requester": '{"accountId":"' + ACCOUNT + '","callerArn":"'
            + ATTACKER["identity"]["arn"] + '"}', "quotaArn": f"arn:aws:servicequotas:{REGION}:{ACCOUNT}:"
            f"{code[0]}/{code[2]}", "globalQuota": False, "unit": "None", "quotaRequestedAtLevel": "ACCOUNT"}}
    return response


EC2 = ("ec2", "Amazon Elastic Compute Cloud (Amazon EC2)")
GPU_QUOTA, P_QUOTA, STANDARD_QUOTA = "L-DB2E81BA", "L-417A185B", "L-1216C47A"
QUOTA_REGIONS = ("us-east-1", "us-west-2", "eu-central-1", "ap-southeast-1", "sa-east-1", "ap-northeast-1")
SCENARIOS["quota_activity"] = (datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc), [
    # the stolen key reads the G and VT vCPU quota of six regions, then P, lists EC2's quotas and asks for more
    *[(n, ATTACKER, "servicequotas", "GetServiceQuota", {"serviceCode": "ec2", "quotaCode": GPU_QUOTA}, None,
       {"region": region, "response": lambda _: None}) for n, region in enumerate(QUOTA_REGIONS)],
    (6, ATTACKER, "servicequotas", "GetServiceQuota", {"serviceCode": "ec2", "quotaCode": P_QUOTA}, None,
     {"response": lambda _: None}),
    (7, ATTACKER, "servicequotas", "ListServiceQuotas", {"serviceCode": "ec2"}, None,
     {"region": "us-west-2", "response": lambda _: None}),
    (8, ATTACKER, "servicequotas", "RequestServiceQuotaIncrease",
     {"serviceCode": "ec2", "quotaCode": GPU_QUOTA, "desiredValue": 192.0}, None,
     {"response": _quota_increase((*EC2, GPU_QUOTA), "Running On-Demand G and VT instances", 192.0)}),
    (9, ATTACKER, "servicequotas", "RequestServiceQuotaIncrease",
     {"serviceCode": "ec2", "quotaCode": P_QUOTA, "desiredValue": 96.0}, "DependencyAccessDeniedException",
     {"region": "us-west-2"}),
    # benign: CI reads one quota before a deploy; Terraform raises a VPC quota
    (60, CI, "servicequotas", "GetServiceQuota", {"serviceCode": "ec2", "quotaCode": STANDARD_QUOTA}, None,
     {"response": lambda _: None}),
    (65, TERRAFORM, "servicequotas", "RequestServiceQuotaIncrease",
     {"serviceCode": "vpc", "quotaCode": "L-F678F1CE", "desiredValue": 10.0}, None,
     {"response": _quota_increase(("vpc", "Amazon Virtual Private Cloud (Amazon VPC)", "L-F678F1CE"),
                                  "VPCs per Region", 10.0)}),
])


# ---------------------------------------------------------------- a new identity that goes straight to compute (IAM
# API reference: CreateUser, AttachUserPolicy, CreateAccessKey; CloudTrail shapes of Stratus Red Team's real
# iam-create-admin-user records, which are in samples/ and alert nothing: that user never asks for capacity).
NEW_USER = {"ip": ATTACKER["ip"], "agent": ATTACKER["agent"],
            "identity": {"accessKeyId": "AKIA2KZ5XQ7WNW4B7D2E", "accountId": ACCOUNT,
                         "arn": f"arn:aws:iam::{ACCOUNT}:user/backup-sync-svc", "principalId": "AIDA2KZ5XQ7WP9G3K6M4T",
                         "type": "IAMUser", "userName": "backup-sync-svc"}}


def _iam_user(name, user_id):
    return lambda request_id: {"user": {"path": "/", "userName": name, "userId": user_id,
                                        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
                                        "createDate": "Oct 1, 2026, 6:00:00 AM"}}


def _iam_key(name, key):
    return lambda request_id: {"accessKey": {"userName": name, "accessKeyId": key, "status": "Active",
                                             "createDate": "Oct 1, 2026, 6:02:00 AM"}}


spot_for_new_user = _spot_instances("one-time", 2, "g4dn.12xlarge", "sir-9n4q2w7e1")
SCENARIOS["new_identity"] = (datetime(2026, 10, 1, 6, 0, tzinfo=timezone.utc), [
    (0, ATTACKER, "iam", "CreateUser", {"userName": "backup-sync-svc"}, None,
     {"response": _iam_user("backup-sync-svc", "AIDA2KZ5XQ7WP9G3K6M4T")}),
    (1, ATTACKER, "iam", "AttachUserPolicy", {"userName": "backup-sync-svc",
                                              "policyArn": "arn:aws:iam::aws:policy/AmazonEC2FullAccess"}, None,
     {"response": lambda _: None}),
    (2, ATTACKER, "iam", "CreateAccessKey", {"userName": "backup-sync-svc"}, None,
     {"response": _iam_key("backup-sync-svc", "AKIA2KZ5XQ7WNW4B7D2E")}),
    (14, NEW_USER, "ec2", "RequestSpotInstances", spot_for_new_user[0], None,
     {"region": "us-east-1", "response": spot_for_new_user[1]}),
    # benign: Terraform creates a read-only reporting user and its key; it never asks for capacity
    (30, TERRAFORM, "iam", "CreateUser", {"userName": "reporting-reader"}, None,
     {"response": _iam_user("reporting-reader", "AIDA2KZ5XQ7WT1H8J3N5V")}),
    (31, TERRAFORM, "iam", "AttachUserPolicy", {"userName": "reporting-reader",
                                                "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, None,
     {"response": lambda _: None}),
    (32, TERRAFORM, "iam", "CreateAccessKey", {"userName": "reporting-reader"}, None,
     {"response": _iam_key("reporting-reader", "AKIA2KZ5XQ7WV5C9L1Q7")}),
])


STATE_CHANGES = {"StopInstances": (("stopping", 64), ("running", 16)), "StartInstances": (("pending", 0), ("stopped", 80))}
ERRORS = {
    DENIED: "User: {arn} is not authorized to perform: {service}:{call} on resource: arn:aws:guardduty:{region}:"
            "{account}:detector/" + DETECTOR,
    "IncorrectInstanceState": "The instance '" + RUNNING + "' is not in the 'stopped' state.",
    "MaxSpotInstanceCountExceeded": "Max spot instance count exceeded",
    "DependencyAccessDeniedException": "You can't perform this action because a dependency does not have access.",
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


def record(scenario, start, minutes, actor, service, call, params, error, extra=None):
    """One CloudTrail record; `extra` may set the region and the response (calls other than the first two
    scenarios' shapes). A call an AWS service makes on the account's behalf has no tlsDetails."""
    extra = extra or {}
    region = extra.get("region", REGION)
    when = start + timedelta(minutes=minutes)
    seed = hashlib.sha256(f"{scenario}/{minutes}/{call}".encode()).digest()
    request_id = str(uuid.UUID(bytes=seed[:16]))
    event = {
        "awsRegion": region,
        "eventCategory": "Management",
        "eventID": str(uuid.UUID(bytes=seed[16:32])),
        "eventName": call,
        "eventSource": f"{service}.amazonaws.com",
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventType": "AwsApiCall",
        "eventVersion": "1.09",
        "managementEvent": True,
        "readOnly": call.startswith(("Get", "List", "Describe")),
        "recipientAccountId": ACCOUNT,
        "requestID": request_id,
        "requestParameters": params,
        "responseElements": None if error else extra["response"](request_id) if "response" in extra
        else _response(call, params, request_id),
        "sourceIPAddress": actor["ip"],
        "tlsDetails": {"cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": f"{service}.{region}.amazonaws.com", "tlsVersion": "TLSv1.3"},
        "userAgent": actor["agent"],
        "userIdentity": actor["identity"],
    }
    if "invokedBy" in actor["identity"]:
        del event["tlsDetails"]
    if error:
        event["errorCode"] = error
        event["errorMessage"] = ERRORS[error].format(arn=actor["identity"]["arn"], service=service, call=call,
                                                     region=region, account=ACCOUNT)
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
