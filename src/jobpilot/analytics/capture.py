"""Capturing events without slowing the request: `record()` appends a tuple to a per-request buffer (a context
variable, so threads and async tasks never share one); when the request finishes the buffer goes to a Redis list in
one RPUSH, and the `analytics.flush_events` task COPYs the list into PostgreSQL in batches. Without Redis (local
runs) the buffer is written straight to PostgreSQL at request end."""

import contextvars
import json
import uuid

from django.conf import settings
from django.utils import timezone

from jobpilot.analytics.models import Event

REDIS_KEY = "analytics:events"
SESSION_KEY = "analytics_via"  # {"job": public id, "source": the marked source of the visit}
MARKED_SOURCES = {Event.Source.ALERT_EMAIL, Event.Source.RECOMMENDATION}
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")

_buffer: contextvars.ContextVar[list | None] = contextvars.ContextVar("analytics_buffer", default=None)
_redis = None


def record(kind: str, *, job, source: str, seeker=None, request=None) -> None:
    """Note that `kind` happened to `job` (a MarketplaceJob, or anything with tenant_id and public_id). An imported
    listing's events are sourced `imported`. Impressions never keep the seeker. Cheap: no I/O here."""
    if job.tenant_id is None and source in (Event.Source.MARKETPLACE, Event.Source.API):
        source = Event.Source.IMPORTED
    seeker_id = None if kind == Event.Kind.IMPRESSION or seeker is None else seeker.pk
    if (
        seeker_id is None
        and kind != Event.Kind.IMPRESSION
        and request is not None
        and request.user.is_authenticated
    ):
        seeker_id = request.user.pk
    _append(
        (
            timezone.now().isoformat(),
            kind,
            source,
            job.tenant_id,
            str(job.public_id),
            seeker_id,
            utm_of(request),
        )
    )


def record_applied(request, tracked, *, source: str | None = None) -> None:
    """An application submitted (or an external apply link followed), from the tracker row it made."""
    if tracked.job_public_id is None:
        return
    source = source_of(request, default=source)
    if tracked.tenant_id is None and source in (Event.Source.MARKETPLACE, Event.Source.API):
        source = Event.Source.IMPORTED
    _append(
        (
            timezone.now().isoformat(),
            Event.Kind.APPLY_SUBMITTED,
            source,
            tracked.tenant_id,
            str(tracked.job_public_id),
            tracked.seeker_id,
            utm_of(request),
        )
    )


def record_view(request, job, *, source: str | None = None) -> None:
    """A job page (or API detail) seen, plus the click that led there when it came from an alert email
    (utm_medium=email) or a recommendation (utm_source=recommendation)."""
    source = source_of(request, default=source)
    record(Event.Kind.VIEW, job=job, source=source, request=request)
    if source in MARKED_SOURCES and request.user.is_authenticated:
        # The apply form's URL carries no marker: remember where this visit came from for the apply events.
        request.session[SESSION_KEY] = {"job": str(job.public_id), "source": source}
    if source == Event.Source.ALERT_EMAIL:
        record(Event.Kind.ALERT_CLICK, job=job, source=source, request=request)
    if request.GET.get("utm_source") == "recommendation":
        record(Event.Kind.RECOMMENDATION_CLICK, job=job, source=source, request=request)


def record_impressions(*, jobs, source: str, request=None) -> None:
    """One impression per job in a list shown (dicts from search results, with 'id' and 'tenant_id')."""
    now, utm = timezone.now().isoformat(), utm_of(request)
    for job in jobs:
        _append((now, Event.Kind.IMPRESSION, source, job.get("tenant_id"), str(job["id"]), None, utm))


def source_of(request, *, default: str | None = None) -> str:
    """Where the visit came from: an alert email's links carry utm_medium=email, a recommended card's
    utm_source=recommendation; else the host."""
    if request is not None and request.GET.get("utm_medium") == "email":
        return Event.Source.ALERT_EMAIL
    if request is not None and request.GET.get("utm_source") == "recommendation":
        return Event.Source.RECOMMENDATION
    if default:
        return default
    return (
        Event.Source.MARKETPLACE if request is None or request.tenant.is_public else Event.Source.CAREERS_SITE
    )


def apply_source_of(request, job_public_id) -> str:
    """The source of an apply (started or submitted): the marked visit of this job earlier in the session
    (`record_view`), else as `source_of`."""
    via = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if via and via.get("job") == str(job_public_id) and request.GET.get("utm_medium") != "email":
        return via["source"]
    return source_of(request)


def utm_of(request) -> dict:
    if request is None:
        return {}
    return {key: request.GET[key][:100] for key in UTM_KEYS if key in request.GET}


def _append(row: tuple) -> None:
    buffer = _buffer.get()
    if buffer is None:
        buffer = []
        _buffer.set(buffer)
    buffer.append(row)
    if len(buffer) >= settings.ANALYTICS_BUFFER_MAX:  # a long task or request: don't hold events forever
        flush_request_buffer()


def flush_request_buffer(**kwargs) -> int:
    """Hand this request's (or task's) events on. Returns how many."""
    buffer = _buffer.get()
    if not buffer:
        return 0
    _buffer.set(None)
    if settings.REDIS_URL:
        _client().rpush(REDIS_KEY, *(json.dumps(row) for row in buffer))
    else:
        from jobpilot.analytics.services import events_copy

        events_copy(buffer)
    return len(buffer)


def _client():
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(settings.REDIS_URL)
    return _redis


def as_row(raw: bytes | str) -> tuple:
    occurred_at, kind, source, tenant_id, job_public_id, seeker_id, utm = json.loads(raw)
    return occurred_at, kind, source, tenant_id, uuid.UUID(job_public_id), seeker_id, utm
