"""Reads of the employer's pipeline, in the schema of the request's tenant."""

from datetime import datetime

from django.db import connection
from django.db.models import Case, Count, F, Min, Q, QuerySet, When

from billing.entitlements import require_feature
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.applications.models import Application, Interview, Note, PipelineStage, Scorecard, StatusChange
from jobpilot.core.errors import NotFound
from jobpilot.jobs.selectors import job_posting_get


def pipeline_stage_list() -> QuerySet[PipelineStage]:
    # Meta.ordering is not applied to aggregating queries: order explicitly.
    return PipelineStage.objects.annotate(application_count=Count("applications")).order_by("position", "id")


def application_list(
    *,
    job_id: str | None = None,
    stage_id: int | None = None,
    q: str = "",
    min_rating: float | None = None,
    include_withdrawn: bool = False,
) -> QuerySet[Application]:
    applications = Application.objects.select_related("stage", "job")
    if job_id is not None:
        applications = applications.filter(job=job_posting_get(public_id=job_id))
    if stage_id is not None:
        applications = applications.filter(stage_id=stage_id)
    if q:
        applications = applications.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if min_rating is not None:
        applications = applications.filter(rating__gte=min_rating)
    if not include_withdrawn:
        applications = applications.filter(withdrawn_at__isnull=True)
    # Priority candidates (the seeker's plan sells "Shown first to employers") first, then newest first.
    return applications.order_by("-priority", "-created_at", "-id")


def application_get(*, application_id: int) -> Application:
    application = Application.objects.select_related("stage", "job").filter(pk=application_id).first()
    if application is None:
        raise NotFound("Application not found.", code="application_not_found")
    return application


def application_history(*, application_id: int) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(application_id=application_id).select_related("from_stage", "to_stage")


def note_list(*, application_id: int) -> QuerySet[Note]:
    return Note.objects.filter(application_id=application_id)


def interview_list(*, application_id: int) -> QuerySet[Interview]:
    return Interview.objects.filter(application_id=application_id)


def scorecard_list(*, application_id: int) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(application_id=application_id)


# Each stay in a stage runs from the history row that entered it to the next row of the application (a move or the
# withdrawal), or to now for the current stage. One pass over the history with a window function.
_TIME_IN_STAGE_SQL = """
    WITH stays AS (
        SELECT h.to_stage_id AS stage_id,
               COALESCE(
                   LEAD(h.occurred_at) OVER (PARTITION BY h.application_id ORDER BY h.occurred_at, h.id),
                   now()
               ) - h.occurred_at AS spent
        FROM applications_statuschange h
    )
    SELECT stage_id, COUNT(*), EXTRACT(EPOCH FROM AVG(spent)), EXTRACT(EPOCH FROM MAX(spent))
    FROM stays WHERE stage_id IS NOT NULL GROUP BY stage_id
"""


def employer_dashboard(*, tenant) -> dict:
    """Applications per job and stage (one GROUP BY) and time in stage from the history (one window query).

    "Hiring analytics" on the pricing page: plans without `Feature.ANALYTICS` get 402 `feature_not_in_plan`
    (with `upgrade_url`); the pipeline board's own counts stay free."""
    require_feature(billing_account_for_tenant(tenant), Feature.ANALYTICS)
    stages = list(PipelineStage.objects.values("id", "name", "position", "public_status"))
    rows = (
        Application.objects.filter(withdrawn_at__isnull=True)
        .values("job_id", "job__public_id", "job__title", "job__status", "stage_id")
        .annotate(count=Count("id"))
        .order_by("job_id", "stage_id")
    )
    jobs: dict[int, dict] = {}
    for row in rows:
        job = jobs.setdefault(
            row["job_id"],
            {
                "job_id": row["job__public_id"],
                "title": row["job__title"],
                "status": row["job__status"],
                "total": 0,
                "by_stage": {},
            },
        )
        job["total"] += row["count"]
        job["by_stage"][row["stage_id"]] = row["count"]
    with connection.cursor() as cursor:
        cursor.execute(_TIME_IN_STAGE_SQL)
        stays = {stage_id: (count, avg, longest) for stage_id, count, avg, longest in cursor.fetchall()}
    stage_rows = []
    for stage in stages:
        count, avg, longest = stays.get(stage["id"], (0, None, None))
        stage_rows.append(
            {
                **stage,
                "applications": sum(job["by_stage"].get(stage["id"], 0) for job in jobs.values()),
                "stays": count,
                "average_hours_in_stage": round(float(avg) / 3600, 2) if avg is not None else None,
                "longest_hours_in_stage": round(float(longest) / 3600, 2) if longest is not None else None,
            }
        )
    return {
        "stages": stage_rows,
        "jobs": [
            {**job, "by_stage": [{"stage_id": sid, "count": n} for sid, n in job["by_stage"].items()]}
            for job in sorted(jobs.values(), key=lambda job: -job["total"])
        ],
        "total": sum(job["total"] for job in jobs.values()),
    }


def interviews_next_reminder_at() -> datetime | None:
    """When this schema's next interview reminder is due (for the reminder beat)."""
    one_hour, one_day = Interview.REMINDER_HORIZONS
    pending = Interview.objects.filter(status=Interview.Status.SCHEDULED, reminded_1h_at__isnull=True)
    return pending.aggregate(
        at=Min(
            Case(
                When(reminded_24h_at__isnull=True, then=F("starts_at") - one_day),
                default=F("starts_at") - one_hour,
            )
        )
    )["at"]
