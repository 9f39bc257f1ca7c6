"""A limit holds under concurrency: many transactions consuming at once never overshoot it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection, transaction

from billing.entitlements import consume, release, used_for
from billing.errors import LimitReached
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from billing.services import billing_account_override_limits

WORKERS = 50


def run_at_once(func, count: int = WORKERS) -> list:
    """Run `func` in `count` threads released together; each thread has its own database connection."""
    barrier = threading.Barrier(count)

    def worker(_):
        try:
            barrier.wait(timeout=30)
            return func()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(worker, range(count)))
    close_old_connections()
    return results


def consume_in_own_transaction(account, metric):
    def attempt():
        try:
            with transaction.atomic():
                return consume(account, metric)
        except LimitReached:
            return "limit_reached"

    return attempt


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "metric",
    [Metric.APPLICATIONS_PER_MONTH, Metric.SAVED_JOBS, Metric.SAVED_SEARCHES, Metric.ACTIVE_POSTINGS],
)
def test_fifty_concurrent_consumes_against_a_limit_of_ten_let_exactly_ten_through(
    make_user, tenant_b, metric
):
    if metric is Metric.ACTIVE_POSTINGS:
        account = billing_account_for_tenant(tenant_b)
    else:
        account = billing_account_for_user(make_user(), Audience.SEEKER)
    account = billing_account_override_limits(actor=None, account=account, limits={metric.value: 10})

    results = run_at_once(consume_in_own_transaction(account, metric))

    granted = sorted(r for r in results if r != "limit_reached")
    assert granted == list(range(1, 11))  # each success saw a distinct total: no two shared a slot
    assert results.count("limit_reached") == 40
    assert used_for(account, metric) == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_and_consumes_keep_the_counter_exact(make_user):
    account = billing_account_for_user(make_user(), Audience.SEEKER)
    account = billing_account_override_limits(actor=None, account=account, limits={"saved_jobs": 20})
    consume(account, Metric.SAVED_JOBS, amount=20)

    def release_then_consume():
        with transaction.atomic():
            release(account, Metric.SAVED_JOBS)
        try:
            with transaction.atomic():
                consume(account, Metric.SAVED_JOBS)
            return "ok"
        except LimitReached:
            return "limit_reached"

    results = run_at_once(release_then_consume, count=20)

    # Each thread's consume follows its own release, so a slot is always free for it; the total ends where
    # it started and never passed the limit (the counter's check constraint also keeps it from going below 0).
    assert results.count("ok") == 20
    assert used_for(account, Metric.SAVED_JOBS) == 20


@pytest.mark.django_db(transaction=True)
def test_a_consume_whose_transaction_rolls_back_is_not_counted(make_user):
    account = billing_account_for_user(make_user(), Audience.SEEKER)
    with pytest.raises(RuntimeError), transaction.atomic():
        consume(account, Metric.SAVED_JOBS)
        raise RuntimeError("the write it paid for failed")
    assert used_for(account, Metric.SAVED_JOBS) == 0
