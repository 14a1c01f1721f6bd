"""savedsearches.conf -> SavedSearch settings the replay honours (names and meaning per the spec).

Read with splengine.conf (the development side's one .conf reader): an app's default/ and local/ files are
layered as Splunk layers them (local/ wins key by key); a value continued with a trailing backslash keeps its
line break; settings of the [default] stanza apply to every stanza that does not set them.
"""
from dataclasses import dataclass, field

from appbuild.schema import COUNTTYPES, RELATIONS
from splengine.conf import conf_bool, read_conf, read_layered, with_defaults

from . import cron
from .timespec import seconds


class ConfError(ValueError):
    """A setting the replay cannot honour; the message names the stanza and setting."""


@dataclass
class SavedSearch:
    name: str
    search: str
    disabled: bool = False
    enable_sched: bool = False
    cron_schedule: str | None = None
    earliest: str | None = None
    latest: str | None = None
    index_earliest: str | None = None
    index_latest: str | None = None
    schedule_window: int | str = 0
    counttype: str = "always"
    relation: str | None = None
    quantity: float | None = None
    quantity_percent: bool = False
    alert_condition: str | None = None
    digest_mode: bool = True
    suppress: bool = False
    suppress_fields: tuple = ()
    suppress_period: int = 0
    track: str = "auto"
    severity: int = 3
    actions: tuple = ()
    settings: dict = field(default_factory=dict)

    @property
    def scheduled(self):
        """Runs on the scheduler: enableSched = 1, not disabled, with a cron_schedule."""
        return self.enable_sched and not self.disabled and bool(self.cron_schedule)

    @property
    def is_alert(self):
        """Recorded as an alert when triggered: tracked, has an action, or a real trigger condition."""
        return self.track == "true" or bool(self.actions) or self.counttype != "always"


def _bool(stanza, key, value):
    result = conf_bool(value)
    if result is not None:
        return result
    raise ConfError(f"[{stanza}] {key} = {value!r} is not a boolean")


def parse_saved_search(name, raw):
    """One stanza as a SavedSearch; raises ConfError for values the spec does not allow."""
    get = raw.get
    if not get("search"):
        raise ConfError(f"[{name}] has no search")
    result = SavedSearch(name=name, search=get("search"), settings=dict(raw))
    result.disabled = _bool(name, "disabled", get("disabled", "false"))
    result.enable_sched = _bool(name, "enableSched", get("enableSched", "0"))
    if get("cron_schedule"):
        try:
            result.cron_schedule = cron.validate(get("cron_schedule"))
        except cron.CronError as exc:
            raise ConfError(f"[{name}] {exc}") from None
    result.earliest = get("dispatch.earliest_time") or None
    result.latest = get("dispatch.latest_time") or None
    result.index_earliest = get("dispatch.index_earliest") or None
    result.index_latest = get("dispatch.index_latest") or None
    window = get("schedule_window", "0").strip()
    if window != "auto" and not window.isdigit():
        raise ConfError(f"[{name}] schedule_window = {window!r} is not an unsigned integer or auto")
    result.schedule_window = window if window == "auto" else int(window)
    _alert_condition(name, raw, result)
    result.digest_mode = _bool(name, "alert.digest_mode", get("alert.digest_mode", "true"))
    result.suppress = _bool(name, "alert.suppress", get("alert.suppress", "false"))
    result.suppress_fields = tuple(f.strip() for f in get("alert.suppress.fields", "").split(",") if f.strip())
    if result.suppress:
        if not get("alert.suppress.period"):
            raise ConfError(f"[{name}] alert.suppress = 1 needs alert.suppress.period")
        try:
            result.suppress_period = seconds(get("alert.suppress.period"), f"[{name}] alert.suppress.period")
        except ValueError as exc:
            raise ConfError(str(exc)) from None
        if not result.digest_mode and not result.suppress_fields:
            raise ConfError(f"[{name}] alert.suppress.fields must be set for per-result suppression "
                            "(alert.digest_mode = false)")
    track = get("alert.track", "auto").strip().lower()
    result.track = "auto" if track == "auto" else str(_bool(name, "alert.track", track)).lower()
    severity = get("alert.severity", "3").strip()
    if not severity.isdigit() or not 1 <= int(severity) <= 6:
        raise ConfError(f"[{name}] alert.severity = {severity!r} is not 1-6")
    result.severity = int(severity)
    result.actions = tuple(sorted(
        key[len("action."):] for key, value in raw.items()
        if key.startswith("action.") and key.count(".") == 1 and _bool(name, key, value)))
    return result


def _alert_condition(name, raw, result):
    counttype = raw.get("counttype", "always").strip().lower()
    if counttype not in COUNTTYPES:
        raise ConfError(f"[{name}] counttype = {counttype!r} is not one of: {', '.join(COUNTTYPES)}")
    result.counttype = counttype
    if counttype == "custom":
        if not raw.get("alert_condition"):
            raise ConfError(f"[{name}] counttype = custom needs alert_condition")
        result.alert_condition = raw["alert_condition"]
    elif counttype != "always":
        relation = raw.get("relation", "").strip().lower()
        if relation not in RELATIONS:
            raise ConfError(f"[{name}] relation = {relation!r} is not one of: {', '.join(RELATIONS)}")
        quantity = raw.get("quantity", "").strip()
        percent = quantity.endswith("%")
        try:
            result.quantity = float(quantity.rstrip("%"))
        except ValueError:
            raise ConfError(f"[{name}] quantity = {quantity!r} is not a number") from None
        if percent and relation not in ("drops by", "rises by"):
            raise ConfError(f"[{name}] quantity {quantity!r}: a percentage only goes with drops by / rises by")
        result.relation, result.quantity_percent = relation, percent


def load_saved_searches(path):
    """Every stanza of one savedsearches.conf file, in file order."""
    return [parse_saved_search(name, raw) for name, raw in with_defaults(read_conf(path)).items()]


def load_app_saved_searches(app_dir):
    """Every saved search of an app: default/savedsearches.conf overlaid with local/savedsearches.conf, in file
    order (default/'s stanzas first, then those only local/ defines)."""
    return [parse_saved_search(name, raw)
            for name, raw in with_defaults(read_layered(app_dir, "savedsearches.conf")).items()]
