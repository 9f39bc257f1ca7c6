"""An employer's key reads the employer's applicants: only its own tenant's, only with `applications:read`, never
the internal notes, and with bad input answered 422."""

import itertools

import pytest
from django_tenants.utils import tenant_context

from jobpilot.applications.models import Application, Note, PipelineStage

pytestmark = pytest.mark.django_db
URL = "/api/v1/employer-api/applications/"
_numbers = itertools.count(1)


@pytest.fixture
def make_application(make_posting):
    """`make_application(tenant, posting=None, **fields)`: an application in the tenant's initial stage."""

    def make(tenant, posting=None, **fields):
        posting = posting or make_posting(tenant)
        number = next(_numbers)
        with tenant_context(tenant):
            return Application.objects.create(
                job=posting,
                stage=PipelineStage.objects.get(is_initial=True),
                name=fields.pop("name", f"Candidate {number}"),
                email=f"candidate{number}@example.com",
                answers=[{"question_id": "years", "question": "Years of Python?", "answer": 7}],
                **fields,
            )

    return make


def test_a_tenant_key_lists_only_its_own_tenants_applicants(
    api_employer, tenant_a, tenant_b, key_for, keyed_client, make_application
):
    own = make_application(tenant_a, name="Ada Own")
    other = make_application(tenant_b, name="Grace Other")
    with tenant_context(tenant_a):
        Note.objects.create(application=own, body="Strong hire, but salary too high")
    _, secret = key_for(tenant_a, scopes=["applications:read"])

    response = keyed_client(secret, tenant_a).get(URL)
    assert response.status_code == 200
    body = response.json()
    [row] = [r for r in body["results"] if r["id"] == own.pk]
    assert row["candidate"] == {"name": "Ada Own", "email": own.email}
    assert row["jobs"] == [{"id": str(own.job.public_id), "name": own.job.title}]
    assert row["status"] == "applied" and row["answers"] == [{"question": "Years of Python?", "answer": "7"}]
    assert "Grace Other" not in response.content.decode() and other.email not in response.content.decode()
    assert "salary too high" not in response.content.decode()
    # The key is refused on the other employer's domain and on the marketplace.
    for tenant in (tenant_b, None):
        assert keyed_client(secret, tenant).get(URL).status_code == 401


def test_applicants_page_and_filter_by_job(
    api_employer, tenant_a, key_for, keyed_client, make_application, make_posting
):
    posting = make_posting(tenant_a)
    first, second, third = (make_application(tenant_a, posting=posting) for _ in range(3))
    _, secret = key_for(tenant_a, scopes=["applications:read"])
    client = keyed_client(secret, tenant_a)

    page = client.get(URL, {"job_id": str(posting.public_id), "limit": 2}).json()
    assert page["total"] == 3 and [r["id"] for r in page["results"]] == [third.pk, second.pk]
    rest = client.get(URL, {"job_id": str(posting.public_id), "limit": 2, "offset": 2}).json()
    assert [r["id"] for r in rest["results"]] == [first.pk]


def test_a_tenant_key_without_the_scope_gets_403(api_employer, tenant_a, key_for, keyed_client):
    _, secret = key_for(tenant_a, scopes=["jobs:read"])
    response = keyed_client(secret, tenant_a).get(URL)
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"


def test_an_api_customers_key_cannot_read_applicants(api_customer, key_for, keyed_client):
    _, secret = key_for(api_customer())
    response = keyed_client(secret).get(URL)
    assert response.status_code == 403 and response.json()["code"] == "tenant_key_required"


def test_no_key_is_401(api_employer, tenant_a, client_for):
    assert client_for(tenant_a).get(URL).status_code == 401


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"job_id": "not-a-uuid"}, {"stage_id": 0}]
)
def test_bad_input_is_422(api_employer, tenant_a, key_for, keyed_client, query):
    _, secret = key_for(tenant_a, scopes=["applications:read"])
    response = keyed_client(secret, tenant_a).get(URL, query)
    assert response.status_code == 422 and "detail" in response.json()


def test_an_unknown_job_is_404(api_employer, tenant_a, key_for, keyed_client):
    _, secret = key_for(tenant_a, scopes=["applications:read"])
    response = keyed_client(secret, tenant_a).get(URL, {"job_id": "5f0c2b1e-8f7a-4b7e-9a51-3c1d2e4f5a6b"})
    assert response.status_code == 404
