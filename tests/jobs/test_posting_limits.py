"""The employer plan's active-postings limit, end to end: publishing takes a unit, closing, archiving and
deleting give it back, and concurrent publishes never go past the limit."""

import threading

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from billing.entitlements import used_for
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from jobpilot.jobs import services
from jobpilot.jobs.models import JobPosting
from tests.jobs.conftest import posting_data

pytestmark = pytest.mark.django_db


def _drafts(tenant, count):
    with tenant_context(tenant):
        return [services.job_posting_create(actor=None, data=posting_data()) for _ in range(count)]


def _active_postings(tenant) -> int:
    return used_for(billing_account_for_tenant(tenant), Metric.ACTIVE_POSTINGS)


def test_a_new_employer_starts_with_one_seat_and_no_active_postings(tenant_a):
    account = billing_account_for_tenant(tenant_a)
    assert account.plan_code == "employer_starter"
    assert used_for(account, Metric.SEATS) == 1
    assert used_for(account, Metric.ACTIVE_POSTINGS) == 0


def test_a_starter_employer_publishes_three_jobs_and_the_fourth_answers_402(signed_in, member, tenant_a):
    admin = member(tenant_a, "admin")
    client = signed_in(admin, tenant_a)
    drafts = _drafts(tenant_a, 4)
    for posting in drafts[:3]:
        assert client.post(f"/api/v1/employer/jobs/{posting.public_id}/publish/").status_code == 200
    refused = client.post(f"/api/v1/employer/jobs/{drafts[3].public_id}/publish/")
    assert refused.status_code == 402
    assert refused.json() | {"upgrade_url": None} == {
        "detail": refused.json()["detail"],
        "code": "limit_reached",
        "metric": "active_postings",
        "limit": 3,
        "used": 3,
        "upgrade_url": None,
    }
    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=drafts[3].pk).status == JobPosting.Status.DRAFT

    # Closing one frees its unit for the fourth.
    assert client.post(f"/api/v1/employer/jobs/{drafts[0].public_id}/close/").status_code == 200
    assert client.post(f"/api/v1/employer/jobs/{drafts[3].public_id}/publish/").status_code == 200
    assert _active_postings(tenant_a) == 3


def test_archiving_or_deleting_a_published_job_gives_its_unit_back(tenant_a):
    one, two = _drafts(tenant_a, 2)
    with tenant_context(tenant_a):
        services.job_posting_publish(actor=None, posting=one)
        services.job_posting_publish(actor=None, posting=two)
        assert _active_postings(tenant_a) == 2
        services.job_posting_archive(actor=None, posting=one)
        services.job_posting_delete(actor=None, posting=two)
    assert _active_postings(tenant_a) == 0


def test_expiry_gives_the_unit_back(tenant_a):
    from datetime import timedelta

    from django.utils import timezone

    (posting,) = _drafts(tenant_a, 1)
    with tenant_context(tenant_a):
        services.job_posting_publish(actor=None, posting=posting)
        JobPosting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        assert services.job_postings_expire() == 1
    assert _active_postings(tenant_a) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_never_exceed_the_limit(tenant_a):
    drafts = _drafts(tenant_a, 8)
    results, barrier = [], threading.Barrier(len(drafts))

    def publish(posting):
        try:
            barrier.wait()
            with tenant_context(tenant_a):
                services.job_posting_publish(actor=None, posting=posting)
            results.append("published")
        except Exception as error:  # noqa: BLE001 - the test counts what each thread got
            results.append(getattr(error, "code", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(posting,)) for posting in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["limit_reached"] * 5 + ["published"] * 3
    assert _active_postings(tenant_a) == 3
