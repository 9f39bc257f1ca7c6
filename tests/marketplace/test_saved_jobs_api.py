"""Saved jobs: a seeker's bookmarks, kept when a job closes and shown as no longer available."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.marketplace.models import SavedJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(make_user):
    return make_user()


def save_url(posting) -> str:
    return f"/api/v1/jobs/{posting.public_id}/save/"


def test_saving_a_job_is_idempotent_and_listed_newest_first(
    tenant_a, tenant_b, make_posting, seeker, signed_in
):
    first, second = make_posting(tenant_a), make_posting(tenant_b)
    client = signed_in(seeker)
    assert client.post(save_url(first)).status_code == 201
    assert client.post(save_url(second)).status_code == 201
    again = client.post(save_url(first))
    assert again.status_code == 200
    assert again.json()["id"] == str(first.public_id)
    assert SavedJob.objects.filter(user=seeker).count() == 2

    body = client.get("/api/v1/saved-jobs/").json()
    assert [item["id"] for item in body["results"]] == [str(second.public_id), str(first.public_id)]
    assert body["results"][0]["available"] is True
    assert body["results"][0]["job"]["title"] == second.title
    assert body["pagination"]["total"] == 2


def test_a_saved_job_that_closes_stays_in_the_list_as_unavailable(tenant_a, make_posting, seeker, signed_in):
    posting = make_posting(tenant_a, title="Temporary Dream Job")
    client = signed_in(seeker)
    client.post(save_url(posting))
    with tenant_context(tenant_a):
        services.job_posting_close(actor=None, posting=posting)
    item = client.get("/api/v1/saved-jobs/").json()["results"][0]
    assert (item["available"], item["job"], item["title"]) == (False, None, "Temporary Dream Job")
    assert client.delete(save_url(posting)).status_code == 204
    assert client.get("/api/v1/saved-jobs/").json()["results"] == []


def test_unsaving_is_idempotent(tenant_a, make_posting, seeker, signed_in):
    posting = make_posting(tenant_a)
    client = signed_in(seeker)
    assert client.delete(save_url(posting)).status_code == 204
    assert client.delete("/api/v1/jobs/not-an-id/save/").status_code == 404


def test_a_job_that_is_not_live_cannot_be_saved(tenant_a, make_posting, seeker, signed_in):
    draft = make_posting(tenant_a, status="draft")
    assert signed_in(seeker).post(save_url(draft)).status_code == 404


def test_saved_jobs_need_a_signed_in_seeker(tenant_a, make_posting, public_client):
    posting = make_posting(tenant_a)
    assert public_client.post(save_url(posting)).status_code == 401
    assert public_client.get("/api/v1/saved-jobs/").status_code == 401


def test_a_seeker_sees_only_their_own_saved_jobs(tenant_a, make_posting, make_user, signed_in):
    posting = make_posting(tenant_a)
    signed_in(make_user()).post(save_url(posting))
    other = signed_in(make_user())
    assert other.get("/api/v1/saved-jobs/").json()["results"] == []
    other.delete(save_url(posting))  # removes only their own (absent) bookmark
    assert SavedJob.objects.count() == 1


def test_an_employers_portal_lists_only_jobs_saved_from_that_employer(
    tenant_a, tenant_b, make_posting, seeker, signed_in
):
    ours, theirs = make_posting(tenant_a), make_posting(tenant_b)
    marketplace = signed_in(seeker)
    marketplace.post(save_url(ours))
    marketplace.post(save_url(theirs))
    portal = signed_in(seeker, tenant_a)
    assert [item["id"] for item in portal.get("/api/v1/saved-jobs/").json()["results"]] == [
        str(ours.public_id)
    ]
    assert portal.post(save_url(theirs)).status_code == 404  # not a job of this portal


def test_saved_jobs_paging_is_validated(seeker, signed_in, public_tenant):
    client = signed_in(seeker)
    assert client.get("/api/v1/saved-jobs/", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/saved-jobs/", {"page": "x"}).json()["errors"][0]["field"] == "page"


def test_saving_past_the_plans_limit_answers_402_and_unsaving_frees_a_unit(
    tenant_a, make_posting, seeker, signed_in
):
    from billing.plans import Audience
    from billing.selectors import billing_account_for_user
    from billing.services import billing_account_override_limits

    account = billing_account_for_user(seeker, Audience.SEEKER)
    billing_account_override_limits(actor="tests", account=account, limits={"saved_jobs": 2})
    postings = [make_posting(tenant_a) for _ in range(3)]
    client = signed_in(seeker)
    assert [client.post(save_url(p)).status_code for p in postings[:2]] == [201, 201]
    assert client.post(save_url(postings[0])).status_code == 200  # saving again is free
    refused = client.post(save_url(postings[2]))
    assert refused.status_code == 402
    assert (refused.json()["code"], refused.json()["metric"], refused.json()["used"]) == (
        "limit_reached",
        "saved_jobs",
        2,
    )
    assert client.delete(save_url(postings[0])).status_code == 204
    assert client.post(save_url(postings[2])).status_code == 201
