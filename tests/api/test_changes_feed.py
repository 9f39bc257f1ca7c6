"""The changes feed: created, updated and closed jobs in commit order, with a cursor that is stable."""

import uuid

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs import services as job_services

# The feed lists only changes of transactions that have ended: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def _feed(client, since=""):
    response = client.get("/api/v1/jobs/changes/", {"since": since, "limit": 100})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_lists_a_jobs_life_in_order_and_the_cursor_resumes_after_it(
    api_customer, key_for, keyed_client, tenant_a, make_posting
):
    _, secret = key_for(api_customer())
    client = keyed_client(secret)
    start = _feed(client)["next_cursor"]
    posting = make_posting(tenant_a, title=f"Feed role {uuid.uuid4().hex[:6]}")
    with tenant_context(tenant_a):
        job_services.job_posting_update(actor=None, posting=posting, changes={"title": "Feed role, renamed"})
        job_services.job_posting_close(actor=None, posting=posting)

    page = _feed(client, start)
    mine = [(row["id"], row["change"]) for row in page["results"] if row["id"] == str(posting.public_id)]
    assert [change for _, change in mine] == ["created", "updated", "closed"]
    assert page["has_more"] is False
    again = _feed(client, page["next_cursor"])
    assert again["results"] == [] and again["next_cursor"] == page["next_cursor"]


def test_the_feed_pages_with_has_more(api_customer, key_for, keyed_client, tenant_a, make_posting):
    _, secret = key_for(api_customer())
    client = keyed_client(secret)
    start = _feed(client)["next_cursor"]
    for number in range(3):
        make_posting(tenant_a, title=f"Paged role {number} {uuid.uuid4().hex[:6]}")
    first = client.get("/api/v1/jobs/changes/", {"since": start, "limit": 2}).json()
    assert len(first["results"]) == 2 and first["has_more"] is True
    rest = client.get("/api/v1/jobs/changes/", {"since": first["next_cursor"], "limit": 2}).json()
    assert len(rest["results"]) == 1 and rest["has_more"] is False


def test_on_an_employers_domain_the_feed_has_only_its_jobs(
    api_customer, key_for, keyed_client, tenant_a, tenant_b, make_posting
):
    _, secret = key_for(api_customer())
    own = make_posting(tenant_a, title=f"A role {uuid.uuid4().hex[:6]}")
    other = make_posting(tenant_b, title=f"B role {uuid.uuid4().hex[:6]}")
    ids = {row["id"] for row in _feed(keyed_client(secret, tenant_a))["results"]}
    assert str(own.public_id) in ids and str(other.public_id) not in ids


@pytest.mark.parametrize("since", ["not-a-cursor", "Zm9v", "x" * 101])
def test_a_bad_cursor_is_422(api_customer, key_for, keyed_client, since):
    _, secret = key_for(api_customer())
    response = keyed_client(secret).get("/api/v1/jobs/changes/", {"since": since})
    assert response.status_code == 422


def test_a_bad_limit_is_422(api_customer, key_for, keyed_client):
    _, secret = key_for(api_customer())
    assert keyed_client(secret).get("/api/v1/jobs/changes/", {"limit": 5000}).status_code == 422
