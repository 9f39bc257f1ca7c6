"""The index is rebuilt from PostgreSQL, the source of truth: live jobs in, closed jobs out."""

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.search.backend import SearchQuery
from jobpilot.search.index import backend

pytestmark = pytest.mark.django_db


def test_rebuild_from_empty_indexes_live_jobs_and_never_a_closed_one(tenant_a, make_posting):
    make_posting(tenant_a, title="Quartz Welder")
    closed = make_posting(tenant_a, title="Quartz Polisher")
    with tenant_context(tenant_a):
        services.job_posting_close(actor=None, posting=closed)
    backend().clear()
    call_command("rebuild_search_index")
    found = backend().search(SearchQuery(text="quartz"))
    assert found.total == 1
