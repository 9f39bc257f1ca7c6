"""A saved search alerts on exactly the jobs its search shows: instant matching runs the search's own engine query
against the new job, for every kind of filter and syntax."""

import pytest

from jobpilot.marketplace.models import MarketplaceJob, SavedSearch
from jobpilot.marketplace.selectors import saved_searches_matching_job

pytestmark = pytest.mark.django_db

SEARCHES = [
    ("python", {}),
    ('"python developer"', {}),
    ('"developer python"', {}),
    ("python -django", {}),
    ("cobol or python", {}),
    ("", {"location": "Germany"}),
    ("", {"location": "Munich, DE"}),
    ("", {"location": "Remote"}),
    ("", {"skills": ["django"]}),
    ("", {"salary_min": 70_000, "currency": "EUR"}),
    ("", {"salary_min": 95_000}),
    ("", {"job_type": ["contract"]}),
    ("", {"remote": ["hybrid"]}),
    ("pythn", {}),  # a typo: the search's fuzzy retry finds it, so must the alert
]


def test_instant_matches_equal_what_each_search_shows(tenant_a, make_posting, make_user, public_client):
    posting = make_posting(
        tenant_a,
        title="Python Developer",
        city="Berlin",
        country="DE",
        remote="hybrid",
        skills=["Python", "Django"],
        salary_min=60_000,
        salary_max=80_000,
        salary_currency="EUR",
    )
    job = MarketplaceJob.objects.get(public_id=posting.public_id)
    user = make_user()
    saved = [
        SavedSearch.objects.create(user=user, name=f"s{n}", q=q, filters=filters, frequency="instant")
        for n, (q, filters) in enumerate(SEARCHES)
    ]
    alerted = {s.pk for s in saved_searches_matching_job(job=job, frequency="instant")}
    for saved_search, (q, filters) in zip(saved, SEARCHES, strict=True):
        shown = public_client.get("/api/v1/jobs/", {"q": q, **filters}).json()["results"]
        in_search = str(posting.public_id) in [card["id"] for card in shown]
        assert (saved_search.pk in alerted) == in_search, (q, filters)
    assert len(alerted) not in (0, len(SEARCHES))  # the fixture tells matches from misses
