"""Writes for analytics: batch COPY of buffered events, monthly partitions ahead, retention, and erasure of a
seeker's events (the only deletion of single rows; the table is otherwise append-only)."""

import json
import logging
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as default_connection
from django.utils import timezone

from jobpilot.analytics import capture
from jobpilot.analytics.models import (
    Event,
    JobStat,
    Period,
    PipelineStat,
    PlatformActivity,
    PlatformStat,
    SeekerApplySource,
    SeekerStat,
)

logger = logging.getLogger(__name__)

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
    # The seeker's rollups are about them too; platform and job rollups hold no seeker and stay.
    SeekerStat.objects.filter(seeker_id=seeker.pk).delete()
    SeekerApplySource.objects.filter(seeker_id=seeker.pk).delete()
    return Event.objects.filter(seeker_id=seeker.pk).delete()[0]


def rollups_drop_expired(*, today: date | None = None) -> int:
    """Rollup rows follow the events' retention: periods that start before the cut-off month go. Returns rows."""
    today = today or timezone.now().date()
    cutoff = _month_start(today, -settings.ANALYTICS_RETENTION_MONTHS)
    return (
        sum(
            model.objects.filter(period_start__lt=cutoff).delete()[0]
            for model in (JobStat, SeekerStat, PlatformStat, PipelineStat)
        )
        + PlatformActivity.objects.filter(day__lt=cutoff).delete()[0]
    )


# --- Rollups --------------------------------------------------------------------------------------------------------
# A day is a UTC day. Each rollup deletes its period's rows and writes them again in one transaction, under an
# advisory lock per period, so a re-run (or two workers at once) leaves exactly one copy.

_EVENT_COUNTS = """
    count(*) FILTER (WHERE kind = 'view'),
    count(*) FILTER (WHERE kind = 'save'),
    count(*) FILTER (WHERE kind = 'apply_started'),
    count(*) FILTER (WHERE kind = 'apply_submitted'),
    count(*) FILTER (WHERE kind = 'alert_click'),
    count(*) FILTER (WHERE kind = 'recommendation_click')
"""
_COUNT_COLUMNS = "views, saves, apply_started, applies, alert_clicks, recommendation_clicks"
_SUMMED_COUNTS = ", ".join(f"sum({column})" for column in _COUNT_COLUMNS.split(", "))

# The f-strings below join module constants only (column lists), never input: hence the S608 waivers.
_DAY_FROM_EVENTS = [
    # Per job and source. A job's tenant is the one its events name (max(): rows whose tenant was not found at flush
    # must not split the key).
    f"""INSERT INTO analytics_jobstat (period, period_start, tenant_id, job_public_id, source, impressions,
            {_COUNT_COLUMNS})
        SELECT 'day', %(day)s, max(tenant_id), job_public_id, source, count(*) FILTER (WHERE kind = 'impression'),
            {_EVENT_COUNTS}
        FROM analytics_event WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
        GROUP BY job_public_id, source""",  # noqa: S608
    f"""INSERT INTO analytics_seekerstat (period, period_start, seeker_id, source, {_COUNT_COLUMNS})
        SELECT 'day', %(day)s, seeker_id, source, {_EVENT_COUNTS}
        FROM analytics_event
        WHERE occurred_at >= %(start)s AND occurred_at < %(end)s AND seeker_id IS NOT NULL
        GROUP BY seeker_id, source""",  # noqa: S608
    f"""INSERT INTO analytics_platformstat (period, period_start, source, impressions, active_seekers,
            {_COUNT_COLUMNS})
        SELECT 'day', %(day)s, source, count(*) FILTER (WHERE kind = 'impression'), count(DISTINCT seeker_id),
            {_EVENT_COUNTS}
        FROM analytics_event WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
        GROUP BY source""",  # noqa: S608
    # The first source seen for each job a seeker applied to; an earlier day's answer stands.
    """INSERT INTO analytics_seekerapplysource (seeker_id, job_public_id, source)
        SELECT DISTINCT ON (seeker_id, job_public_id) seeker_id, job_public_id, source
        FROM analytics_event
        WHERE occurred_at >= %(start)s AND occurred_at < %(end)s AND kind = 'apply_submitted'
            AND seeker_id IS NOT NULL
        ORDER BY seeker_id, job_public_id, occurred_at, id
        ON CONFLICT (seeker_id, job_public_id) DO NOTHING""",
]

# Weeks are summed from their days (a rollup of rollups); distinct seekers are counted again from the days' rows.
_WEEK_FROM_DAYS = [
    f"""INSERT INTO analytics_jobstat (period, period_start, tenant_id, job_public_id, source, impressions,
            {_COUNT_COLUMNS})
        SELECT 'week', %(day)s, max(tenant_id), job_public_id, source, sum(impressions), {_SUMMED_COUNTS}
        FROM analytics_jobstat WHERE period = 'day' AND period_start >= %(day)s AND period_start < %(end_day)s
        GROUP BY job_public_id, source""",  # noqa: S608
    f"""INSERT INTO analytics_seekerstat (period, period_start, seeker_id, source, {_COUNT_COLUMNS})
        SELECT 'week', %(day)s, seeker_id, source, {_SUMMED_COUNTS}
        FROM analytics_seekerstat WHERE period = 'day' AND period_start >= %(day)s AND period_start < %(end_day)s
        GROUP BY seeker_id, source""",  # noqa: S608
    f"""INSERT INTO analytics_platformstat (period, period_start, source, impressions, active_seekers,
            {_COUNT_COLUMNS})
        SELECT 'week', %(day)s, p.source, sum(p.impressions),
            (SELECT count(DISTINCT s.seeker_id) FROM analytics_seekerstat s
             WHERE s.period = 'day' AND s.period_start >= %(day)s AND s.period_start < %(end_day)s
                 AND s.source = p.source),
            {_SUMMED_COUNTS.replace("sum(", "sum(p.")}
        FROM analytics_platformstat p
        WHERE p.period = 'day' AND p.period_start >= %(day)s AND p.period_start < %(end_day)s
        GROUP BY p.source""",  # noqa: S608
    """INSERT INTO analytics_pipelinestat (period, period_start, tenant_id, job_public_id, stage_id, stage_name,
            stage_position, public_status, entered, exited, seconds_in_stage, seconds_to_hire, hired_after_offer)
        SELECT 'week', %(day)s, tenant_id, job_public_id, stage_id, max(stage_name), max(stage_position),
            max(public_status), sum(entered), sum(exited), sum(seconds_in_stage), sum(seconds_to_hire),
            sum(hired_after_offer)
        FROM analytics_pipelinestat WHERE period = 'day' AND period_start >= %(day)s AND period_start < %(end_day)s
        GROUP BY tenant_id, job_public_id, stage_id""",
]

# In one tenant's schema: the stays that began or ended on the day, per job and stage. Only applications with a
# history row that day can have either, so the window runs over their histories alone. A stay ends at the
# application's next row (a move or the withdrawal).
_PIPELINE_DAY_SQL = """
    WITH touched AS (
        SELECT DISTINCT application_id FROM applications_statuschange
        WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
    ), stays AS (
        SELECT sc.application_id, sc.to_stage_id, sc.occurred_at, st.public_status,
            LEAD(sc.occurred_at) OVER w AS left_at,
            COALESCE(bool_or(st.public_status = 'offer') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                     false) AS had_offer
        FROM applications_statuschange sc
        JOIN touched t ON t.application_id = sc.application_id
        LEFT JOIN applications_pipelinestage st ON st.id = sc.to_stage_id
        WINDOW w AS (PARTITION BY sc.application_id ORDER BY sc.occurred_at, sc.id)
    ), flagged AS (
        SELECT s.*, a.created_at AS applied_at, a.job_id,
            (s.occurred_at >= %(start)s AND s.occurred_at < %(end)s) AS began,
            (s.left_at >= %(start)s AND s.left_at < %(end)s) AS ended
        FROM stays s JOIN applications_application a ON a.id = s.application_id
        WHERE s.to_stage_id IS NOT NULL
    )
    SELECT j.public_id, f.to_stage_id, st.name, st.position, st.public_status,
        count(*) FILTER (WHERE f.began),
        count(*) FILTER (WHERE f.ended),
        COALESCE(sum(EXTRACT(EPOCH FROM f.left_at - f.occurred_at)) FILTER (WHERE f.ended), 0)::bigint,
        COALESCE(sum(EXTRACT(EPOCH FROM f.occurred_at - f.applied_at))
                 FILTER (WHERE f.began AND f.public_status = 'hired'), 0)::bigint,
        count(*) FILTER (WHERE f.began AND f.public_status = 'hired' AND f.had_offer)
    FROM flagged f
    JOIN jobs_jobposting j ON j.id = f.job_id
    JOIN applications_pipelinestage st ON st.id = f.to_stage_id
    WHERE f.began OR f.ended
    GROUP BY j.public_id, f.to_stage_id, st.name, st.position, st.public_status
"""


ACTIVE_WINDOW_DAYS = 30
# Distinct employers and seekers over the 30 days ending on the day, from the day rollups just written.
_ACTIVITY_SQL = """
    INSERT INTO analytics_platformactivity (day, active_employers, active_seekers)
    SELECT %(day)s,
        (SELECT count(DISTINCT tenant_id) FROM analytics_jobstat
         WHERE period = 'day' AND period_start BETWEEN %(window_start)s AND %(day)s AND tenant_id IS NOT NULL),
        (SELECT count(DISTINCT seeker_id) FROM analytics_seekerstat
         WHERE period = 'day' AND period_start BETWEEN %(window_start)s AND %(day)s)
    ON CONFLICT (day) DO UPDATE
        SET active_employers = EXCLUDED.active_employers, active_seekers = EXCLUDED.active_seekers
"""


def _day_bounds(day: date) -> dict:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return {"day": day, "start": start, "end": start + timedelta(days=1), "end_day": day + timedelta(days=1)}


def _lock_period(cursor, period: str, day: date) -> None:
    # Two runs of the same period (beat overlapping a backfill) wait for each other instead of doubling rows.
    cursor.execute(
        "SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [f"analytics-rollup-{period}", day.toordinal()]
    )


def _pipeline_rows_of_day(bounds: dict) -> list[PipelineStat]:
    """Enter every employer's schema and read the day's stays; the rows come back to the public schema as
    counts only (no candidate data leaves a tenant's schema)."""
    from django_tenants.utils import tenant_context

    from tenants.selectors import employer_tenants

    rows = []
    for tenant in employer_tenants().order_by("pk"):
        try:
            # A savepoint, so that a caller's transaction survives one schema's failure.
            with tenant_context(tenant), transaction.atomic(), default_connection.cursor() as cursor:
                cursor.execute(_PIPELINE_DAY_SQL, bounds)
                found = cursor.fetchall()
        except DatabaseError:
            # One employer's schema failing (mid-move, being deleted) must not hold up the others; the next run
            # (15 minutes later) rolls the day up again.
            logger.exception(
                "Pipeline rollup of %s for %s failed; the next run retries.", tenant.slug, bounds["day"]
            )
            continue
        for (
            public_id,
            stage_id,
            name,
            position,
            status,
            entered,
            exited,
            in_stage,
            to_hire,
            after_offer,
        ) in found:
            rows.append(
                PipelineStat(
                    period=Period.DAY,
                    period_start=bounds["day"],
                    tenant_id=tenant.pk,
                    job_public_id=public_id,
                    stage_id=stage_id,
                    stage_name=name,
                    stage_position=position,
                    public_status=status,
                    entered=entered,
                    exited=exited,
                    seconds_in_stage=in_stage,
                    seconds_to_hire=to_hire,
                    hired_after_offer=after_offer,
                )
            )
    return rows


_ROLLUP_TABLES = (
    "analytics_jobstat",
    "analytics_seekerstat",
    "analytics_platformstat",
    "analytics_pipelinestat",
)


def rollup_day(*, day: date) -> dict:
    """Roll one UTC day up from the events and every employer's pipeline history; idempotent. Returns the rows
    written per table."""
    bounds = _day_bounds(day)
    # Pipelines are read before the transaction so no schema switch happens while the public rows are locked.
    pipeline_rows = _pipeline_rows_of_day(bounds)
    with transaction.atomic(), default_connection.cursor() as cursor:
        _lock_period(cursor, Period.DAY, day)
        for table in _ROLLUP_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE period = 'day' AND period_start = %(day)s", bounds)  # noqa: S608
        written = {}
        for table, sql in zip(_ROLLUP_TABLES[:3], _DAY_FROM_EVENTS[:3], strict=True):
            cursor.execute(sql, bounds)
            written[table] = cursor.rowcount
        cursor.execute(_DAY_FROM_EVENTS[3], bounds)  # apply sources: kept, never deleted with the day
        cursor.execute(
            _ACTIVITY_SQL, {**bounds, "window_start": day - timedelta(days=ACTIVE_WINDOW_DAYS - 1)}
        )
        PipelineStat.objects.bulk_create(pipeline_rows)
        written["analytics_pipelinestat"] = len(pipeline_rows)
    return written


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def rollup_week(*, week_start: date) -> None:
    """Sum a Monday-based week from its day rows (run after its days); idempotent."""
    if week_start.weekday() != 0:
        raise ValueError("weeks start on a Monday")
    bounds = {"day": week_start, "end_day": week_start + timedelta(days=7)}
    with transaction.atomic(), default_connection.cursor() as cursor:
        _lock_period(cursor, Period.WEEK, week_start)
        for table in _ROLLUP_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE period = 'week' AND period_start = %(day)s", bounds)  # noqa: S608
        for sql in _WEEK_FROM_DAYS:
            cursor.execute(sql, bounds)


def rollups_refresh(*, today: date | None = None) -> list[date]:
    """The beat's run: yesterday (late events and flushes) and today so far, then their weeks. Returns the days."""
    today = today or timezone.now().date()
    days = [today - timedelta(days=1), today]
    for day in days:
        rollup_day(day=day)
    for week in sorted({week_start_of(day) for day in days}):
        rollup_week(week_start=week)
    return days
