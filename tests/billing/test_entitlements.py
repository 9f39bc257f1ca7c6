"""billing.entitlements: features, limits, consume/release and the counters' periods."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from billing.entitlements import (
    consume,
    has_feature,
    limit_for,
    period_key,
    release,
    require_feature,
    usage_summary,
    used_for,
)
from billing.errors import FeatureNotInPlan, LimitReached
from billing.models import BillingAccount, SubscriptionStatus, UsageCounter
from billing.plans import Audience, Feature, Metric
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from billing.services import billing_account_assign_plan, billing_account_override_limits

pytestmark = pytest.mark.django_db


def test_a_new_seeker_account_is_on_the_free_plan(seeker_account):
    assert seeker_account.effective_plan().code == "seeker_free"
    assert limit_for(seeker_account, Metric.APPLICATIONS_PER_MONTH) == 10


def test_looking_an_account_up_twice_gives_the_same_account(seeker):
    first = billing_account_for_user(seeker, Audience.SEEKER)
    assert billing_account_for_user(seeker, "seeker").pk == first.pk
    assert billing_account_for_user(seeker, Audience.API).pk != first.pk


def test_employers_are_billed_per_tenant_not_per_user(seeker):
    with pytest.raises(ValueError):
        billing_account_for_user(seeker, Audience.EMPLOYER)


def test_a_tenant_account_starts_counting_seats_from_its_current_members(tenant_a):
    account = billing_account_for_tenant(tenant_a)
    assert account.effective_plan().code == "employer_starter"
    assert used_for(account, Metric.SEATS) == tenant_a.memberships.count() == 1


def test_consume_counts_until_the_limit_then_answers_limit_reached(seeker_account):
    billing_account_override_limits(actor=None, account=seeker_account, limits={"saved_jobs": 3})
    seeker_account.refresh_from_db()
    assert [consume(seeker_account, Metric.SAVED_JOBS) for _ in range(3)] == [1, 2, 3]

    with pytest.raises(LimitReached) as reached:
        consume(seeker_account, Metric.SAVED_JOBS)

    assert reached.value.status == 402
    assert reached.value.as_dict() == {
        "detail": reached.value.detail,
        "code": "limit_reached",
        "metric": "saved_jobs",
        "limit": 3,
        "used": 3,
        "upgrade_url": "https://localhost/account/billing/",
    }
    assert used_for(seeker_account, Metric.SAVED_JOBS) == 3


def test_consuming_more_than_is_left_consumes_nothing(seeker_account):
    consume(seeker_account, Metric.APPLICATIONS_PER_MONTH, amount=8)
    with pytest.raises(LimitReached):
        consume(seeker_account, Metric.APPLICATIONS_PER_MONTH, amount=3)
    assert used_for(seeker_account, Metric.APPLICATIONS_PER_MONTH) == 8
    assert consume(seeker_account, Metric.APPLICATIONS_PER_MONTH, amount=2) == 10


def test_a_first_use_larger_than_the_limit_creates_no_counter(seeker_account):
    with pytest.raises(LimitReached):
        consume(seeker_account, Metric.SAVED_SEARCHES, amount=3)
    assert not UsageCounter.objects.filter(account=seeker_account).exists()


def test_a_metric_the_plan_does_not_have_has_a_limit_of_zero(seeker_account):
    assert limit_for(seeker_account, Metric.ACTIVE_POSTINGS) == 0
    with pytest.raises(LimitReached):
        consume(seeker_account, Metric.ACTIVE_POSTINGS)


def test_release_gives_usage_back_and_never_goes_below_zero(seeker_account):
    consume(seeker_account, Metric.SAVED_JOBS, amount=2)
    release(seeker_account, Metric.SAVED_JOBS)
    assert used_for(seeker_account, Metric.SAVED_JOBS) == 1
    release(seeker_account, Metric.SAVED_JOBS, amount=5)
    assert used_for(seeker_account, Metric.SAVED_JOBS) == 0


def test_monthly_usage_starts_again_each_month_and_is_released_to_the_month_it_was_used_in(seeker_account):
    last_month = timezone.now().replace(day=1) - timedelta(days=1)
    UsageCounter.objects.create(
        account=seeker_account,
        metric=Metric.APPLICATIONS_PER_MONTH,
        period=period_key(Metric.APPLICATIONS_PER_MONTH, last_month),
        used=10,
    )
    assert consume(seeker_account, Metric.APPLICATIONS_PER_MONTH) == 1

    release(seeker_account, Metric.APPLICATIONS_PER_MONTH, consumed_at=last_month)
    assert used_for(seeker_account, Metric.APPLICATIONS_PER_MONTH, at=last_month) == 9
    assert used_for(seeker_account, Metric.APPLICATIONS_PER_MONTH) == 1


def test_period_keys_are_utc_calendar_months_days_and_one_key_for_gauges():
    moment = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    assert period_key(Metric.APPLICATIONS_PER_MONTH, moment) == "2026-01"
    assert period_key(Metric.API_REQUESTS_PER_DAY, moment) == "2026-01-31"
    assert period_key(Metric.SEATS, moment) == "all"
    with pytest.raises(ValueError):
        period_key(Metric.API_REQUESTS_PER_MINUTE)


def test_an_unlimited_metric_is_counted_but_never_refused(seeker_account):
    billing_account_assign_plan(actor=None, account=seeker_account, plan_code="seeker_premium")
    seeker_account.refresh_from_db()
    assert limit_for(seeker_account, Metric.APPLICATIONS_PER_MONTH) is None
    assert consume(seeker_account, Metric.APPLICATIONS_PER_MONTH, amount=5000) == 5000


def test_metered_overage_counts_past_the_limit_instead_of_refusing(make_user):
    account = billing_account_for_user(make_user(), Audience.API)
    billing_account_assign_plan(actor=None, account=account, plan_code="api_business")
    billing_account_override_limits(actor=None, account=account, limits={"api_requests_per_day": 2})
    account.refresh_from_db()
    assert [consume(account, Metric.API_REQUESTS_PER_DAY) for _ in range(3)] == [1, 2, 3]

    free = billing_account_for_user(make_user(), Audience.API)
    billing_account_override_limits(actor=None, account=free, limits={"api_requests_per_day": 2})
    free.refresh_from_db()
    consume(free, Metric.API_REQUESTS_PER_DAY, amount=2)
    with pytest.raises(LimitReached):
        consume(free, Metric.API_REQUESTS_PER_DAY)


def test_features_follow_the_plan(tenant_a):
    account = billing_account_for_tenant(tenant_a)
    assert not has_feature(account, Feature.CUSTOM_DOMAIN)
    with pytest.raises(FeatureNotInPlan) as missing:
        require_feature(account, Feature.CUSTOM_DOMAIN)
    assert missing.value.status == 402
    assert missing.value.as_dict()["code"] == "feature_not_in_plan"
    assert missing.value.as_dict()["upgrade_url"] == "https://acme.localhost/console/billing/"

    billing_account_assign_plan(actor=None, account=account, plan_code="employer_growth")
    account.refresh_from_db()
    assert has_feature(account, Feature.CUSTOM_DOMAIN)
    assert not has_feature(account, Feature.API_ACCESS)


def test_an_admin_cannot_assign_another_audiences_plan(seeker_account):
    with pytest.raises(Exception) as refused:
        billing_account_assign_plan(actor=None, account=seeker_account, plan_code="employer_growth")
    assert refused.value.code == "unknown_plan"


@pytest.mark.parametrize(
    ("status", "days_past_due", "plan"),
    [
        (SubscriptionStatus.ACTIVE, None, "seeker_pro"),
        (SubscriptionStatus.TRIALING, None, "seeker_pro"),
        (SubscriptionStatus.PAST_DUE, 2, "seeker_pro"),
        (SubscriptionStatus.PAST_DUE, 8, "seeker_free"),
        (SubscriptionStatus.UNPAID, None, "seeker_free"),
        (SubscriptionStatus.PAUSED, None, "seeker_free"),
        (SubscriptionStatus.INCOMPLETE, None, "seeker_free"),
        (SubscriptionStatus.CANCELED, None, "seeker_free"),
    ],
)
def test_the_subscribed_plan_applies_only_while_paid_or_in_grace(
    seeker_account, settings, status, days_past_due, plan
):
    settings.BILLING_GRACE_DAYS = 7
    since = timezone.now() - timedelta(days=days_past_due) if days_past_due else None
    BillingAccount.objects.filter(pk=seeker_account.pk).update(
        plan_code="seeker_pro", subscription_status=status, past_due_since=since
    )
    seeker_account.refresh_from_db()
    assert seeker_account.effective_plan().code == plan


def test_the_usage_summary_lists_every_metric_of_the_audience(seeker_account):
    consume(seeker_account, Metric.SAVED_JOBS, amount=4)
    summary = {row["metric"]: row for row in usage_summary(seeker_account)}
    assert set(summary) == {"applications_per_month", "saved_jobs", "saved_searches"}
    assert summary["saved_jobs"] == {
        "metric": "saved_jobs",
        "period": "gauge",
        "used": 4,
        "limit": 25,
        "overage": False,
    }
