"""The schema of savedsearches/*.yml, `tests:` included, and the savedsearches.conf enums the build and the
replay share.

One dataclass per YAML mapping, in the spirit of contentctl's models: a field is an allowed key, a field
without a default a required one, its type the allowed values (``Literal`` for enums). ``load(data, origin)``
checks a file's mapping against it and raises SavedSearchError naming the file and the key path (e.g.
``tests[0].expect.alert``) for an unknown or misspelled key, a missing key or a wrong type. Rules that join
several keys (a detection needs an alert and an rba block...) are in ``SavedSearchSource.rules``.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Literal, Union

# savedsearches.conf.spec: counttype and relation values (the build writes them, the replay reads them)
CountType = Literal["number of events", "number of hosts", "number of sources", "always", "custom"]
Relation = Literal["greater than", "less than", "equal to", "not equal to", "drops by", "rises by"]
COUNTTYPES = typing.get_args(CountType)
RELATIONS = typing.get_args(Relation)
Kind = Literal["detection", "correlation", "baseline", "status", "report"]
Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITY_LEVELS = {"info": 2, "low": 3, "medium": 4, "high": 5, "critical": 6}   # alert.severity numbers
RiskObjectType = Literal["user", "system", "other"]   # Enterprise Security risk object types
Scalar = Union[str, int, float, bool]


class SavedSearchError(ValueError):
    """A savedsearches/*.yml file does not follow the schema; the message starts with the file name."""


@dataclass
class Condition:
    type: CountType
    relation: Relation | None = None
    quantity: int | None = None
    search: str | None = None            # counttype custom: alert_condition


@dataclass
class Suppress:
    period: str
    fields: list[str] = field(default_factory=list)


@dataclass
class Alert:
    condition: Condition
    severity: Severity
    digest: bool = True
    suppress: Suppress | None = None
    expires: str | None = None
    track: bool = True


@dataclass
class Schedule:
    enabled: bool = False
    cron: str | None = None
    earliest: str | None = None
    latest: str | None = None
    index_earliest: str | None = None
    index_latest: str | None = None
    window: str | int | None = None
    realtime: bool = False


@dataclass
class Action:
    enabled: bool = False
    params: dict[str, Scalar] = field(default_factory=dict)


@dataclass
class RiskObject:
    field: str
    type: RiskObjectType
    score: int


@dataclass
class ThreatObject:
    field: str
    type: str


@dataclass
class Rba:
    message: str
    risk_objects: list[RiskObject]
    threat_objects: list[ThreatObject] = field(default_factory=list)


@dataclass
class Annotations:
    """Enterprise Security's correlation-search annotations (ESCU's keys)."""
    mitre_attack: list[str] = field(default_factory=list)
    nist: list[str] = field(default_factory=list)
    cis20: list[str] = field(default_factory=list)
    kill_chain_phases: list[str] = field(default_factory=list)
    analytic_story: list[str] = field(default_factory=list)


@dataclass
class Drilldown:
    name: str
    search: str


@dataclass
class Expect:
    """What one replay scenario must produce for this search (tests/detections/test_savedsearch_scenarios.py)."""
    alerts: int | None = None                          # exact number of alerts
    key: list[str] = field(default_factory=list)       # fields naming an alert row in messages and `values`
    values: list[str] = field(default_factory=list)    # every alert row's key, each listed once
    not_before: str | None = None                      # no alert before this UTC time (YYYY-MM-DDTHH:MM:SSZ)
    rows: list[dict[str, Scalar]] = field(default_factory=list)   # rows that must be among the alert rows
    sum: dict[str, Union[int, float]] = field(default_factory=dict)  # sums of a field over the alert rows


@dataclass
class Scenario:
    name: str
    data: list[str]                  # repository-relative files or folders replayed together
    expect: Expect
    baseline_days: int | None = None


@dataclass
class SavedSearchSource:
    name: str
    id: str
    kind: Kind
    description: str
    search: str
    disabled: bool = False
    schedule: Schedule | None = None
    alert: Alert | None = None
    actions: dict[str, Action] = field(default_factory=dict)
    dispatch: dict[str, Scalar] = field(default_factory=dict)
    annotations: Annotations | None = None
    how_to_implement: str | None = None
    known_false_positives: str | None = None
    drilldown: Drilldown | None = None
    data_sources: list[str] = field(default_factory=list)
    rba: Rba | None = None
    tests: list[Scenario] = field(default_factory=list)

    def rules(self):
        """Problems the types alone cannot express, as messages (empty when the source is valid)."""
        out = []
        for key in ("name", "id", "description", "search"):
            if not getattr(self, key).strip():
                out.append(f"'{key}' is required (string)")
        if any(c in self.name for c in "[]\n"):
            out.append("'name' may not contain brackets or newlines")
        if self.schedule and self.schedule.enabled and not self.schedule.cron:
            out.append("'schedule.cron' is required when scheduled")
        if self.schedule and self.schedule.realtime and self.schedule.index_earliest is not None:
            out.append("schedule.realtime: a search reading an index-time window must be continuously scheduled: "
                       "under load real-time scheduling skips runs and their windows are never searched "
                       "(docs/platform.md)")
        if self.alert:
            condition = self.alert.condition
            if condition.type == "custom" and condition.search is None:
                out.append("custom alert condition needs 'search'")
            if condition.type not in ("custom", "always"):
                if condition.relation is None:
                    out.append(f"'alert.condition.relation' must be one of {RELATIONS}")
                if condition.quantity is None:
                    out.append("'alert.condition.quantity' must be an integer")
        if self.kind == "correlation" and self.alert is None:
            out.append("a correlation search needs an 'alert' section")
        if self.kind == "detection":
            out += self._detection_rules()
        for i, test in enumerate(self.tests):
            if test.expect.values and not test.expect.key:
                out.append(f"tests[{i}].expect.values needs expect.key")
            if test.expect.alerts is None and not test.expect.values:
                out.append(f"tests[{i}].expect needs 'alerts' or 'values' (an exact expectation)")
        return out

    def _detection_rules(self):
        out = []
        if self.alert is None:
            out.append("a detection needs an 'alert' section")
        if not (self.annotations and self.annotations.mitre_attack):
            out.append("a detection needs annotations.mitre_attack ids")
        elif len(set(self.annotations.mitre_attack)) != len(self.annotations.mitre_attack):
            out.append("annotations.mitre_attack lists an id twice")
        for key in ("how_to_implement", "known_false_positives"):
            if getattr(self, key) is None:
                out.append(f"a detection needs '{key}'")
        if self.rba is None:
            out.append("a detection needs 'rba.message'")
        elif not self.rba.risk_objects:
            out.append("a detection needs 'rba.risk_objects'")
        else:
            for i, obj in enumerate(self.rba.risk_objects):
                if not 0 < obj.score <= 100:
                    out.append(f"rba.risk_objects[{i}].score must be an integer 1-100")
        return out


def load(data, origin: str) -> SavedSearchSource:
    """``data`` (a file's parsed YAML) as a SavedSearchSource; SavedSearchError names ``origin`` and the key."""
    try:
        source = _convert(SavedSearchSource, data, "")
    except _Invalid as exc:
        raise SavedSearchError(f"{origin}: {exc}") from None
    problems = source.rules()
    if problems:
        raise SavedSearchError(f"{origin}: {problems[0]}")
    return source


class _Invalid(Exception):
    def __init__(self, where, message):
        super().__init__(f"{where or 'the file'} {message}")


class _Raised(_Invalid):
    """An option's own error, passed on unchanged (a union with a single non-null option)."""

    def __init__(self, message):
        Exception.__init__(self, message)


def _convert(tp, value, where):
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, value, where)
    if origin is Literal:
        if value not in args:
            raise _Invalid(where, f"must be one of {args}, got {value!r}")
        return value
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for option in (a for a in args if a is not type(None)):
            try:
                return _convert(option, value, where)
            except _Invalid as exc:
                errors.append(str(exc))
        if len(errors) == 1:
            raise _Raised(errors[0])
        raise _Invalid(where, f"must be {_describe(tp)}, got {value!r}")
    if origin is list:
        if not isinstance(value, list):
            raise _Invalid(where, f"must be a list, got {value!r}")
        return [_convert(args[0], item, f"{where}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise _Invalid(where, f"must be a mapping, got {value!r}")
        return {_convert(args[0], k, where): _convert(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if tp is float and type(value) in (int, float) or type(value) is tp:   # bool is no int here
        return value
    raise _Invalid(where, f"must be {_describe(tp)}, got {value!r}")


def _dataclass(cls, value, where):
    if not isinstance(value, dict):
        raise _Invalid(where, f"must be a mapping, got {value!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    prefix = f"{where}." if where else ""
    unknown = sorted(set(value) - set(fields), key=str)
    if unknown:
        raise _Invalid(where, f"has unknown key {unknown[0]!r} (allowed: {', '.join(fields)})")
    kwargs = {}
    for name, spec in fields.items():
        if name in value:
            kwargs[name] = _convert(hints[name], value[name], prefix + name)
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise _Invalid(where, f"lacks the required key '{name}'")
    return cls(**kwargs)


def _describe(tp):
    if typing.get_origin(tp) in (Union, types.UnionType):
        return " or ".join(_describe(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) is Literal:
        return f"one of {typing.get_args(tp)}"
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false",
            type(None): "empty"}.get(tp, getattr(tp, "__name__", str(tp)))
