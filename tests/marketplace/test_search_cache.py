"""Search candidates are cached per scope and generation; a change to the index starts a new generation."""

import pytest
from django.utils import timezone

from jobpilot.marketplace import cache as search_cache
from jobpilot.marketplace.models import MarketplaceJob

pytestmark = pytest.mark.django_db


def titles(client, **params) -> list[str]:
    return [job["title"] for job in client.get("/api/v1/jobs/", params).json()["results"]]


def sneak_in(tenant, title: str) -> MarketplaceJob:
    """An index row written behind the services' back: no invalidation follows."""
    return MarketplaceJob.objects.create(
        tenant=tenant,
        posting_id=10_000_000 + len(title),
        title=title,
        slug="x",
        company_name="Acme",
        company_slug=tenant.slug,
        job_type="full_time",
        remote="onsite",
        published_at=timezone.now(),
    )


def test_a_repeated_search_is_answered_from_the_cache_until_the_index_changes(
    tenant_a, make_posting, public_client
):
    make_posting(tenant_a, title="Origami Teacher")
    assert titles(public_client, q="origami") == ["Origami Teacher"]
    sneak_in(tenant_a, "Origami Master")
    assert titles(public_client, q="origami") == ["Origami Teacher"]  # cached

    search_cache.invalidate(tenant_id=tenant_a.pk)
    assert sorted(titles(public_client, q="origami")) == ["Origami Master", "Origami Teacher"]


def test_a_job_removed_from_the_index_never_shows_even_from_a_stale_cache(
    tenant_a, make_posting, public_client
):
    posting = make_posting(tenant_a, title="Vanishing Act Performer")
    assert titles(public_client, q="vanishing") == ["Vanishing Act Performer"]
    MarketplaceJob.objects.filter(public_id=posting.public_id).delete()  # no invalidation
    assert titles(public_client, q="vanishing") == []  # cards are always read from the index


def test_an_employers_change_invalidates_the_marketplace_and_its_portal_only(tenant_a, tenant_b):
    scopes = [search_cache.ALL, search_cache.scope_of(tenant_a.pk), search_cache.scope_of(tenant_b.pk)]
    before = [search_cache.generation(scope) for scope in scopes]
    search_cache.invalidate(tenant_id=tenant_a.pk)
    after = [search_cache.generation(scope) for scope in scopes]
    assert after[0] != before[0] and after[1] != before[1]
    assert after[2] == before[2]


def test_caching_can_be_switched_off(tenant_a, make_posting, public_client, settings):
    settings.MARKETPLACE_SEARCH_CACHE_SECONDS = 0
    make_posting(tenant_a, title="Uncached Umpire")
    assert titles(public_client, q="umpire") == ["Uncached Umpire"]
    sneak_in(tenant_a, "Uncached Umpire Two")
    assert len(titles(public_client, q="umpire")) == 2
