import pytest

from jobpilot.analytics import capture
from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_event_buffer(settings):
    """Each test starts with an empty Redis buffer (this helper's Redis db is shared by the test run)."""
    if settings.REDIS_URL:
        capture._client().delete(capture.REDIS_KEY)
    yield
    capture._buffer.set(None)
    if settings.REDIS_URL:
        capture._client().delete(capture.REDIS_KEY)
