"""Identify a process by pid *and* start time, so a recycled pid is never mistaken for the original owner.

Spool temporary files carry their writer's identity in their name; a file whose writer is gone is debris
of a crash and is removed by the next run.
"""
import os


def start_time(pid):
    """The process's start time in clock ticks since boot (Linux /proc), or None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()  # the command name may contain spaces and parentheses
    try:
        return int(fields[19])  # field 22 of proc(5); fields[0] is field 3
    except (IndexError, ValueError):
        return None


def identity(pid=None):
    """`<pid>-<start time>` of this (or the given) process."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}-{start_time(pid) or 0}"


def alive(ident):
    """True when the process named by an identity() string still runs (same pid, same start time)."""
    pid_text, _, started_text = ident.partition("-")
    try:
        pid, started = int(pid_text), int(started_text)
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    current = start_time(pid)
    return current is None or started == 0 or current == started
