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
    PipelineCohort,
    PipelineStat,
    PlatformActivity,
    PlatformStat,
    ScoreCohort,
    SeekerApplySource,
    SeekerStat,
)

logger = logging.getLogger(__name__)

COLUMNS = "(occurred_at, kind, source, tenant_id, job_public_id, seeker_id, utm)"
PARTITION_PREFIX = "analytics_event_y"


def events_copy(rows: list[tuple]) -> int:
    """COPY rows (as `capture` buffers them) into the events table. Rows whose tenant is unknown at capture (search
    result cards carry no tenant) get it from the marketplace index here, in one query per batch. Rows of a seeker
    whose account is gone are dropped (another process's outbox may still have held them at the erasure)."""
    from django.contrib.auth import get_user_model

    from jobpilot.marketplace.models import MarketplaceJob

    seekers = {row[5] for row in rows if row[5] is not None}
    if seekers:
        present = set(get_user_model().objects.filter(pk__in=seekers).values_list("pk", flat=True))
        rows = [row for row in rows if row[5] is None or row[5] in present]
    if not rows:
        return 0
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
    """Drain this process's outbox, then the Redis list into PostgreSQL, a batch per COPY, until it is empty.
    Returns rows written (without Redis: those the outbox COPYed)."""
    drained = capture.drain()
    if not settings.REDIS_URL:
        return drained
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
    """Account deletion: the seeker's events go (impressions never named them). Events still in this process's
    outbox and in the Redis list are written first so that none escape."""
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
        + PipelineCohort.objects.filter(applied_on__lt=cutoff).delete()[0]
        + ScoreCohort.objects.filter(applied_on__lt=cutoff).delete()[0]
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

# In one tenant's schema: the application days whose cohorts change when the given days' history is rolled up
# (the days applications that moved then were made), and then each such day's applications by furthest stage.
_COHORT_DAYS_SQL = """
    SELECT DISTINCT (a.created_at AT TIME ZONE 'UTC')::date
    FROM applications_application a
    WHERE a.id IN (SELECT application_id FROM applications_statuschange
                   WHERE occurred_at >= %(start)s AND occurred_at < %(end)s)
"""
_COHORT_SQL = """
    SELECT f.applied_on, j.public_id, st.id, st.name, st.position, st.public_status, count(*)
    FROM (
        SELECT a.job_id, (a.created_at AT TIME ZONE 'UTC')::date AS applied_on,
            (SELECT s.id FROM applications_statuschange sc
             JOIN applications_pipelinestage s ON s.id = sc.to_stage_id
             WHERE sc.application_id = a.id AND s.public_status <> 'not_selected'
             ORDER BY s.position DESC, s.id DESC LIMIT 1) AS stage_id
        FROM applications_application a
        WHERE (a.created_at AT TIME ZONE 'UTC')::date = ANY(%(days)s)
    ) f
    JOIN jobs_jobposting j ON j.id = f.job_id
    JOIN applications_pipelinestage st ON st.id = f.stage_id
    GROUP BY f.applied_on, j.public_id, st.id, st.name, st.position, st.public_status
"""

# In one tenant's schema: the applications of the given days with the match scores stored at apply (those stored
# without one are scored in the public schema).
_SCORE_APPLICATIONS_SQL = """
    SELECT (a.created_at AT TIME ZONE 'UTC')::date, j.public_id, a.seeker_user_id, a.resume_public_id,
        st.public_status = 'hired', a.match_score
    FROM applications_application a
    JOIN jobs_jobposting j ON j.id = a.job_id
    JOIN applications_pipelinestage st ON st.id = a.stage_id
    WHERE (a.created_at AT TIME ZONE 'UTC')::date = ANY(%(days)s)
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


def _pipeline_rows(tenant, days: list[date]) -> tuple[list[PipelineStat], set[date], list[PipelineCohort]]:
    """In the tenant's schema, the stays of each day, and the cohorts (days of application) that the day's moves
    changed; they come back to the public schema as counts only (no candidate data leaves a tenant's schema)."""
    from django_tenants.utils import tenant_context

    rows = []
    with tenant_context(tenant), default_connection.cursor() as cursor:
        for day in days:
            cursor.execute(_PIPELINE_DAY_SQL, _day_bounds(day))
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
            ) in cursor.fetchall():
                rows.append(
                    PipelineStat(
                        period=Period.DAY,
                        period_start=day,
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
        cohort_days = set()
        for day in days:
            cursor.execute(_COHORT_DAYS_SQL, _day_bounds(day))
            cohort_days.update(row[0] for row in cursor.fetchall())
        cohorts, applications = [], []
        if cohort_days:
            cursor.execute(_COHORT_SQL, {"days": sorted(cohort_days)})
            cohorts = [
                PipelineCohort(
                    tenant_id=tenant.pk,
                    applied_on=applied_on,
                    job_public_id=public_id,
                    stage_id=stage_id,
                    stage_name=name,
                    stage_position=position,
                    public_status=status,
                    applications=count,
                )
                for applied_on, public_id, stage_id, name, position, status, count in cursor.fetchall()
            ]
            cursor.execute(_SCORE_APPLICATIONS_SQL, {"days": sorted(cohort_days)})
            applications = cursor.fetchall()
    scores = _score_rows(tenant, applications)
    return rows, cohort_days, cohorts, scores


def score_bucket(score: int | None) -> int | None:
    """0-9 -> 0, ..., 90-100 -> 9; None stays None (unscored)."""
    return None if score is None else min(score // 10, 9)


def _score_rows(tenant, applications: list[tuple]) -> list[ScoreCohort]:
    """The match-score cohorts of the applications (read in the tenant's schema): the score stored at apply, so a
    closed or deleted job and a changed resume keep it; only an application stored without one is scored here
    (made before scores were stored, or nothing to score then), never per request. Only counts are kept."""
    from jobpilot.matching.selectors import application_scores

    unscored = [
        (seeker, resume, job) for _day, job, seeker, resume, _hired, stored in applications if stored is None
    ]
    scored_now = iter(application_scores(unscored))
    scores = [next(scored_now) if stored is None else stored for *_, stored in applications]
    counts: dict[tuple, list[int]] = {}
    for (day, job, _seeker, _resume, hired, _stored), score in zip(applications, scores, strict=True):
        tally = counts.setdefault((day, job, score_bucket(score)), [0, 0])
        tally[0] += 1
        tally[1] += int(hired)
    return [
        ScoreCohort(
            tenant_id=tenant.pk, applied_on=day, job_public_id=job, bucket=bucket, applicants=n, hires=hired
        )
        for (day, job, bucket), (n, hired) in counts.items()
    ]


def pipeline_rollup_tenant(*, tenant, days: list[date]) -> int:
    """Roll one employer's pipeline up for `days` again (its day rows replaced); in the caller's transaction, or
    its own. Returns the rows written."""
    with transaction.atomic():
        rows, cohort_days, cohorts, scores = _pipeline_rows(tenant, days)
        PipelineStat.objects.filter(period=Period.DAY, tenant_id=tenant.pk, period_start__in=days).delete()
        PipelineStat.objects.bulk_create(rows)
        PipelineCohort.objects.filter(tenant_id=tenant.pk, applied_on__in=cohort_days).delete()
        PipelineCohort.objects.bulk_create(cohorts)
        ScoreCohort.objects.filter(tenant_id=tenant.pk, applied_on__in=cohort_days).delete()
        ScoreCohort.objects.bulk_create(scores)
    return len(rows)


def pipeline_rollups_due(*, now: datetime) -> set[date]:
    """The beat's pipeline part: only employers whose history changed since their last rollup
    (`DueWork.Kind.PIPELINE_ROLLUP`, scheduled by the application services) are entered, for the days from their
    earliest change to today. Returns the days rolled up (for their weeks).

    The DueWork row is locked before the history is read and deleted in the same transaction: a change committed
    meanwhile is either read, or its upsert waits for this commit and schedules the tenant again. (Not
    `due_work_settle`: a pipeline change leaves no pending state in the schema to read the next time from.)"""
    from tenants.due_work import tenants_with_due_work
    from tenants.models import DueWork

    today, days_done = now.date(), set()
    for tenant in tenants_with_due_work(kind=DueWork.Kind.PIPELINE_ROLLUP, now=now):
        try:
            with transaction.atomic():
                due = (
                    DueWork.objects.select_for_update()
                    .filter(tenant=tenant, kind=DueWork.Kind.PIPELINE_ROLLUP)
                    .first()
                )
                if due is None:  # another worker did it
                    continue
                first = max(due.due_at.date(), today - timedelta(days=PIPELINE_BACKLOG_DAYS))
                days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
                pipeline_rollup_tenant(tenant=tenant, days=days)
                due.delete()
            days_done.update(days)
        except DatabaseError:
            # One employer's schema failing (mid-move, being deleted) must not hold up the others; its DueWork row
            # stays, so the next run (15 minutes later) tries again.
            logger.exception("Pipeline rollup of %s failed; the next run retries.", tenant.slug)
    return days_done


PIPELINE_BACKLOG_DAYS = 31  # a change dated further back (an import) re-rolls at most this many days


_ROLLUP_TABLES = (
    "analytics_jobstat",
    "analytics_seekerstat",
    "analytics_platformstat",
)


def rollup_day(*, day: date, pipelines: bool = True) -> dict:
    """Roll one UTC day up from the events (and, for a backfill, every employer's pipeline history); idempotent.
    The beat passes `pipelines=False` and rolls up only the employers with changes (`pipeline_rollups_due`).
    Returns the rows written per table."""
    bounds = _day_bounds(day)
    written = {}
    if pipelines:
        from tenants.selectors import employer_tenants

        written["analytics_pipelinestat"] = 0
        for tenant in employer_tenants().order_by("pk"):
            try:
                written["analytics_pipelinestat"] += pipeline_rollup_tenant(tenant=tenant, days=[day])
            except DatabaseError:
                logger.exception("Pipeline rollup of %s for %s failed; run it again.", tenant.slug, day)
    with transaction.atomic(), default_connection.cursor() as cursor:
        _lock_period(cursor, Period.DAY, day)
        for table in _ROLLUP_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE period = 'day' AND period_start = %(day)s", bounds)  # noqa: S608
        for table, sql in zip(_ROLLUP_TABLES, _DAY_FROM_EVENTS[:3], strict=True):
            cursor.execute(sql, bounds)
            written[table] = cursor.rowcount
        cursor.execute(_DAY_FROM_EVENTS[3], bounds)  # apply sources: kept, never deleted with the day
        cursor.execute(
            _ACTIVITY_SQL, {**bounds, "window_start": day - timedelta(days=ACTIVE_WINDOW_DAYS - 1)}
        )
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
        for table in (*_ROLLUP_TABLES, "analytics_pipelinestat"):
            cursor.execute(f"DELETE FROM {table} WHERE period = 'week' AND period_start = %(day)s", bounds)  # noqa: S608
        for sql in _WEEK_FROM_DAYS:
            cursor.execute(sql, bounds)


def rollups_refresh(*, now: datetime | None = None) -> list[date]:
    """The beat's run: the events of yesterday (late events and flushes) and today so far, the pipelines of the
    employers with changes, then the weeks of every day touched. Returns the event days."""
    now = now or timezone.now()
    today = now.date()
    days = [today - timedelta(days=1), today]
    for day in days:
        rollup_day(day=day, pipelines=False)
    touched = pipeline_rollups_due(now=now) | set(days)
    for week in sorted({week_start_of(day) for day in touched}):
        rollup_week(week_start=week)
    return days
