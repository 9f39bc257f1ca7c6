"""Usage thresholds: the payer hears once when a counter reaches 80% and once at 100% of its limit, also when many
uses race; never for unlimited metrics; an employer's admins and owners hear of the employer's."""

import math

import pytest
from django.db import transaction

from billing.entitlements import consume, release, threshold_crossed, used_for
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from billing.services import billing_account_override_limits
from jobpilot.notifications.models import Notification
from jobpilot.notifications.types import NotificationType
from tests.billing.test_consume_concurrency import consume_in_own_transaction, run_at_once

pytestmark = pytest.mark.django_db


def _thresholds(user):
    return sorted(
        Notification.objects.filter(recipient=user, type=NotificationType.USAGE_THRESHOLD).values_list(
            "dedupe_key", flat=True
        )
    )


def _seeker_account(user, metric, limit):
    account = billing_account_for_user(user, Audience.SEEKER)
    return billing_account_override_limits(actor=None, account=account, limits={metric.value: limit})


@pytest.mark.parametrize(
    ("used", "amount", "limit", "expected"),
    [
        (7, 1, 10, None),
        (8, 1, 10, 80),
        (9, 1, 10, None),
        (10, 1, 10, 100),
        (10, 5, 10, 100),  # one jump over both marks reports the higher
        (4, 1, 5, 80),
        (1, 1, 1, 100),
        (3, 1, None, None),
        (0, 1, 0, None),
    ],
)
def test_the_crossing_is_computed_from_the_returned_total(used, amount, limit, expected):
    assert threshold_crossed(used=used, amount=amount, limit=limit) == expected


def test_a_seeker_hears_at_eighty_and_at_one_hundred_percent(make_user, django_capture_on_commit_callbacks):
    seeker = make_user()
    account = _seeker_account(seeker, Metric.SAVED_JOBS, 5)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            consume(account, Metric.SAVED_JOBS)
    assert _thresholds(seeker) == []
    with django_capture_on_commit_callbacks(execute=True):
        consume(account, Metric.SAVED_JOBS)
    [eighty] = Notification.objects.filter(recipient=seeker, type=NotificationType.USAGE_THRESHOLD)
    assert eighty.data["threshold"] == 80 and eighty.data["url"].endswith("/account/billing/")
    with django_capture_on_commit_callbacks(execute=True):
        consume(account, Metric.SAVED_JOBS)
        # Freed and used again in the same period: no second notice.
        release(account, Metric.SAVED_JOBS, 2)
        consume(account, Metric.SAVED_JOBS, 2)
    assert _thresholds(seeker) == [
        f"usage:{account.pk}:saved_jobs:all:100",
        f"usage:{account.pk}:saved_jobs:all:80",
    ]


def test_nothing_is_sent_before_the_use_commits(make_user, django_capture_on_commit_callbacks):
    seeker = make_user()
    account = _seeker_account(seeker, Metric.SAVED_SEARCHES, 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        consume(account, Metric.SAVED_SEARCHES)
    assert _thresholds(seeker) == [] and len(callbacks) == 1


def test_an_unlimited_metric_never_notifies(make_user, django_capture_on_commit_callbacks):
    seeker = make_user()
    account = billing_account_for_user(seeker, Audience.SEEKER)
    account = billing_account_override_limits(actor=None, account=account, limits={"saved_jobs": None})
    with django_capture_on_commit_callbacks(execute=True):
        consume(account, Metric.SAVED_JOBS, 500)
    assert _thresholds(seeker) == []


def test_an_employers_admins_and_owners_hear_of_its_usage(
    tenant_a, make_member, django_capture_on_commit_callbacks
):
    owner, admin, recruiter = (make_member(tenant_a, role) for role in ("owner", "admin", "recruiter"))
    account = billing_account_for_tenant(tenant_a)
    base = used_for(account, Metric.SEATS)  # the seats provisioning already took
    limit = base + 10
    account = billing_account_override_limits(actor=None, account=account, limits={"seats": limit})
    with django_capture_on_commit_callbacks(execute=True):
        consume(account, Metric.SEATS, math.ceil(limit * 0.8) - base)
    assert _thresholds(owner) == _thresholds(admin) == [f"usage:{account.pk}:seats:all:80"]
    assert _thresholds(recruiter) == []


@pytest.mark.django_db(transaction=True)
def test_fifty_racing_uses_notify_exactly_once_at_each_threshold(make_user):
    seeker = make_user()
    account = _seeker_account(seeker, Metric.APPLICATIONS_PER_MONTH, 10)
    sent = []

    def attempt():
        with transaction.atomic():
            result = consume_in_own_transaction(account, Metric.APPLICATIONS_PER_MONTH)()
            if isinstance(result, int) and threshold_crossed(used=result, amount=1, limit=10):
                sent.append(result)
            return result

    results = run_at_once(attempt)
    assert sorted(r for r in results if r != "limit_reached") == list(range(1, 11))
    assert sorted(sent) == [8, 10]
    period = Notification.objects.filter(recipient=seeker).values_list("data__period", flat=True).first()
    assert _thresholds(seeker) == [
        f"usage:{account.pk}:applications_per_month:{period}:100",
        f"usage:{account.pk}:applications_per_month:{period}:80",
    ]
