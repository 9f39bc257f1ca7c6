"""How much latency `billing.entitlements.consume()` adds to a request.

Endpoints run through the full Django stack (tenant middleware, session auth) in the same process and the same
run, interleaved request by request so drift hits all alike:
  read            - looks up the seeker's billing account inside a transaction (what every gated request does)
  read+consume    - the same, plus consume(account, "applications_per_month") against a limit
  write           - looks up the account and inserts one row, like an application or a saved job
  write+consume   - the same, plus consume(): what consume() really adds to a gated write
The read-only pair also pays for the commit becoming a write (a WAL flush); the write pair shows the marginal
cost on a request that writes anyway. consume() is also timed alone, in its own transaction, next to a bare
`SELECT 1` transaction (the floor for any statement).
Needs a migrated database:

    DATABASE_URL=postgres://... .venv/bin/python bench/billing_consume.py [requests]
"""

import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as a production web process keeps them

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

from billing.entitlements import consume  # noqa: E402
from billing.models import UsageCounter  # noqa: E402
from billing.plans import Audience, Metric  # noqa: E402
from billing.selectors import billing_account_for_user  # noqa: E402
from billing.services import billing_account_override_limits  # noqa: E402
from tenants.services import ensure_public_tenant  # noqa: E402

METRIC = Metric.APPLICATIONS_PER_MONTH


WRITE_TABLE = "bench_billing_consume_write"  # an ordinary (logged) table, created and dropped by the bench
VARIANTS = ("read", "read+consume", "write", "write+consume")


def bench_view(request, variant: str):
    with transaction.atomic():
        account = billing_account_for_user(request.user, Audience.SEEKER)
        if variant.startswith("write"):
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {WRITE_TABLE} (account_id) VALUES (%s)", [account.pk])  # noqa: S608
        if variant.endswith("+consume"):
            consume(account, METRIC)
    return JsonResponse({"account": account.pk})


bench_urls = types.ModuleType("bench_billing_urls")
bench_urls.urlpatterns = [path("<str:variant>/", bench_view)]
sys.modules["bench_billing_urls"] = bench_urls


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50": statistics.median(samples_ms), "p95": cuts[94], "p99": cuts[98]}


def line(name: str, samples_ms: list[float]) -> str:
    p = percentiles(samples_ms)
    rate = 1000 / statistics.fmean(samples_ms)
    return f"{name:<22} p50 {p['p50']:7.3f} ms  p95 {p['p95']:7.3f} ms  p99 {p['p99']:7.3f} ms  {rate:8.0f} req/s"


def main(requests: int) -> None:
    ensure_public_tenant()
    user, _ = get_user_model().objects.get_or_create(email="bench-consume@example.com")
    account = billing_account_for_user(user, Audience.SEEKER)
    # A limit that is never reached: the conditional path runs on every request, as it does under a plan.
    account = billing_account_override_limits(actor="bench", account=account, limits={METRIC.value: 10**12})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {WRITE_TABLE} (id bigserial PRIMARY KEY, account_id bigint)"
        )

    timings: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    try:
        with override_settings(PUBLIC_SCHEMA_URLCONF="bench_billing_urls"):
            for _ in range(200):
                for variant in VARIANTS:
                    assert client.get(f"/{variant}/").status_code == 200
            for i in range(requests):
                for variant in VARIANTS[i % 4 :] + VARIANTS[: i % 4]:  # rotate the order every round
                    started = time.perf_counter()
                    client.get(f"/{variant}/")
                    timings[variant].append((time.perf_counter() - started) * 1000)

        alone, round_trip = [], []
        for _ in range(requests):
            started = time.perf_counter()
            with transaction.atomic():
                consume(account, METRIC)
            alone.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            round_trip.append((time.perf_counter() - started) * 1000)
    finally:
        UsageCounter.objects.filter(account=account).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {WRITE_TABLE}")
        connection.close()

    print(
        f"billing consume() latency, {requests} requests per variant, PostgreSQL {connection.settings_dict['HOST']}"
    )
    for variant in VARIANTS:
        print(line(variant, timings[variant]))
    print(line("consume() alone", alone))
    print(line("SELECT 1 alone", round_trip))  # the floor: one statement in its own transaction
    for base, gated in (("write", "write+consume"), ("read", "read+consume")):
        b, g = percentiles(timings[base]), percentiles(timings[gated])
        print(
            f"added to a {base} request: p50 {g['p50'] - b['p50']:+.3f} ms, p95 {g['p95'] - b['p95']:+.3f} ms, "
            f"p99 {g['p99'] - b['p99']:+.3f} ms"
        )
    print("goal: <= 1 ms added at p50")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
