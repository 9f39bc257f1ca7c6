"""GET /api/v1/jobs/{id}/: a live job's public page, by its opaque public id."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.selectors import marketplace_job_get

pytestmark = pytest.mark.django_db


def test_the_job_page_shows_the_full_public_posting(tenant_a, make_posting, public_client):
    posting = make_posting(
        tenant_a,
        requirements="<ul><li>Patience</li></ul>",
        screening_questions=[
            {"id": "visa", "question": "Do you need a visa?", "kind": "yes_no", "required": True}
        ],
    )
    response = public_client.get(f"/api/v1/jobs/{posting.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(posting.public_id)
    assert body["description_html"] == posting.description
    assert body["requirements_html"] == "<ul><li>Patience</li></ul>"
    assert body["screening_questions"] == [
        {"id": "visa", "question": "Do you need a visa?", "kind": "yes_no", "required": True, "choices": []}
    ]
    assert body["company"]["slug"] == tenant_a.slug
    assert "tenant" not in body and "posting_id" not in body


def test_viewing_the_job_page_counts_a_view_on_the_posting(tenant_a, make_posting, public_client, client_for):
    posting = make_posting(tenant_a)
    public_client.get(f"/api/v1/jobs/{posting.public_id}/")
    client_for(tenant_a).get(f"/api/v1/jobs/{posting.public_id}/")
    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=posting.pk).view_count == 2


@pytest.mark.parametrize(
    "status", [JobPosting.Status.DRAFT, JobPosting.Status.CLOSED, JobPosting.Status.ARCHIVED]
)
def test_a_job_that_is_not_published_has_no_page(tenant_a, make_posting, public_client, status):
    posting = make_posting(tenant_a, status=status)
    response = public_client.get(f"/api/v1/jobs/{posting.public_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "job_not_found"


def test_an_employers_domain_shows_only_its_own_jobs(tenant_a, tenant_b, make_posting, client_for):
    theirs = make_posting(tenant_b)
    assert client_for(tenant_a).get(f"/api/v1/jobs/{theirs.public_id}/").status_code == 404
    assert client_for(tenant_b).get(f"/api/v1/jobs/{theirs.public_id}/").status_code == 200


@pytest.mark.parametrize("job_id", ["123", "not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_or_malformed_id_is_not_found(public_tenant, public_client, job_id):
    assert public_client.get(f"/api/v1/jobs/{job_id}/").status_code == 404


def test_other_parts_find_the_posting_behind_a_public_id(tenant_a, make_posting):
    posting = make_posting(tenant_a)
    job = marketplace_job_get(public_id=str(posting.public_id))
    assert (job.tenant, job.posting_id) == (tenant_a, posting.pk)
    with tenant_context(job.tenant):
        assert JobPosting.objects.get(pk=job.posting_id).public_id == posting.public_id
