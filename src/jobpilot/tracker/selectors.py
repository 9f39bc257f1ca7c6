"""Reads for the tracker and the seeker's dashboard. Every read is filtered by the seeker first.

The dashboard is built from aggregates over denormalized columns (status, responded, reached_* flags): two
queries for the stats however many applications the seeker tracks.
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.urls import reverse
from django.utils import timezone

from jobpilot.core.errors import NotFound
from jobpilot.tracker.models import (
    CLOSED_STATUSES,
    PublicStatus,
    TrackedApplication,
    TrackedApplicationEvent,
    TrackedInterview,
)

DEFAULT_UPCOMING_DAYS = 14
UPCOMING_LIMIT = 100


def tracked_application_url(application_id) -> str:
    """The application's page in the seeker's tracker, on the public site (absolute: notifications link to it
    from emails and from any host)."""
    path = reverse(
        "portal:tracker-application", args=[application_id], urlconf=settings.PUBLIC_SCHEMA_URLCONF
    )
    return settings.SITE_URL.rstrip("/") + path


def tracked_application_list(
    *, seeker, filters=None, sort: str = "-applied_on"
) -> QuerySet[TrackedApplication]:
    queryset = TrackedApplication.objects.filter(seeker=seeker)
    if filters is not None:
        queryset = filters.filter(queryset)
    return queryset.order_by(sort, "-created_at")


def tracked_application_get(*, seeker, application_id: uuid.UUID) -> TrackedApplication:
    application = (
        TrackedApplication.objects.filter(seeker=seeker, pk=application_id)
        .prefetch_related(
            Prefetch("events", queryset=TrackedApplicationEvent.objects.order_by("occurred_at", "id")),
            Prefetch("interviews", queryset=TrackedInterview.objects.order_by("starts_at")),
        )
        .first()
    )
    if application is None:
        raise NotFound("Application not found.")
    return application


def tracked_application_for_job(*, seeker, job_public_id) -> TrackedApplication | None:
    """The seeker's application to a JobPilot job, if any (None for anonymous visitors): job pages say "applied"
    before the form is filled in again."""
    if not getattr(seeker, "is_authenticated", False):
        return None
    return TrackedApplication.objects.filter(seeker=seeker, job_public_id=job_public_id).first()


def tracked_interview_list(*, seeker, application_id: uuid.UUID) -> QuerySet[TrackedInterview]:
    if not TrackedApplication.objects.filter(seeker=seeker, pk=application_id).exists():
        raise NotFound("Application not found.")
    return TrackedInterview.objects.filter(seeker=seeker, application_id=application_id).order_by("starts_at")


def tracker_export_queryset(*, seeker) -> QuerySet[TrackedApplication]:
    return TrackedApplication.objects.filter(seeker=seeker).order_by("applied_on", "created_at")


# --- Dashboard ----------------------------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def dashboard_stats(*, seeker, weeks: int = 12, today: date | None = None) -> dict:
    """Counts by status, the applied -> interview -> offer funnel, response rate, average days to the first
    answer and applications per week (the last `weeks` weeks, oldest first, Monday-based).

    Two queries whatever the tracker's size: one GROUP BY status (at most seven rows, summed here) and one
    GROUP BY week.
    """
    today = today or timezone.localdate()
    applications = TrackedApplication.objects.filter(seeker=seeker)
    # Aliases must not shadow model fields (`responded` is one), hence the n_ prefix.
    per_status = {
        row["status"]: row
        for row in applications.order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            n_responded=Count("id", filter=Q(responded=True)),
            n_interviewing=Count("id", filter=Q(reached_interview=True)),
            n_offer=Count("id", filter=Q(reached_offer=True)),
            n_observed=Count("id", filter=Q(first_response_at__isnull=False)),
            delay_total=Sum(
                ExpressionWrapper(
                    TruncDate("first_response_at") - F("applied_on"), output_field=DurationField()
                ),
                filter=Q(first_response_at__isnull=False),
            ),
        )
    }
    first_week = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    per_week = dict(
        applications.filter(applied_on__gte=first_week, applied_on__lte=today)
        .annotate(week=TruncWeek("applied_on"))
        .values("week")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("week", "count")
    )

    def total_of(key: str) -> int:
        return sum(row[key] for row in per_status.values())

    total, interviewing, offer = total_of("n"), total_of("n_interviewing"), total_of("n_offer")
    withdrawn = per_status.get(PublicStatus.WITHDRAWN, {})
    # Withdrawn before any answer: the employer never had the chance to respond, so it is not a non-response.
    withdrawn_unanswered = withdrawn.get("n", 0) - withdrawn.get("n_responded", 0)
    observed = total_of("n_observed")
    delay_days = sum(
        (row["delay_total"] or timedelta()).total_seconds() / 86400 for row in per_status.values()
    )
    return {
        "total": total,
        "active": total - sum(per_status.get(status, {}).get("n", 0) for status in CLOSED_STATUSES),
        "by_status": {status.value: per_status.get(status, {}).get("n", 0) for status in PublicStatus},
        "funnel": {
            "applied": total,
            "interviewing": interviewing,
            "offer": offer,
            "applied_to_interview_rate": _rate(interviewing, total),
            "interview_to_offer_rate": _rate(offer, interviewing),
        },
        "response_rate": _rate(total_of("n_responded"), total - withdrawn_unanswered),
        "average_days_to_first_response": round(delay_days / observed, 1) if observed else None,
        "applications_per_week": [
            {"week_start": week, "count": per_week.get(week, 0)}
            for week in (first_week + timedelta(weeks=n) for n in range(weeks))
        ],
    }


def recent_activity(*, seeker) -> QuerySet[TrackedApplicationEvent]:
    """The seeker's tracker events, newest first (paginate with a cursor: the feed grows while it is read)."""
    return (
        TrackedApplicationEvent.objects.filter(seeker=seeker)
        .select_related("application")
        .only(
            "id",
            "kind",
            "actor",
            "from_status",
            "to_status",
            "data",
            "occurred_at",
            "application_id",
            "application__company",
            "application__title",
        )
        .order_by("-occurred_at", "-id")
    )


def upcoming(*, seeker, days: int = DEFAULT_UPCOMING_DAYS, now: datetime | None = None) -> list[dict]:
    """Scheduled interviews and deadlines of open applications in the next `days` days, soonest first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    interviews = (
        TrackedInterview.objects.filter(
            seeker=seeker,
            status=TrackedInterview.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=days),
        )
        .exclude(application__status__in=CLOSED_STATUSES)
        .select_related("application")
        .order_by("starts_at")[:UPCOMING_LIMIT]
    )
    deadlines = (
        TrackedApplication.objects.filter(
            seeker=seeker, deadline__gte=today, deadline__lte=today + timedelta(days=days)
        )
        .exclude(status__in=CLOSED_STATUSES)
        .only("id", "company", "title", "deadline")
        .order_by("deadline")[:UPCOMING_LIMIT]
    )
    items = [
        {
            "type": "interview",
            "at": interview.starts_at,
            "on": timezone.localdate(interview.starts_at),
            "application_id": interview.application_id,
            "company": interview.application.company,
            "title": interview.application.title,
            "interview": interview,
        }
        for interview in interviews
    ] + [
        {
            "type": "deadline",
            "at": None,
            "on": application.deadline,
            "application_id": application.id,
            "company": application.company,
            "title": application.title,
            "interview": None,
        }
        for application in deadlines
    ]
    # A deadline counts until the end of its day, so it sorts after that day's interviews.
    end_of_day = time.max.replace(tzinfo=timezone.get_current_timezone())
    items.sort(key=lambda item: item["at"] or datetime.combine(item["on"], end_of_day))
    return items[:UPCOMING_LIMIT]


# --- Privacy ------------------------------------------------------------------------------------------------------


def tracker_export_data(*, seeker) -> list[dict]:
    """Every tracked application with its history and interviews, for the seeker's data export."""
    applications = tracker_export_queryset(seeker=seeker).prefetch_related(
        Prefetch("events", queryset=TrackedApplicationEvent.objects.order_by("occurred_at", "id")),
        Prefetch("interviews", queryset=TrackedInterview.objects.order_by("starts_at")),
    )
    skip = {"seeker", "tenant", "resume"}
    return [
        {
            **{
                field.name: getattr(application, field.attname)
                for field in TrackedApplication._meta.concrete_fields
                if field.name not in skip
            },
            "employer": application.tenant.name if application.tenant_id else None,
            "resume_id": application.resume_id,
            "history": [
                {
                    "kind": event.kind,
                    "actor": event.actor,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "data": event.data,
                    "occurred_at": event.occurred_at,
                }
                for event in application.events.all()
            ],
            "interviews": [
                {
                    "kind": interview.kind,
                    "title": interview.title,
                    "starts_at": interview.starts_at,
                    "duration_minutes": interview.duration_minutes,
                    "location": interview.location,
                    "meeting_url": interview.meeting_url,
                    "status": interview.status,
                }
                for interview in application.interviews.all()
            ],
        }
        for application in applications.select_related("tenant")
    ]


def tracked_applications_showing_job_snapshot(*, applications) -> set:
    """Of these tracker rows, the ids of those that show the job as the seeker applied to it: they have a snapshot
    and their job is no longer live in the marketplace (one query). The list and the application page both ask."""
    from jobpilot.marketplace.models import MarketplaceJob

    with_snapshot = [a for a in applications if a.job_snapshot]
    ids = [a.job_public_id for a in with_snapshot if a.job_public_id]
    live = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    listed = (
        set(MarketplaceJob.objects.filter(live, public_id__in=ids).values_list("public_id", flat=True))
        if ids
        else set()
    )
    return {a.pk for a in with_snapshot if a.job_public_id not in listed}
