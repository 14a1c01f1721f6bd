"""Baseline health: the KV store baselines built by the app's support searches from September's history, and the
scheduler's records of the app's searches."""
import pytest

from . import truth as t
from .panels import Case, assert_table_matches, by, column, data_source_ids, run_cases

D = "aws_cryptomining_baseline_health"
UPDATE = "AWS Cryptomining - Baseline - Launch Entities - Update"
ENTITIES = {"region": len(t.BENIGN["regions"]), "ami": len(t.BENIGN["amis"]),
            "instance_type": len(t.BENIGN["instance_types"]), "principal": len(t.BENIGN["principals"])}
BEFORE_ANY_RUN = {"earliest": t.BENIGN_END - 86400, "latest": t.BENIGN_END}  # the day before the campaign


def input_accounts(rows):
    assert column(rows, "account") == [t.ACCOUNT]


def lookup_sizes(rows):
    sizes = by(rows, "collection")
    launch = sizes["aws_cryptomining_launch_baseline"]
    assert (launch["entries"], launch["accounts"]) == (sum(ENTITIES.values()), 1)
    assert launch["oldest_entry"].startswith("2026-09-01") and launch["newest_entry"].startswith("2026-09-30")
    volume = sizes["aws_cryptomining_launch_volume_baseline"]
    assert volume["entries"] == len(t.BENIGN["principals"])  # one hourly profile per launching principal
    assert sizes["aws_cryptomining_allowlist"]["entries"] == 0  # empty collections still get a row


def entities(rows):
    assert {r["entity_type"]: r["entries"] for r in rows} == ENTITIES
    assert {r["launches"] for r in rows} == {t.BENIGN["run_instances_events"]}


def readiness(rows):
    (row,) = rows
    assert (row["account"], row["status"], row["warmup_days"]) == (t.ACCOUNT, "ready", 7)
    assert 29 <= row["baseline_days"] <= 31
    assert (row["regions"], row["amis"], row["instance_types"], row["principals"]) == (
        ENTITIES["region"], ENTITIES["ami"], ENTITIES["instance_type"], ENTITIES["principal"])


def readiness_warming_up(rows):
    (row,) = rows
    assert row["status"] == "warming up" and row["baseline_days"] < 7


def support_runs(rows):
    runs = t.scheduler_runs()
    names = {name for name, _ in runs}
    assert set(column(rows, "savedsearch_name")) == names
    for row in rows:
        name = row["savedsearch_name"]
        assert row["successful"] == runs[(name, "success")] and row["skipped"] == runs[(name, "skipped")]
        assert row["kind"] == ("support" if name.startswith("AWS Cryptomining - Baseline - ") else "detection")
    update = by(rows, "savedsearch_name")[UPDATE]
    assert (update["last_success"], update["last_status"]) == ("2026-10-01T04:00:02Z", "success")
    assert "concurrent historical scheduled searches" in update["skip_reasons"]


def last_update(rows):
    assert rows == [{"hours_since_update": 21.0}]  # 04:00:02 to NOW (2026-10-02T01:00Z)


def never_updated(rows):
    assert rows == [{"hours_since_update": -1}]


def skipped_over_time(rows):
    assert sum(r.get(UPDATE, 0) for r in rows) == t.scheduler_runs()[(UPDATE, "skipped")]
    (when,) = [t.iso(r["_time"]) for r in rows if r.get(UPDATE)]
    assert when == "2026-10-01T03:00:00Z"


EXPECT = {
    "ds_input_accounts": [Case(input_accounts)],
    "ds_lookup_sizes": [Case(lookup_sizes), Case(lookup_sizes, {"account": t.ACCOUNT})],
    "ds_entities": [Case(entities)],
    "ds_readiness": [Case(readiness), Case(readiness_warming_up, {"now": t.BENIGN_START + 3 * 86400})],
    "ds_support_runs": [Case(support_runs)],
    "ds_last_update": [Case(last_update), Case(never_updated, BEFORE_ANY_RUN)],
    "ds_skipped_over_time": [Case(skipped_over_time)],
}


@pytest.mark.parametrize("ds_id", data_source_ids(D))
def test_panel(run_panel, ds_id):
    run_cases(run_panel, D, ds_id, EXPECT)


def test_expectations_name_existing_data_sources():
    assert_table_matches(D, EXPECT)
