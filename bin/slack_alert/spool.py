"""Durable spool for alerts that could not be delivered yet, and the ledger that prevents duplicates.

Layout under $SPLUNK_HOME/var/run/splunk/aws_cryptomining/slack_spool/ (outside etc/apps, so app
upgrades and search-head-cluster replication never touch it):
  pending/<ns-timestamp>-<key>.json   rendered messages waiting for delivery, oldest first
  dead/<ns-timestamp>-<key>.json      messages Slack refused permanently (kept for an admin, never resent)
  sent.keys                           idempotency keys of delivered messages (bounded)
  flush.lock                          one flusher at a time, so resends keep their order
Entries hold the credential *name*, never the secret.
"""
import hashlib
import json
import os
import time

LOCK_STALE_SECONDS = 300
LEDGER_MAX = 5000
LEDGER_KEEP = 2000


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


def _write_atomic(path, data):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class Spool:
    """Pending queue, dead letters and sent ledger in one directory."""

    def __init__(self, root):
        self.root = root
        self.pending = os.path.join(root, "pending")
        self.dead = os.path.join(root, "dead")
        self.ledger = os.path.join(root, "sent.keys")
        self.lock_path = os.path.join(root, "flush.lock")

    def ensure(self):
        os.makedirs(self.pending, exist_ok=True)
        os.makedirs(self.dead, exist_ok=True)

    def add(self, entry):
        """Append an entry (a dict with at least `key`) to the pending queue; returns its path."""
        self.ensure()
        name = f"{time.time_ns():020d}-{entry['key'][:24]}.json"
        path = os.path.join(self.pending, name)
        _write_atomic(path, json.dumps(entry, ensure_ascii=False))
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

    @staticmethod
    def update(path, entry):
        _write_atomic(path, json.dumps(entry, ensure_ascii=False))

    def bury(self, path, entry=None, reason=""):
        """Move a pending entry to dead/ (with the reason recorded when the entry is readable)."""
        self.ensure()
        target = os.path.join(self.dead, os.path.basename(path))
        if entry is not None:
            entry = dict(entry, dead_reason=reason, dead_at=int(time.time()))
            _write_atomic(target, json.dumps(entry, ensure_ascii=False))
            os.remove(path)
        else:
            os.replace(path, target)
        return target

    def bury_new(self, entry, reason):
        """Dead-letter an alert that never entered the queue."""
        return self.bury(self.add(entry), entry, reason)

    def was_sent(self, key):
        try:
            with open(self.ledger, encoding="utf-8") as handle:
                return any(line.split(" ", 1)[0] == key for line in handle)
        except FileNotFoundError:
            return False

    def mark_sent(self, key):
        """Record a delivered key; the ledger is trimmed to the newest LEDGER_KEEP keys when it grows."""
        os.makedirs(self.root, exist_ok=True)
        with open(self.ledger, "a", encoding="utf-8") as handle:
            handle.write(f"{key} {int(time.time())}\n")
        with open(self.ledger, encoding="utf-8") as handle:
            lines = handle.readlines()
        if len(lines) > LEDGER_MAX:
            _write_atomic(self.ledger, "".join(lines[-LEDGER_KEEP:]))

    def try_lock(self):
        """Take the flush lock without waiting; a lock older than LOCK_STALE_SECONDS is taken over."""
        os.makedirs(self.root, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                try:
                    age = time.time() - os.path.getmtime(self.lock_path)
                except FileNotFoundError:
                    continue
                if age < LOCK_STALE_SECONDS:
                    return False
                os.remove(self.lock_path)
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{os.getpid()} {int(time.time())}\n")
            return True
        return False

    def unlock(self):
        try:
            os.remove(self.lock_path)
        except FileNotFoundError:
            pass
