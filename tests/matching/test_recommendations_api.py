"""GET /api/v2/recommendations/ and the not-interested action, on a real PostgreSQL, Redis and search index."""

import pytest
from django.test import Client

from bench.matching_eval.dataset import build
from jobpilot.marketplace.models import DismissedJob
from jobpilot.marketplace.services import marketplace_imported_jobs_withdraw
from tests.conftest import host_of
from tests.matching.conftest import OCCUPATIONS
from tests.seeker_factories import track_external

pytestmark = pytest.mark.django_db

URL = "/api/v2/recommendations/"


def _resumes(occupation):
    return [r for r in build().resumes if r.occupation == occupation]


def _occupations_of(body, listed):
    return [listed[_uuid(item["job"]["id"])].occupation for item in body["results"]]


def _uuid(value):
    import uuid

    return uuid.UUID(str(value))


@pytest.mark.parametrize("occupation", OCCUPATIONS)
def test_each_seeker_is_recommended_jobs_of_their_own_occupation(
    occupation, listed_jobs, seeker_like, api_client_for
):
    shares = []
    for resume in _resumes(occupation):
        body = api_client_for(seeker_like(resume)).get(URL, {"limit": 10}).json()
        found = _occupations_of(body, listed_jobs)
        assert found, resume.headline
        shares.append(found.count(occupation) / len(found))
    assert sum(shares) / len(shares) >= 0.8


def test_every_recommendation_carries_its_reason_and_the_list_is_diverse(
    listed_jobs, seeker_like, api_client_for
):
    body = api_client_for(seeker_like(_resumes("nursing")[0])).get(URL).json()
    assert body["count"] == len(body["results"]) > 0
    assert all(item["reason"] and item["reasons"][0] == item["reason"] for item in body["results"])
    titles = [item["job"]["title"].lower() for item in body["results"]]
    companies = [item["job"]["company"]["name"] for item in body["results"]]
    assert max(titles.count(t) for t in titles) <= 3
    assert len(set(companies)) > 1


def test_jobs_applied_to_or_dismissed_never_come_back(listed_jobs, seeker_like, api_client_for):
    seeker = seeker_like(_resumes("software")[0])
    client = api_client_for(seeker)
    first = client.get(URL).json()["results"]
    applied, dismissed = first[0]["job"], first[1]["job"]
    track_external(
        seeker, title=applied["title"], company=applied["company"]["name"], job_public_id=applied["id"]
    )
    assert client.post(f"{URL}{dismissed['id']}/dismiss/").status_code == 201
    assert client.post(f"{URL}{dismissed['id']}/dismiss/").status_code == 200  # again: no change
    again = {item["job"]["id"] for item in client.get(URL).json()["results"]}
    assert applied["id"] not in again and dismissed["id"] not in again
    assert client.delete(f"{URL}{dismissed['id']}/dismiss/").status_code == 204
    assert dismissed["id"] in {item["job"]["id"] for item in client.get(URL).json()["results"]}


def test_a_job_that_closes_leaves_the_cached_list(listed_jobs, seeker_like, api_client_for):
    client = api_client_for(seeker_like(_resumes("hospitality")[0]))
    first = client.get(URL).json()["results"][0]["job"]
    ref = str(listed_jobs[_uuid(first["id"])].id)
    marketplace_imported_jobs_withdraw(source_name="eval", source_refs=[ref])
    assert first["id"] not in {item["job"]["id"] for item in client.get(URL).json()["results"]}


def test_the_free_plan_gets_402_with_the_upgrade_link(listed_jobs, seeker_like, api_client_for):
    client = api_client_for(seeker_like(_resumes("sales")[0], plan=None))
    response = client.get(URL)
    assert response.status_code == 402
    assert response.json()["code"] == "feature_not_in_plan" and response.json()["upgrade_url"]


def test_anonymous_callers_get_401(public_tenant):
    assert Client(HTTP_HOST=host_of(None)).get(URL).status_code == 401
    assert (
        Client(HTTP_HOST=host_of(None))
        .post(f"{URL}00000000-0000-0000-0000-000000000000/dismiss/")
        .status_code
        == 401
    )


def test_a_seeker_sees_only_their_own_recommendations(listed_jobs, seeker_like, api_client_for):
    nurse = seeker_like(_resumes("nursing")[0])
    cook = seeker_like(_resumes("hospitality")[0])
    nurse_jobs = api_client_for(nurse).get(URL).json()["results"]
    cook_before = api_client_for(cook).get(URL).json()["results"]
    # The nurse's dismissal changes nothing for the cook, and the cook's list is the cook's.
    api_client_for(nurse).post(f"{URL}{nurse_jobs[0]['job']['id']}/dismiss/")
    assert DismissedJob.objects.filter(user=cook).count() == 0
    cook_after = api_client_for(cook).get(URL).json()["results"]
    assert [i["job"]["id"] for i in cook_after] == [i["job"]["id"] for i in cook_before]
    assert {listed_jobs[_uuid(i["job"]["id"])].occupation for i in cook_after[:5]} == {"hospitality"}


@pytest.mark.parametrize("limit", ["0", "51", "many"])
def test_a_bad_limit_is_422(limit, seeker_like, api_client_for, db):
    response = api_client_for(seeker_like(_resumes("sales")[0])).get(URL, {"limit": limit})
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


@pytest.mark.parametrize("job_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_dismissing_a_bad_or_unknown_job_is_a_clear_4xx(job_id, seeker_like, api_client_for, db):
    response = api_client_for(seeker_like(_resumes("sales")[0])).post(f"{URL}{job_id}/dismiss/")
    assert response.status_code in (400, 404) and response.json()["code"]
    assert not DismissedJob.objects.exists()


def test_a_seeker_with_nothing_to_go_on_gets_an_empty_list(listed_jobs, make_user, on_plan, api_client_for):
    user = make_user()
    on_plan(user, "seeker_pro")
    assert api_client_for(user).get(URL).json() == {"results": [], "count": 0}
