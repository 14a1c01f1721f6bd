"""Trigger conditions, digest vs per-result alerts, and suppression (throttling) of one search.

- counttype "number of events" compares the number of result rows (what a scheduled search's
  alert counts), "number of hosts"/"number of sources" the distinct `host`/`source` values in the
  results, "custom" runs `alert_condition` over the results (non-empty -> trigger), "always" always
  triggers (a per-result alert with no rows therefore sends nothing).
- relation "drops by"/"rises by" compare with the count of the previous run of the same search
  (no previous run -> no trigger); a `N%` quantity is relative to that previous count; the change
  must be at least the quantity.
- Suppression, once triggered, lasts `alert.suppress.period` seconds from the trigger time. With
  suppression fields, each result's combination of those fields is suppressed on its own (results
  whose combination is suppressed are removed before the condition is evaluated); without fields
  (digest mode) the whole alert is suppressed.
"""
from dataclasses import dataclass, field


@dataclass
class Alert:
    """One triggered alert: digest -> all rows in one alert; per-result -> one row."""

    search_name: str
    trigger_time: int
    results: list
    actions: tuple
    severity: int
    digest: bool


@dataclass
class AlertState:
    """Per-search memory across runs: previous count and suppression expiries."""

    previous_count: int | None = None
    suppressed_until: dict = field(default_factory=dict)


def count_of(search, results):
    if search.counttype == "number of hosts":
        return len({row.get("host") for row in results if row.get("host") is not None})
    if search.counttype == "number of sources":
        return len({row.get("source") for row in results if row.get("source") is not None})
    return len(results)


def relation_holds(search, count, previous):
    quantity, relation = search.quantity, search.relation
    if relation in ("drops by", "rises by"):
        if previous is None:
            return False
        change = previous - count if relation == "drops by" else count - previous
        if search.quantity_percent:
            return previous > 0 and change * 100.0 / previous >= quantity
        return change >= quantity
    return {"greater than": count > quantity, "less than": count < quantity,
            "equal to": count == quantity, "not equal to": count != quantity}[relation]


def _key(search, row):
    return tuple(_hashable(row.get(name)) for name in search.suppress_fields)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def evaluate(search, results, run_time, state, custom_condition=None):
    """Alerts this run triggers (possibly none); updates `state`.

    `custom_condition(results) -> list` runs alert_condition through the engine for counttype custom.
    """
    previous, state.previous_count = state.previous_count, None
    now_suppressed = {key for key, until in state.suppressed_until.items() if run_time < until}
    state.suppressed_until = {key: until for key, until in state.suppressed_until.items() if run_time < until}
    if search.suppress and not search.suppress_fields and () in now_suppressed:
        state.previous_count = count_of(search, results)
        return []
    if search.suppress and search.suppress_fields:
        results = [row for row in results if _key(search, row) not in now_suppressed]
    count = count_of(search, results)
    state.previous_count = count
    if search.counttype == "custom":
        triggered = bool(custom_condition(results))
    elif search.counttype == "always":
        triggered = True
    else:
        triggered = relation_holds(search, count, previous)
    if not triggered:
        return []
    if search.digest_mode:
        alerts = [Alert(search.name, run_time, list(results), search.actions, search.severity, True)]
    else:
        alerts, seen = [], set()
        for row in results:
            key = _key(search, row) if search.suppress else None
            if key is not None and key in seen:
                continue  # the first result with these values triggers and suppresses the others
            seen.add(key)
            alerts.append(Alert(search.name, run_time, [row], search.actions, search.severity, False))
    if search.suppress and alerts:
        until = run_time + search.suppress_period
        if search.suppress_fields:
            for row in results:
                state.suppressed_until[_key(search, row)] = until
        else:
            state.suppressed_until[()] = until
    return alerts
