"""Fixtures for employer and marketplace tests: members by role, signed-in clients, postings in a given state."""

import itertools

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.jobs.models import JobPosting
from jobpilot.jobs.schemas import JobPostingIn
from tenants.models import Membership
from tests.conftest import host_of, lift_posting_limit

_numbers = itertools.count(1)


@pytest.fixture
def member(make_user):
    """`member(tenant, role)`: a new user with that role on the tenant's staff."""

    def make(tenant, role=Membership.Role.RECRUITER):
        user = make_user()
        Membership.objects.create(user=user, tenant=tenant, role=role)
        return user

    return make


@pytest.fixture
def signed_in(client_for):
    """`signed_in(user, tenant)`: a client on the tenant's domain (public domain for None), logged in."""

    def make(user, tenant=None):
        client = client_for(tenant)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def staff_client(member, signed_in):
    """`staff_client(tenant, role)`: a client on the tenant's domain, logged in as a member with that role."""

    def make(tenant, role=Membership.Role.ADMIN):
        return signed_in(member(tenant, role), tenant)

    return make


def posting_data(**fields) -> dict:
    """Valid posting fields; titles are unique, because tenant schemas keep the rows of committing tests."""
    number = next(_numbers)
    defaults = {
        "title": f"Posting {number}",
        "description": "<p>We build things.</p>",
        "city": "Berlin",
        "country": "DE",
    }
    return JobPostingIn.model_validate({**defaults, **fields}).model_dump()


@pytest.fixture
def make_posting():
    """`make_posting(tenant, status="published", **fields)`: a posting created (and published, closed...)
    through the services, so the marketplace index is written as in production."""

    def make(tenant, status=JobPosting.Status.PUBLISHED, **fields) -> JobPosting:
        lift_posting_limit(tenant)
        with tenant_context(tenant):
            posting = services.job_posting_create(actor=None, data=posting_data(**fields))
            if status in (JobPosting.Status.PUBLISHED, JobPosting.Status.CLOSED):
                posting = services.job_posting_publish(actor=None, posting=posting)
            if status == JobPosting.Status.CLOSED:
                posting = services.job_posting_close(actor=None, posting=posting)
            if status == JobPosting.Status.ARCHIVED:
                posting = services.job_posting_archive(actor=None, posting=posting)
            return posting

    return make


def api_host(tenant) -> str:
    return host_of(tenant)
