"""The Slack queue that every member of a search head cluster drains: two KV store collections.

Why: the spool (spool.py) is a directory on the search head where the alert fired. On a search head cluster
the scheduler runs the resend search on whichever member it picks, so an alert queued on a member that is
down, or not picked, would wait there. Every spooled alert is therefore also published to the collection
aws_cryptomining_slack_queue (collections replicate to every member), and any member's flusher delivers from
it. The local spool stays the write-ahead: an alert is on disk before it is published, and an alert that
could not be published (KV store down) is delivered from the spool by its own member, as before.

Exactly once across members rests on one atomic operation. The KV store sends every write of a cluster to
one instance, the KV store captain ("when a node receives a write request, the KV store delegates the write
to the KV store captain, while the KV store keeps read requests local", Splexicon: KV store captain), and
refuses an insert whose _key exists (HTTP 409). A member sends an alert only after inserting the claim
`<alert key>.<n>` into aws_cryptomining_slack_claims, n one more than the newest claim it reads; of two
members racing for the same n, one insert fails. A claim is given up when its holder is done with the alert
(`until` = 0), and is void when its holder is gone: on the same member as soon as its process is (pid and
start time, owner.py), on another member once `until` (the holder's start plus alert_actions.conf maxtime,
when splunkd has killed it at the latest) plus CLOCK_SKEW_SECONDS has passed. Claims are never deleted while
their alert is queued, so a stale local read can only make an insert collide, never succeed twice.
"""
import json
import time
from urllib.parse import quote

from splunklib import binding

from .credentials import SplunkdUnavailable

QUEUE = "aws_cryptomining_slack_queue"
CLAIMS = "aws_cryptomining_slack_claims"
MAXTIME_SECONDS = 120  # alert_actions.conf [cryptomining_slack] maxtime = 2m: splunkd kills the action then
CLOCK_SKEW_SECONDS = 60  # members' clocks (NTP) and KV store replication lag, on top of a claim's lease
PAGE = 1000  # records read per flush; far above what one flush can send within its budget
RETENTION_SECONDS = 7 * 86400  # a delivered or refused alert's record and claims are deleted after a week
PENDING, SENT, DEAD = "pending", "sent", "dead"
ENTRY_FIELDS = ("key", "created", "search_name", "sid", "credential", "channel", "thread_ts", "message", "rows",
                "attempts", "first_attempt", "last_error", "incident_id")


class Conflict(Exception):
    """An insert named a _key that exists (another member got there first)."""


def _path(collection, *parts):
    return "/".join(["storage/collections/data", collection, *(quote(p, safe="") for p in parts)])


class SharedQueue:
    """The queue collection and its claims, through splunkd's REST API with the action's session key."""

    def __init__(self, service, member, holder, started=None):
        self.service, self.member, self.holder = service, member, holder
        self.until = (time.time() if started is None else started) + MAXTIME_SECONDS

    def _call(self, method, path, **kwargs):
        try:
            response = getattr(self.service, method)(path, **kwargs)
            return json.loads(response.body.read() or b"null")
        except binding.HTTPError as err:
            if err.status == 404 and method == "get":
                return None
            if err.status == 409:
                raise Conflict(path) from None
            raise SplunkdUnavailable(f"KV store {path.split('/')[2]}: HTTP {err.status}") from None
        except (OSError, ValueError) as err:
            raise SplunkdUnavailable(f"KV store: {type(err).__name__}") from None

    def _insert(self, collection, record):
        self._call("post", _path(collection), headers=[("Content-Type", "application/json")],
                   body=json.dumps(record))

    def _replace(self, collection, record):
        self._call("post", _path(collection, record["_key"]), headers=[("Content-Type", "application/json")],
                   body=json.dumps(record))

    def _query(self, collection, query, sort=None):
        params = {"query": json.dumps(query), "limit": PAGE}
        if sort:
            params["sort"] = sort
        return self._call("get", _path(collection), **params) or []

    def publish(self, entry, order):
        """Add a spooled entry to the shared queue (once: a second publish of the same key is a no-op)."""
        record = {field: entry.get(field) for field in ENTRY_FIELDS}
        record.update(_key=entry["key"], order=order, state=PENDING, member=self.member,
                      message=json.dumps(entry["message"], ensure_ascii=False))
        try:
            self._insert(QUEUE, record)
        except Conflict:
            pass

    def record(self, key):
        """The queue record of an alert, or None."""
        return self._call("get", _path(QUEUE, key))

    def pending(self):
        """Queued records of every member, oldest first (the order is the spool file name: ns stamp, key)."""
        records = self._query(QUEUE, {"state": PENDING}, sort="order")
        return sorted(records, key=lambda r: str(r.get("order")))

    @staticmethod
    def entry(record):
        """The spool entry a queue record carries."""
        entry = {field: record.get(field) for field in ENTRY_FIELDS}
        entry["message"] = json.loads(record["message"])
        return entry

    def _void(self, claim, alive):
        """True when a claim no longer holds: given up, or its holder is gone."""
        until = float(claim.get("until") or 0)
        if until <= 0:
            return True
        if claim.get("member") == self.member:
            return not alive(claim.get("holder", ""))
        return time.time() > until + CLOCK_SKEW_SECONDS

    def claim(self, key, alive):
        """Claim an alert for this process; the claim's _key, or None when another holds it or won the race."""
        claims = self._query(CLAIMS, {"alert_key": key})
        newest = max(claims, key=lambda c: int(c.get("generation", 0)), default=None)
        if newest is not None and not self._void(newest, alive):
            return None
        generation = int(newest.get("generation", 0)) + 1 if newest else 1
        claim = {"_key": f"{key}.{generation}", "alert_key": key, "generation": generation,
                 "member": self.member, "holder": self.holder, "until": self.until, "claimed": time.time()}
        try:
            self._insert(CLAIMS, claim)
        except Conflict:
            return None
        return claim

    def release(self, claim):
        """Give the claim up so the next flusher on any member may take the alert at once."""
        self._replace(CLAIMS, dict(claim, until=0))

    def purge(self, now=None):
        """Delete the records (and their claims) of alerts delivered or refused more than RETENTION_SECONDS
        ago, so the collections do not grow without bound; returns how many. A record that old cannot be read
        as pending by any member any more, so no claim of it is taken again."""
        cutoff = (time.time() if now is None else now) - RETENTION_SECONDS
        purged = 0
        for state in (SENT, DEAD):
            for record in self._query(QUEUE, {"state": state}):
                if float(record.get("updated") or 0) >= cutoff:
                    continue
                self._call("delete", _path(CLAIMS), query=json.dumps({"alert_key": record["_key"]}))
                self._call("delete", _path(QUEUE, record["_key"]))
                purged += 1
        return purged

    def update(self, key, record, **fields):
        """Rewrite an alert's queue record with changed fields (state, attempts, last_error...)."""
        record = dict(record, **fields)
        record["_key"] = key
        record["updated"] = time.time()
        self._replace(QUEUE, {k: v for k, v in record.items() if k != "_user"})
        return record
