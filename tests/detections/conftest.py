"""Fixtures shared by the detection replay tests."""
import pytest
from edge_events import ASN_DB, CITY_DB, ROOT

from replay.app_overlay import offline_app


@pytest.fixture(scope="module")
def app():
    """An offline copy of the app whose ipcontext/iplocation use MaxMind's test databases."""
    with offline_app(ROOT, CITY_DB, ASN_DB) as path:
        yield path
