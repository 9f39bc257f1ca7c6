"""Writes for analytics: batch COPY of buffered events, monthly partitions ahead, retention, and erasure of a
seeker's events (the only deletion of single rows; the table is otherwise append-only)."""

import json
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection as default_connection
from django.utils import timezone

from jobpilot.analytics import capture
from jobpilot.analytics.models import Event

COLUMNS = "(occurred_at, kind, source, tenant_id, job_public_id, seeker_id, utm)"
PARTITION_PREFIX = "analytics_event_y"


def events_copy(rows: list[tuple]) -> int:
    """COPY rows (as `capture` buffers them) into the events table. Rows whose tenant is unknown at capture (search
    result cards carry no tenant) get it from the marketplace index here, in one query per batch."""
    if not rows:
        return 0
    from jobpilot.marketplace.models import MarketplaceJob

    missing = {str(row[4]) for row in rows if row[3] is None}
    tenants = (
        {
            str(public_id): tenant_id
            for public_id, tenant_id in MarketplaceJob.objects.filter(public_id__in=missing).values_list(
                "public_id", "tenant_id"
            )
        }
        if missing
        else {}
    )
    with (
        default_connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY public.analytics_event {COLUMNS} FROM STDIN") as copy,
    ):
        for occurred_at, kind, source, tenant_id, job_public_id, seeker_id, utm in rows:
            if tenant_id is None:
                tenant_id = tenants.get(str(job_public_id))
            copy.write_row(
                (occurred_at, kind, source, tenant_id, str(job_public_id), seeker_id, json.dumps(utm or {}))
            )
    return len(rows)


def events_flush_from_redis(*, batch: int | None = None) -> int:
    """Drain the Redis buffer into PostgreSQL, a batch per COPY, until it is empty. Returns rows written."""
    client, size, written = capture._client(), batch or settings.ANALYTICS_FLUSH_BATCH, 0
    while raw := client.lpop(capture.REDIS_KEY, size):
        written += events_copy([capture.as_row(item) for item in raw])
    return written


def _month_start(day: date, shift: int = 0) -> date:
    months = day.year * 12 + day.month - 1 + shift
    return date(months // 12, months % 12 + 1, 1)


def event_partitions_ensure(*, connection=None, today: date | None = None) -> list[str]:
    """Create this month's and the next ANALYTICS_PARTITIONS_AHEAD months' partitions (idempotent). Returns the
    names created."""
    connection = connection or default_connection
    today = today or timezone.now().date()
    created = []
    with connection.cursor() as cursor:
        for shift in range(settings.ANALYTICS_PARTITIONS_AHEAD + 1):
            start, end = _month_start(today, shift), _month_start(today, shift + 1)
            name = f"{PARTITION_PREFIX}{start:%Y}m{start:%m}"
            cursor.execute("SELECT to_regclass(%s)", [f"public.{name}"])
            if cursor.fetchone()[0] is None:
                cursor.execute(
                    f"CREATE TABLE public.{name} PARTITION OF public.analytics_event "
                    f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                )
                created.append(name)
    return created


def event_partitions() -> list[tuple[str, date]]:
    """The monthly partitions (name, first day), oldest first."""
    with default_connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'public.analytics_event'::regclass AND c.relname LIKE %s ORDER BY c.relname",
            [PARTITION_PREFIX + "%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    return [(name, date(int(name[-7:-3]), int(name[-2:]), 1)) for name in names]


def event_partitions_drop_expired(*, today: date | None = None) -> list[str]:
    """Drop whole months older than ANALYTICS_RETENTION_MONTHS (a partition goes when its last day is past the
    cut-off). Returns the names dropped."""
    today = today or timezone.now().date()
    cutoff = _month_start(today, -settings.ANALYTICS_RETENTION_MONTHS)
    dropped = []
    with default_connection.cursor() as cursor:
        for name, start in event_partitions():
            if _month_start(start, 1) <= cutoff:
                cursor.execute(f"DROP TABLE public.{name}")
                dropped.append(name)
        # Rows that fell into the default partition (before the first monthly one) follow the same rule.
        cursor.execute(
            "DELETE FROM public.analytics_event_default WHERE occurred_at < %s",
            [datetime(cutoff.year, cutoff.month, 1, tzinfo=UTC)],
        )
    return dropped


def events_erase_for_seeker(*, seeker) -> int:
    """Account deletion: the seeker's events go (impressions never named them). Events still in the Redis buffer
    are written first so that none escape."""
    if settings.REDIS_URL:
        events_flush_from_redis()
    return Event.objects.filter(seeker_id=seeker.pk).delete()[0]
