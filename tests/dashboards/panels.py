"""Table-driven panel tests: each dashboard's test module maps EVERY data source id to one or more cases (tokens and
a check of the rows); a data source without a case, or a case for a data source that no longer exists, fails.
A table's display chain (studio.display_chain) is checked against its base's cases: the same rows, every shown
field under a human title."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import studio


@dataclass(frozen=True)
class Case:
    check: Callable[[list[dict]], None]
    tokens: dict = field(default_factory=dict)


def data_source_ids(dashboard: str) -> list[str]:
    return list(studio.load(dashboard)[1]["dataSources"])


# What an analyst reads as a column title: capitalised words (AWS's own "vCPUs" included), no field_name.
HUMAN_TITLE = re.compile(r"^(?:[A-Z]|vCPU)[^_]*$")


def run_cases(run_panel, dashboard: str, ds_id: str, table: dict[str, list[Case]]) -> None:
    shown = studio.display_chain(studio.load(dashboard)[1], ds_id)
    if shown:
        return check_display_chain(run_panel, dashboard, ds_id, shown, table)
    assert ds_id in table, f"{dashboard} {ds_id}: no expectation in the test module's table"
    for case in table[ds_id]:
        rows = run_panel(dashboard, ds_id, **case.tokens)
        assert rows, f"{dashboard} {ds_id} {case.tokens}: no rows"
        case.check(rows)


def assert_table_matches(dashboard: str, table: dict) -> None:
    stale = set(table) - set(data_source_ids(dashboard))
    assert not stale, f"{dashboard}: expectations for data sources that do not exist: {stale}"


def mv(value) -> list:
    """A field value as a list (null -> [], single value -> [value], multivalue as is)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def assert_capped(shown, values: list, first: int = 3) -> None:
    """A multivalue cell capped in SPL so that its row stays a few lines tall: the first `first` values in the
    search's order, then "+N more" for the rest (all of them when there are no more than `first`)."""
    values = list(values)
    expected = values if len(values) <= first else values[:first] + [f"+{len(values) - first} more"]
    assert mv(shown) == expected, (shown, values)


def recorded_detections(engine, now: float) -> dict[str, list]:
    """incident id -> the detections the Incident Correlation search recorded for it (space-separated), in order."""
    return {r["incident_id"]: r["detections"].split(" ")
            for r in engine.search("| inputlookup aws_cryptomining_incidents", now=now)}


def column(rows: list[dict], name: str) -> list:
    return [row.get(name) for row in rows]


def by(rows: list[dict], name: str) -> dict:
    """Rows keyed by one field; the field must be unique."""
    keyed = {row[name]: row for row in rows}
    assert len(keyed) == len(rows), f"{name} is not unique in {column(rows, name)}"
    return keyed


def check_display_chain(run_panel, dashboard: str, ds_id: str, shown: tuple, table: dict[str, list[Case]]) -> None:
    """The chain shows its base's rows, minus the dropped fields, each field under a human title. A dropped field is
    in the rows of one of the base's cases at least (a field only some records have, a fleet id, is in some)."""
    base, dropped, titles = shown
    assert ds_id not in table, f"{dashboard} {ds_id}: a display chain is checked against its base's cases"
    assert base in table, f"{dashboard} {ds_id}: its base {base} has no expectation"
    seen = set()
    for case in table[base]:
        base_rows = run_panel(dashboard, base, **case.tokens)
        assert base_rows, f"{dashboard} {base} {case.tokens}: no rows"
        fields = {f for row in base_rows for f in row}
        seen |= fields
        raw = sorted(f for f in fields - set(dropped) if not HUMAN_TITLE.match(titles.get(f, f)))
        assert not raw, f"{dashboard} {ds_id}: fields shown without a human title: {raw}"
        expected = [{titles.get(k, k): v for k, v in row.items() if k not in dropped} for row in base_rows]
        assert run_panel(dashboard, ds_id, **case.tokens) == expected, f"{dashboard} {ds_id} {case.tokens}"
    assert set(dropped) <= seen, f"{ds_id} drops fields its base does not have: {set(dropped) - seen}"
