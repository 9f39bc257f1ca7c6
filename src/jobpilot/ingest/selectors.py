"""Reads of ingest: which sources are due, and their health."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from jobpilot.ingest.models import ImportedJob, Source, SourceRun


def sources_due(*, now: datetime) -> QuerySet[Source]:
    """Enabled sources never run, or whose period has passed since their last run."""
    return (
        Source.objects.filter(enabled=True)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - F("every")))
        .order_by(F("last_run_at").asc(nulls_first=True))
    )


def source_status_list() -> list[dict]:
    """Every source with its health and how many of its jobs are listed."""
    from django.db.models import Count

    sources = Source.objects.annotate(
        live=Count("jobs", filter=Q(jobs__status=ImportedJob.Status.LIVE)),
        duplicates=Count("jobs", filter=Q(jobs__status=ImportedJob.Status.DUPLICATE)),
    ).order_by("name")
    return [
        {
            "id": source.pk,
            "name": source.name,
            "kind": source.kind,
            "url": source.url,
            "enabled": source.enabled,
            "healthy": source.healthy,
            "every": source.every,
            "last_run_at": source.last_run_at,
            "last_success_at": source.last_success_at,
            "consecutive_failures": source.consecutive_failures,
            "last_error": source.last_error,
            "last_counts": source.last_counts,
            "live": source.live,
            "duplicates": source.duplicates,
        }
        for source in sources
    ]


def imported_job_last_verified(job: ImportedJob) -> datetime:
    """When the job was last seen live: written, or present in a complete fetch of its source since."""
    complete = job.source.last_complete_at
    if job.status == ImportedJob.Status.LIVE and complete and complete > job.last_verified_live:
        return complete
    return job.last_verified_live


def source_runs_recent(*, source: Source, limit: int = 20) -> QuerySet[SourceRun]:
    return source.runs.order_by("-started_at")[:limit]
