"""The marketplace index holds exactly the live jobs of active employers, written with the posting's change."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from tenants.models import Tenant
from tenants.services import tenant_set_status

pytestmark = pytest.mark.django_db
Status = JobPosting.Status


def listed(posting) -> bool:
    return MarketplaceJob.objects.filter(public_id=posting.public_id).exists()


def test_a_draft_is_never_listed(tenant_a, make_posting):
    posting = make_posting(tenant_a, status=Status.DRAFT)
    with tenant_context(tenant_a):
        services.job_posting_update(actor=None, posting=posting, changes={"title": "Still a draft"})
    assert not listed(posting)


def test_publishing_lists_the_public_projection_of_the_posting(tenant_a, make_posting):
    posting = make_posting(
        tenant_a,
        title="Night Nurse",
        city="Hamburg",
        region="Hamburg",
        country="de",
        skills=["ICU", "BLS"],
        salary_min=30,
        salary_max=40,
        salary_currency="eur",
        salary_period="hour",
    )
    row = MarketplaceJob.objects.get(public_id=posting.public_id)
    assert (row.tenant_id, row.posting_id, row.source) == (tenant_a.pk, posting.pk, "employer")
    assert (row.company_name, row.company_slug) == (tenant_a.name, tenant_a.slug)
    assert row.location_keys == ["hamburg", "de"]
    assert row.skill_keys == ["critical care nursing", "basic life support"]  # typed ICU, BLS: taxonomy labels
    assert (row.salary_annual_min, row.salary_annual_max, row.salary_currency) == (62_400, 83_200, "EUR")
    assert row.expires_at == posting.expires_at
    assert row.search_vector is not None  # computed by the database from title, keywords and text


def test_the_listing_closes_at_the_end_of_the_deadline_day_when_that_comes_before_expiry(
    tenant_a, make_posting
):
    deadline = timezone.now().date() + timedelta(days=3)
    posting = make_posting(tenant_a, application_deadline=deadline)
    row = MarketplaceJob.objects.get(public_id=posting.public_id)
    assert row.expires_at.date() == deadline + timedelta(days=1)
    assert (row.expires_at.hour, row.expires_at.minute) == (0, 0)


def test_editing_a_published_job_updates_its_listing_in_the_same_transaction(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        services.job_posting_update(
            actor=None, posting=posting, changes={"title": "Renamed Role", "remote": "remote"}
        )
    row = MarketplaceJob.objects.get(public_id=posting.public_id)
    assert (row.title, row.remote) == ("Renamed Role", "remote")


@pytest.mark.parametrize("action", ["close", "archive", "delete"])
def test_closing_archiving_or_deleting_takes_the_job_out(tenant_a, make_posting, action):
    posting = make_posting(tenant_a)
    assert listed(posting)
    with tenant_context(tenant_a):
        getattr(services, f"job_posting_{action}")(actor=None, posting=posting)
    assert not listed(posting)


def test_a_failed_change_leaves_the_listing_as_it_was(tenant_a, make_posting):
    posting = make_posting(tenant_a, title="Stable Listing")
    with tenant_context(tenant_a), pytest.raises(RuntimeError), transaction.atomic():
        services.job_posting_close(actor=None, posting=posting)
        raise RuntimeError("the request failed after closing")
    assert listed(posting)


def test_suspending_an_employer_takes_its_jobs_out_and_reactivating_brings_them_back(
    tenant_a, tenant_b, make_posting
):
    ours, theirs = make_posting(tenant_a), make_posting(tenant_b)
    closed = make_posting(tenant_a, status=Status.CLOSED)
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)
    assert not listed(ours) and listed(theirs)

    tenant_set_status(tenant=tenant_a, status=Tenant.Status.ACTIVE)
    assert listed(ours) and listed(theirs) and not listed(closed)


def test_a_posting_published_while_its_employer_is_suspended_is_not_listed(tenant_a, make_posting):
    posting = make_posting(tenant_a, status=Status.DRAFT)
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)
    tenant_a.refresh_from_db()
    with tenant_context(tenant_a):
        services.job_posting_publish(actor=None, posting=posting)
    assert not listed(posting)
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.ACTIVE)
    assert listed(posting)


def test_the_rebuild_command_restores_lost_listings_and_drops_stale_ones(tenant_a, tenant_b, make_posting):
    kept, lost = make_posting(tenant_a), make_posting(tenant_b)
    stale = make_posting(tenant_a, status=Status.CLOSED)
    MarketplaceJob.objects.filter(public_id=lost.public_id).delete()
    MarketplaceJob.objects.create(
        public_id=stale.public_id,
        tenant=tenant_a,
        posting_id=stale.pk,
        title="stale",
        slug="stale",
        company_name="x",
        company_slug="x",
        job_type="full_time",
        remote="onsite",
        published_at=timezone.now(),
    )
    call_command("marketplace_rebuild", stdout=None)
    assert listed(kept) and listed(lost) and not listed(stale)


def test_the_rebuild_leaves_out_postings_past_their_expiry(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("marketplace_rebuild", "--tenant", tenant_a.slug, stdout=None)
    assert not listed(posting)


def test_an_index_row_of_an_employer_needs_its_posting_and_an_imported_one_its_feed_reference(tenant_a):
    common = {
        "title": "t",
        "slug": "t",
        "company_name": "c",
        "company_slug": "c",
        "job_type": "full_time",
        "remote": "onsite",
        "published_at": timezone.now(),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketplaceJob.objects.create(source="employer", tenant=tenant_a, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketplaceJob.objects.create(source="imported", tenant=tenant_a, source_ref="x-1", **common)
    imported = MarketplaceJob.objects.create(
        source="imported", source_name="feed", source_ref="x-1", **common
    )
    assert imported.tenant_id is None
