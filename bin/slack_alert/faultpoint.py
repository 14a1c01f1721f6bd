"""Named points in delivery and spooling where the fault-injection tests kill the action with SIGKILL.

`CRYPTOMINING_SLACK_KILL_AT=<point>` or `<point>:<n>` (the n-th time it is reached; test-only, like CRYPTOMINING_SLACK_API_URL: an alert cannot set the
action's environment) makes the process kill itself the moment it reaches that point, exactly as a
`maxtime` kill, an OOM kill or a host crash would. tests/slack/test_crash.py kills at every point and proves
that the next run of the resend search loses nothing and sends nothing twice.
"""
import os
import signal

ENV = "CRYPTOMINING_SLACK_KILL_AT"
POINTS = (
    "spool_write",     # a spool file's temporary copy is written and synced, not yet renamed into place
    "spooled",         # the new alert is persisted in pending/, no attempt made yet
    "attempt",         # the attempt is recorded in the entry; the request is about to leave
    "backoff",         # an attempt failed; sleeping before the next one
    "accepted",        # Slack accepted the message; the ledger does not know it yet
    "ledger_written",  # the ledger has the key; the pending file is not yet removed
    "flush_locked",    # the flusher holds flush.lock and has not sent anything yet
)


_COUNTS = {}


def reached(point):
    """Kill this process with SIGKILL when the test environment names `point` (and this is its n-th time)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _COUNTS[point] = _COUNTS.get(point, 0) + 1
    if _COUNTS[point] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
