"""The daily quota: refused with 402 on plans without overage, counted past the limit on plans with it."""

import pytest

from billing.entitlements import used_for
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_user

pytestmark = pytest.mark.django_db


def test_past_the_daily_quota_a_developer_plan_gets_402(api_customer, key_for, keyed_client):
    customer = api_customer("api_developer", api_requests_per_day=3)
    _, secret = key_for(customer)
    client = keyed_client(secret)
    assert [client.get("/api/v1/jobs/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/jobs/")
    assert refused.status_code == 402
    assert refused.json()["code"] == "limit_reached" and refused.json()["metric"] == "api_requests_per_day"
    assert "RateLimit-Limit" in refused
    assert used_for(billing_account_for_user(customer, Audience.API), Metric.API_REQUESTS_PER_DAY) == 3


def test_past_the_daily_quota_a_business_plan_is_served_and_counted(api_customer, key_for, keyed_client):
    customer = api_customer("api_business", api_requests_per_day=3)
    _, secret = key_for(customer)
    client = keyed_client(secret)
    assert {client.get("/api/v1/jobs/").status_code for _ in range(5)} == {200}
    assert used_for(billing_account_for_user(customer, Audience.API), Metric.API_REQUESTS_PER_DAY) == 5


def test_a_throttled_request_uses_no_quota(api_customer, key_for, keyed_client):
    customer = api_customer("api_developer", api_requests_per_minute=1)
    _, secret = key_for(customer)
    client = keyed_client(secret)
    assert [client.get("/api/v1/jobs/").status_code for _ in range(2)] == [200, 429]
    assert used_for(billing_account_for_user(customer, Audience.API), Metric.API_REQUESTS_PER_DAY) == 1


def test_customers_quotas_are_separate(api_customer, key_for, keyed_client):
    alice = api_customer("api_developer", api_requests_per_day=1)
    bob = api_customer("api_developer", api_requests_per_day=1)
    _, alice_secret = key_for(alice)
    _, bob_secret = key_for(bob)
    assert keyed_client(alice_secret).get("/api/v1/jobs/").status_code == 200
    assert keyed_client(alice_secret).get("/api/v1/jobs/").status_code == 402
    assert keyed_client(bob_secret).get("/api/v1/jobs/").status_code == 200


def test_the_quota_and_the_usage_row_are_counted_in_one_transaction(api_customer, key_for, monkeypatch):
    from django.db import DatabaseError

    from jobpilot.api import services

    customer = api_customer("api_developer", api_requests_per_day=3)
    key, _ = key_for(customer)

    def disk_full(**kwargs):
        raise DatabaseError("could not extend file")

    monkeypatch.setattr(services, "api_usage_record", disk_full)
    with pytest.raises(DatabaseError):
        services.api_request_consume(key=key, endpoint="GET /api/v1/jobs/")

    assert used_for(billing_account_for_user(customer, Audience.API), Metric.API_REQUESTS_PER_DAY) == 0
