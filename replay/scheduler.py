"""Replay of an app's schedule: every enabled scheduled search at each of its cron times.

A run at scheduled time t gets `now() = t`, its dispatch window (dispatch.earliest_time /
latest_time / index_earliest / index_latest, resolved by the engine relative to t) and sees only
events already indexed at t (`_indextime <= t`). Runs happen in time order; at the same minute, in
savedsearches.conf order. Lookups live in a scratch directory handed to the engine, so a run's
`outputlookup` is seen by the next run and the app's own lookups are never written.

Optional warm start: with `baseline_days`, the replay begins `baseline_days` after the first event
("install time"); the initial-build searches run once there over [first event, install time), as an
admin does after installing, then the schedule takes over. Initial-build searches are the
non-scheduled stanzas whose name contains "Initial" (override with `initial_searches`).

Idle stretches (`skip_idle`, default on): what a search reads, writes and how far back it looks comes from its
compiled plan (`Plan.footprint`, splengine/footprint.py), never from its text. A search whose main pipeline
starts by retrieving events has a window reaching back at most L seconds from its run time t (its inline time
modifiers, else its dispatch window: the tighter of the event-time and index-time earliest bounds, as an event
indexed at i has _time <= i and both bounds must admit it). A run can only see an event indexed at i if
i <= t <= i + L, so outside the union of those intervals (over the events its main base search may match: the
store's narrowing by its literal terms on index, sourcetype, eventSource and eventName, which never drops a
match) every run of it reads zero events. Such runs are skipped, except the first one after each active stretch,
which runs. Subsearches and appended pipelines with wider windows of their own only qualify the main window's
rows (true of every shipped search; a skipped run that would have returned rows is reported as a warning).
Searches that rewrite a lookup (outputlookup without append) are never skipped: an update over an empty
window still rewrites its lookup (forgetting entries past their window, for instance); appending writes
(the detections' findings) add nothing over an empty window and do not count. Generating searches
(`| inputlookup`, `| makeresults`) and all-time windows act on what the event-driven searches leave
(lookups), so they run while any event-driven search is active, plus their first run after. A replay of data
spanning years thus costs in proportion to its busy days; `skip_idle=False` (hunt.py --run-idle) runs every
scheduled time.
"""
import heapq
import re
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from splengine import Engine
from splengine.errors import SplError
from splengine.timemod import parse_time_modifier

from . import cron
from .alerting import AlertState, evaluate
from .dispatch import dispatch
from .savedsearches import load_app_saved_searches, load_saved_searches
from .store import EventStore

_INITIAL = re.compile(r"\binitial\b", re.IGNORECASE)


@dataclass
class RunRecord:
    search_name: str
    run_time: int
    result_count: int
    alerts: int = 0
    error: str | None = None


@dataclass
class ReplayResult:
    alerts: list = field(default_factory=list)
    runs: list = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    idle_seconds: dict = field(default_factory=dict)   # search name -> seconds of schedule skipped as idle
    sent_alerts: list = field(default_factory=list)    # (search name, run time, sendalert record), not executed
    warnings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)        # (search name, scheduled time, reason) under a Load
    cpu: dict = field(default_factory=dict)            # phase -> CPU seconds (this process and its children)

    @property
    def errors(self):
        return [run for run in self.runs if run.error]


def cpu_seconds():
    """CPU seconds of this process and of its waited-for children (the custom commands' processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class _Laps:
    """Records the CPU seconds spent since the previous lap under a phase's name."""

    def __init__(self, into):
        self.into, self.last = into, cpu_seconds()

    def __call__(self, phase):
        now = cpu_seconds()
        self.into[phase], self.last = now - self.last, now


def _minute_floor(t):
    return int(t) - int(t) % 60


class Replay:
    """Replays the saved searches of `app_dir` (or of `conf_path`) over a set of events."""

    def __init__(self, app_dir, events, *, conf_path=None, lag=None, tz="UTC", engine_factory=None,
                 initial_searches=None, progress=None, skip_idle=True, geoip_db=None, load=None):
        from pathlib import Path
        self.app_dir = Path(app_dir)
        self.searches = load_saved_searches(conf_path) if conf_path else load_app_saved_searches(self.app_dir)
        self.store = events if isinstance(events, EventStore) else EventStore(events, lag)
        self.tz = tz
        self.tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.engine_factory = engine_factory or _engine_with(geoip_db)
        self.initial_names = initial_searches
        self.progress = progress
        self.skip_idle = skip_idle
        self.load = load   # replay.dispatch.Load: a busy scheduler (None: every run starts on time)

    def initial_builds(self):
        if self.initial_names is not None:
            wanted = set(self.initial_names)
            missing = wanted - {s.name for s in self.searches}
            if missing:
                raise ValueError(f"initial search(es) not in savedsearches.conf: {', '.join(sorted(missing))}")
            return [s for s in self.searches if s.name in wanted]
        return [s for s in self.searches if not s.scheduled and not s.disabled and _INITIAL.search(s.name)]

    def schedule(self, start, end, active=None):
        """(time, order, search) of every scheduled run with start <= time <= end, in run order; with
        `active` (search name -> list of (from, to) intervals), only runs inside those intervals."""
        def runs(order, search):
            spans = active[search.name] if active and search.name in active else [(start, end)]
            for low, high in spans:
                for t in cron.run_times(search.cron_schedule, max(low, start), min(high, end), self.tzinfo):
                    yield t, order, search

        streams = [runs(order, search) for order, search in enumerate(self.searches) if search.scheduled]
        return heapq.merge(*streams, key=lambda item: (item[0], item[1]))

    def active_intervals(self, engine, start, end):
        """(search name -> merged [i, i + lookback + one period] intervals over the events' index times, for
        the searches whose idle runs can be skipped; names of the event-driven ones). See the module docstring."""
        event_driven = []
        active, others = {}, []
        for search in self.searches:
            footprint = _footprint(engine, search) if search.scheduled else None
            if footprint is None or _rewrites(footprint):
                continue   # a run that writes a lookup changes state even over an empty window: never skipped
            lookback = _lookback(footprint, search, start, self.tzinfo)
            if lookback is None:
                others.append(search)
                continue
            event_driven.append(search.name)
            tail = lookback + cron.period_seconds(search.cron_schedule, start, self.tzinfo) + 60
            times = self.store.index_times(_main_filter(footprint))
            active[search.name] = _merge_sorted(times, tail)
        if active:
            # Searches that read no event window (inputlookup, makeresults, sendalert) act on what the
            # event-driven ones left: they run while any of those is active, plus their first run after.
            busy = _merge(span for spans in active.values() for span in spans)
            for search in others:
                period = cron.period_seconds(search.cron_schedule, start, self.tzinfo) + 60
                active[search.name] = _merge((low, high + period) for low, high in busy)
        return active, event_driven

    def default_end(self):
        """Late enough for every search to run once after the last event is indexed."""
        last = int(self.store.last_indextime)
        periods = [cron.period_seconds(s.cron_schedule, last, self.tzinfo) for s in self.searches if s.scheduled]
        return last + max(periods, default=0) + 60

    def run(self, since=None, until=None, baseline_days=None):
        first, _ = self.store.time_span
        if first is None:
            return ReplayResult()
        data_start = _minute_floor(since if since is not None else first)
        start = data_start + int(baseline_days * 86400) if baseline_days else data_start
        end = int(until) if until is not None else self.default_end()
        result = ReplayResult(start=start, end=end)
        scratch = tempfile.mkdtemp(prefix="replay-lookups-")
        try:
            lap = _Laps(result.cpu)
            engine = self.engine_factory(self.app_dir, scratch, self.tz)
            states = {}
            if baseline_days:
                for search in self.initial_builds():
                    self._run_one(engine, search, start, states, result, earliest=data_start, latest=start)
            lap("initial builds")
            active, event_driven = self.active_intervals(engine, start, end) if self.skip_idle else ({}, [])
            lap("idle set-up")
            for name, spans in active.items():
                covered = sum(max(0, min(high, end) - max(low, start)) for low, high in spans)
                result.idle_seconds[name] = max(0, end - start - covered)
            event_driven = set(event_driven)
            done = 0
            plan = dispatch(self.schedule(start, end, active), self.load, self._period)
            for done, item in enumerate(plan, 1):
                search, t = item.search, item.scheduled
                if item.start is None:
                    result.skipped.append((search.name, t, item.reason))
                    continue
                self._run_one(engine, search, t, states, result, started=item.start)
                if search.name in event_driven and result.runs[-1].result_count and self._window_empty(search, t, engine):
                    event_driven.discard(search.name)   # warn once per search
                    result.warnings.append(
                        f"'{search.name}' returned {result.runs[-1].result_count} row(s) at {t} over a window "
                        "holding no event: its skipped idle runs may have returned rows too; replay with "
                        "--run-idle for every run")
                if self.progress and done % 50 == 0:   # often enough for a smooth bar on small replays
                    self.progress(done, t, end)
            if self.progress:
                self.progress(done, end, end)
            lap("runs")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return result

    def _window_empty(self, search, t, engine):
        """Does the run's dispatch window (resolved at t) hold no event visible at t that its main base search
        may match (the events whose index times made it active)?"""
        def at(bound):
            return None if bound in (None, "") else parse_time_modifier(str(bound), t, self.tzinfo)
        window = self.store.select(at(search.earliest), at(search.latest), at(search.index_earliest),
                                   at(search.index_latest), visible_at=t,
                                   terms=_main_filter(_footprint(engine, search)))
        return next(iter(window), None) is None

    def _period(self, search, t):
        return cron.period_seconds(search.cron_schedule, t, self.tzinfo)

    def _run_one(self, engine, search, t, states, result, earliest=None, latest=None, started=None):
        """Run at scheduled time t (its `now`); a delayed run sees what is indexed by its start."""
        view = self.store.view(started if started is not None else t)
        try:
            rows = engine.search(search.search, events=view, now=t,
                                 earliest=earliest if earliest is not None else search.earliest,
                                 latest=latest if latest is not None else search.latest,
                                 index_earliest=search.index_earliest, index_latest=search.index_latest)
        except SplError as exc:
            result.runs.append(RunRecord(search.name, t, 0, error=str(exc)))
            return
        record = RunRecord(search.name, t, len(rows))
        result.runs.append(record)
        result.sent_alerts.extend((search.name, t, invocation) for invocation in rows.sent_alerts)
        if not search.is_alert:
            return
        state = states.setdefault(search.name, AlertState())

        def custom(results):
            return engine.search(search.alert_condition, events=results, now=t)

        try:
            alerts = evaluate(search, rows, t, state, custom_condition=custom)
        except SplError as exc:
            record.error = f"alert_condition: {exc}"
            return
        record.alerts = len(alerts)
        result.alerts.extend(alerts)


def _merge_sorted(times, tail):
    """_merge of the spans (i, i + tail) for ascending index times i, streamed: nothing kept per event."""
    merged = []
    for indexed in times:
        if merged and indexed <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], indexed + tail)
        else:
            merged.append([indexed, indexed + tail])
    return [(int(low), int(high)) for low, high in merged]


def _merge(spans):
    """Sorted, merged (low, high) intervals."""
    merged = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(int(low), int(high)) for low, high in merged]


def _footprint(engine, search):
    """The compiled search's Footprint (splengine/footprint.py), or None for SPL that does not compile (its runs
    report the error, and are never skipped)."""
    try:
        return engine.compile(search.search).footprint
    except SplError:
        return None


def _main_filter(footprint):
    """The search tree of the main pipeline's base search (what its runs' events must match)."""
    return next(tree for (_, main), tree in zip(footprint.retrievals, footprint.filters) if main)


def _rewrites(footprint):
    """Does a run change state even over zero rows? A lookup written in replace mode does (an update over an
    empty window still rewrites its lookup, e.g. forgets old entries); appending (`outputlookup append=true`,
    the detections' findings) adds rows only. `sendalert` is not counted: the replay never executes alert
    actions, so skipping an idle one changes nothing replayed. Uncompilable SPL counts as a write."""
    return footprint is None or any(not write.append for write in footprint.writes)


def _lookback(footprint, search, around, tzinfo):
    """Longest reach back (seconds) of the window of the search's main base search (the plan's lookback: its
    inline time modifiers, else the dispatch window; subsearches and appended pipelines only qualify the
    main window's rows), or None when its idle runs must not be skipped: its main pipeline does not start by
    retrieving events, it has no earliest bound, or a bound is not a time modifier (`rt-5m`)."""
    if not any(main for _, main in footprint.retrievals):
        return None
    reach = 0
    for step in range(0, 400 * 86400, 86400 * 7 + 3607):   # snapping (@w, @mon) varies the reach
        try:
            back = footprint.lookback(search.earliest, search.index_earliest, around + step, tzinfo, main_only=True)
        except SplError:
            return None
        if back is None:
            return None
        reach = max(reach, back)
    return int(reach) + 60


def _engine_with(geoip_db):
    """Engine factory; `geoip_db` is the City database of `iplocation` (None: SPLENGINE_GEOIP_DB)."""
    def factory(app_dir, scratch, tz):
        return Engine(app_dir, scratch, tz=tz, geoip_db=geoip_db)
    return factory
