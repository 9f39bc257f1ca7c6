"""Applying under concurrency: the double-apply guard and the seeker's monthly limit hold exactly."""

import threading

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from billing.entitlements import used_for
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_user
from billing.services import billing_account_override_limits
from jobpilot.applications.models import Application
from jobpilot.jobs.models import JobPosting
from jobpilot.tracker.models import TrackedApplication

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(calls) -> list[int]:
    """Start every call at once (a barrier) in its own thread and connection; returns the status codes."""
    barrier = threading.Barrier(len(calls))
    codes: list[int] = []

    def run(call):
        try:
            barrier.wait()
            codes.append(call().status_code)
        except Exception as error:  # noqa: BLE001 - shown in the assertion instead of vanishing with the thread
            codes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def apply_call(api_client_for, seeker, posting, answers=None):
    client = api_client_for(seeker)  # one client per thread
    url = f"/api/v1/jobs/{posting.public_id}/apply/"
    return lambda: client.post(url, {"answers": answers or {}}, content_type="application/json")


def test_twenty_concurrent_applies_from_one_seeker_create_one_application_and_count_one(
    api_client_for, make_user, make_posting, tenant_a
):
    seeker = make_user()
    posting = make_posting(tenant_a)

    codes = run_concurrently([apply_call(api_client_for, seeker, posting) for _ in range(20)])

    assert sorted(codes) == [201] + [409] * 19
    with tenant_context(tenant_a):
        assert Application.objects.filter(job=posting.pk, seeker_user_id=seeker.pk).count() == 1
        assert JobPosting.objects.get(pk=posting.pk).application_count == 1
    assert TrackedApplication.objects.filter(seeker=seeker).count() == 1
    account = billing_account_for_user(seeker, Audience.SEEKER)
    assert used_for(account, Metric.APPLICATIONS_PER_MONTH) == 1


def test_fifty_concurrent_applies_against_a_limit_of_ten_let_exactly_ten_through(
    api_client_for, make_user, make_posting, tenant_a
):
    seeker = make_user()
    account = billing_account_for_user(seeker, Audience.SEEKER)
    billing_account_override_limits(actor="tests", account=account, limits={"applications_per_month": 10})
    postings = [make_posting(tenant_a) for _ in range(50)]

    codes = run_concurrently([apply_call(api_client_for, seeker, posting) for posting in postings])

    assert sorted(codes) == [201] * 10 + [402] * 40
    with tenant_context(tenant_a):
        assert Application.objects.filter(seeker_user_id=seeker.pk).count() == 10
    assert TrackedApplication.objects.filter(seeker=seeker).count() == 10
    assert used_for(account, Metric.APPLICATIONS_PER_MONTH) == 10
