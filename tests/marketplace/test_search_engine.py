"""The bounded search engine (marketplace/search.py): slicing, the strong pool and the plan steering change how
much work a search does, never which jobs it finds. On the small test index they are off by default, so these
tests switch them on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobpilot.marketplace import search
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.marketplace.search import SearchFilters, Sort, candidates, normalize_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged_jobs(tenant_a, make_posting):
    """Twelve 'walnut' jobs published 0..88 days ago (newest first); the oldest has the word in its title."""
    postings = [
        make_posting(
            tenant_a, title=f"Orchard Hand {n}", description="<p>Walnut harvest, walnut sorting.</p>"
        )
        for n in range(11)
    ]
    postings.append(make_posting(tenant_a, title="Walnut Grader", description="<p>Grade nuts.</p>"))
    now = timezone.now()
    for age, posting in enumerate(postings):
        MarketplaceJob.objects.filter(public_id=posting.public_id).update(
            published_at=now - timedelta(days=age * 8)
        )
    return [MarketplaceJob.objects.get(public_id=posting.public_id).pk for posting in postings]


@pytest.fixture
def sliced(monkeypatch):
    """Slice even this small index and this small match set, as if they were a million rows and many matches."""
    monkeypatch.setattr(search, "SLICED_FROM_ROWS", 0)
    monkeypatch.setattr(search, "ALL_MATCHES_UP_TO", 0)
    monkeypatch.setattr(search, "_stats", None)
    yield
    search._stats = None


def walnut(**fields) -> SearchFilters:
    return SearchFilters(tsquery=normalize_query("walnut"), **fields)


def test_reading_in_slices_finds_the_same_newest_matches_as_one_query(aged_jobs, sliced):
    for cap in (3, 5, 20):
        found = candidates(walnut(), sort=Sort.NEWEST, count_cap=cap, pool=3, window=cap)
        assert found.ids == aged_jobs[:cap]
    assert candidates(walnut(), sort=Sort.NEWEST, count_cap=20, pool=3, window=20).summary.total == 12


def test_an_older_title_match_is_ranked_first_through_the_strong_pool(aged_jobs, sliced):
    found = candidates(walnut(), sort=Sort.RELEVANCE, count_cap=3, pool=3, window=4)
    assert found.summary.total_is_estimate
    # The sample is the 4 newest matches; the title match is 88 days old and comes in through the pool.
    assert found.ids == [aged_jobs[-1], *aged_jobs[:3]]


def test_a_search_with_few_matches_reads_and_ranks_them_all(aged_jobs):
    found = candidates(walnut(), sort=Sort.RELEVANCE, count_cap=3, pool=0, window=12)
    assert found.summary.total == 12  # counted, though beyond the cap: every match was read
    assert found.summary.total_is_estimate  # the contract: beyond the cap, a total may be an estimate
    assert found.ids == [aged_jobs[-1], *aged_jobs[:-1]]


def test_conditions_checked_row_by_row_find_the_same_jobs(aged_jobs, tenant_a, monkeypatch):
    filters = walnut(location=("berlin",), tenant_id=tenant_a.pk)
    indexed = candidates(filters, sort=Sort.NEWEST, count_cap=20, pool=3, window=20).ids
    monkeypatch.setattr(search, "COMMON_SHARE", 0.0)  # every GIN condition counts as common
    assert search._common_conditions(filters) == {"text", "location"}
    assert candidates(filters, sort=Sort.NEWEST, count_cap=20, pool=3, window=20).ids == indexed == aged_jobs
