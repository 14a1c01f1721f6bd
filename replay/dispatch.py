"""Splunk's search scheduler under load: when each scheduled run starts, and which runs are skipped.

The rules modelled, from savedsearches.conf.spec (9.4-10.4) and the Reporting Manual's "Configure the
priority of scheduled reports" (docs/platform.md cites both):
- The scheduler runs at most `slots` scheduled searches at once (limits.conf [scheduler]
  max_searches_perc of the instance's search concurrency); other apps' searches may hold some (`busy`).
- `max_concurrent` (default 1): a search never runs more instances than that at once.
- Real-time scheduling (`realtime_schedule = 1`, the default) computes the next run from the current time
  and "might skip some execution periods": a run that cannot start within its `schedule_window` (0: its
  own minute; `auto`: modelled as half the search's period), or whose next period is already due, is
  skipped, and its time range is never searched.
- Continuous scheduling (`realtime_schedule = 0`) "never skips scheduled execution periods" but "might
  fall behind": a run waits for a slot, the runs of one search start in order, and each searches the time
  range of its scheduled time (relative times resolve against the scheduled time, not the start).
- Order among runs waiting for a slot: RTSS(highest) > CSS(highest) > RTSS(higher) > RTSS(default) >
  CSS(higher) > CSS(default) (schedule_priority), then the earlier scheduled time, then conf order.

Without a Load every run starts at its scheduled time (an idle scheduler), as the replay always did.
"""
import heapq
from dataclasses import dataclass, field

_TRUE = {"1", "true", "t", "yes", "y", "on"}
_TIER = {(True, "highest"): 0, (False, "highest"): 1, (True, "higher"): 2, (True, "default"): 3,
         (False, "higher"): 4, (False, "default"): 5}


@dataclass(frozen=True)
class Load:
    """A busy scheduler: `slots` concurrent scheduled searches, each run occupying one for
    `duration(search_name, scheduled_time)` seconds; `busy` = (from, to, slots held by other searches)."""
    slots: int
    duration: object = None
    busy: tuple = ()

    def seconds(self, name, scheduled):
        return int(self.duration(name, scheduled)) if self.duration else 60

    def held(self, now):
        return sum(slots for low, high, slots in self.busy if low <= now < high)


@dataclass
class Dispatch:
    """One scheduled run: started at `start` (None when skipped, with the reason)."""
    search: object
    scheduled: int
    order: int
    start: int | None = None
    reason: str = ""


def realtime(search):
    return str(search.settings.get("realtime_schedule", "1")).strip().lower() in _TRUE


def priority(search):
    value = str(search.settings.get("schedule_priority", "default")).strip().lower()
    return value if value in ("higher", "highest") else "default"


def max_concurrent(search):
    value = str(search.settings.get("max_concurrent", "1")).strip()
    return max(1, int(value)) if value.isdigit() else 1


def _allowance(search, period):
    """Seconds after its scheduled time a real-time-scheduled run may still start."""
    window = str(search.schedule_window).strip().lower()
    if window == "auto":
        return max(60, period // 2)
    minutes = int(window) if window.isdigit() else 0
    return minutes * 60 if minutes else 59


@dataclass
class _State:
    pending: list = field(default_factory=list)   # Dispatch items due and waiting
    running: list = field(default_factory=list)   # heap of (end, name)
    per_search: dict = field(default_factory=dict)


def dispatch(runs, load, period_of):
    """Dispatch items for `runs` ((scheduled time, conf order, search), in time order) under `load`;
    `period_of(search, t)` is the search's cron period in seconds. Started items come back in start order,
    skipped ones at the time they were given up."""
    items = [Dispatch(search, t, order) for t, order, search in runs]
    if load is None:
        for item in items:
            item.start = item.scheduled
        return items
    out, state, upcoming = [], _State(), list(items)
    upcoming.reverse()
    boundaries = sorted({b for low, high, _ in load.busy for b in (low, high)})
    now = upcoming[-1].scheduled if upcoming else 0
    while upcoming or state.pending:
        while state.running and state.running[0][0] <= now:
            _, name = heapq.heappop(state.running)
            state.per_search[name] -= 1
        while upcoming and upcoming[-1].scheduled <= now:
            state.pending.append(upcoming.pop())
        _skip_overdue(state, now, period_of, out)
        free = load.slots - len(state.running) - load.held(now)
        state.pending.sort(key=lambda i: (_TIER[(realtime(i.search), priority(i.search))], i.scheduled, i.order))
        waiting, first_waiting = [], set()
        for item in state.pending:
            name = item.search.name
            blocked = (free <= 0 or state.per_search.get(name, 0) >= max_concurrent(item.search)
                       or (not realtime(item.search) and name in first_waiting))
            if blocked:
                waiting.append(item)
                first_waiting.add(name)   # a continuous search's later runs wait behind its earlier one
                continue
            item.start = now
            heapq.heappush(state.running, (now + load.seconds(name, item.scheduled), name))
            state.per_search[name] = state.per_search.get(name, 0) + 1
            free -= 1
            out.append(item)
        state.pending = waiting
        candidates = [b for b in boundaries if b > now]
        candidates += [state.running[0][0]] if state.running else []
        candidates += [upcoming[-1].scheduled] if upcoming else []
        candidates += [i.scheduled + _allowance(i.search, period_of(i.search, i.scheduled)) + 1
                       for i in state.pending if realtime(i.search)]
        if not candidates:
            break
        now = max(now + 1, min(candidates))
    for item in state.pending:
        item.reason = "never started: the scheduler stayed full"
        out.append(item)
    return out


def _skip_overdue(state, now, period_of, out):
    """Real-time-scheduled runs past their window, or overtaken by a newer due run of the same search."""
    newest = {}
    for item in state.pending:
        if realtime(item.search):
            newest[item.search.name] = max(newest.get(item.search.name, item.scheduled), item.scheduled)
    kept = []
    for item in state.pending:
        if realtime(item.search):
            deadline = item.scheduled + _allowance(item.search, period_of(item.search, item.scheduled))
            if now > deadline:
                item.reason = "skipped: no free slot within its schedule_window (realtime_schedule = 1)"
            elif newest[item.search.name] > item.scheduled:
                item.reason = "skipped: its next period is due (realtime_schedule = 1)"
            if item.reason:
                out.append(item)
                continue
        kept.append(item)
    state.pending = kept
