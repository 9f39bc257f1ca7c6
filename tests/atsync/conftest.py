"""Fixtures for ATS sync tests: the ingest tests' local board server (real-format fixtures), both test employers on
Growth (which includes ATS sync), the kinds' base URLs pointed at the local server, and a connection maker."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.atsync import services
from jobpilot.atsync.models import AtsConnection
from jobpilot.jobs.models import JobPosting
from tests.ingest.conftest import Answer, _fast_retries, feed_server  # noqa: F401
from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401

GREENHOUSE = "/v1/boards/"
LEVER = "/v0/postings/"
ASHBY = "/posting-api/job-board/"


@pytest.fixture
def ats_plan(on_plan, tenant_a, tenant_b):
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")


@pytest.fixture
def boards(feed_server, settings):  # noqa: F811 - the fixture imported above
    """The local server plays Greenhouse, Lever and Ashby at their real paths."""
    settings.ATS_BOARD_BASE_URLS = {
        "greenhouse": feed_server.url + GREENHOUSE,
        "lever": feed_server.url + LEVER,
        "ashby": feed_server.url + ASHBY,
    }
    return feed_server


def serve_greenhouse(server, board="vaultline", jobs="greenhouse_jobs.json"):
    server.route(f"{GREENHOUSE}{board}", "greenhouse_board.json")
    server.route(f"{GREENHOUSE}{board}/jobs", jobs)


def serve_lever(server, site="northwind"):
    server.route(f"{LEVER}{site}", "lever_page1.json", "lever_page2.json")


def serve_ashby(server, board="Lumen"):
    server.route(f"{ASHBY}{board}", "ashby_board.json")


@pytest.fixture
def connect(ats_plan, django_capture_on_commit_callbacks):
    """`connect(tenant, kind, board)`: a connection made through the service (its queued sync is not run)."""

    def make(tenant, kind, board, **fields):
        with tenant_context(tenant):
            return services.ats_connection_create(actor=None, kind=kind, board=board, **fields)

    return make


def sync(tenant, connection: AtsConnection) -> AtsConnection:
    with tenant_context(tenant):
        return services.ats_connection_sync(connection_id=connection.pk)


def postings_of(tenant, connection: AtsConnection) -> dict[str, JobPosting]:
    with tenant_context(tenant):
        return {p.external_id: p for p in JobPosting.objects.filter(ats_connection_id=connection.pk)}
