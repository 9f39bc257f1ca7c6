"""What an API key costs on an authenticated search: the same `GET /api/v1/jobs/?q=engineer` through the full
Django stack (tenant middleware, key middleware, Ninja), in the same process and run, interleaved request by
request so drift hits all variants alike:

  anonymous       - no key: the web's search, the baseline
  key+rate        - a key: lookup by hash (cached), per-minute rate limit (Redis Lua when REDIS_URL is
                    set, else in-process), rate-limit headers
  key+rate+quota  - the same plus the accounting a customer is billed by: the daily quota upsert and the per-endpoint
                    usage upsert (one transaction) and the last-used check (what production runs)

The key check and rate limiter are also timed alone. Needs a migrated database:

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/api_throughput.py [requests]
"""

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every query in memory: not what production pays
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP test client
os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as a production web process keeps them

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from billing.plans import Audience  # noqa: E402
from billing.selectors import billing_account_for_user  # noqa: E402
from billing.services import billing_account_assign_plan  # noqa: E402
from jobpilot.api import selectors, services  # noqa: E402
from jobpilot.api.models import ApiKey  # noqa: E402
from jobpilot.api.ratelimit import rate_limit_hit, rate_limit_reset  # noqa: E402
from tenants.services import ensure_public_tenant  # noqa: E402

PATH = "/api/v1/jobs/?q=engineer"
VARIANTS = ("anonymous", "key+rate", "key+rate+quota")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": statistics.median(samples_ms), "p95": cuts[94], "p99": cuts[98]}


def line(name: str, samples_ms: list[float]) -> str:
    p = percentiles(samples_ms)
    rate = 1000 / statistics.fmean(samples_ms)
    return f"{name:<18} p50 {p['p50']:7.3f} ms  p95 {p['p95']:7.3f} ms  p99 {p['p99']:7.3f} ms  {rate:8.0f} req/s"


def setup_customer():
    ensure_public_tenant()
    user, _ = get_user_model().objects.get_or_create(email="bench-api@example.com")
    account = billing_account_for_user(user, Audience.API)
    account = billing_account_assign_plan(actor="bench", account=account, plan_code="api_scale")
    # Limits far above what the run sends: every request is served and counted, none refused.
    account.limit_overrides = {"api_requests_per_minute": 1_000_000, "api_requests_per_day": None}
    account.save(update_fields=["limit_overrides"])
    ApiKey.objects.filter(user=user).delete()
    key, secret = services.api_key_create(
        actor=user, account=account, owner={"user": user}, name="bench", scopes=["jobs:read"]
    )
    return key, secret


def main(requests: int) -> None:
    key, secret = setup_customer()
    clients = {
        "anonymous": Client(HTTP_HOST="localhost"),
        "key+rate": Client(HTTP_HOST="localhost", HTTP_X_API_KEY=secret),
        "key+rate+quota": Client(HTTP_HOST="localhost", HTTP_X_API_KEY=secret),
    }
    accounting_off = [
        mock.patch.object(services, "api_request_consume", lambda **kw: None),
        mock.patch.object(services, "api_key_touch", lambda **kw: None),
    ]
    samples: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    for variant in VARIANTS:  # warm up: connections, the Lua script, the search cache
        for _ in range(50):
            clients[variant].get(PATH)
    rate_limit_reset(key_id=key.pk)
    for _ in range(requests):
        for variant in VARIANTS:
            patches = accounting_off if variant == "key+rate" else []
            for patch in patches:
                patch.start()
            started = time.perf_counter()
            response = clients[variant].get(PATH)
            elapsed = (time.perf_counter() - started) * 1000
            for patch in patches:
                patch.stop()
            assert response.status_code == 200, (response.status_code, response.content)
            samples[variant].append(elapsed)
    rate_limit_reset(key_id=key.pk)

    alone = {"SELECT 1 (floor)": [], "key lookup": [], "rate limit": []}
    for _ in range(requests):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        alone["SELECT 1 (floor)"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        selectors.api_key_for_secret(secret)
        alone["key lookup"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        rate_limit_hit(key_id=key.pk, limit=1_000_000)
        alone["rate limit"].append((time.perf_counter() - started) * 1000)
    rate_limit_reset(key_id=key.pk)

    print(
        f"GET {PATH}, {requests} requests per variant, interleaved; Redis: {'yes' if settings.REDIS_URL else 'no (in-process)'}"
    )
    for variant in VARIANTS:
        print(line(variant, samples[variant]))
    base = statistics.median(samples["anonymous"])
    for variant in VARIANTS[1:]:
        print(
            f"{variant:<18} adds {statistics.median(samples[variant]) - base:+.3f} ms at p50 over anonymous"
        )
    for name, values in alone.items():
        print(line(f"{name} alone", values))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
