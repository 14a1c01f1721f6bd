"""Engine test helpers: real CloudTrail sample events (tests/data/cloudtrail) as indexed events."""
from datetime import datetime, timezone
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
CT_DIR = DATA / "cloudtrail"
GEOIP_DB = DATA / "geoip" / "GeoLite2-City-Test.mmdb"
_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S")


def _epoch(text: str) -> float:
    text = text.split(".")[0]
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
    raise ValueError(text)


def load_cloudtrail(*names):
    """Events as the ingester indexes them: verbatim _raw, _time from eventTime, metadata fields."""
    import orjson

    events = []
    for name in names or ("stratus_sample.ndjson", "panther_sample.ndjson"):
        for line in (CT_DIR / name).read_text().splitlines():
            obj = orjson.loads(line)
            t = _epoch(obj["eventTime"])
            events.append({"_raw": line, "_time": t, "_indextime": t + 600, "index": "aws",
                           "sourcetype": "aws:cloudtrail", "source": name, "host": "test"})
    return events


@pytest.fixture(scope="session")
def ct_events():
    return load_cloudtrail()
