"""Write-ahead spool of alerts, dead letters, and the ledger that prevents duplicates.

Every alert is written here (atomically, fsync'd) *before* the first delivery attempt and removed only after
its key is in the ledger, so a crash, a `maxtime` kill or an OOM kill at any moment leaves it queued.

Layout under $SPLUNK_HOME/var/run/splunk/aws_cryptomining/slack_spool/ (outside etc/apps, so app
upgrades and search-head-cluster replication never touch it):
  pending/<ns-timestamp>-<key>.json   alerts not delivered yet, oldest first
  dead/<ns-timestamp>-<key>.json      alerts Slack refused permanently (kept for an admin, never resent)
  tmp/<name>.<pid>-<start>.tmp        a spool file being written; debris of a crash is removed by the next run
  sent.keys                           idempotency keys of delivered alerts (bounded)
  flush.lock                          flock'ed by the one flusher; the kernel releases it when that process dies
Entries hold the credential *name*, never the secret.
"""
import fcntl
import hashlib
import json
import os
import threading
import time

from . import faultpoint, owner

LEDGER_MAX = 5000
LEDGER_KEEP = 2000
_SEQUENCE = threading.Lock()
_last_ns = [0]


def default_root(splunk_home=None):
    """The spool directory for this Splunk instance."""
    home = splunk_home or os.environ.get("SPLUNK_HOME")
    if not home:
        raise OSError("SPLUNK_HOME is not set; the spool location is unknown")
    return os.path.join(home, "var", "run", "splunk", "aws_cryptomining", "slack_spool")


def idempotency_key(search_name, sid, credential, channel, thread_ts, message):
    """Stable key of one alert for one destination: same alert, same key, however often it is retried."""
    material = json.dumps([search_name, sid, credential, channel, thread_ts, message], sort_keys=True,
                          ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _unique_ns():
    """A strictly increasing nanosecond stamp within this process (file names sort in arrival order)."""
    with _SEQUENCE:
        _last_ns[0] = max(time.time_ns(), _last_ns[0] + 1)
        return _last_ns[0]


def _sync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    """Pending queue, dead letters, temporary files and sent ledger in one directory."""

    def __init__(self, root):
        self.root = root
        self.pending = os.path.join(root, "pending")
        self.dead = os.path.join(root, "dead")
        self.tmp = os.path.join(root, "tmp")
        self.ledger = os.path.join(root, "sent.keys")
        self.lock_path = os.path.join(root, "flush.lock")
        self._lock_fd = None

    def ensure(self):
        for directory in (self.pending, self.dead, self.tmp):
            os.makedirs(directory, exist_ok=True)

    def _write_atomic(self, path, text):
        """Write via tmp/ + fsync + rename + directory fsync: the file is either absent or complete."""
        self.ensure()
        tmp = os.path.join(self.tmp, f"{os.path.basename(path)}.{owner.identity()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            faultpoint.reached("spool_write")
            os.replace(tmp, path)
        except BaseException:
            _remove(tmp)
            raise
        _sync_dir(os.path.dirname(path))

    def remove_debris(self):
        """Delete temporary files whose writer died (crash inside a spool write); returns how many."""
        removed = 0
        if not os.path.isdir(self.tmp):
            return removed
        for name in os.listdir(self.tmp):
            parts = name.rsplit(".", 3)
            if len(parts) == 4 and parts[3] == "tmp" and owner.alive(parts[1]):
                continue
            removed += _remove(os.path.join(self.tmp, name))
        return removed

    def add(self, entry):
        """Persist an entry (a dict with at least `key`) at the end of the pending queue; returns its path."""
        name = f"{_unique_ns():020d}-{entry['key'][:24]}.json"
        path = os.path.join(self.pending, name)
        self._write_atomic(path, json.dumps(entry, ensure_ascii=False))
        return path

    def entries(self):
        """Pending entry paths, oldest first."""
        if not os.path.isdir(self.pending):
            return []
        return [os.path.join(self.pending, n) for n in sorted(os.listdir(self.pending)) if n.endswith(".json")]

    @staticmethod
    def load(path):
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
        if not isinstance(entry, dict) or "key" not in entry or "message" not in entry:
            raise ValueError("not a spool entry")
        return entry

    def update(self, path, entry):
        self._write_atomic(path, json.dumps(entry, ensure_ascii=False))

    def done(self, path):
        """Remove a delivered entry (its key is already in the ledger)."""
        _remove(path)

    def bury(self, path, entry=None, reason=""):
        """Move a pending entry to dead/ (with the reason recorded when the entry is readable)."""
        self.ensure()
        target = os.path.join(self.dead, os.path.basename(path))
        if entry is not None:
            self._write_atomic(target, json.dumps(dict(entry, dead_reason=reason, dead_at=int(time.time())),
                                                  ensure_ascii=False))
            _remove(path)
        else:
            os.replace(path, target)
        return target

    def was_sent(self, key):
        try:
            with open(self.ledger, encoding="utf-8") as handle:
                return any(line.split(" ", 1)[0] == key for line in handle)
        except FileNotFoundError:
            return False

    def mark_sent(self, key):
        """Record a delivered key durably; the ledger is trimmed to the newest LEDGER_KEEP keys when it grows.

        Only the flusher (holding flush.lock) writes the ledger, so append and trim never race."""
        os.makedirs(self.root, exist_ok=True)
        with open(self.ledger, "a", encoding="utf-8") as handle:
            handle.write(f"{key} {int(time.time())}\n")
            handle.flush()
            os.fsync(handle.fileno())
        with open(self.ledger, encoding="utf-8") as handle:
            lines = handle.readlines()
        if len(lines) > LEDGER_MAX:
            self._write_atomic(self.ledger, "".join(lines[-LEDGER_KEEP:]))

    def try_lock(self):
        """Take the flush lock without waiting. It is an flock: a holder that dies (kill -9, OOM) releases it
        at once, so a crashed flusher never stalls the resends. The file names the holder for admins."""
        os.makedirs(self.root, exist_ok=True)
        fd = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{owner.identity()} {int(time.time())}\n".encode("ascii"))
        self._lock_fd = fd
        return True

    def lock(self, deadline_seconds, poll=0.05):
        """Wait for the flush lock at most `deadline_seconds`; True when taken."""
        end = time.monotonic() + deadline_seconds
        while not self.try_lock():
            if time.monotonic() + poll > end:
                return False
            time.sleep(poll)
        return True

    def unlock(self):
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None


def _remove(path):
    try:
        os.remove(path)
        return 1
    except FileNotFoundError:
        return 0
