"""Requests per minute per key: exact under concurrency, answered 429 with Retry-After and the RateLimit fields."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from jobpilot.api.models import ApiUsage
from jobpilot.api.ratelimit import WINDOW_MS, _LocalWindows, rate_limit_hit


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_requests_against_100_a_minute_give_exactly_100_successes(api_customer, key_for):
    # A daily quota large enough that only the rate limit decides.
    customer = api_customer(api_requests_per_minute=100, api_requests_per_day=10_000)
    _, secret = key_for(customer)

    def call(_):
        try:
            return Client(HTTP_HOST="localhost", HTTP_X_API_KEY=secret).get("/api/v1/jobs/changes/")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=25) as pool:
        responses = list(pool.map(call, range(200)))

    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 100 and statuses.count(429) == 100
    refused = [r for r in responses if r.status_code == 429]
    for response in refused:
        # The first success leaves the window a minute after it was made: at most 60 s from now, at least 1.
        assert 1 <= int(response["Retry-After"]) <= 60
        assert response["RateLimit-Remaining"] == "0" and response["RateLimit-Limit"] == "100"
        assert response["RateLimit-Policy"] == '"per-minute";q=100;w=60'
        assert response.json()["code"] == "rate_limited"
    usage = ApiUsage.objects.get(endpoint="GET /api/v1/jobs/changes/")
    assert (usage.requests, usage.throttled) == (100, 100)


def test_the_in_process_window_refuses_past_the_limit_and_says_when_a_slot_frees(monkeypatch):
    windows = _LocalWindows()
    clock = iter([1000.0, 1010.0, 1020.0, 1059.5, 1061.0])
    monkeypatch.setattr("jobpilot.api.ratelimit.time.monotonic", lambda: next(clock))
    assert windows.hit("k", 2)[0] and windows.hit("k", 2)[0]
    allowed, remaining, reset_ms = windows.hit("k", 2)
    assert (allowed, remaining) == (False, 0) and reset_ms == pytest.approx(WINDOW_MS - 20_000)
    assert not windows.hit("k", 2)[0]  # 59.5 s after the first: still in the window
    assert windows.hit("k", 2)[0]  # 61 s: the first left it


def test_without_redis_the_limiter_runs_in_process(settings):
    settings.REDIS_URL = ""
    decisions = [rate_limit_hit(key_id=10_000_001, limit=3) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].headers()["RateLimit-Remaining"] == "0" and decisions[-1].reset_seconds == 60
