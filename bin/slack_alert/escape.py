"""Neutralise untrusted values before they reach Slack.

Result values come from attacker-controllable log fields (CloudTrail userAgent, user names, tags ...).
- `&`, `<`, `>` are entity-escaped: Slack parses `<...>` as links and mentions (`<!channel>`, `<@U123>`,
  `<https://evil|Reset>`) and `&` starts an entity.
- Invisible and format characters are removed: every Unicode `Cf` character (bidi overrides and isolates,
  zero-width characters, U+061C, U+00AD, U+2061-U+2064, tag characters ...) and every other Default_Ignorable
  code point (variation selectors, Hangul fillers ...), from a fixed table so Python 3.9 (Unicode 13) removes
  what 3.13 (Unicode 15.1) knows, plus whatever the running Python classifies as `Cf`. Control characters
  become spaces, whitespace runs collapse.
- What Slack would auto-parse is defused: `@word` (`@here`, `@channel`, `@everyone`, user names) gets a
  full-width at sign, `#word` a full-width number sign, and URL schemes (`https://`, `mailto:`...) and
  `www.` are defanged (`https[:]//`, `www[.]`) as SOC reports do. render.py also marks every mrkdwn text
  object `verbatim`, which turns off Slack's link and mention preprocessing for bare domains.
- Every value is cut to a bounded length.
"""
import re
import unicodedata

# Cf (Unicode 15.1) and Default_Ignorable_Code_Point ranges, inclusive.
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
_INVISIBLE = re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in INVISIBLE_RANGES) + "]")
_WHITESPACE_RUN = re.compile(r"\s+")
_MENTION = re.compile(r"@(?=\w)")
_CHANNEL = re.compile(r"#(?=\w)")
_URL_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,31}):(?=//|[^\s/]*@)")
_WWW = re.compile(r"(?i)\bwww\.")
ELLIPSIS = "\u2026"


def clean(value, limit):
    """Return `value` as one line of visible text of at most `limit` characters (not yet escaped)."""
    text = str(value)
    if len(text) > limit * 4:
        text = text[: limit * 4]
    text = _INVISIBLE.sub("", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category in ("Cc", "Cs") else char)
    text = _WHITESPACE_RUN.sub(" ", "".join(kept)).strip()
    return truncate(text, limit)


def truncate(text, limit):
    """Cut `text` to `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def _escape(text):
    """Entity-escape, defuse auto-parsed mentions/links and formatting of an already cleaned text."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _URL_SCHEME.sub(r"\1[:]", escaped)
    escaped = _MENTION.sub("\uff20", escaped)
    escaped = _CHANNEL.sub("\uff03", escaped)
    escaped = _WWW.sub(lambda m: m.group(0)[:3] + "[.]", escaped)
    # Neutralise formatting that could break out of inline code or bold markup.
    return escaped.replace("`", "'").replace("*", "\u2217")


def mrkdwn(value, limit):
    """Clean `value` and escape it for Slack mrkdwn / message text; the result is at most `limit` chars."""
    text = clean(value, limit)
    escaped = _escape(text)
    while len(escaped) > limit:
        text = text[: max(len(text) - (len(escaped) - limit) - 1, 0)]
        escaped = _escape(text) + ELLIPSIS
    return escaped
