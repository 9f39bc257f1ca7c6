"""Fixtures for webhook tests: a local receiver, an employer on a plan with webhooks, an endpoint."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.webhooks import services
from jobpilot.webhooks.events import SUBSCRIBABLE
from tests.applications.conftest import applied, apply_to, job  # noqa: F401
from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def webhooks_plan(on_plan, tenant_a, tenant_b):
    """Both test employers on Growth, which includes webhooks."""
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")


@pytest.fixture
def fast_timeouts(settings):
    settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS = 1.0
    settings.WEBHOOKS_READ_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def endpoint_for(webhooks_plan):
    """`endpoint_for(tenant, url, event_types=all)`: an endpoint made through the service."""

    def make(tenant, url, event_types=None, **fields):
        with tenant_context(tenant):
            return services.webhook_endpoint_create(
                actor=None, url=url, event_types=event_types or [str(e) for e in SUBSCRIBABLE], **fields
            )

    return make
