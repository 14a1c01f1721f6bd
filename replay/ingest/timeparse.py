"""Timestamps of AWS log formats -> epoch seconds (UTC when the text carries no offset)."""
from datetime import datetime, timezone


def iso_to_epoch(text):
    """Parse ISO 8601 as AWS writes it ("2024-01-01T00:00:00Z", ".123Z", "+00:00", or "2024-01-01 00:00:00").

    Returns an int for whole seconds and a float otherwise, like Splunk's _time; raises ValueError.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"not a timestamp: {text!r}")
    stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    value = stamp.timestamp()
    return int(value) if value == int(value) else round(value, 6)
