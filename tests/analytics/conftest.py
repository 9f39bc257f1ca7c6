import pytest

from jobpilot.analytics import capture
from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_event_buffer(settings):
    """Each test starts with an empty outbox and Redis list (earlier tests' events, handed on first so that none
    arrive mid-test from the flusher)."""
    capture.drain()
    capture._client().delete(capture.REDIS_KEY)
    yield
    capture.drain()
    capture._client().delete(capture.REDIS_KEY)
