"""Generate SYNTHETIC CloudWatch metrics, Cost and Usage Report rows and cost notifications (deterministic).

No public log set holds CloudWatch metric datapoints or billing rows of a cryptojacking incident, so one
scenario is made here, in one synthetic account (318640297165), for the metric and spend detections:

- EC2 (hourly CPUUtilization, 2026-06-03 to 2026-06-15): a web fleet of three m5.large (25-55 %, daily
  cycle), a batch fleet of two c5.4xlarge at 97 % for three hours every night (daily peaks), a render node
  that has been at 97 % for its whole history; from Saturday 2026-06-13 00:00 a mining fleet at 99 % for two
  days: two instances the stolen key svc-reporting launched in ap-southeast-1 (new to the account) on Friday
  night, one of them a GPU g4dn.12xlarge (CloudWatch agent nvidia_smi_utilization_gpu), and web instance
  i-0a1b2c3d4e5f60703, compromised without any launch.
- Lambda (hourly Invocations, Duration, ConcurrentExecutions): orders-api, a busy API with a daily cycle (a
  CI deploy on 2026-06-05 changes nothing), and thumbnail-resizer, which svc-reporting rewrites and
  reconfigures (UpdateFunctionCode / UpdateFunctionConfiguration, Saturday 10:12) to mine at its 15-minute
  timeout on 100 concurrent executions.
- Billing (daily CUR rows, 2026-04-01 to 2026-06-14): steady EC2, EBS and Lambda spend, a batch fleet whose
  spend is eight times higher on the last two days of every month (month-end close), and the weekend of the
  incident: the mining instances' usage types in ap-southeast-1 and the hijacked function's GB-seconds.
- Cost Anomaly Detection: the EventBridge "Anomaly Detected" event AWS sends on Sunday for the g4dn usage,
  one small S3 anomaly, and the same EC2 anomaly delivered through SNS.
- AWS Budgets (SNS text notifications read from SQS): the monthly budget's 80 % early warning at May's month end,
  its FORECASTED 100 % alert on the incident's Saturday, and the daily compute budget's ACTUAL alert on Sunday
  (delivered twice), amounts summed from the generated CUR rows.

Formats (cited in samples/synthetic-metrics/SOURCE.md): the Splunk Add-on for AWS metric event (`aws:cloudwatch`:
account_id, region, namespace, metric_name, metric_dimensions `Name=[value]`, timestamp in ms, unit,
SampleCount/Sum/Maximum/Minimum/Average, period); the legacy CUR CSV columns of the CUR data dictionary; the
Cost Anomaly Detection EventBridge event of the AWS Cost Management user guide; CloudTrail records in the
shape of the synthetic campaign's (real-record envelopes).

Usage: python3 tools/synth_metrics.py [--out-dir DIR]   (writes DIR/{cloudwatch,billing,notifications,cloudtrail})
"""
import argparse
import csv
import io
import json
import math
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "samples" / "synthetic-metrics"
SEED = 20260613
ACCOUNT = "318640297165"
HOME = "us-east-1"
MINING_REGION = "ap-southeast-1"
METRICS_START = datetime(2026, 6, 3, tzinfo=timezone.utc)
METRICS_END = datetime(2026, 6, 15, tzinfo=timezone.utc)
MINING_START = datetime(2026, 6, 13, tzinfo=timezone.utc)          # Saturday
HIJACK = datetime(2026, 6, 13, 10, 12, 40, tzinfo=timezone.utc)
BILLING_START = datetime(2026, 4, 1, tzinfo=timezone.utc)
BILLING_END = datetime(2026, 6, 15, tzinfo=timezone.utc)           # exclusive: rows up to Sunday 06-14

WEB = ["i-0a1b2c3d4e5f60701", "i-0a1b2c3d4e5f60702", "i-0a1b2c3d4e5f60703"]
COMPROMISED = WEB[2]
BATCH = ["i-0b1b2c3d4e5f60801", "i-0b1b2c3d4e5f60802"]
RENDER = "i-0d1b2c3d4e5f60a01"
MINERS = {"i-0c1b2c3d4e5f60901": "c5.9xlarge", "i-0c1b2c3d4e5f60902": "g4dn.12xlarge"}
GPU_MINER = "i-0c1b2c3d4e5f60902"

ATTACKER_IP = "81.2.69.160"
ATTACKER_AGENT = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/ec2.run-instances"
ATTACKER = {"type": "IAMUser", "principalId": "AIDAUQ4K7N2XR5VY3HB6M", "arn": f"arn:aws:iam::{ACCOUNT}:user/svc-reporting",
            "accountId": ACCOUNT, "accessKeyId": "AKIAUQ4K7N2XW3RZ6PLD", "userName": "svc-reporting"}
TERRAFORM_AGENT = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.67.0 "
                   "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 os/linux lang/go#1.22.6")


def _role(role, session, role_id, key):
    return {"type": "AssumedRole", "principalId": f"{role_id}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT, "accessKeyId": key,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id,
                                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT,
                                                 "userName": role},
                               "webIdFederationData": {},
                               "attributes": {"creationDate": "2026-05-20T09:58:02Z", "mfaAuthenticated": "false"}}}


TERRAFORM = _role("terraform-apply", "terraform-5b0c91d2", "AROAUQ4K7N2XTERRA0001", "ASIAUQ4K7N2XTF3ZQ8WM")
CI = _role("ci-deploy", "gha-orders-api-4411", "AROAUQ4K7N2XCIDEP0002", "ASIAUQ4K7N2XCI7LM2RA")


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# ----------------------------------------------------------------------------------------------- CloudTrail

def _cloudtrail(rng, when, identity, source, name, region, ip, agent, request, response):
    return {"eventVersion": "1.10", "userIdentity": identity, "eventTime": _iso(when), "eventSource": source,
            "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": agent,
            "requestParameters": request, "responseElements": response, "requestID": _uuid(rng),
            "eventID": _uuid(rng), "readOnly": False, "eventType": "AwsApiCall", "managementEvent": True,
            "recipientAccountId": ACCOUNT, "eventCategory": "Management",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com"}}


def _run_instances(rng, when, identity, region, ip, agent, instance_type, instance_ids, name):
    image = "ami-0f3c7d07486cad139" if region == HOME else "ami-0497a974f8d5dcef8"
    items = [{"instanceId": iid, "imageId": image, "instanceState": {"code": 0, "name": "pending"},
              "amiLaunchIndex": index, "instanceType": instance_type,
              "launchTime": int(when.timestamp() * 1000),
              "placement": {"availabilityZone": f"{region}a", "tenancy": "default"},
              "monitoring": {"state": "disabled"}, "architecture": "x86_64", "rootDeviceType": "ebs",
              "tagSet": {"items": [{"key": "Name", "value": name}]}}
             for index, iid in enumerate(instance_ids)]
    request = {"instancesSet": {"items": [{"imageId": image, "minCount": len(instance_ids),
                                           "maxCount": len(instance_ids)}]},
               "instanceType": instance_type, "blockDeviceMapping": {}, "monitoring": {"enabled": False},
               "disableApiTermination": False, "disableApiStop": False,
               "tagSpecificationSet": {"items": [{"resourceType": "instance",
                                                  "tags": [{"key": "Name", "value": name}]}]}}
    response = {"requestId": _uuid(rng), "reservationId": f"r-0{rng.getrandbits(64):016x}", "ownerId": ACCOUNT,
                "groupSet": {}, "instancesSet": {"items": items}}
    return _cloudtrail(rng, when, identity, "ec2.amazonaws.com", "RunInstances", region, ip, agent, request, response)


def _lambda_config(name, when, timeout, memory, code_sha):
    return {"functionName": name, "functionArn": f"arn:aws:lambda:{HOME}:{ACCOUNT}:function:{name}",
            "runtime": "python3.12", "role": f"arn:aws:iam::{ACCOUNT}:role/{name}-exec", "handler": "app.handler",
            "codeSize": 48213, "description": "", "timeout": timeout, "memorySize": memory,
            "lastModified": when.strftime("%Y-%m-%dT%H:%M:%S.000+0000"), "codeSha256": code_sha,
            "version": "$LATEST", "tracingConfig": {"mode": "PassThrough"}, "revisionId": str(uuid.uuid5(
                uuid.NAMESPACE_URL, f"{name}{when.isoformat()}")), "state": "Active",
            "lastUpdateStatus": "InProgress", "packageType": "Zip", "architectures": ["x86_64"],
            "ephemeralStorage": {"size": 512}}


def cloudtrail_records(rng):
    lambda_agent = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/lambda"
    records = [
        _run_instances(rng, datetime(2026, 5, 20, 10, 4, 11, tzinfo=timezone.utc), TERRAFORM, HOME, "216.160.83.56",
                       TERRAFORM_AGENT, "m5.large", WEB, "web"),
        _run_instances(rng, datetime(2026, 5, 20, 10, 5, 37, tzinfo=timezone.utc), TERRAFORM, HOME, "216.160.83.56",
                       TERRAFORM_AGENT, "c5.4xlarge", BATCH, "batch"),
        _run_instances(rng, datetime(2026, 5, 20, 10, 6, 2, tzinfo=timezone.utc), TERRAFORM, HOME, "216.160.83.56",
                       TERRAFORM_AGENT, "c5.2xlarge", [RENDER], "render"),
        _cloudtrail(rng, datetime(2026, 6, 5, 14, 31, 9, tzinfo=timezone.utc), CI, "lambda.amazonaws.com",
                    "UpdateFunctionCode20150331v2", HOME, "216.160.83.61", lambda_agent,
                    {"functionName": "orders-api", "publish": True, "dryRun": False},
                    _lambda_config("orders-api", datetime(2026, 6, 5, 14, 31, 9), 30, 512,
                                   "x8mM0cR0N3lx3Q4w5Wq2bH2q0m3W0n5cS3yX2pQ1aB8=")),
    ]
    for offset, (iid, itype) in enumerate(MINERS.items()):
        records.append(_run_instances(rng, datetime(2026, 6, 12, 23, 40, 5 + 40 * offset, tzinfo=timezone.utc),
                                      ATTACKER, MINING_REGION, ATTACKER_IP, ATTACKER_AGENT, itype, [iid], "reporting"))
    records.append(_cloudtrail(rng, HIJACK, ATTACKER, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", HOME,
                               ATTACKER_IP, lambda_agent,
                               {"functionName": f"arn:aws:lambda:{HOME}:{ACCOUNT}:function:thumbnail-resizer",
                                "publish": False, "dryRun": False},
                               _lambda_config("thumbnail-resizer", HIJACK, 60, 1024,
                                              "Qm9hdDNkN2V4YW1wbGVTaGEyNTZPZlRoZU1pbmVyWg==")))
    reconfigured = HIJACK + timedelta(minutes=2, seconds=3)
    records.append(_cloudtrail(rng, reconfigured, ATTACKER, "lambda.amazonaws.com",
                               "UpdateFunctionConfiguration20150331v2", HOME, ATTACKER_IP, lambda_agent,
                               {"functionName": "thumbnail-resizer", "timeout": 900, "memorySize": 10240},
                               _lambda_config("thumbnail-resizer", reconfigured, 900, 10240,
                                              "Qm9hdDNkN2V4YW1wbGVTaGEyNTZPZlRoZU1pbmVyWg==")))
    return sorted(records, key=lambda r: r["eventTime"])


# ----------------------------------------------------------------------------------------------- CloudWatch

def _datapoint(region, namespace, metric, dimensions, hour, unit, values):
    """One hourly datapoint as the Add-on indexes it (SampleCount/Sum/Maximum/Minimum/Average)."""
    count = len(values)
    return {"account_id": ACCOUNT, "region": region, "namespace": namespace, "metric_name": metric,
            "metric_dimensions": ",".join(f"{k}=[{v}]" for k, v in dimensions),
            "timestamp": int(hour.timestamp() * 1000), "period": 3600, "unit": unit,
            "SampleCount": float(count), "Sum": round(sum(values), 4), "Maximum": round(max(values), 4),
            "Minimum": round(min(values), 4), "Average": round(sum(values) / count, 4)}


def _hours(start, end):
    hour = start
    while hour < end:
        yield hour
        hour += timedelta(hours=1)


def _cpu(rng, instance, hour):
    """Percent CPU of one instance in one hour (12 five-minute samples)."""
    mining = hour >= MINING_START and (instance == COMPROMISED or instance in MINERS)
    if mining:
        base = 99.2
    elif instance in WEB:
        base = 40 + 15 * math.sin((hour.hour - 9) / 24 * 2 * math.pi)
    elif instance in MINERS:   # booting, before the miner starts
        base = 3.0
    elif instance in BATCH:
        base = 97.0 if 1 <= hour.hour < 4 else 4.0
    else:   # the render node
        base = 97.0
    return [min(100.0, max(0.0, base + rng.uniform(-0.7, 0.7) * (1 if base > 90 else 6))) for _ in range(12)]


def ec2_metrics(rng):
    rows = []
    launched = MINING_START - timedelta(minutes=20)
    for hour in _hours(METRICS_START, METRICS_END):
        for instance in WEB + BATCH + [RENDER] + list(MINERS):
            region = MINING_REGION if instance in MINERS else HOME
            if instance in MINERS and hour < launched.replace(minute=0):
                continue
            rows.append(_datapoint(region, "AWS/EC2", "CPUUtilization", [("InstanceId", instance)], hour, "Percent",
                                   _cpu(rng, instance, hour)))
            if instance == GPU_MINER:
                gpu = [99.0 + rng.uniform(0, 1) if hour >= MINING_START else 0.0 for _ in range(12)]
                rows.append(_datapoint(region, "CWAgent", "nvidia_smi_utilization_gpu",
                                       [("InstanceId", instance), ("index", "0"), ("name", "Tesla T4"),
                                        ("arch", "Turing")], hour, "Percent", gpu))
    return rows


def _lambda_hour(rng, function, hour):
    """(invocations, mean duration ms, max concurrency) of one function in one hour."""
    if function == "orders-api":
        load = 0.55 + 0.45 * math.sin((hour.hour - 9) / 24 * 2 * math.pi)
        invocations = int(9000 * load + rng.uniform(0, 800))
        return invocations, 140 + 40 * load + rng.uniform(0, 15), max(2, round(24 * load + rng.uniform(0, 3)))
    if hour >= HIJACK.replace(minute=0, second=0) + timedelta(hours=1):
        return 400 + int(rng.uniform(0, 20)), 899000 + rng.uniform(0, 900), 100
    return 30 + int(rng.uniform(0, 50) * (1 if 8 <= hour.hour < 20 else 0.3)), 780 + rng.uniform(0, 60), 1 + int(
        rng.uniform(0, 2.5))


def lambda_metrics(rng):
    rows = []
    for hour in _hours(METRICS_START, METRICS_END):
        for function in ("orders-api", "thumbnail-resizer"):
            invocations, duration, concurrency = _lambda_hour(rng, function, hour)
            dims = [("FunctionName", function)]
            rows.append(_datapoint(HOME, "AWS/Lambda", "Invocations", dims, hour, "Count", [float(invocations)]))
            spread = [duration * (0.8 + 0.4 * i / 11) for i in range(12)]
            rows.append(_datapoint(HOME, "AWS/Lambda", "Duration", dims, hour, "Milliseconds", spread))
            rows.append(_datapoint(HOME, "AWS/Lambda", "ConcurrentExecutions", dims, hour, "Count",
                                   [float(concurrency)]))
    return rows


# ----------------------------------------------------------------------------------------------- billing

CUR_COLUMNS = ["identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId", "bill/BillingEntity",
               "bill/BillType", "bill/PayerAccountId", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate",
               "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UsageStartDate",
               "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UsageType", "lineItem/Operation",
               "lineItem/AvailabilityZone", "lineItem/UsageAmount", "lineItem/CurrencyCode",
               "lineItem/UnblendedRate", "lineItem/UnblendedCost", "lineItem/LineItemDescription",
               "product/ProductName", "product/region", "pricing/unit"]
# (product code, product name, region, usage type, operation, unit, rate USD/unit, description)
EC2 = ("AmazonEC2", "Amazon Elastic Compute Cloud")
USAGE = {
    "web": (*EC2, HOME, "BoxUsage:m5.large", "RunInstances", "Hrs", 0.096, "$0.096 per On Demand Linux m5.large Instance Hour"),
    "batch": (*EC2, HOME, "BoxUsage:c5.4xlarge", "RunInstances", "Hrs", 0.68, "$0.68 per On Demand Linux c5.4xlarge Instance Hour"),
    "render": (*EC2, HOME, "BoxUsage:c5.2xlarge", "RunInstances", "Hrs", 0.34, "$0.34 per On Demand Linux c5.2xlarge Instance Hour"),
    "ebs": (*EC2, HOME, "EBS:VolumeUsage.gp3", "CreateVolume-Gp3", "GB-Mo", 0.08, "$0.08 per GB-month of General Purpose (gp3) provisioned storage - US East (Northern Virginia)"),
    "miner_cpu": (*EC2, MINING_REGION, "APS1-BoxUsage:c5.9xlarge", "RunInstances", "Hrs", 1.872, "$1.872 per On Demand Linux c5.9xlarge Instance Hour"),
    "miner_gpu": (*EC2, MINING_REGION, "APS1-BoxUsage:g4dn.12xlarge", "RunInstances", "Hrs", 5.474, "$5.474 per On Demand Linux g4dn.12xlarge Instance Hour"),
    "lambda": ("AWSLambda", "AWS Lambda", HOME, "Lambda-GB-Second", "Invoke", "Lambda-GB-Second", 0.0000166667, "AWS Lambda - Total Compute - US East (Northern Virginia)"),
    "lambda_requests": ("AWSLambda", "AWS Lambda", HOME, "Request", "Invoke", "Requests", 0.0000002, "AWS Lambda - Total Requests - US East (Northern Virginia)"),
}


def _is_month_end(day):
    return (day + timedelta(days=2)).month != day.month


def _usage_of_day(rng, day):
    """Usage amount per USAGE key for one day."""
    usage = {"web": 3 * 24.0, "render": 24.0, "ebs": 10.0,
             "batch": 10 * (24.0 if _is_month_end(day) else 3.0 + rng.uniform(-0.1, 0.1))}
    # orders-api ~210k invocations/day x 0.16 s x 0.5 GB; thumbnail-resizer ~1k/day x 0.8 s x 1 GB
    usage["lambda"] = 210000 * 0.16 * 0.5 * rng.uniform(0.9, 1.1) + 1000 * 0.8
    usage["lambda_requests"] = 211000 * rng.uniform(0.9, 1.1)
    mining_day = day.date() >= MINING_START.date()
    if mining_day:
        hours = 24.0
        usage["miner_cpu"] = hours
        usage["miner_gpu"] = hours
        start = max(HIJACK + timedelta(hours=1), day)
        hijacked_hours = (day + timedelta(days=1) - start).total_seconds() / 3600
        usage["lambda"] += hijacked_hours * 3600 * 100 * 10.0
    elif day.date() == (MINING_START - timedelta(days=1)).date():
        usage["miner_cpu"] = usage["miner_gpu"] = 1.0     # launched at 23:40 on Friday
    return usage


def cur_rows(rng):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CUR_COLUMNS)
    day = BILLING_START
    while day < BILLING_END:
        period_start = day.replace(day=1)
        period_end = (period_start + timedelta(days=32)).replace(day=1)
        for key, amount in _usage_of_day(rng, day).items():
            code, product, region, usage_type, operation, unit, rate, description = USAGE[key]
            cost = amount * rate
            writer.writerow([
                f"{rng.getrandbits(128):032x}"[:52], f"{_iso(day)}/{_iso(day + timedelta(days=1))}",
                f"2026{period_start.month:02d}{rng.getrandbits(20):07d}", "AWS", "Anniversary", ACCOUNT,
                _iso(period_start), _iso(period_end), ACCOUNT, "Usage", _iso(day), _iso(day + timedelta(days=1)),
                code, usage_type, operation, f"{region}a" if code == "AmazonEC2" and unit == "Hrs" else "",
                f"{amount:.10f}".rstrip("0").rstrip("."), "USD", f"{rate:.10f}".rstrip("0").rstrip("."),
                f"{cost:.10f}".rstrip("0").rstrip("."), description, product, region, unit])
        day += timedelta(days=1)
    return out.getvalue()


# ----------------------------------------------------------------------------------------------- notifications

def _anomaly(rng, when, anomaly_id, start, service, region, usage_type, actual, expected, score):
    impact = round(actual - expected, 2)
    return {"version": "0", "id": _uuid(rng), "source": "aws.ce", "detail-type": "Anomaly Detected",
            "account": ACCOUNT, "region": "us-east-1", "time": _iso(when),
            "resources": [f"arn:aws:ce::{ACCOUNT}:anomalymonitor/5b1f6a3e-2c4d-4ea0-84cc-918a97d736ef"],
            "detail": {"accountName": "analytics-prod", "anomalyEndDate": _iso(when.replace(hour=0, minute=0, second=0)),
                       "anomalyId": anomaly_id, "anomalyScore": {"currentScore": score, "maxScore": score},
                       "anomalyStartDate": _iso(start), "dimensionValue": service, "feedback": "",
                       "impact": {"maxImpact": impact, "totalActualSpend": actual, "totalExpectedSpend": expected,
                                  "totalImpact": impact,
                                  "totalImpactPercentage": round(impact / expected * 100, 2) if expected else 0},
                       "monitorArn": f"arn:aws:ce::{ACCOUNT}:anomalymonitor/5b1f6a3e-2c4d-4ea0-84cc-918a97d736ef",
                       "monitorName": "services", "monitorType": "DIMENSIONAL",
                       "rootCauses": [{"linkedAccount": ACCOUNT, "linkedAccountName": "analytics-prod",
                                       "region": region, "service": service, "usageType": usage_type}],
                       "subscriptionId": "7c2e58a1-90d4-4f6b-b1b7-3f1f0e8d2a44", "subscriptionName": "immediate-sns"}}


def notifications(rng):
    ec2 = _anomaly(rng, datetime(2026, 6, 14, 18, 5, 12, tzinfo=timezone.utc),
                   "0d3c1b7e-6a9f-4a1e-9b8e-5f2d7c4a1e90", MINING_START, "Amazon Elastic Compute Cloud - Compute",
                   MINING_REGION, "APS1-BoxUsage:g4dn.12xlarge", 131.38, 0.0, 92.4)
    s3 = _anomaly(rng, datetime(2026, 5, 7, 9, 41, 3, tzinfo=timezone.utc), "4e8a2f10-3b5c-4d6e-8f7a-9b0c1d2e3f40",
                  datetime(2026, 5, 6, tzinfo=timezone.utc), "Amazon Simple Storage Service", HOME,
                  "Requests-Tier1", 14.2, 3.1, 11.0)
    # the same EC2 anomaly delivered by an SNS topic subscribed to EventBridge (SQS body = SNS envelope)
    sns = {"Type": "Notification", "MessageId": _uuid(rng),
           "TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:cost-anomalies", "Message": json.dumps(ec2),
           "Timestamp": "2026-06-14T18:05:13.412Z", "SignatureVersion": "1", "Signature": "EXAMPLE",
           "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem",
           "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=EXAMPLE"}
    return [s3, ec2, sns]


# AWS Budgets publishes threshold alerts to SNS only (its EventBridge events are CloudTrail API calls), as plain text;
# the body below follows public captures of that text (see samples/synthetic-metrics/SOURCE.md).
BUDGETS_URL = "https://console.aws.amazon.com/billing/home#/budgets"
MONTHLY_BUDGET, MONTHLY_LIMIT = "analytics-prod-monthly", 1500.0
DAILY_BUDGET, DAILY_LIMIT = "compute-daily", 150.0          # filtered to EC2 and Lambda


def _daily_costs(cur_text):
    """(day, product code) -> unblended cost of the generated CUR rows."""
    costs = {}
    for row in csv.DictReader(io.StringIO(cur_text)):
        key = (row["lineItem/UsageStartDate"][:10], row["lineItem/ProductCode"])
        costs[key] = costs.get(key, 0.0) + float(row["lineItem/UnblendedCost"])
    return costs


def _budget_message(when, name, alert_type, limit, threshold, amount, period):
    yesterday = "Yesterday, the" if period == "per day" else "The"
    return (f"AWS Budget Notification {when.strftime('%B %d, %Y')}\nAWS Account {ACCOUNT}\n\nDear AWS Customer,\n\n"
            f"You requested that we alert you when the {alert_type} Cost associated with your {name} budget is greater "
            f"than ${threshold:.2f} {period}. {yesterday} {alert_type} Cost associated with this budget is "
            f"${amount:.2f}. You can find additional details below and by accessing the AWS Budgets dashboard [1].\n\n"
            f"Budget Name: {name}\nBudget Type: Cost\nBudgeted Amount: ${limit:.2f}\nAlert Type: {alert_type}\n"
            f"Alert Threshold: > ${threshold:.2f}\n{alert_type} Amount: ${amount:.2f}\n\n[1] {BUDGETS_URL}\n")


def _budget_sns(rng, when, name, message):
    return {"Type": "Notification", "MessageId": _uuid(rng), "TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:budget-alerts",
            "Subject": f"AWS Budgets: {name} has exceeded your alert threshold", "Message": message,
            "Timestamp": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z",
            "SignatureVersion": "1", "Signature": "EXAMPLE",
            "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem",
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=EXAMPLE"}


def budget_notifications(rng, cur_text):
    """The SNS envelopes (SQS bodies) of the account's two budgets, amounts from the generated CUR rows:
    the monthly budget's 80 % early warning at May's month-end close (below the budget: no alert), its
    FORECASTED 100 % alert on the incident's Saturday evening, and the daily compute budget's ACTUAL alert on
    Sunday morning for Saturday's EC2 and Lambda spend, delivered twice by SQS (same MessageId)."""
    costs = _daily_costs(cur_text)

    def month_to_date(last_day):
        first = last_day[:8] + "01"
        return sum(cost for (day, _), cost in costs.items() if first <= day <= last_day)

    may_days = sorted({day for day, _ in costs if day.startswith("2026-05")})
    crossing = next(day for day in may_days if month_to_date(day) > 0.8 * MONTHLY_LIMIT)
    warned = datetime.fromisoformat(crossing).replace(tzinfo=timezone.utc) + timedelta(days=1, hours=6, minutes=12)
    early = _budget_sns(rng, warned, MONTHLY_BUDGET, _budget_message(
        warned, MONTHLY_BUDGET, "ACTUAL", MONTHLY_LIMIT, 0.8 * MONTHLY_LIMIT, month_to_date(crossing),
        "for the current month"))
    saturday = MINING_START.strftime("%Y-%m-%d")
    forecast_at = MINING_START + timedelta(hours=21, minutes=40, seconds=7, microseconds=311000)
    forecast = month_to_date(saturday) / MINING_START.day * 30
    forecasted = _budget_sns(rng, forecast_at, MONTHLY_BUDGET, _budget_message(
        forecast_at, MONTHLY_BUDGET, "FORECASTED", MONTHLY_LIMIT, MONTHLY_LIMIT, forecast, "for the current month"))
    daily_at = MINING_START + timedelta(days=1, hours=7, minutes=45, seconds=31, microseconds=58000)
    compute = sum(cost for (day, code), cost in costs.items() if day == saturday and code in ("AmazonEC2", "AWSLambda"))
    daily = _budget_sns(rng, daily_at, DAILY_BUDGET, _budget_message(
        daily_at, DAILY_BUDGET, "ACTUAL", DAILY_LIMIT, DAILY_LIMIT, compute, "per day"))
    return [early, forecasted, daily, dict(daily)]


# ----------------------------------------------------------------------------------------------- output

def _ndjson(rows):
    return "".join(json.dumps(row, separators=(",", ":")) + "\n" for row in rows)


def files():
    """Relative path -> text of every generated file (same bytes on every run)."""
    rng = random.Random(SEED)
    out = {
        "cloudtrail/cloudtrail.ndjson": _ndjson(cloudtrail_records(rng)),
        "cloudwatch/ec2_metrics.ndjson": _ndjson(ec2_metrics(rng)),
        "cloudwatch/lambda_metrics.ndjson": _ndjson(lambda_metrics(rng)),
        "billing/cur-daily-2026-04-06.csv": cur_rows(rng),
        "notifications/cost_anomalies.ndjson": _ndjson(notifications(rng)),
    }
    out["notifications/budgets.ndjson"] = _ndjson(budget_notifications(rng, out["billing/cur-daily-2026-04-06.csv"]))
    return out


def write(out_dir):
    for relative, text in files().items():
        path = Path(out_dir) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=str(DEFAULT_OUT))
    write(parser.parse_args().out_dir)


if __name__ == "__main__":
    main()
