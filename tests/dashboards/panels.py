"""Table-driven panel tests: each dashboard's test module maps EVERY data source id to one or more cases (tokens and
a check of the rows); a data source without a case, or a case for a data source that no longer exists, fails."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import studio


@dataclass(frozen=True)
class Case:
    check: Callable[[list[dict]], None]
    tokens: dict = field(default_factory=dict)


def data_source_ids(dashboard: str) -> list[str]:
    return list(studio.load(dashboard)[1]["dataSources"])


def run_cases(run_panel, dashboard: str, ds_id: str, table: dict[str, list[Case]]) -> None:
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


def column(rows: list[dict], name: str) -> list:
    return [row.get(name) for row in rows]


def by(rows: list[dict], name: str) -> dict:
    """Rows keyed by one field; the field must be unique."""
    keyed = {row[name]: row for row in rows}
    assert len(keyed) == len(rows), f"{name} is not unique in {column(rows, name)}"
    return keyed
