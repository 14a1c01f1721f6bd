"""`hunt.py --report FILE.html`: the replay's alerts as one self-contained incident report (the IR deliverable).

Sections: the incidents (the correlation search's notifications, newest state of each incident first by score),
a timeline of every alert, the entities the alerts name (principals, access keys, accounts, regions, instances,
source addresses) and the playbook's containment checklist, taken from the app's incident report dashboard so the
playbook has one source. One file, inline CSS, no script, no external resource: it opens offline and can be
attached to a ticket. Every value from the data is HTML-escaped (log fields are attacker-controlled: a user agent
or a bucket name can hold markup).
"""
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, timezone
from html import escape
from pathlib import Path

DASHBOARD = Path("default") / "data" / "ui" / "views" / "aws_cryptomining_incident_report.xml"
CHECKLIST_MARK = "**Containment checklist**"
# Result fields that name an entity, by kind (the detections' and the correlation search's field names).
ENTITY_FIELDS = {
    "principal": ("principals", "principal_arns", "principal", "user_arn", "userIdentity.arn", "user"),
    "access key": ("access_keys", "access_key", "access_key_id", "userIdentity.accessKeyId"),
    "account": ("accounts", "account", "recipientAccountId"),
    "region": ("regions", "region", "awsRegion"),
    "instance": ("instance_ids", "instance_id"),
    "source address": ("src_ips", "src_ip", "sourceIPAddress"),
}
INCIDENT_FIELDS = ("severity", "status", "first_seen", "last_seen", "detections", "access_keys", "principals",
                   "accounts", "regions", "instance_ids", "src_ips", "cost_per_hour")
TIME_FIELDS = ("first_seen", "last_seen")   # epoch seconds in the correlation search's rows
STYLE = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}"
         "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#eee}"
         "h2{border-bottom:2px solid #333}.muted{color:#666}pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}")


def _iso(t):
    try:
        return datetime.fromtimestamp(float(t), timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (TypeError, ValueError, OverflowError):
        return str(t)


def _values(value, split=False):
    """The text values of a field (a multivalue list, one value); `split` also splits space-joined lists (the
    correlation search's instance_ids, regions, ... are such strings)."""
    items = value if isinstance(value, list) else [value]
    texts = [str(item) for item in items if item not in (None, "")]
    return [part for text in texts for part in text.split()] if split else texts


def _cell(value, split=False):
    return escape(", ".join(_values(value, split)))


def _table(header, rows):
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def split_alerts(alerts):
    """(incident alerts, other alerts): a search whose rows carry incident_id is the correlation search."""
    incident_searches = {a.search_name for a in alerts if a.results and "incident_id" in a.results[0]}
    return ([a for a in alerts if a.search_name in incident_searches],
            [a for a in alerts if a.search_name not in incident_searches])


def containment_checklist(app_dir):
    """The checklist markdown of the app's incident report dashboard, or None when the app has none."""
    path = Path(app_dir) / DASHBOARD
    if not path.is_file():
        return None
    definition = ET.parse(path).getroot().findtext("definition") or "{}"
    for viz in json.loads(definition).get("visualizations", {}).values():
        markdown = viz.get("options", {}).get("markdown", "")
        if CHECKLIST_MARK in markdown:
            return markdown
    return None


def _markdown(text):
    """The small markdown the checklist uses: numbered items, **bold**, `code`, ``` blocks (escaped first)."""
    out, items, in_code = [], [], False

    def inline(line):
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escape(line))
        return re.sub(r"`([^`]+)`", r"<code>\1</code>", line)

    def flush():
        if items:
            out.append("<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>")
            items.clear()

    for line in text.split("\n"):
        if line.startswith("```"):
            flush()
            out.append("</pre>" if in_code else "<pre>")
            in_code = not in_code
        elif in_code:
            out.append(escape(line) + "\n")
        elif re.match(r"\d+\. ", line):
            items.append(inline(line.split(". ", 1)[1]))
        elif line.strip():
            flush()
            out.append(f"<p>{inline(line)}</p>")
    flush()
    return "".join(out)


def _incidents_html(incident_alerts):
    latest, notifications = {}, defaultdict(list)
    for alert in sorted(incident_alerts, key=lambda a: a.trigger_time):
        for row in alert.results:
            latest[row["incident_id"]] = row
            notifications[row["incident_id"]].append((alert.trigger_time, row))
    if not latest:
        return "<p>No incident: no detection scored high enough to open one (see the alerts below).</p>"
    parts = []
    for incident_id, row in sorted(latest.items(), key=lambda item: -float(item[1].get("score") or 0)):
        fields = [(name, escape(_iso(row[name])) if name in TIME_FIELDS else _cell(row.get(name), split=True))
                  for name in INCIDENT_FIELDS if _values(row.get(name))]
        updates = [(escape(_iso(t)), _cell(r.get("notify")), _cell(r.get("score")), _cell(r.get("update_reason")))
                   for t, r in notifications[incident_id]]
        parts.append(f"<h3>{escape(str(incident_id))}: {_cell(row.get('title'))} (score {_cell(row.get('score'))})"
                     f"</h3>{_table(['field', 'value'], fields)}"
                     f"{_table(['notified', 'notify', 'score', 'reason'], updates)}")
    return "".join(parts)


def _timeline_html(alerts):
    rows = []
    for alert in sorted(alerts, key=lambda a: (a.trigger_time, a.search_name)):
        first = alert.results[0] if alert.results else {}
        shown = ", ".join(f"{k}={'|'.join(_values(v))}" for k, v in first.items() if not k.startswith("_"))
        rows.append((escape(_iso(alert.trigger_time)), escape(alert.search_name), escape(str(alert.severity)),
                     escape(str(len(alert.results))), escape(shown[:400])))
    return _table(["trigger time", "search", "severity", "rows", "first row"], rows) if rows else "<p>No alert.</p>"


def _entities_html(alerts):
    seen = defaultdict(lambda: defaultdict(set))   # kind -> value -> searches naming it
    for alert in alerts:
        for row in alert.results:
            for kind, names in ENTITY_FIELDS.items():
                for name in names:
                    for value in _values(row.get(name), split=True):
                        seen[kind][value].add(alert.search_name)
    rows = [(escape(kind), escape(value), escape(", ".join(sorted(searches))))
            for kind in ENTITY_FIELDS for value, searches in sorted(seen[kind].items())]
    return _table(["kind", "value", "named by"], rows) if rows else "<p>No entity named by the alerts.</p>"


def render(result, app_dir, sources):
    """The report's HTML text for a ReplayResult; `sources` are the input paths (listed in the header)."""
    incident_alerts, detection_alerts = split_alerts(result.alerts)
    span = f"{_iso(result.start)} to {_iso(result.end)}" if result.start is not None else "no events"
    checklist = containment_checklist(app_dir)
    playbook = _markdown(checklist) if checklist else (
        f"<p class=muted>The app at {escape(str(app_dir))} has no incident report dashboard "
        f"({escape(str(DASHBOARD))}) holding the containment checklist.</p>")
    by_search = defaultdict(int)
    for alert in detection_alerts:
        by_search[alert.search_name] += 1
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Cryptojacking incident report</title>"
        f"<style>{STYLE}</style></head><body><h1>Cryptojacking incident report</h1>"
        f"<p class=muted>Replay of {escape(span)} over {escape(', '.join(map(str, sources)))}: {len(result.runs)} "
        f"search runs, {len(result.alerts)} alerts. Generated by hunt.py {escape(_iso(datetime.now(timezone.utc).timestamp()))}.</p>"
        f"<h2>Incidents</h2>{_incidents_html(incident_alerts)}"
        f"<h2>Detections</h2>{_table(['search', 'alerts'], [(escape(n), str(c)) for n, c in sorted(by_search.items())])}"
        f"<h2>Timeline</h2>{_timeline_html(result.alerts)}"
        f"<h2>Entities</h2>{_entities_html(result.alerts)}"
        f"<h2>Containment</h2>{playbook}</body></html>\n")


def write_report(result, path, app_dir, sources):
    Path(path).write_text(render(result, app_dir, sources), encoding="utf-8")
