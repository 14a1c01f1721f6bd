"""Ordered delivery of queued alerts: this member's spool, and the queue shared by every cluster member.

Only the process holding this member's flush.lock delivers. With the KV store reachable it publishes every
spooled alert of this member to the shared queue (shared_queue.py), then delivers the shared queue's alerts
of every member, oldest first, each after claiming it; an alert another member delivered or refused is then
settled in the local spool without being sent. Without the KV store it delivers the alerts it never
published, as a standalone search head does, and keeps the published ones queued: another member may be
sending them.
"""
import os
import time

from . import credentials, faultpoint, owner, transport
from .shared_queue import DEAD, PENDING, SENT

EXIT_OK, EXIT_CREDENTIAL, EXIT_REJECTED, EXIT_SPOOLED = 0, 4, 5, 6


class Outcome:
    """What happened to one entry during a flush: `exit_code` for the run whose alert it is."""

    def __init__(self, exit_code, event):
        self.exit_code, self.event = exit_code, event


DELIVERED, DEFERRED = Outcome(EXIT_OK, "delivered"), Outcome(EXIT_SPOOLED, "deferred")


def destination_id(entry):
    return (entry.get("credential"), entry.get("channel"), entry.get("thread_ts"))


class LocalItem:
    """An alert delivered from this member's spool only (it was never published to the shared queue)."""

    def __init__(self, spool, path, entry):
        self.spool, self.path, self.entry = spool, path, entry
        self.file = os.path.basename(path)

    def attempt(self):
        self.entry["attempts"] = int(self.entry.get("attempts") or 0) + 1
        self.entry.setdefault("first_attempt", time.time())
        self.spool.update(self.path, self.entry)

    def deferred(self, code):
        self.entry["last_error"] = code
        self.spool.update(self.path, self.entry)

    def delivered(self):
        self.spool.mark_sent(self.entry["key"])
        faultpoint.reached("ledger_written")
        self.spool.done(self.path)

    def bury(self, reason):
        self.spool.bury(self.path, self.entry, reason=reason)


class SharedItem:
    """A shared-queue alert this process has claimed; `path` is its spool file when it was queued here.

    The queue record is the truth for every member; the spool file, when there is one, mirrors it."""

    def __init__(self, spool, queue, record, claim, path, log):
        self.spool, self.queue, self.record, self.claim, self.path, self.log = spool, queue, record, claim, path, log
        self.entry = dict(queue.entry(record), published=True)
        self.file = os.path.basename(path) if path else None

    def _mirror(self):
        if self.path and os.path.exists(self.path):
            self.spool.update(self.path, self.entry)

    def _save(self, **fields):
        """Best effort after the send: a KV store failure here leaves the claim to expire (docs/slack.md)."""
        try:
            self.record = self.queue.update(self.entry["key"], self.record, **fields)
        except credentials.SplunkdUnavailable as err:
            self.log.warn("queue_unavailable", key=self.entry["key"][:16], detail=str(err))

    def attempt(self):
        self.entry["attempts"] = int(self.entry.get("attempts") or 0) + 1
        self.entry["first_attempt"] = self.entry.get("first_attempt") or time.time()
        self.record = self.queue.update(self.entry["key"], self.record, attempts=self.entry["attempts"],
                                        first_attempt=self.entry["first_attempt"])
        self._mirror()

    def deferred(self, code):
        self.entry["last_error"] = code
        self._save(last_error=code)
        try:
            self.queue.release(self.claim)
        except credentials.SplunkdUnavailable:
            pass  # the claim is void once this process is gone
        self._mirror()

    def delivered(self):
        """Shared state first: once the queue says sent, no member sends it again, whatever happens next."""
        self._save(state=SENT, sent_by=self.queue.member)
        self.spool.mark_sent(self.entry["key"])
        faultpoint.reached("ledger_written")
        if self.path:
            self.spool.done(self.path)

    def bury(self, reason):
        self._save(state=DEAD, dead_reason=reason)
        if self.path and os.path.exists(self.path):
            self.spool.bury(self.path, self.entry, reason=reason)


def deliver(item, deliverer, blocked, log, own):
    """Send one claimed item, then record where it ended. Returns its Outcome."""
    entry = item.entry
    fields = dict(key=entry["key"][:16]) if own else dict(
        key=entry["key"][:16], origin_search=entry.get("search_name"), origin_sid=entry.get("sid"))
    earlier_attempt = bool(entry.get("attempts"))
    try:
        item.attempt()
        result = deliverer.send(entry, log, check_first=earlier_attempt)
    except transport.TransientError as err:
        blocked.add(destination_id(entry))
        item.deferred(err.code)
        if own:
            log.warn("spooled", reason=err.code, file=item.file, **fields)
        else:
            log.warn("resend_deferred", error=err.code, attempts=entry["attempts"], **fields)
        return DEFERRED
    except credentials.SplunkdUnavailable as err:
        blocked.add(destination_id(entry))
        item.deferred("splunkd_unavailable")
        log.warn("spooled" if own else "resend_deferred", error="splunkd_unavailable", detail=str(err), **fields)
        return DEFERRED
    except credentials.CredentialError as err:
        item.bury(str(err))
        log.error("credential_error" if own else "resend_rejected", error="credential_error",
                  credential=entry.get("credential"), detail=str(err), **fields)
        return Outcome(EXIT_CREDENTIAL, "rejected")
    except transport.PermanentError as err:
        item.bury(str(err))
        log.error("rejected" if own else "resend_rejected", error=err.code, detail=str(err),
                  credential=entry.get("credential"), **fields)
        return Outcome(EXIT_REJECTED, "rejected")
    faultpoint.reached("accepted")
    item.delivered()
    if result.found:
        log.info("duplicate_skipped", detail="an earlier attempt had posted it (found in the channel)", **fields)
    elif own:
        log.info("delivered", transport=result.note, credential=entry.get("credential"), rows=entry.get("rows"),
                 attempts=entry["attempts"], **fields)
    else:
        log.info("resent", transport=result.note, attempts=entry["attempts"], **fields)
    return DELIVERED


class Flush:
    """Delivers queued alerts oldest first, only while holding flush.lock.

    A destination that fails is blocked for the rest of the run so later alerts for it keep their order.
    Alerts that other runs add while this one flushes are delivered too: after unlocking, a flusher looks
    once more and takes the lock again when something new arrived, so an alert whose own run could not get
    the lock is never left behind until the next resend search."""

    def __init__(self, spool, deliverer, log, own_key=None, queue=None):
        self.spool, self.deliverer, self.log, self.own_key = spool, deliverer, log, own_key
        self.queue = queue  # SharedQueue, or None when the KV store is not used or not reachable
        self.blocked, self.seen, self.seen_keys, self.outcomes, self.permanent = set(), set(), set(), {}, 0
        self.local_paths = {}
        self.locked_once = False

    def _fresh(self):
        return [path for path in self.spool.entries() if path not in self.seen]

    def run(self, wait_seconds):
        """Flush under the lock (waiting for it at most `wait_seconds` the first time)."""
        while self.spool.lock(wait_seconds):
            self.locked_once = True
            try:
                faultpoint.reached("flush_locked")
                self.spool.remove_debris()
                work = self._work()
                while work:
                    for kind, item in work:
                        if kind == "local":
                            self._one_local(item)
                        elif self.queue is not None:
                            self._one_shared(item)
                    work = self._work()
            finally:
                self.spool.unlock()
            if not self._fresh() or self.deliverer.deadline.remaining() < 1.0:
                return
            wait_seconds = 0.0  # a run that now holds the lock will deliver what is new

    def remaining(self):
        """Alerts still queued: in the shared queue (every member's) and in this member's spool."""
        keys = set()
        for path in self.spool.entries():
            try:
                keys.add(self.spool.load(path)["key"])
            except (OSError, ValueError):
                keys.add(path)
        if self.queue is not None:
            try:
                keys.update(record["_key"] for record in self.queue.pending())
            except credentials.SplunkdUnavailable:
                pass
        return len(keys)

    def _queue_failed(self, err):
        self.log.warn("queue_unavailable", detail=f"{err}; alerts published to the shared queue stay queued, "
                                                  "the others are delivered from this member's spool")
        self.queue = None

    def _load(self, path):
        """A spool entry, or None when it is gone or unreadable (an unreadable one is dead-lettered)."""
        try:
            return self.spool.load(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            self.spool.bury(path, reason="unreadable")
            self.log.error("spool_entry_unreadable", file=os.path.basename(path))
            self.permanent += 1
            return None

    def _work(self):
        """[(kind, item)] not handled yet in this run: shared-queue records, else local spool paths."""
        fresh = self._fresh()
        if self.queue is not None:
            try:
                return self._shared_work(fresh)
            except credentials.SplunkdUnavailable as err:
                self._queue_failed(err)
        return [("local", path) for path in fresh]

    def _shared_work(self, fresh):
        for path in fresh:
            entry = self._load(path)
            if entry is None:
                self.seen.add(path)
                continue
            if not entry.get("published"):
                self.queue.publish(entry, os.path.basename(path))
                self.spool.update(path, dict(entry, published=True))
            self.local_paths[entry["key"]] = path
            self.seen.add(path)
        records = [r for r in self.queue.pending() if r.get("_key") not in self.seen_keys]
        queued = {r["_key"] for r in records}
        for key, path in list(self.local_paths.items()):
            if key not in queued and key not in self.seen_keys:
                self.seen_keys.add(key)
                self._settle(key, path, self.queue.record(key))
        return [("shared", record) for record in records]

    def _settle(self, key, path, record):
        """A spooled alert of this member that the shared queue no longer lists: delivered or refused."""
        own = key == self.own_key
        state = (record or {}).get("state")
        if state == SENT:
            self.spool.mark_sent(key)
            self.spool.done(path)
            self.log.info("duplicate_skipped", key=key[:16], sent_by=record.get("sent_by"),
                          detail="delivered from the shared queue")
            self.outcomes[key] = DELIVERED
        elif state == DEAD:
            self.spool.bury(path, self._load(path), reason=record.get("dead_reason") or "refused")
            if own:
                self.log.error("rejected", key=key[:16], detail="refused when another flusher sent it")
            self.outcomes[key] = Outcome(EXIT_REJECTED, "rejected")
        # anything else (beyond one page of the queue): still queued, looked at by a later flush

    def _blocked(self, entry, own, file):
        dest = destination_id(entry)
        if dest in self.blocked or self.deliverer.deadline.remaining() < 1.0:
            self.blocked.add(dest)
            if own:
                self.log.warn("spooled", key=entry["key"][:16], reason="older_alerts_pending", file=file)
                self.outcomes[entry["key"]] = DEFERRED
            return True
        return False

    def _one_local(self, path):
        self.seen.add(path)
        entry = self._load(path)
        if entry is None:
            return
        key, file = entry["key"], os.path.basename(path)
        own = key == self.own_key
        if self.spool.was_sent(key):
            self.spool.done(path)
            self.log.info("duplicate_skipped", key=key[:16], detail="already in the sent ledger")
            self.outcomes[key] = DELIVERED
            return
        if entry.get("published"):  # in the shared queue, which cannot be read now: another member may send it
            if own:
                self.log.warn("spooled", key=key[:16], reason="queue_unavailable", file=file)
                self.outcomes[key] = DEFERRED
            return
        if self._blocked(entry, own, file):
            return
        self._record(key, deliver(LocalItem(self.spool, path, entry), self.deliverer, self.blocked, self.log, own))

    def _one_shared(self, record):
        key = record["_key"]
        self.seen_keys.add(key)
        try:
            self._shared(key, record)
        except credentials.SplunkdUnavailable as err:
            self._queue_failed(err)
            if key == self.own_key:
                self.outcomes[key] = DEFERRED

    def _shared(self, key, record):
        own, path, queue = key == self.own_key, self.local_paths.get(key), self.queue
        if self.spool.was_sent(key):  # delivered by this member; the KV store did not hear of it
            queue.update(key, record, state=SENT, sent_by=queue.member)
            if path:
                self.spool.done(path)
            self.log.info("duplicate_skipped", key=key[:16], detail="already in the sent ledger")
            self.outcomes[key] = DELIVERED
            return
        file = os.path.basename(path) if path else None
        if self._blocked(record, own, file):
            return
        claim = queue.claim(key, owner.alive)
        if claim is None:
            if own:
                self.log.warn("spooled", key=key[:16], reason="claimed_by_another_flusher", file=file)
            self.outcomes[key] = DEFERRED
            return
        current = queue.record(key)
        if not current or current.get("state") != PENDING:
            if path:
                self._settle(key, path, current)
            return
        item = SharedItem(self.spool, queue, current, claim, path, self.log)
        self._record(key, deliver(item, self.deliverer, self.blocked, self.log, own))

    def _record(self, key, outcome):
        self.outcomes[key] = outcome
        if outcome.event == "rejected":
            self.permanent += 1
