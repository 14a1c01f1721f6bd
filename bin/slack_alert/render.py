"""Template the Slack message (Block Kit + fallback text) from the result rows.

The message is built from the rows themselves, never from Splunk's token-substituted strings, so every
data value passes through escape.mrkdwn. Slack's limits are enforced by truncation: 50 blocks, 3000
characters per section text, 2000 per field, 150 for the header.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Tuple
from urllib.parse import quote, urlsplit

from . import escape

MAX_BLOCKS = 50
SECTION_CHARS = 3000
FIELD_CHARS = 2000
HEADER_CHARS = 150
FALLBACK_CHARS = 3000
VALUE_CHARS = 200
URL_CHARS = 3000

# Key fields of the first result: label -> candidate column names, first present wins. Slack allows at most 10
# fields in a section, so there are at most 10 labels.
KEY_FIELDS = (
    ("Instance type", ("instance_type", "instance_types", "instanceType", "requestParameters.instanceType")),
    ("Count", ("instance_count", "count", "instances", "finding_count")),
    ("Account", ("account", "aws_account_id", "recipientAccountId", "vendor_account")),
    ("Region", ("region", "regions", "awsRegion", "aws_region", "vendor_region")),
    ("User", ("user", "user_arn", "userIdentity.arn", "src_user")),
    ("Source IP", ("src_ip", "src_ips", "remote_ip", "src", "sourceIPAddress")),
    ("Country", ("Country", "src_country", "country")),
    ("Est. cost / hour (USD)", ("est_cost_per_hour", "estimated_cost_per_hour", "cost_per_hour")),
    ("What", ("change", "finding_type", "mining_indicator", "entity")),
    ("Target", ("target", "instance_id", "resource_id")),
)


def _mrkdwn(text):
    """A mrkdwn text object with Slack's link/mention preprocessing off (explicit `<@U..>` still works)."""
    return {"type": "mrkdwn", "verbatim": True, "text": text}


def pick(row, names):
    """The first present value among candidate columns, multivalues joined with ', '."""
    for name in names:
        value = row.get(name)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)
    return None


def _number(text):
    if text is None:
        return None
    try:
        return float(text.split(",")[0])
    except ValueError:
        return None


@dataclass
class Digest:
    """First result, first N rows and aggregates over all rows, built in one streaming pass."""

    max_rows: int
    total: int = 0
    first: Dict = field(default_factory=dict)
    shown: List[Dict] = field(default_factory=list)
    accounts: set = field(default_factory=set)
    regions: set = field(default_factory=set)
    instances: float = 0.0
    cost: float = 0.0

    def add(self, row):
        if self.total == 0:
            self.first = row
        self.total += 1
        if len(self.shown) < self.max_rows:
            self.shown.append(row)
        for label, names in KEY_FIELDS:
            value = pick(row, names)
            if value is None:
                continue
            if label == "Account" and len(self.accounts) < 10000:
                self.accounts.add(value)
            elif label == "Region" and len(self.regions) < 10000:
                self.regions.add(value)
            elif label == "Count":
                self.instances += _number(value) or 0.0
            elif label.startswith("Est. cost"):
                self.cost += _number(value) or 0.0


def digest(rows, max_rows):
    """Consume the row iterator into a Digest."""
    result = Digest(max_rows=max_rows)
    for row in rows:
        result.add(row)
    return result


def _row_line(index, row):
    parts = []
    for label, names in KEY_FIELDS:
        value = pick(row, names)
        if value is not None:
            parts.append(f"{label}: {escape.mrkdwn(value, 80)}")
    if not parts:
        shown = [f"{escape.mrkdwn(k, 40)}={escape.mrkdwn(v if not isinstance(v, list) else ', '.join(v), 60)}"
                 for k, v in list(row.items())[:4] if not k.startswith("_")]
        parts = shown or ["(no displayable fields)"]
    return escape.truncate(f"{index}. " + " \u00b7 ".join(parts), 600)


def _pack(lines, limit):
    """Group lines into texts of at most `limit` characters each."""
    texts, current = [], ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            texts.append(current)
            current = line
        else:
            current = candidate
    if current:
        texts.append(current)
    return texts


def mention_markup(requested, allowed):
    """Mentions limited to admin-approved ids; returns (markup, rejected ids)."""
    approved = [m for m in requested if m in allowed]
    rejected = tuple(m for m in requested if m not in allowed)
    markup = " ".join(f"<!subteam^{m}>" if m.startswith("S") else f"<@{m}>" for m in approved)
    return markup, rejected


# The app's investigation dashboard, opened on the first result's credential, instance or principal:
# (dashboard input token, candidate columns), first present wins.
INVESTIGATION = "aws_cryptomining_investigation"
INVESTIGATE_BY = (
    ("access_key_id", ("access_key_id", "access_key_ids")),
    ("instance_id", ("instance_id", "instance_ids", "instance")),
    ("principal", ("user", "users", "entity")),
)


def _results_url(link):
    parts = urlsplit(link)
    if parts.scheme in ("http", "https") and parts.netloc and len(link) <= URL_CHARS:
        return link
    return None


def _first_value(row, names):
    for name in names:
        value = row.get(name)
        if isinstance(value, list):
            value = next((v for v in value if v), None)
        if value:
            return str(value)
    return None


def investigation_url(results_link, row):
    """Splunk Web URL of the investigation dashboard for the row (same host and locale as the results link),
    or None. The value is percent-encoded: it comes from attacker-influenced CloudTrail fields."""
    link = _results_url(results_link)
    if not link or not row:
        return None
    parts = urlsplit(link)
    prefix = parts.path.split("/app/", 1)[0] if "/app/" in parts.path else ""
    for token, names in INVESTIGATE_BY:
        value = _first_value(row, names)
        if value and (token != "instance_id" or value.startswith("i-")):
            url = (f"{parts.scheme}://{parts.netloc}{prefix}/app/aws_cryptomining/{INVESTIGATION}"
                   f"?form.{token}={quote(value[:VALUE_CHARS], safe='')}")
            return url if len(url) <= URL_CHARS else None
    return None


def build(alert, summary, allowed_mentions=()) -> Tuple[Dict, Tuple[str, ...]]:
    """Return ({"text", "blocks"}, rejected mention ids) for `alert` and its Digest."""
    severity = alert.severity.upper()
    header = escape.mrkdwn(f"{severity}: {alert.search_name}", HEADER_CHARS)
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": header, "emoji": False}}]

    fields = []
    for label, names in KEY_FIELDS:
        value = pick(summary.first, names)
        shown = escape.mrkdwn(value, VALUE_CHARS) if value is not None else "\u2014"
        fields.append(_mrkdwn(escape.truncate(f"*{label}*\n{shown}", FIELD_CHARS)))
    if summary.total:
        blocks.append({"type": "section", "text": _mrkdwn("*First result*"), "fields": fields})

    mentions, rejected = mention_markup(alert.mention_ids, allowed_mentions)
    if mentions:
        blocks.append({"type": "section", "text": _mrkdwn(mentions)})

    totals = (f"*{summary.total} result(s)* \u00b7 {len(summary.accounts)} account(s) \u00b7 "
              f"{len(summary.regions)} region(s) \u00b7 {summary.instances:g} instance(s) \u00b7 "
              f"est. ${summary.cost:,.2f}/hour in total")
    blocks.append({"type": "section", "text": _mrkdwn(totals)})

    lines = [_row_line(i + 1, row) for i, row in enumerate(summary.shown)]
    reserve = 4  # "and N more", context, actions, safety
    for text in _pack(lines, SECTION_CHARS):
        if len(blocks) >= MAX_BLOCKS - reserve:
            break
        blocks.append({"type": "section", "text": _mrkdwn(text)})
    more = summary.total - len(summary.shown)
    if more > 0:
        blocks.append({"type": "context", "elements": [_mrkdwn(f"\u2026and {more} more")]})
    blocks.append({"type": "context", "elements": [_mrkdwn(escape.mrkdwn(
        f"Splunk alert {alert.search_name} \u00b7 sid {alert.sid} \u00b7 severity {alert.severity}", FIELD_CHARS))]})
    url = _results_url(alert.results_link)
    buttons = []
    if url:
        buttons.append({"type": "button", "text": {"type": "plain_text", "text": "Open results in Splunk"}, "url": url})
    investigate = investigation_url(alert.results_link, summary.first)
    if investigate:
        buttons.append({"type": "button", "text": {"type": "plain_text", "text": "Investigate"}, "url": investigate})
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})

    first_bits = [escape.mrkdwn(v, 80) for v in (pick(summary.first, n) for _, n in KEY_FIELDS[:5]) if v]
    fallback = f"[{severity}] {escape.mrkdwn(alert.search_name, 150)}: {summary.total} result(s)"
    if first_bits:
        fallback += " \u2014 first: " + " / ".join(first_bits)
    if more > 0:
        fallback += f" (and {more} more)"
    if mentions:
        fallback = f"{mentions} {fallback}"
    return {"text": escape.truncate(fallback, FALLBACK_CHARS), "blocks": blocks[:MAX_BLOCKS]}, rejected
