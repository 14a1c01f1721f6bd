"""Turn whatever a record holds into one clean text value, or None (never an exception)."""

MAX_VALUE_CHARS = 2048


def single_text(value, max_chars=MAX_VALUE_CHARS):
    """The value as stripped text when it is one usable scalar; None for empty, multivalue, huge or odd values.

    Multivalue fields yield None on purpose: the commands enrich one value per record, and a multivalue has
    no single answer (use mvexpand first). Values longer than max_chars cannot be hosts, IPs or URLs.
    """
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            return None
        value = value[0]
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = value if isinstance(value, str) else str(value)
    if len(text) > max_chars:
        return None
    text = text.strip()
    return text or None


def raw_text(value):
    """A hashable, bounded stand-in for a record value (a cache key): short str/None as is, else single_text."""
    if value is None or (type(value) is str and len(value) <= MAX_VALUE_CHARS):
        return value
    return single_text(value)
