"""Incident alerts in Slack: one message per incident, its updates as replies in that message's thread.

An alert is an incident when its first result carries `incident_id` (the Incident Correlation search, one
result per alert). A new incident is one message listing every contributing detection; an update
(`notify=update`) is a compact message quoting the incident id, what changed and the detections so far. With
a bot token the update is posted in the incident's thread: the `ts` of the incident's first message is kept
per incident and channel in the aws_cryptomining_incident_threads KV store collection (visible from every
search head of a cluster). An incoming webhook cannot thread: its updates are the same compact follow-ups.
"""
import hashlib
import json

from splunklib import binding

from . import credentials, escape, results

COLLECTION = "aws_cryptomining_incident_threads"
TEXT_CHARS, FIELD_CHARS = 2900, 1900


def first_row(results_file):
    """The alert's first result when it is an incident (has incident_id), else None."""
    for row in results.iter_rows(results_file):
        return row if row.get("incident_id") else None
    return None


def _text(value):
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _mrkdwn(text):
    return {"type": "mrkdwn", "verbatim": True, "text": text}


def _cost(row):
    """The incident's cost fact: what billing shows (Cost and Usage Report, Cost Anomaly Detection) when its
    findings carry billed spend, else the on-demand estimate."""
    if row.get("cost_basis") == "billed":
        return "Billed cost per hour", f"{_text(row.get('cost_per_hour'))} (USD {_text(row.get('actual_spend'))} so far)"
    return "Est. cost per hour", row.get("cost_per_hour")


def message(alert, row):
    """{"text", "blocks"} for one incident notification; every value escaped."""
    incident_id = escape.mrkdwn(_text(row.get("incident_id")), 40)
    title = escape.mrkdwn(_text(row.get("title")), 600)
    detections = escape.mrkdwn(_text(row.get("detections")), FIELD_CHARS)
    score = escape.mrkdwn(_text(row.get("score")), 12)
    if row.get("notify") == "update":
        reason = escape.mrkdwn(_text(row.get("update_reason")) or "new evidence", 400)
        text = f"Update to incident {incident_id} (score {score}): {reason}. {title}"
        blocks = [{"type": "section", "text": _mrkdwn(escape.truncate(text, TEXT_CHARS))},
                  {"type": "context", "elements": [_mrkdwn(escape.truncate(f"Detections: {detections}", FIELD_CHARS))]}]
        return {"text": escape.truncate(text, TEXT_CHARS), "blocks": blocks}
    severity = escape.mrkdwn(_text(row.get("severity") or alert.severity).upper(), 20)
    header = escape.truncate(f"{severity} incident {incident_id}", 150)
    facts = [("Score", score), ("First seen", row.get("first_seen")), ("Last seen", row.get("last_seen")),
             ("Access key", row.get("access_keys")), ("Principal", row.get("principals")),
             ("Account", row.get("accounts")), ("Regions", row.get("regions")),
             _cost(row)]
    fields = [_mrkdwn(escape.truncate(f"*{label}*\n{escape.mrkdwn(_text(value), 300) or '-'}", FIELD_CHARS))
              for label, value in facts]
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": header, "emoji": False}},
              {"type": "section", "text": _mrkdwn(title), "fields": fields},
              {"type": "section", "text": _mrkdwn(escape.truncate(f"*Detections*: {detections}", TEXT_CHARS))},
              {"type": "context", "elements": [_mrkdwn(escape.mrkdwn(
                  f"Splunk alert {alert.search_name} \u00b7 sid {alert.sid} \u00b7 updates follow in this thread",
                  FIELD_CHARS))]}]
    return {"text": escape.truncate(f"[{severity}] Incident {incident_id}: {title}", TEXT_CHARS), "blocks": blocks}


def _key(incident_id, channel):
    """One record per incident and channel; the channel (an id or a #name) hashed into URL-safe characters."""
    return f"{incident_id}-{hashlib.sha256(channel.encode('utf-8')).hexdigest()[:16]}"


def _path(*parts):
    return "/".join(["storage/collections/data", COLLECTION, *parts])


def thread_of(service, incident_id, channel):
    """ts of the incident's first message in `channel`, or None when none was posted yet."""
    try:
        response = service.get(_path(_key(incident_id, channel)))
    except binding.HTTPError as err:
        if err.status == 404:
            return None
        raise credentials.SplunkdUnavailable(f"KV store {COLLECTION}: HTTP {err.status}") from None
    except OSError as err:
        raise credentials.SplunkdUnavailable(f"KV store {COLLECTION}: {type(err).__name__}") from None
    return json.loads(response.body.read()).get("thread_ts") or None


def remember(service, incident_id, channel, ts):
    """Keep the ts of the incident's first message (its thread) for the next updates."""
    record = {"_key": _key(incident_id, channel), "incident_id": incident_id, "channel": channel, "thread_ts": ts}
    # batch_save inserts or replaces by _key (a plain insert of an existing _key is refused)
    service.post(_path("batch_save"), headers=[("Content-Type", "application/json")], body=json.dumps([record]))
