"""Reads of the current tenant's postings and company profile. Everything here reads the schema the connection
is in: the tenant of the request's host, or the one a task or command entered with `tenant_context`."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Min, Q, QuerySet

from jobpilot.core.errors import NotFound
from jobpilot.jobs.models import CompanyProfile, JobPosting
from tenants.models import Tenant


def current_tenant() -> Tenant:
    """The tenant whose schema the connection is in.

    WARNING: whatever is copied out of a tenant's schema (the marketplace index) is labelled with this tenant.
    It is derived from the connection the rows were read through, never passed in, so a caller cannot label
    one employer's posting with another employer's name.
    """
    schema = connection.schema_name
    if schema == settings.PUBLIC_SCHEMA_NAME:
        raise RuntimeError(
            "Job postings are read in a tenant's schema; the connection is in the public schema."
        )
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant) and tenant.pk and tenant.schema_name == schema:
        return tenant
    return Tenant.objects.get(schema_name=schema)


def company_profile_get() -> CompanyProfile:
    """The employer's profile; until it has saved one, a default named after the tenant (not stored)."""
    profile = CompanyProfile.objects.filter(pk=CompanyProfile.SINGLETON_ID).first()
    return profile or CompanyProfile(name=current_tenant().name)


def parse_public_id(value) -> uuid.UUID:
    """A public job id from a URL. Ids are opaque to callers: one that is not even well-formed is just not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise NotFound("No such job.", code="job_not_found") from error


def job_posting_get(*, public_id) -> JobPosting:
    posting = JobPosting.objects.filter(public_id=parse_public_id(public_id)).first()
    if posting is None:
        raise NotFound("No such job.", code="job_not_found")
    return posting


def job_posting_list(
    *, status: str | None = None, q: str = "", department: str = "", order: str = "-updated_at"
) -> QuerySet[JobPosting]:
    postings = JobPosting.objects.all()
    if status:
        postings = postings.filter(status=status)
    if q:
        postings = postings.filter(title__icontains=q)
    if department:
        postings = postings.filter(department__iexact=department)
    return postings.order_by(order, "-id")


def job_postings_live(*, now: datetime) -> QuerySet[JobPosting]:
    """Published postings that are still open: what the marketplace index must hold for this tenant."""
    return JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).exclude(_closed_by(now=now))


def job_postings_due_to_close(*, now: datetime) -> QuerySet[JobPosting]:
    """Published postings past their expiry or their application deadline."""
    return JobPosting.objects.filter(_closed_by(now=now), status=JobPosting.Status.PUBLISHED)


def job_postings_next_close_at() -> datetime | None:
    """When the first published posting of this schema closes (for the expiry beat)."""
    times = JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).aggregate(
        expires=Min("expires_at"), deadline=Min("deadline_ends_at")
    )
    return min((at for at in times.values() if at is not None), default=None)


def _closed_by(*, now: datetime) -> Q:
    # As `JobPosting.closes_at` says: the expiry, or the end of the deadline day in the employer's time zone.
    return Q(expires_at__lte=now) | Q(deadline_ends_at__lte=now)
