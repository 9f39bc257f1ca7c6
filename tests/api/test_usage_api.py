"""GET /api/v1/usage/: today, this month, per endpoint and per key, 429 counts; each customer sees its own."""

import pytest

pytestmark = pytest.mark.django_db


def test_usage_counts_requests_per_endpoint_and_refusals(api_customer, key_for, keyed_client, api_client_for):
    customer = api_customer("api_developer", api_requests_per_minute=3)
    key, secret = key_for(customer)
    client = keyed_client(secret)
    client.get("/api/v1/jobs/")
    client.get("/api/v1/jobs/changes/")
    client.get("/api/v1/jobs/")
    assert client.get("/api/v1/jobs/").status_code == 429

    usage = api_client_for(customer).get("/api/v1/usage/").json()
    assert usage["today"] == {"requests": 3, "throttled": 1} and usage["this_month"] == usage["today"]
    endpoints = {row["endpoint"]: (row["requests"], row["throttled"]) for row in usage["endpoints"]}
    assert endpoints == {"GET /api/v1/jobs/": (2, 1), "GET /api/v1/jobs/changes/": (1, 0)}
    assert usage["keys"] == [{"key_id": key.pk, "prefix": key.prefix, "requests": 3, "throttled": 1}]
    assert usage["quota"] == {
        "limit": 1000,
        "used": 3,
        "overage_allowed": False,
        "overage": 0,
        "requests_per_minute": 3,
    }


def test_a_customer_sees_only_its_own_usage(api_customer, key_for, keyed_client, api_client_for):
    alice, bob = api_customer(), api_customer()
    _, alice_secret = key_for(alice)
    keyed_client(alice_secret).get("/api/v1/jobs/")
    usage = api_client_for(bob).get("/api/v1/usage/").json()
    assert usage["today"] == {"requests": 0, "throttled": 0} and usage["keys"] == []


def test_an_employers_usage_is_for_its_admins_and_its_keys(
    api_employer, tenant_a, tenant_b, key_for, keyed_client, api_client_for, make_member
):
    _, secret = key_for(tenant_a)
    keyed_client(secret, tenant_a).get("/api/v1/employer-api/postings/")
    admin_a, admin_b = make_member(tenant_a, "admin"), make_member(tenant_b, "admin")
    usage = api_client_for(admin_a, tenant_a).get("/api/v1/usage/").json()
    assert usage["today"]["requests"] == 1 and usage["quota"] is None
    assert api_client_for(admin_b, tenant_b).get("/api/v1/usage/").json()["today"]["requests"] == 0
    assert api_client_for(make_member(tenant_a, "viewer"), tenant_a).get("/api/v1/usage/").status_code == 403


def test_usage_needs_sign_in(public_client):
    assert public_client.get("/api/v1/usage/").status_code == 401
