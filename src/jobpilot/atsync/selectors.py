"""Reads of an employer's ATS connections (in the employer's schema)."""

from django.db.models import Count, Q, QuerySet

from jobpilot.atsync.models import AtsConnection
from jobpilot.core.errors import NotFound
from jobpilot.jobs.models import JobPosting


def ats_connection_list() -> QuerySet[AtsConnection]:
    return AtsConnection.objects.order_by("created_at", "pk")


def ats_connection_get(*, connection_id: int) -> AtsConnection:
    # The schema is the boundary: another employer's connection id is simply not found here.
    found = AtsConnection.objects.filter(pk=connection_id).first()
    if found is None:
        raise NotFound("No such ATS connection.", code="ats_connection_not_found")
    return found


def ats_connection_posting_counts(*, connection_id: int) -> dict[str, int]:
    """How many of the connection's postings are in each status (drafts: waiting for room on the plan or for
    what a published job needs)."""
    Status = JobPosting.Status
    return JobPosting.objects.filter(ats_connection_id=connection_id).aggregate(
        published=Count("pk", filter=Q(status=Status.PUBLISHED)),
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
    )
