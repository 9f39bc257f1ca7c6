"""GET /api/v1/jobs/suggest/: completions of titles, skills, companies and locations from live jobs in the host's
scope; bad input is a 422 naming the parameter."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs import services

pytestmark = pytest.mark.django_db
SUGGEST = "/api/v1/jobs/suggest/"


def suggestions(client, q, **params) -> list[tuple[str, str, int]]:
    response = client.get(SUGGEST, {"q": q, **params})
    assert response.status_code == 200, response.content
    return [(s["text"], s["kind"], s["count"]) for s in response.json()["results"]]


@pytest.fixture
def listed(tenant_a, tenant_b, make_posting):
    return [
        make_posting(tenant_a, title="Pastry Chef", city="Porto", country="PT", skills=["Pastry", "Baking"]),
        make_posting(tenant_a, title="Pastry Cook", skills=["Pastry"]),
        make_posting(tenant_b, title="Pasta Maker", skills=["Pasta"]),
    ]


def test_completes_whole_titles_skills_and_locations_most_frequent_first(listed, public_client):
    found = suggestions(public_client, "Pas")
    assert found[0] == ("pastry", "skill", 2)
    assert {("pastry chef", "title", 1), ("pastry cook", "title", 1), ("pasta maker", "title", 1)} <= set(
        found
    )
    assert suggestions(public_client, "por") == [("porto", "location", 1)]
    assert ("acme corp", "company", 2) in suggestions(public_client, "acme")
    assert len(suggestions(public_client, "pas", limit=2)) == 2


def test_an_employers_domain_completes_only_its_own_jobs(listed, client_for, tenant_a):
    texts = [text for text, _kind, _count in suggestions(client_for(tenant_a), "pas")]
    assert "pasta maker" not in texts and "pastry chef" in texts


def test_a_closed_job_is_no_longer_suggested(listed, public_client, tenant_b):
    with tenant_context(tenant_b):
        services.job_posting_close(actor=None, posting=listed[2])
    assert "pasta maker" not in [text for text, _kind, _count in suggestions(public_client, "pas")]


def test_anyone_may_ask_without_signing_in(listed, public_client):
    public_client.logout()
    assert public_client.get(SUGGEST, {"q": "pa"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a", "limit": 0}, "limit"),
        ({"q": "a", "limit": 21}, "limit"),
    ],
)
def test_bad_input_is_a_422_naming_the_parameter(public_tenant, public_client, params, field):
    response = public_client.get(SUGGEST, params)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("q", ["(*[", ".*", "\\", '"', "ü"])
def test_any_text_is_answered(public_tenant, public_client, q):
    assert public_client.get(SUGGEST, {"q": q}).status_code == 200
