"""Keyless calls to the marketplace API: a small per-address limit with the same headers and 429 as keys; the
website's own search is not touched by it."""

import pytest
from django.test import Client


@pytest.fixture
def keyless_limit(settings):
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 5
    return 5


def _anonymous(ip: str = "203.0.113.7") -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_keyless_search_is_limited_per_address_with_the_rate_limit_headers(public_tenant, keyless_limit):
    client = _anonymous()
    answers = [client.get("/api/v1/jobs/?limit=1") for _ in range(keyless_limit)]
    assert [a.status_code for a in answers] == [200] * keyless_limit
    assert [a["RateLimit-Remaining"] for a in answers] == ["4", "3", "2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "5" and answers[0]["RateLimit-Policy"] == '"per-minute";q=5;w=60'

    refused = client.get("/api/v1/jobs/?limit=1")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60 and refused["RateLimit-Remaining"] == "0"
    body = refused.json()
    assert body["code"] == "rate_limited" and body["docs_url"] == "/api/v1/docs"
    assert "Get a free key" in body["detail"]


@pytest.mark.django_db
def test_job_detail_counts_against_the_same_window(public_tenant, keyless_limit):
    client = _anonymous()
    for _ in range(keyless_limit):
        client.get("/api/v1/jobs/?limit=1")
    answer = client.get("/api/v1/jobs/5f0c2b1e-8f7a-4b7e-9a51-3c1d2e4f5a6b/")
    assert answer.status_code == 429


@pytest.mark.django_db
def test_another_address_has_its_own_window(public_tenant, keyless_limit):
    for _ in range(keyless_limit + 1):
        _anonymous("203.0.113.7").get("/api/v1/jobs/?limit=1")
    assert _anonymous("198.51.100.9").get("/api/v1/jobs/?limit=1").status_code == 200


@pytest.mark.django_db
def test_a_key_is_not_limited_by_its_address_keyless_window(
    public_tenant, keyless_limit, api_customer, key_for
):
    _, secret = key_for(api_customer(api_requests_per_minute=100, api_requests_per_day=1000))
    for _ in range(keyless_limit + 1):
        _anonymous().get("/api/v1/jobs/?limit=1")
    keyed = Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.7", HTTP_X_API_KEY=secret)
    answer = keyed.get("/api/v1/jobs/?limit=1")
    assert answer.status_code == 200 and answer["RateLimit-Limit"] == "100"


@pytest.mark.django_db
def test_the_websites_own_search_keeps_working_past_the_api_limit(public_tenant, keyless_limit):
    client = _anonymous()
    for _ in range(keyless_limit + 1):
        client.get("/api/v1/jobs/?limit=1")
    for _ in range(keyless_limit + 1):
        page = client.get("/jobs/?q=python")
        assert page.status_code == 200 and "RateLimit-Limit" not in page


@pytest.mark.django_db
def test_keyless_calls_outside_the_marketplace_data_are_not_metered(public_tenant, keyless_limit):
    client = _anonymous()
    for _ in range(keyless_limit + 1):
        answer = client.get("/api/v1/site/")
        assert answer.status_code == 200 and "RateLimit-Limit" not in answer
