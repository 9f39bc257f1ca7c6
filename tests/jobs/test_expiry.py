"""Postings close when they expire or their deadline passes, and leave the marketplace."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs.models import JobPosting
from jobpilot.jobs.tasks import expire_postings
from jobpilot.marketplace.models import MarketplaceJob
from tenants.models import DueWork, Tenant
from tenants.services import tenant_set_status

pytestmark = pytest.mark.django_db


def _age(tenant, posting, **fields):
    with tenant_context(tenant):
        row = JobPosting.objects.get(pk=posting.pk)
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()  # not .update(): save keeps `deadline_ends_at` with the deadline


def _reload(tenant, posting) -> JobPosting:
    with tenant_context(tenant):
        return JobPosting.objects.get(pk=posting.pk)


def test_the_expiry_task_closes_postings_past_their_expiry_and_takes_them_out(
    tenant_a, tenant_b, make_posting
):
    expired, current = make_posting(tenant_a), make_posting(tenant_a)
    elsewhere = make_posting(tenant_b)
    _age(tenant_a, expired, expires_at=timezone.now() - timedelta(minutes=5))
    _age(tenant_b, elsewhere, expires_at=timezone.now() - timedelta(minutes=5))

    assert expire_postings.delay().get() >= 2

    for tenant, posting in ((tenant_a, expired), (tenant_b, elsewhere)):
        closed = _reload(tenant, posting)
        assert (closed.status, closed.closed_reason) == ("closed", "expired")
        assert not MarketplaceJob.objects.filter(public_id=posting.public_id).exists()
    assert _reload(tenant_a, current).status == "published"
    assert MarketplaceJob.objects.filter(public_id=current.public_id).exists()


def test_a_posting_closes_the_day_after_its_application_deadline(tenant_a, make_posting):
    today = timezone.now().date()
    due, last_day = make_posting(tenant_a), make_posting(tenant_a)
    _age(tenant_a, due, application_deadline=today - timedelta(days=1))
    _age(tenant_a, last_day, application_deadline=today)
    expire_postings.delay()
    assert _reload(tenant_a, due).status == "closed"
    assert _reload(tenant_a, last_day).status == "published"


def test_search_hides_an_expired_job_before_the_task_has_run(tenant_a, make_posting, public_client):
    posting = make_posting(tenant_a, title="Quokka Keeper")
    MarketplaceJob.objects.filter(public_id=posting.public_id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert public_client.get("/api/v1/jobs/", {"q": "quokka"}).json()["results"] == []
    assert public_client.get(f"/api/v1/jobs/{posting.public_id}/").status_code == 404


def test_a_suspended_employers_postings_wait_until_it_is_active_again(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    _age(tenant_a, posting, expires_at=timezone.now() - timedelta(minutes=5))
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)
    expire_postings.delay()
    assert _reload(tenant_a, posting).status == "published"
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.ACTIVE)
    assert not MarketplaceJob.objects.filter(public_id=posting.public_id).exists()  # never re-listed
    expire_postings.delay()
    assert _reload(tenant_a, posting).status == "closed"


def _expiry_due() -> dict:
    return dict(
        DueWork.objects.filter(kind=DueWork.Kind.POSTING_EXPIRY).values_list("tenant__slug", "due_at")
    )


def test_the_expiry_beat_enters_only_the_employer_whose_posting_closes(
    tenant_a, tenant_b, make_posting, monkeypatch
):
    soon = timezone.now() + timedelta(hours=2)
    posting = make_posting(tenant_a)  # published, so it expires some day
    with tenant_context(tenant_a):
        row = JobPosting.objects.get(pk=posting.pk)
        row.expires_at = soon
        row.save()
    assert set(_expiry_due()) == {tenant_a.slug}  # tenant_b has no posting: nothing ever due there

    entered = []
    original = tenant_context

    def recording(tenant):
        entered.append(tenant.slug)
        return original(tenant)

    monkeypatch.setattr("jobpilot.jobs.tasks.tenant_context", recording)
    assert expire_postings() == 0 and entered == []  # not due yet: no schema entered

    DueWork.objects.filter(kind=DueWork.Kind.POSTING_EXPIRY).update(due_at=timezone.now())
    assert expire_postings() == 0 and entered == [tenant_a.slug]
    assert _expiry_due() == {tenant_a.slug: soon}  # the beat recorded when the posting really closes
