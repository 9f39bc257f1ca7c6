"""Analytics capture overhead: what the capture one-liners add to a request — `record()` calls during the view
plus the request-end hand-off (one RPUSH to Redis) — p50/p95/p99 per request for a search page (20 impressions)
and a job page (a view). Needs REDIS_URL (the production path); no database is touched.

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/analytics.py [--requests 5000]

Dashboards (rollups) are not built yet, so there is no endpoint to time here.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from jobpilot.analytics import capture  # noqa: E402


class Job:
    def __init__(self):
        self.tenant_id, self.public_id = 7, uuid.uuid4()


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49] * 1000:.3f} ms  p95 {cuts[94] * 1000:.3f} ms  p99 {cuts[98] * 1000:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL: the bench times the Redis hand-off.")
    request = RequestFactory().get("/jobs/?utm_source=newsletter&utm_medium=social")
    request.user, request.tenant = AnonymousUser(), type("T", (), {"is_public": True})()
    cards = [{"id": str(uuid.uuid4()), "tenant_id": None} for _ in range(20)]
    job = Job()
    client = capture._client()
    client.delete(capture.REDIS_KEY)
    for name, work in (
        (
            "search page (20 impressions)",
            lambda: capture.record_impressions(jobs=cards, source="marketplace", request=request),
        ),
        ("job page (1 view)", lambda: capture.record_view(request, job)),
    ):
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            work()
            capture.flush_request_buffer()
            samples.append(time.perf_counter() - started)
        print(f"{name:30s} {percentiles(samples)}  over {args.requests} requests")
    print(f"events buffered in Redis: {client.llen(capture.REDIS_KEY)}")
    client.delete(capture.REDIS_KEY)


if __name__ == "__main__":
    main()
