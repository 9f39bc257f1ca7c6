"""Rollups: a day's rows equal a direct count of that day's events and history; re-running a day changes nothing;
weeks are the sum of their days; pipeline numbers come from each tenant's own schema."""

from datetime import timedelta

import pytest
from django.db.models import Count, Q

from jobpilot.analytics import services
from jobpilot.analytics.models import (
    Event,
    JobStat,
    PipelineStat,
    PlatformActivity,
    PlatformStat,
    SeekerApplySource,
    SeekerStat,
)
from jobpilot.analytics.tasks import rollup
from tests.analytics.history import DAY, KNOWN_PIPELINE, at, events, pipeline, roll_up_known_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture_events(tenant_a, tenant_b, make_posting, make_user):
    job_a, job_b = make_posting(tenant_a), make_posting(tenant_b)
    seeker, other = make_user(), make_user()
    rows = []
    for offset, hour in ((-1, 23), (0, 0), (0, 9), (0, 23), (1, 0)):  # the day's edges, and both neighbours
        rows += [
            (at(offset, hour), "impression", "marketplace", tenant_a.pk, job_a.public_id, None),
            (at(offset, hour), "view", "marketplace", tenant_a.pk, job_a.public_id, seeker.pk),
            (at(offset, hour), "view", "alert_email", tenant_a.pk, job_a.public_id, other.pk),
            (at(offset, hour), "view", "careers_site", tenant_b.pk, job_b.public_id, None),
        ]
    rows += [
        (at(0, 10), "apply_submitted", "alert_email", tenant_a.pk, job_a.public_id, other.pk),
        (at(0, 11), "save", "marketplace", tenant_a.pk, job_a.public_id, seeker.pk),
        (at(0, 12), "apply_submitted", "careers_site", tenant_b.pk, job_b.public_id, seeker.pk),
    ]
    events(rows)
    return job_a, job_b, seeker, other


def direct_counts(day) -> dict:
    start = at((day - DAY).days, 0)
    return {
        (row["job_public_id"], row["source"], row["kind"]): row["n"]
        for row in Event.objects.filter(occurred_at__gte=start, occurred_at__lt=start + timedelta(days=1))
        .values("job_public_id", "source", "kind")
        .annotate(n=Count("id"))
    }


KIND_COLUMNS = {
    "impression": "impressions",
    "view": "views",
    "save": "saves",
    "apply_started": "apply_started",
    "apply_submitted": "applies",
    "alert_click": "alert_clicks",
    "recommendation_click": "recommendation_clicks",
}


def rolled_counts(day) -> dict:
    counts = {}
    for stat in JobStat.objects.filter(period="day", period_start=day):
        for kind, column in KIND_COLUMNS.items():
            if getattr(stat, column):
                counts[(stat.job_public_id, stat.source, kind)] = getattr(stat, column)
    return counts


def test_a_days_rollup_equals_a_direct_count_of_its_events(fixture_events):
    job_a, job_b, seeker, other = fixture_events
    services.rollup_day(day=DAY)
    assert rolled_counts(DAY) == direct_counts(DAY)
    assert (
        rolled_counts(DAY)[(job_a.public_id, "marketplace", "view")] == 3
    )  # 00:00, 09:00, 23:00; not the neighbours
    by_seeker = {
        (s.seeker_id, s.source): (s.views, s.saves, s.applies)
        for s in SeekerStat.objects.filter(period_start=DAY)
    }
    assert by_seeker == {
        (seeker.pk, "marketplace"): (3, 1, 0),
        (other.pk, "alert_email"): (3, 0, 1),
        (seeker.pk, "careers_site"): (0, 0, 1),
    }
    platform = {
        p.source: (p.impressions, p.views, p.active_seekers)
        for p in PlatformStat.objects.filter(period_start=DAY)
    }
    assert platform["marketplace"] == (3, 3, 1)
    assert platform["careers_site"] == (0, 3, 1)
    activity = PlatformActivity.objects.get(day=DAY)  # the 30 days to DAY: both employers, both seekers
    assert (activity.active_employers, activity.active_seekers) == (2, 2)
    assert set(SeekerApplySource.objects.values_list("seeker_id", "source")) == {
        (other.pk, "alert_email"),
        (seeker.pk, "careers_site"),
    }


def test_re_running_a_day_is_idempotent_and_picks_up_late_events(fixture_events, tenant_a):
    job_a, *_ = fixture_events
    services.rollup_day(day=DAY)
    first = sorted(JobStat.objects.filter(period_start=DAY).values_list("job_public_id", "source", "views"))
    services.rollup_day(day=DAY)
    assert (
        sorted(JobStat.objects.filter(period_start=DAY).values_list("job_public_id", "source", "views"))
        == first
    )
    events([(at(0, 15), "view", "marketplace", tenant_a.pk, job_a.public_id, None)])  # flushed late
    rollup(day=DAY.isoformat())
    assert rolled_counts(DAY) == direct_counts(DAY)


def test_a_week_is_the_sum_of_its_days(fixture_events):
    for offset in range(-2, 5):
        services.rollup_day(day=DAY + timedelta(days=offset))
    week = services.week_start_of(DAY)
    services.rollup_week(week_start=week)
    services.rollup_week(week_start=week)  # again: still one copy
    days = JobStat.objects.filter(
        period="day", period_start__gte=week, period_start__lt=week + timedelta(days=7)
    )
    weeks = JobStat.objects.filter(period="week", period_start=week)
    assert sum(days.values_list("views", flat=True)) == sum(weeks.values_list("views", flat=True)) == 15
    assert weeks.count() == len(set(days.values_list("job_public_id", "source")))
    with pytest.raises(ValueError):
        services.rollup_week(week_start=DAY)  # a Wednesday


def test_the_pipeline_rollup_counts_stays_begun_and_ended_per_stage(tenant_a, tenant_b, make_posting):
    posting = make_posting(tenant_a)
    pipeline(tenant_a, posting, KNOWN_PIPELINE)
    pipeline(tenant_b, make_posting(tenant_b), [[("Applied", at(0, 9)), ("Hired", at(0, 10))]])
    services.rollup_day(day=DAY)
    rows = {
        r.stage_name: (r.entered, r.exited, r.seconds_in_stage, r.seconds_to_hire, r.hired_after_offer)
        for r in PipelineStat.objects.filter(period="day", period_start=DAY, tenant_id=tenant_a.pk)
    }
    hour = 3600
    assert rows == {
        "Applied": (2, 2, (2 + 26) * hour, 0, 0),  # app 1 and 2 entered; app 1 (2 h) and app 3 (26 h) left
        "Screening": (0, 1, 24 * hour, 0, 0),
        "Interview": (1, 1, 4 * hour, 0, 0),
        "Offer": (1, 1, 6 * hour, 0, 0),
        "Hired": (2, 0, 0, (58 + 26) * hour, 1),
        "Rejected": (1, 0, 0, 0, 0),
    }
    assert set(PipelineStat.objects.filter(period_start=DAY).values_list("tenant_id", flat=True)) == {
        tenant_a.pk,
        tenant_b.pk,
    }
    services.rollup_day(day=DAY)  # idempotent across tenants too
    assert PipelineStat.objects.filter(period_start=DAY, tenant_id=tenant_a.pk).count() == 6
    assert not PipelineStat.objects.filter(~Q(period_start=DAY)).exists()


def test_the_beat_task_rolls_up_yesterday_and_today(settings):
    days = rollup()
    assert len(days) == 2
    assert "analytics-rollup" in settings.CELERY_BEAT_SCHEDULE


def test_known_days_roll_up_into_a_week(tenant_a, make_posting):
    pipeline(tenant_a, make_posting(tenant_a), KNOWN_PIPELINE)
    roll_up_known_days()
    week = PipelineStat.objects.filter(period="week", tenant_id=tenant_a.pk)
    assert {r.stage_name: r.entered for r in week} == {
        "Applied": 4,
        "Screening": 1,
        "Interview": 1,
        "Offer": 1,
        "Hired": 2,
        "Rejected": 1,
    }


def test_an_employer_whose_schema_fails_is_skipped_and_the_others_rolled_up(tenant_a, make_posting, caplog):
    from django.db import connection

    from tests.conftest import ensure_tenant

    broken = ensure_tenant("rollup-gone", "Gone Ltd")
    pipeline(tenant_a, make_posting(tenant_a), KNOWN_PIPELINE)
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(f'DROP SCHEMA "{broken.schema_name}" CASCADE')
    services.rollup_day(day=DAY)
    assert PipelineStat.objects.filter(period_start=DAY, tenant_id=tenant_a.pk).count() == 6
    assert "Pipeline rollup of rollup-gone" in caplog.text


def test_the_beat_enters_only_employers_whose_pipeline_changed(tenant_a, tenant_b, make_posting):
    """A move through the service schedules the employer (DueWork); the beat rolls it up and forgets it. An
    employer with history but no change since (written here without the services) is not entered."""
    from datetime import UTC, datetime

    from django_tenants.utils import tenant_context

    from jobpilot.applications.models import Application, PipelineStage
    from jobpilot.applications.services import applications_move
    from tenants.models import DueWork

    now = datetime.now(UTC)
    today = now.date()
    applied = max(
        now - timedelta(minutes=5), datetime.combine(today, datetime.min.time(), UTC)
    )  # today, even at 00:02
    changed, idle = make_posting(tenant_a), make_posting(tenant_b)
    [moved] = pipeline(tenant_a, changed, [[("Applied", applied)]])
    pipeline(tenant_b, idle, [[("Applied", applied)]])
    assert not DueWork.objects.filter(kind=DueWork.Kind.PIPELINE_ROLLUP).exists()
    with tenant_context(tenant_a):
        screening = PipelineStage.objects.get(name="Screening")
        applications_move(actor=None, application_ids=[moved], stage_id=screening.pk)
        assert Application.objects.get(pk=moved).stage_id == screening.pk
    assert list(
        DueWork.objects.filter(kind=DueWork.Kind.PIPELINE_ROLLUP).values_list("tenant_id", flat=True)
    ) == [tenant_a.pk]

    now = datetime.now(UTC)  # after the move (its due time)
    services.rollups_refresh(now=now)
    today_rows = PipelineStat.objects.filter(period="day", period_start=today)
    assert {(r.tenant_id, r.stage_name, r.entered) for r in today_rows} == {
        (tenant_a.pk, "Applied", 1),
        (tenant_a.pk, "Screening", 1),
    }
    assert not today_rows.filter(tenant_id=tenant_b.pk).exists()  # never entered: no change scheduled it
    assert PipelineStat.objects.filter(period="week", tenant_id=tenant_a.pk).exists()
    assert not DueWork.objects.filter(kind=DueWork.Kind.PIPELINE_ROLLUP).exists()

    services.rollups_refresh(now=now)  # nothing changed since: the day's rows stand as they are
    assert today_rows.filter(tenant_id=tenant_a.pk).count() == 2


def test_cohorts_count_each_days_applications_by_their_furthest_stage(tenant_a, make_posting):
    from jobpilot.analytics.models import PipelineCohort

    pipeline(tenant_a, make_posting(tenant_a), KNOWN_PIPELINE)
    roll_up_known_days()
    rows = {
        (r.applied_on, r.stage_name): r.applications
        for r in PipelineCohort.objects.filter(tenant_id=tenant_a.pk)
    }
    assert rows == {
        (DAY - timedelta(days=2), "Hired"): 1,  # app 0
        (DAY - timedelta(days=1), "Hired"): 1,  # app 3, offer skipped
        (DAY, "Applied"): 2,  # app 1 (rejected: rejection stages are not "further") and app 2
    }
    roll_up_known_days()  # replaced, not doubled
    assert PipelineCohort.objects.filter(tenant_id=tenant_a.pk).count() == 3
