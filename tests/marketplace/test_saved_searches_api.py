"""Saved searches: stored per seeker with their filters and alert frequency; "new matches since" for alerts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from billing.errors import LimitReached
from jobpilot.marketplace import services
from jobpilot.marketplace.models import MarketplaceJob, SavedSearch
from jobpilot.marketplace.selectors import saved_search_new_matches

pytestmark = pytest.mark.django_db
URL = "/api/v1/saved-searches/"


@pytest.fixture
def seeker(make_user):
    return make_user()


def test_a_seeker_saves_lists_changes_and_deletes_a_search(public_tenant, seeker, signed_in):
    client = signed_in(seeker)
    created = client.post(
        URL,
        {
            "name": "Python in Berlin",
            "q": "python",
            "filters": {"location": "berlin", "job_type": "full-time", "remote": ["hybrid", "remote"]},
            "frequency": "instant",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    saved = created.json()
    assert saved["filters"] == {
        "location": "berlin",
        "job_type": ["full_time"],
        "remote": ["hybrid", "remote"],
    }
    assert (saved["frequency"], saved["scope"]) == ("instant", "marketplace")

    url = f"{URL}{saved['id']}/"
    assert [item["id"] for item in client.get(URL).json()] == [saved["id"]]
    changed = client.patch(
        url, {"frequency": "weekly", "filters": {"skills": "django"}}, content_type="application/json"
    ).json()
    assert (changed["frequency"], changed["filters"], changed["q"]) == (
        "weekly",
        {"skills": ["django"]},
        "python",
    )
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_a_search_saved_on_an_employers_portal_covers_that_employer(tenant_a, seeker, signed_in):
    saved = signed_in(seeker, tenant_a).post(URL, {"name": "Acme"}, content_type="application/json").json()
    assert saved["scope"] == tenant_a.slug
    assert SavedSearch.objects.get(pk=saved["id"]).tenant == tenant_a


def test_a_seeker_cannot_see_or_touch_another_seekers_search(public_tenant, seeker, make_user, signed_in):
    saved = SavedSearch.objects.create(user=seeker, name="Mine")
    other = signed_in(make_user())
    url = f"{URL}{saved.pk}/"
    assert other.get(URL).json() == []
    assert other.get(url).status_code == 404
    assert other.patch(url, {"name": "Theirs"}, content_type="application/json").status_code == 404
    assert other.delete(url).status_code == 404
    assert SavedSearch.objects.get(pk=saved.pk).name == "Mine"


def test_saved_searches_need_a_signed_in_seeker(public_client):
    assert public_client.get(URL).status_code == 401
    assert public_client.post(URL, {"name": "x"}, content_type="application/json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "body.name"),
        ({"name": "x", "frequency": "hourly"}, "body.frequency"),
        ({"name": "x", "filters": {"job_type": "forever"}}, "body.filters.job_type"),
        ({"name": "x", "filters": {"salary_min": 10, "salary_max": 5}}, "body.filters.salary_max"),
        ({"name": "x", "q": "q" * 201}, "body.q"),
    ],
)
def test_an_invalid_saved_search_answers_422_naming_the_field(public_tenant, seeker, signed_in, body, field):
    response = signed_in(seeker).post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_a_seeker_keeps_as_many_saved_searches_as_the_plan_allows(public_tenant, seeker, signed_in):
    client = signed_in(seeker)
    for name in ("one", "two"):  # the Free plan's limit
        assert client.post(URL, {"name": name}, content_type="application/json").status_code == 201
    refused = client.post(URL, {"name": "three"}, content_type="application/json")
    assert refused.status_code == 402
    assert refused.json()["code"] == "limit_reached"
    assert (refused.json()["metric"], refused.json()["limit"]) == ("saved_searches", 2)

    saved_id = client.get(URL).json()[0]["id"]
    assert client.delete(f"{URL}{saved_id}/").status_code == 204  # a deleted search gives its unit back
    assert client.post(URL, {"name": "three"}, content_type="application/json").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_the_saved_search_limit_holds_when_saves_race(public_tenant, seeker):
    results, barrier = [], threading.Barrier(6)

    def save(number):
        try:
            barrier.wait()
            services.saved_search_create(
                user=seeker, tenant=None, name=f"s{number}", q="", filters={}, frequency="daily"
            )
            results.append("saved")
        except LimitReached:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused"] * 4 + ["saved"] * 2
    assert SavedSearch.objects.filter(user=seeker).count() == 2


def test_new_matches_are_the_jobs_published_since_that_match(tenant_a, tenant_b, make_posting, seeker):
    before = make_posting(tenant_a, title="Old Python Role", skills=["Python"])
    MarketplaceJob.objects.filter(public_id=before.public_id).update(
        published_at=timezone.now() - timedelta(days=2)
    )
    since = timezone.now() - timedelta(days=1)
    match = make_posting(tenant_a, title="New Python Role", skills=["Python"], city="Berlin", country="DE")
    make_posting(tenant_a, title="New Python Role in Paris", skills=["Python"], city="Paris", country="FR")
    make_posting(tenant_b, title="New Cook Role", city="Berlin", country="DE")

    saved = SavedSearch.objects.create(user=seeker, name="py", q="python", filters={"location": "berlin"})
    assert [job.public_id for job in saved_search_new_matches(saved, since)] == [match.public_id]

    scoped = SavedSearch.objects.create(
        user=seeker, name="b", tenant=tenant_b, filters={"location": "berlin"}
    )
    assert [job.title for job in saved_search_new_matches(scoped, since)] == ["New Cook Role"]
    assert saved_search_new_matches(saved, timezone.now()) == []
