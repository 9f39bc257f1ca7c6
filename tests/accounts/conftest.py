import pytest
from django.core.cache import cache

from tests.jobs.conftest import make_posting  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Login and registration counters live in Redis and outlast a test; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
