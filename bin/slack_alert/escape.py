"""Neutralise untrusted values before they reach Slack.

Result values come from attacker-controllable log fields (CloudTrail userAgent, user names, tags ...).
Slack parses `<...>` as links and mentions (`<!channel>`, `<@U123>`, `<https://evil|Reset>`) and `&`
starts an entity, so those three characters are entity-escaped. Control characters and bidirectional
overrides (which can visually disguise text) are removed, whitespace runs collapse to one space and
every value is cut to a bounded length.
"""
import re
import unicodedata

_BIDI_AND_ZERO_WIDTH = {
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
}
_WHITESPACE_RUN = re.compile(r"\s+")
ELLIPSIS = "\u2026"


def clean(value, limit):
    """Return `value` as one line of printable text of at most `limit` characters (not yet escaped)."""
    text = str(value)
    if len(text) > limit * 4:
        text = text[: limit * 4]
    kept = []
    for char in text:
        if char in _BIDI_AND_ZERO_WIDTH:
            continue
        category = unicodedata.category(char)
        if category == "Cc" or category == "Cs":
            kept.append(" ")
        else:
            kept.append(char)
    text = _WHITESPACE_RUN.sub(" ", "".join(kept)).strip()
    return truncate(text, limit)


def truncate(text, limit):
    """Cut `text` to `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def mrkdwn(value, limit):
    """Clean `value` and escape it for Slack mrkdwn / message text; the result is at most `limit` chars."""
    text = clean(value, limit)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Neutralise formatting that could break out of inline code or bold markup.
    escaped = escaped.replace("`", "'").replace("*", "\u2217")
    while len(escaped) > limit:
        text = text[: max(len(text) - (len(escaped) - limit) - 1, 0)]
        escaped = truncate_escaped(text)
    return escaped


def truncate_escaped(text):
    """Escape an already cleaned text and append an ellipsis (helper for mrkdwn's shrinking loop)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("`", "'").replace("*", "\u2217") + ELLIPSIS
