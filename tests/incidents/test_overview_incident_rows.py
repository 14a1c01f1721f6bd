"""The overview's incidents table (ds_incidents) over incidents the correlation search made, one of each subject: a
row's summary is the title without what its Access key, Principals and Account columns show, so that a principal's
name reads whole in its own cell instead of breaking inside the title (issue 19)."""
import json
import re

from correlation import ACCOUNT, HOUR, ROOT, Correlation

T0 = 1_790_000_100
KEY, KEY_2 = "AKIAAAAAAAAAAAAAAAAA", "AKIABBBBBBBBBBBBBBBB"
OTHER = "444455556666"
VIEW = ROOT / "default" / "data" / "ui" / "views" / "aws_cryptomining_overview.xml"


def overview_incidents(corr, now):
    definition = re.search(r"<definition><!\[CDATA\[(.*?)\]\]></definition>", VIEW.read_text(encoding="utf-8"), re.S)
    spl = json.loads(definition.group(1))["dataSources"]["ds_incidents"]["options"]["query"]
    return corr.engine.search(spl.replace("$account$", "*"), now=now)


def test_each_subject_of_a_title_is_left_to_the_rows_columns(tmp_path):
    corr = Correlation(tmp_path)
    corr.record("large_gpu_launch", T0, key=KEY, principal="svc-backup-uploader", instances="i-0a1")
    corr.record("unseen_region", T0, key=KEY, principal="ci-deploy", instances="i-0a2", regions="sa-east-1")
    corr.record("large_gpu_launch", T0, key=KEY_2, principal="dev", instances="i-0e1")
    corr.record("large_gpu_launch", T0, key=KEY_2, principal="dev", instances="i-0e2", account=OTHER)
    corr.record("large_gpu_launch", T0, principal="build-runner", instances="i-0b1")
    corr.record("mining_pool_dns", T0, instances="i-0c1", tactics="command-and-control")
    corr.record("telemetry_tampering", T0, account=OTHER, severity="critical", tactics="defense-evasion")
    corr.run(T0 + 300)
    corr.run(T0 + HOUR)   # the lone instance becomes an incident after the link delay
    shown = {row["title"]: (row["summary"], row.get("principals"), row["account"])
             for row in overview_incidents(corr, T0 + HOUR)}
    assert shown == {
        f"Access key {KEY} (ci-deploy, svc-backup-uploader) in account {ACCOUNT}: 2 detections, 2 instances in 2 "
        "regions": ("2 detections, 2 instances in 2 regions", ["ci-deploy", "svc-backup-uploader"], ACCOUNT),
        # two accounts, one Account cell: the title stays whole
        f"Access key {KEY_2} (dev) in account {ACCOUNT}, {OTHER}: 1 detection, 2 instances in 1 region": (
            f"Access key {KEY_2} (dev) in account {ACCOUNT}, {OTHER}: 1 detection, 2 instances in 1 region", "dev",
            ACCOUNT),
        f"Principal build-runner in account {ACCOUNT}: 1 detection, 1 instance in 1 region": (
            "1 detection, 1 instance in 1 region", "build-runner", ACCOUNT),
        f"Instance i-0c1 in account {ACCOUNT}: 1 detection, 1 instance in 1 region": (
            "Instance i-0c1: 1 detection, 1 instance in 1 region", None, ACCOUNT),
        f"Account in account {OTHER}: 1 detection, 0 instances in 1 region": (
            "1 detection, 0 instances in 1 region", None, OTHER),
    }
