"""/api/v2/analytics/: the employer's job performance on a known history (funnel, time in stage, time to hire,
offers), its plan gate, isolation between employers, seekers and staff, and bad ranges."""

from datetime import timedelta

import pytest

from billing.models import BillingAccount, StripeEvent, SubscriptionStatus, UsageCounter
from billing.plans import Audience
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from jobpilot.analytics import services
from jobpilot.analytics.tasks import flush_events
from tests.analytics.history import DAY, KNOWN_PIPELINE, at, events, pipeline, roll_up_known_days

pytestmark = pytest.mark.django_db

PERFORMANCE = "/api/v2/analytics/job-performance/"
RANGE = {"since": (DAY - timedelta(days=2)).isoformat(), "until": DAY.isoformat()}


@pytest.fixture
def known_history(tenant_a, tenant_b, make_posting, make_user, on_plan):
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")
    job_a, quiet_a, job_b = make_posting(tenant_a), make_posting(tenant_a), make_posting(tenant_b)
    pipeline(tenant_a, job_a, KNOWN_PIPELINE)
    pipeline(tenant_b, job_b, [[("Applied", at(0, 9)), ("Hired", at(0, 10))]] * 3)
    seeker = make_user()
    events(
        [(at(0, 9), "view", "marketplace", tenant_a.pk, job_a.public_id, None)] * 8
        + [(at(-1, 9), "view", "careers_site", tenant_a.pk, job_a.public_id, None)] * 2
        + [(at(0, 9), "apply_submitted", "marketplace", tenant_a.pk, job_a.public_id, seeker.pk)] * 3
        + [(at(0, 9), "apply_submitted", "careers_site", tenant_a.pk, job_a.public_id, None)]
        + [(at(0, 9), "view", "marketplace", tenant_a.pk, quiet_a.public_id, None)] * 4
        + [(at(0, 9), "view", "marketplace", tenant_b.pk, job_b.public_id, None)] * 50
    )
    roll_up_known_days()
    return job_a, quiet_a, job_b


def test_job_performance_on_a_known_history(known_history, staff_client, tenant_a):
    job_a, quiet_a, _ = known_history
    response = staff_client(tenant_a, "viewer").get(PERFORMANCE, RANGE)
    assert response.status_code == 200, response.json()
    data = response.json()
    jobs = {row["job_id"]: row for row in data["jobs"]}
    assert set(jobs) == {str(job_a.public_id), str(quiet_a.public_id)}
    assert (jobs[str(job_a.public_id)]["views"], jobs[str(job_a.public_id)]["applies"]) == (10, 4)
    assert jobs[str(job_a.public_id)]["view_to_apply_rate"] == 0.4
    assert jobs[str(job_a.public_id)]["hires"] == 2
    assert jobs[str(quiet_a.public_id)]["view_to_apply_rate"] == 0
    assert {row["source"]: row["applies"] for row in data["applicants_by_source"]} == {
        "marketplace": 3,
        "careers_site": 1,
    }
    # A cohort: the four applications made D-2..D, by how far each got (app 3 skipped to Hired, so it counts as
    # having passed Screening, Interview and Offer: conversion never exceeds 100%; the rejected one stopped at
    # Applied).
    funnel = [(step["name"], step["reached"], step["conversion_from_previous"]) for step in data["funnel"]]
    assert funnel == [
        ("Applied", 4, None),
        ("Screening", 2, 0.5),
        ("Interview", 2, 1.0),
        ("Offer", 2, 1.0),
        ("Hired", 2, 1.0),
    ]
    stays = {row["name"]: row["average_hours"] for row in data["time_in_stage"]}
    # Applied: app 0 left after 24 h (D-1), app 3 after 26 h, app 1 after 2 h -> 52 h / 3
    assert stays["Applied"] == round(52 / 3, 2)
    assert (stays["Screening"], stays["Interview"], stays["Offer"], stays["Hired"]) == (24.0, 4.0, 6.0, None)
    assert data["hires"] == 2
    assert data["average_days_to_hire"] == round((58 + 26) / 2 / 24, 2)
    assert data["offers"] == {"made": 1, "accepted": 1, "acceptance_rate": 1.0}
    assert [(row["period_start"], row["views"], row["hires"]) for row in data["trend"]] == [
        ((DAY - timedelta(days=2)).isoformat(), 0, 0),
        ((DAY - timedelta(days=1)).isoformat(), 2, 0),
        (DAY.isoformat(), 12, 2),
    ]


def test_the_funnel_is_the_cohort_of_the_range(known_history, staff_client, tenant_a):
    """Only applications made in the range count, however far they got later: from D-1, apps 1, 2 (made D) and 3
    (made D-1, hired D); app 0 (made D-2) is out although it moved in the range."""
    data = (
        staff_client(tenant_a)
        .get(PERFORMANCE, {**RANGE, "since": (DAY - timedelta(days=1)).isoformat()})
        .json()
    )
    assert [(step["name"], step["reached"]) for step in data["funnel"]] == [
        ("Applied", 3),
        ("Screening", 1),
        ("Interview", 1),
        ("Offer", 1),
        ("Hired", 1),
    ]
    assert all(
        step["conversion_from_previous"] in (None, 1.0) or step["conversion_from_previous"] <= 1
        for step in data["funnel"]
    )
    only_d = (
        staff_client(tenant_a).get(PERFORMANCE, {"since": DAY.isoformat(), "until": DAY.isoformat()}).json()
    )
    assert [step["reached"] for step in only_d["funnel"]] == [2, 0, 0, 0, 0]


def test_one_job_and_weekly_trend(known_history, staff_client, tenant_a):
    job_a, *_ = known_history
    data = (
        staff_client(tenant_a)
        .get(PERFORMANCE, {**RANGE, "job_id": job_a.public_id, "granularity": "week"})
        .json()
    )
    assert [row["job_id"] for row in data["jobs"]] == [str(job_a.public_id)]
    assert data["trend"] == [
        {
            "period_start": (DAY - timedelta(days=DAY.weekday())).isoformat(),
            "views": 10,
            "applies": 4,
            "hires": 2,
        }
    ]


def test_an_employer_never_sees_another_employers_numbers(known_history, staff_client, tenant_b):
    *_, job_b = known_history
    data = staff_client(tenant_b).get(PERFORMANCE, RANGE).json()
    assert [row["job_id"] for row in data["jobs"]] == [str(job_b.public_id)]
    assert data["totals"]["views"] == 50
    assert data["hires"] == 3
    assert [step["reached"] for step in data["funnel"]][:1] == [3]


def test_the_csv_export_has_one_row_per_job(known_history, staff_client, tenant_a):
    response = staff_client(tenant_a).get(PERFORMANCE + "export/", RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("job_id,title,impressions,views,applies")
    assert len(lines) == 3


def test_without_hiring_analytics_the_plan_gate_answers_402(tenant_a, staff_client, on_plan):
    on_plan(tenant_a, "employer_starter")
    for path in (PERFORMANCE, PERFORMANCE + "export/"):
        response = staff_client(tenant_a).get(path)
        assert response.status_code == 402
        assert response.json()["code"] == "feature_not_in_plan"
        assert response.json()["feature"] == "analytics"


def test_non_members_and_the_public_domain_get_404_and_anonymous_401(
    tenant_a, make_user, signed_in, client_for, on_plan
):
    on_plan(tenant_a, "employer_growth")
    outsider = make_user()
    assert signed_in(outsider, tenant_a).get(PERFORMANCE).status_code == 404
    assert signed_in(outsider).get(PERFORMANCE).status_code == 404  # the public domain has no employer
    assert client_for(tenant_a).get(PERFORMANCE).status_code == 401


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"since": "2026-13-01"}, "validation_error"),
        ({"until": "yesterday"}, "validation_error"),
        ({"since": "2026-10-14", "until": "2026-10-01"}, "invalid_range"),
        ({"since": "2023-01-01", "until": "2026-10-01"}, "range_too_long"),
        ({"since": "2999-01-01", "until": "2999-01-02"}, "invalid_range"),
        ({"granularity": "hour"}, "validation_error"),
        ({"job_id": "not-a-uuid"}, "validation_error"),
    ],
)
def test_bad_ranges_answer_422(tenant_a, staff_client, on_plan, query, code):
    on_plan(tenant_a, "employer_growth")
    response = staff_client(tenant_a).get(PERFORMANCE, query)
    assert response.status_code == 422
    assert response.json()["code"] == code


# --- Seeker ---------------------------------------------------------------------------------------------------------

BEHAVIOR = "/api/v2/analytics/user-behavior/"


def test_a_seeker_sees_their_own_behaviour_only(apply_for_real, make_user, api_client_for, tenant_a):
    from django.utils import timezone

    from jobpilot.tracker.services import tracked_application_create_external

    seeker, other = make_user(), make_user()
    mine = apply_for_real(seeker, tenant_a, job_type="contract")
    theirs = apply_for_real(other, tenant_a)
    tracked_application_create_external(seeker=seeker, fields={"company": "Elsewhere", "title": "Dev"})
    # The employer answers the first: the tracker marks it responded 2 days after applying.
    type(mine).objects.filter(pk=mine.pk).update(
        responded=True, reached_interview=True, first_response_at=timezone.now() + timedelta(days=2)
    )
    flush_events()  # the apply's event, from the Redis buffer
    today = timezone.now().date()
    services.rollup_day(day=today)
    data = api_client_for(seeker).get(BEHAVIOR).json()
    assert data["applications"] == 2
    assert (data["responses"], data["response_rate"]) == (1, 0.5)
    assert data["interviews_per_application"] == 0.5
    assert data["average_days_to_first_response"] == 2
    assert data["activity"]["applies"] == 1  # the hand-tracked one is no event
    by_source = {row["key"]: row["applications"] for row in data["funnel_by_source"]}
    assert by_source == {"api": 1, "external": 1}  # applied through the API
    assert {row["key"]: row["interviews"] for row in data["funnel_by_job_type"]} == {
        "contract": 1,
        "unknown": 0,
    }
    assert data["trend"][-1]["applications"] == 2
    assert api_client_for(other).get(BEHAVIOR).json()["applications"] == 1
    assert theirs.seeker_id == other.pk


def test_user_behavior_needs_a_sign_in_and_a_valid_range(public_client, api_client_for, make_user):
    assert public_client.get(BEHAVIOR).status_code == 401
    response = api_client_for(make_user()).get(BEHAVIOR, {"since": "2026-12-01", "until": "2026-11-01"})
    assert response.status_code == 422


# --- Platform -------------------------------------------------------------------------------------------------------

PLATFORM = "/api/v2/analytics/platform/"


def test_the_platform_dashboard_is_for_staff_only(api_client_for, make_user, public_client):
    assert api_client_for(make_user()).get(PLATFORM).status_code == 403
    assert public_client.get(PLATFORM).status_code == 401
    assert api_client_for(make_user(is_staff=True)).get(PLATFORM).status_code == 200


def test_platform_revenue_churn_trials_and_api_usage_from_billing_state(
    api_client_for, make_user, tenant_a, tenant_b
):
    from django.utils import timezone

    now = timezone.now()
    growth = billing_account_for_tenant(tenant_a)
    BillingAccount.objects.filter(pk=growth.pk).update(
        plan_code="employer_growth", billing_interval="month", subscription_status=SubscriptionStatus.ACTIVE
    )
    yearly = billing_account_for_tenant(tenant_b)
    BillingAccount.objects.filter(pk=yearly.pk).update(
        plan_code="employer_growth",
        billing_interval="year",
        subscription_status=SubscriptionStatus.ACTIVE,
        trial_used=True,
    )
    pro = billing_account_for_user(make_user(), Audience.SEEKER)
    BillingAccount.objects.filter(pk=pro.pk).update(
        plan_code="seeker_pro",
        billing_interval="month",
        subscription_status=SubscriptionStatus.TRIALING,
        trial_used=True,
    )
    gone = billing_account_for_user(make_user(), Audience.SEEKER)
    BillingAccount.objects.filter(pk=gone.pk).update(
        plan_code="seeker_pro", subscription_status=SubscriptionStatus.CANCELED, trial_used=True
    )
    StripeEvent.objects.create(
        id="evt_1", type="customer.subscription.deleted", account=gone, stripe_created_at=now
    )
    StripeEvent.objects.create(
        id="evt_2",
        type="customer.subscription.deleted",
        account=gone,
        stripe_created_at=now - timedelta(days=90),
    )
    api_customer = make_user(email="api@customer.example")
    api_account = billing_account_for_user(api_customer, Audience.API)
    for day in (1, 2):
        UsageCounter.objects.create(
            account=api_account,
            metric="api_requests_per_day",
            period=now.strftime(f"%Y-%m-0{day}"),
            used=100 * day,
        )
    data = api_client_for(make_user(is_staff=True)).get(PLATFORM).json()
    assert data["mrr_cents"] == 9900 + round(99000 / 12)  # the trial is not revenue yet
    assert data["arr_cents"] == data["mrr_cents"] * 12
    assert data["paying_accounts"] == 2
    assert data["churn"] == {"window_days": 30, "churned": 1, "rate": round(1 / 3, 4)}
    assert data["trial_conversion"] == {"trials_ended": 2, "converted": 1, "rate": 0.5}
    mix = {(row["audience"], row["plan"]): row["accounts"] for row in data["plan_mix"]}
    assert mix[("employer", "employer_growth")] == 2
    assert mix[("seeker", "seeker_pro")] == 1  # the trialing one; the canceled one is back on free
    assert data["api_usage"] == [
        {"account_id": api_account.pk, "email": "api@customer.example", "requests": 300, "days_active": 2}
    ]
    assert data["active"]["api_customers"] == 1


def test_the_v2_openapi_document_lists_the_analytics_endpoints(public_client):
    paths = public_client.get("/api/v2/openapi.json").json()["paths"]
    assert {
        "/api/v2/analytics/job-performance/",
        "/api/v2/analytics/job-performance/export/",
        "/api/v2/analytics/user-behavior/",
        "/api/v2/analytics/platform/",
    } <= set(paths)
    assert public_client.get("/api/v2/nothing-here/").json()["code"] == "not_found"


def test_the_sql_plan_mix_and_mrr_agree_with_effective_plan_account_by_account(make_user, tenant_a, settings):
    """The platform's GROUP BY is `BillingAccount.effective_plan` in SQL: checked against it on every case (grace,
    grace over, an administrator's plan, an unknown code)."""
    from django.utils import timezone

    from billing.plans import Interval, get_plan
    from jobpilot.analytics.selectors import platform_metrics

    now = timezone.now()
    cases = [
        {"plan_code": "seeker_pro", "billing_interval": "month", "subscription_status": "active"},
        {
            "plan_code": "seeker_pro",
            "billing_interval": "year",
            "subscription_status": "past_due",
            "past_due_since": now - timedelta(days=1),
        },
        {
            "plan_code": "seeker_pro",
            "billing_interval": "month",
            "subscription_status": "past_due",
            "past_due_since": now - timedelta(days=settings.BILLING_GRACE_DAYS + 1),
        },
        {
            "plan_code": "seeker_pro",
            "billing_interval": "month",
            "subscription_status": "active",
            "manual_plan_code": "seeker_premium",
        },
        {"plan_code": "seeker_pro", "subscription_status": "none", "manual_plan_code": "no_such_plan"},
        {"plan_code": "no_such_plan", "subscription_status": "active"},
        {"plan_code": "seeker_pro", "subscription_status": "trialing", "trial_used": True},
    ]
    for fields in cases:
        account = billing_account_for_user(make_user(), Audience.SEEKER)
        BillingAccount.objects.filter(pk=account.pk).update(**fields)
    expected_mix, expected_mrr = {}, 0
    for account in BillingAccount.objects.all():
        plan = account.effective_plan(now)
        expected_mix[(account.audience, plan.code)] = expected_mix.get((account.audience, plan.code), 0) + 1
        subscribed = get_plan(account.plan_code)
        in_force = account.subscription_status == "active" or (
            account.subscription_status == "past_due" and plan.code == account.plan_code
        )
        if subscribed and not subscribed.is_free and in_force and not account.manual_plan_code:
            price = subscribed.prices[Interval(account.billing_interval or "month")]
            expected_mrr += price if account.billing_interval != "year" else round(price / 12)
    data = platform_metrics()
    assert {(row["audience"], row["plan"]): row["accounts"] for row in data["plan_mix"]} == expected_mix
    assert data["mrr_cents"] == expected_mrr
    assert data["paying_accounts"] == 2  # active, and past due within grace
    assert expected_mix[("seeker", "seeker_premium")] == 1


@pytest.fixture
def two_weeks(known_history, tenant_a, make_posting):
    """The known history plus a job with events in the week before (D-8, D-6) and one with a hire only."""
    job_a, quiet_a, job_b = known_history
    earlier = make_posting(tenant_a)
    hired_only = make_posting(tenant_a)
    events(
        [(at(-8, 9), "impression", "marketplace", tenant_a.pk, earlier.public_id, None)] * 7
        + [(at(-8, 10), "view", "api", tenant_a.pk, earlier.public_id, None)] * 3
        + [(at(-6, 10), "save", "alert_email", tenant_a.pk, earlier.public_id, None)] * 2
        + [(at(-6, 11), "apply_submitted", "alert_email", tenant_a.pk, job_a.public_id, None)]
        + [(at(-6, 12), "view", "marketplace", tenant_a.pk, quiet_a.public_id, None)]
    )
    pipeline(tenant_a, hired_only, [[("Applied", at(-8, 9)), ("Hired", at(-6, 9))]])
    for offset in (-8, -7, -6):
        services.rollup_day(day=DAY + timedelta(days=offset))
    services.rollup_week(week_start=services.week_start_of(DAY + timedelta(days=-8)))
    return job_a, quiet_a, earlier, hired_only


def _direct(tenant, since, until, granularity, job_id=None) -> dict:
    """The numbers the dashboard must show, counted row by row from the rollup tables with the ORM."""
    from collections import defaultdict

    from jobpilot.analytics.models import JobStat, PipelineStat

    def rows(model, period="day", first=since):
        found = model.objects.filter(tenant_id=tenant.pk, period=period, period_start__range=(first, until))
        return found.filter(job_public_id=job_id) if job_id else found

    jobs = defaultdict(lambda: defaultdict(int))
    sources = defaultdict(lambda: defaultdict(int))
    for row in rows(JobStat):
        for key in ("impressions", "views", "applies", "saves"):
            jobs[str(row.job_public_id)][key] += getattr(row, key)
        sources[row.source]["applies"] += row.applies
        sources[row.source]["views"] += row.views
    for row in rows(PipelineStat).filter(public_status="hired"):
        jobs[str(row.job_public_id)]["hires"] += row.entered
    first = since - timedelta(days=since.weekday()) if granularity == "week" else since
    trend = defaultdict(lambda: defaultdict(int))
    for row in rows(JobStat, granularity, first):
        trend[row.period_start.isoformat()]["views"] += row.views
        trend[row.period_start.isoformat()]["applies"] += row.applies
    for row in rows(PipelineStat, granularity, first).filter(public_status="hired"):
        trend[row.period_start.isoformat()]["hires"] += row.entered
    return {
        "jobs": {
            job: {key: counts[key] for key in ("impressions", "views", "applies", "saves", "hires")}
            for job, counts in jobs.items()
        },
        "sources": {source: dict(counts) for source, counts in sources.items()},
        "trend": {bucket: dict(counts) for bucket, counts in trend.items()},
    }


@pytest.mark.parametrize("granularity", ["day", "week"])
@pytest.mark.parametrize("one_job", [False, True])
def test_job_performance_agrees_with_the_rollup_rows_counted_one_by_one(
    two_weeks, staff_client, tenant_a, granularity, one_job
):
    job_a, *_ = two_weeks
    since, until = DAY - timedelta(days=9), DAY
    query = {"since": since.isoformat(), "until": until.isoformat(), "granularity": granularity}
    if one_job:
        query["job_id"] = str(job_a.public_id)
    data = staff_client(tenant_a).get(PERFORMANCE, query).json()
    direct = _direct(tenant_a, since, until, granularity, job_a.public_id if one_job else None)
    assert {
        row["job_id"]: {key: row[key] for key in ("impressions", "views", "applies", "saves", "hires")}
        for row in data["jobs"]
    } == direct["jobs"]
    assert len(direct["jobs"]) == (1 if one_job else 4)  # with the job that has a hire and no event
    assert {
        row["source"]: {"applies": row["applies"], "views": row["views"]}
        for row in data["applicants_by_source"]
    } == direct["sources"]
    assert [row["applies"] for row in data["applicants_by_source"]] == sorted(
        (row["applies"] for row in data["applicants_by_source"]), reverse=True
    )
    for key in ("impressions", "views", "applies", "saves"):
        assert data["totals"][key] == sum(job[key] for job in direct["jobs"].values())
    empty = {"views": 0, "applies": 0, "hires": 0}
    trend = {row["period_start"]: {k: row[k] for k in empty} for row in data["trend"]}
    assert {bucket: counts for bucket, counts in trend.items() if counts != empty} == {
        bucket: {**empty, **counts} for bucket, counts in direct["trend"].items()
    }
    assert len(trend) == (2 if granularity == "week" else 10)


def test_job_performance_reads_the_rollups_in_a_few_statements(
    two_weeks, tenant_a, django_assert_max_num_queries
):
    from django_tenants.utils import tenant_context

    from jobpilot.analytics.selectors import date_range_parse, job_performance

    dates = date_range_parse(since=DAY - timedelta(days=9), until=DAY, today=DAY)
    with tenant_context(tenant_a), django_assert_max_num_queries(8):
        # The plan check; then, on one cursor (one `SET search_path`), one statement per rollup table, the
        # cohort, the titles and the stages. (django-tenants sets the search path once per cursor: the ORM's
        # one-cursor-per-query made each of the ~10 statements before this two round trips.)
        job_performance(tenant=tenant_a, dates=dates)
