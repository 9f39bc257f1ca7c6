"""Seeker dashboard latency: GET /api/v1/dashboard/stats/, recent-activity/ and upcoming/ for a seeker with 1,000
tracked applications (goal: p95 <= 100 ms), against a seeker with 10 and against GET /api/v1/auth/profile/
(authentication and routing alone) in the same run.

Requests go through the whole Django stack in-process (tenant middleware, bearer-token auth, Ninja, JSON), one
at a time, so req/s is per worker. Needs a migrated database:

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/dashboard.py [--requests 300]

The bench users and their rows are deleted at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import warnings  # noqa: E402

import django  # noqa: E402

django.setup()
warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from ninja_jwt.tokens import AccessToken  # noqa: E402

from jobpilot.tracker import selectors  # noqa: E402
from jobpilot.tracker.models import PublicStatus  # noqa: E402
from jobpilot.tracker.services import (  # noqa: E402
    _import_rows,
    tracked_application_set_status,
    tracked_interview_create,
)
from tenants.services import ensure_public_tenant  # noqa: E402

# How far applications get, roughly as job searches go: most are never answered.
PATHS = [
    ([], 45),
    ([PublicStatus.IN_REVIEW], 15),
    ([PublicStatus.IN_REVIEW, PublicStatus.NOT_SELECTED], 15),
    ([PublicStatus.IN_REVIEW, PublicStatus.INTERVIEWING], 8),
    ([PublicStatus.IN_REVIEW, PublicStatus.INTERVIEWING, PublicStatus.NOT_SELECTED], 8),
    ([PublicStatus.IN_REVIEW, PublicStatus.INTERVIEWING, PublicStatus.OFFER], 3),
    ([PublicStatus.IN_REVIEW, PublicStatus.INTERVIEWING, PublicStatus.OFFER, PublicStatus.HIRED], 1),
    ([PublicStatus.WITHDRAWN], 5),
]


def make_seeker(applications: int, rng: random.Random):
    user = get_user_model().objects.create_user(email=f"bench-dashboard-{uuid.uuid4().hex[:12]}@example.com")
    today = timezone.localdate()
    rows = [
        (
            None,
            {
                "company": f"Company {n % 300}",
                "title": rng.choice(["Backend Engineer", "Data Analyst", "Product Designer", "SRE"]),
                "applied_on": today - timedelta(days=rng.randint(0, 364)),
                "deadline": today + timedelta(days=rng.randint(-30, 60)) if rng.random() < 0.3 else None,
                "notes": "x" * rng.randint(0, 400),
            },
        )
        for n in range(applications)
    ]
    _import_rows(seeker=user, rows=rows)
    steps = [path for path, _ in PATHS]
    weights = [weight for _, weight in PATHS]
    for application in user.tracked_applications.all():
        for status in rng.choices(steps, weights)[0]:
            tracked_application_set_status(seeker=user, application_id=application.id, status=status)
            if status == PublicStatus.INTERVIEWING:
                tracked_interview_create(
                    seeker=user,
                    application_id=application.id,
                    fields={
                        "starts_at": timezone.now()
                        + timedelta(days=rng.randint(-60, 20), hours=rng.randint(0, 8))
                    },
                )
    return user


def percentile(samples: list[float], p: float) -> float:
    return samples[min(len(samples) - 1, round(p / 100 * (len(samples) - 1)))]


def measure_interleaved(calls: dict, requests: int) -> dict:
    """Time every call `requests` times, round-robin, so a load spike on the machine hits all of them alike."""
    for call in calls.values():
        for _ in range(min(20, requests)):
            call()
    samples = {label: [] for label in calls}
    for _ in range(requests):
        for label, call in calls.items():
            started = time.perf_counter()
            call()
            samples[label].append((time.perf_counter() - started) * 1000)
    results = {}
    for label, values in samples.items():
        values.sort()
        results[label] = {p: percentile(values, p) for p in (50, 95, 99)} | {
            "rps": 1000 / statistics.fmean(values)
        }
        row = results[label]
        print(
            f"{label:<52} p50 {row[50]:6.2f} ms  p95 {row[95]:6.2f} ms  p99 {row[99]:6.2f} ms  "
            f"{row['rps']:7.1f} req/s"
        )
    return results


def sql_execution_ms(call) -> list[float]:
    """PostgreSQL's own execution time (EXPLAIN ANALYZE) of each SELECT one request runs, including tenant
    resolution and authentication: the figure free of HTTP, Python and machine-load noise."""
    with CaptureQueriesContext(connection) as captured:
        call()
    timings = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue  # django-tenants' SET search_path
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            timings.append(cursor.fetchone()[0][0]["Execution Time"])
    return timings


def http_call(client: Client, path: str):
    def call():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:200]!r}")

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--applications", type=int, default=1000)
    args = parser.parse_args()

    ensure_public_tenant()
    rng = random.Random(5)  # noqa: S311 - reproducible data, not security
    started = time.perf_counter()
    big = make_seeker(args.applications, rng)
    small = make_seeker(10, rng)
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum keeps them in production
        for table in (
            "tracker_trackedapplication",
            "tracker_trackedapplicationevent",
            "tracker_trackedinterview",
        ):
            cursor.execute(f"ANALYZE {table}")
    print(
        f"Seeded {big.tracked_applications.count()} applications "
        f"({sum(1 for _ in big.tracked_applications.filter(status='applied'))} unanswered), "
        f"{selectors.recent_activity(seeker=big).count()} events in {time.perf_counter() - started:.1f} s\n"
    )
    try:
        calls = {}
        for user, size in ((small, 10), (big, args.applications)):
            client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
            if size == 10:
                calls["baseline GET /auth/profile/ (auth + routing)"] = http_call(
                    client, "/api/v1/auth/profile/"
                )
            for path in ("stats/", "recent-activity/", "upcoming/"):
                calls[f"GET /dashboard/{path} ({size} applications)"] = http_call(
                    client, f"/api/v1/dashboard/{path}"
                )
            calls[f"  selector dashboard_stats only ({size})"] = lambda u=user: selectors.dashboard_stats(
                seeker=u
            )
        results = measure_interleaved(calls, args.requests)
        print(f"\nPostgreSQL execution time of each SELECT per request ({args.applications} applications):")
        for label, call in calls.items():
            if f"({args.applications} applications)" in label:
                timings = sql_execution_ms(call)
                print(
                    f"  {label:<50} " + " + ".join(f"{t:.2f}" for t in timings) + f" = {sum(timings):.2f} ms"
                )
        worst = max(
            row[95] for label, row in results.items() if f"({args.applications} applications)" in label
        )
        verdict = "meets" if worst <= 100 else "MISSES"
        print(
            f"Worst dashboard p95 with {args.applications} applications: {worst:.2f} ms ({verdict} the 100 ms goal)"
        )
    finally:
        get_user_model().objects.filter(pk__in=[big.pk, small.pk]).delete()


if __name__ == "__main__":
    main()
