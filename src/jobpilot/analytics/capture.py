"""Capturing events without slowing the request: `record*()` appends a tuple to this process's outbox (a list
under a lock; no I/O, no serialisation). A daemon flusher thread hands everything pending on every
`ANALYTICS_FLUSH_INTERVAL` seconds in one pipelined RPUSH to a Redis list, and the `analytics.flush_events` task
COPYs that list into PostgreSQL in batches. The outbox is also drained synchronously before that task runs in the
same process, at interpreter exit and at Celery's `worker_process_shutdown`. A forked child starts with an empty
outbox and no flusher (it never sends the parent's events). If Redis is down the events stay in the outbox, up to
`ANALYTICS_OUTBOX_MAX` (beyond it new events are dropped, and logged), and go on the next tick. Without Redis (local
runs) the flusher COPYs straight into PostgreSQL."""

import atexit
import contextlib
import json
import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.utils import timezone

from jobpilot.analytics.models import Event

logger = logging.getLogger(__name__)

REDIS_KEY = "analytics:events"
SESSION_KEY = "analytics_via"  # {"job": public id, "source": the marked source of the visit}
MARKED_SOURCES = {Event.Source.ALERT_EMAIL, Event.Source.RECOMMENDATION}
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Values per RPUSH command; the commands of one hand-off share one pipeline (one round trip).
RPUSH_CHUNK = 10_000

_outbox: list[tuple] = []
_lock = threading.Lock()  # guards _outbox, _dropped and _flusher: held for an append or a swap, never for I/O
_send_lock = threading.Lock()  # one hand-off at a time: a drain waits for the flusher's batch in flight
_dropped = 0  # events refused since the last hand-off, the outbox being full
_flusher: threading.Thread | None = None
_failing = False  # the last hand-off failed (logged once per outage, and when it ends)
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
    global _dropped, _flusher
    with _lock:
        if len(_outbox) < settings.ANALYTICS_OUTBOX_MAX:
            _outbox.append(row)
        else:
            _dropped += 1
        if _flusher is None:
            _flusher = threading.Thread(target=_flush_forever, name="analytics-flusher", daemon=True)
            _flusher.start()


def pending() -> int:
    """How many events wait in this process's outbox."""
    with _lock:
        return len(_outbox)


def drain() -> int:
    """Hand every pending event on now, waiting for a hand-off already in flight. Returns how many went. If
    Redis fails the events go back into the outbox and the error is raised."""
    global _dropped, _failing
    with _send_lock:
        rows = _take()
        with _lock:
            dropped, _dropped = _dropped, 0
        if dropped:
            logger.error(
                "analytics outbox full (%s events): %s events dropped", settings.ANALYTICS_OUTBOX_MAX, dropped
            )
        if not rows:
            return 0
        try:
            _send(rows)
        except Exception:
            _put_back(rows)
            if not _failing:
                logger.warning(
                    "analytics events not handed on, %s kept in the outbox for the next try", len(rows)
                )
            _failing = True
            raise
        if _failing:
            logger.warning("analytics events handed on again (%s)", len(rows))
            _failing = False
        return len(rows)


def _take() -> list[tuple]:
    """Everything pending, the outbox left empty (a swap under the lock: appends never wait for I/O)."""
    global _outbox
    with _lock:
        rows, _outbox = _outbox, []
    return rows


def _send(rows: list[tuple]) -> None:
    if settings.REDIS_URL:
        pipe = _client().pipeline(transaction=False)
        for start in range(0, len(rows), RPUSH_CHUNK):
            pipe.rpush(REDIS_KEY, *(json.dumps(row) for row in rows[start : start + RPUSH_CHUNK]))
        pipe.execute()
    else:
        from jobpilot.analytics.services import events_copy

        events_copy(rows)


def _put_back(rows: list[tuple]) -> None:
    """A failed hand-off's events go back before those recorded since, oldest first; the newest beyond the
    bound are dropped (counted, and logged at the next hand-off)."""
    global _outbox, _dropped
    with _lock:
        merged = rows + _outbox
        limit = settings.ANALYTICS_OUTBOX_MAX
        _dropped += max(0, len(merged) - limit)
        _outbox = merged[:limit]


def _flush_forever() -> None:
    while True:
        time.sleep(settings.ANALYTICS_FLUSH_INTERVAL)
        # A failed hand-off is logged by drain and kept for the next tick: the flusher never dies.
        with contextlib.suppress(Exception):
            drain()
        if not settings.REDIS_URL:
            from django.db import connections

            connections.close_all()  # this thread's connections only


def drain_at_exit(**kwargs) -> None:
    """Interpreter exit, a Celery worker process's shutdown: nothing left behind if Redis answers."""
    try:
        drain()
    except Exception:
        logger.exception("analytics events lost at exit: %s", pending())


def _after_fork_in_child() -> None:
    """The parent's events are the parent's to send; its flusher thread does not exist here; its locks may have
    been held by another thread at the fork."""
    global _outbox, _lock, _send_lock, _dropped, _flusher, _failing, _redis
    _outbox, _lock, _send_lock = [], threading.Lock(), threading.Lock()
    _dropped, _flusher, _failing, _redis = 0, None, False, None


atexit.register(drain_at_exit)
os.register_at_fork(after_in_child=_after_fork_in_child)


def _client():
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    return _redis


def as_row(raw: bytes | str) -> tuple:
    occurred_at, kind, source, tenant_id, job_public_id, seeker_id, utm = json.loads(raw)
    return occurred_at, kind, source, tenant_id, uuid.UUID(job_public_id), seeker_id, utm
