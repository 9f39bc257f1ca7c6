"""Employer pipeline latency: GET /api/v1/employer/dashboard/ (applications per job and stage, time in stage from
the history) and GET /api/v1/employer/applications/ (first page, and a name search) for an employer with 20 jobs
and --applications applications (default 10,000; about 2.5 history rows each), against GET /api/v1/employer/stages/
(membership check, routing, one small query) as the baseline in the same run.

Requests go through the whole Django stack in-process (tenant middleware by host, session auth, require_member,
Ninja, JSON), one at a time, so req/s is per worker. Runs in a throwaway test database (created and dropped here):

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/employer_pipeline.py [--requests 200]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def seed(tenant, owner, applications: int, rng: random.Random) -> None:
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from jobpilot.applications.models import Application, PipelineStage, StatusChange
    from jobpilot.jobs import services as job_services
    from tests.jobs.conftest import posting_data

    with tenant_context(tenant):
        postings = []
        for _ in range(20):
            posting = job_services.job_posting_create(actor=owner, data=posting_data())
            postings.append(job_services.job_posting_publish(actor=owner, posting=posting))
        stages = list(PipelineStage.objects.order_by("position"))
        now = timezone.now()
        rows, paths = [], []
        for n in range(applications):
            applied_at = now - timedelta(days=rng.uniform(0, 120))
            path = stages[: rng.choices(range(1, len(stages)), weights=[50, 20, 12, 5, 3])[0]]
            if rng.random() < 0.25:
                path = [*path, stages[-1]]  # rejected after some stages
            paths.append((applied_at, path))
            rows.append(
                Application(
                    job=postings[n % len(postings)],
                    stage=path[-1],
                    seeker_user_id=1_000_000 + n,
                    name=f"Candidate {n}",
                    email=f"candidate{n}@example.com",
                    rating=rng.choice([None, 2, 3, 4, 5]),
                    created_at=applied_at,
                    stage_entered_at=applied_at,
                )
            )
        created = Application.objects.bulk_create(rows, batch_size=2000)
        history = []
        for application, (applied_at, path) in zip(created, paths, strict=True):
            at = applied_at
            for index, stage in enumerate(path):
                history.append(
                    StatusChange(
                        application=application,
                        kind="applied" if index == 0 else "moved",
                        from_stage=path[index - 1] if index else None,
                        to_stage=stage,
                        occurred_at=at,
                    )
                )
                at += timedelta(hours=rng.uniform(2, 200))
        StatusChange.objects.bulk_create(history, batch_size=5000)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE applications_application")
            cursor.execute("ANALYZE applications_statuschange")
        print(f"Seeded {len(created)} applications and {len(history)} history rows over {len(postings)} jobs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--applications", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    from tenants.services import ensure_public_tenant, provision_tenant

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        ensure_public_tenant()
        owner = get_user_model().objects.create_user(email="owner@bench-pipeline.example", password="x")
        tenant = provision_tenant(name="Bench Pipeline", slug="benchpipe", owner=owner)
        from billing.selectors import billing_account_for_tenant
        from billing.services import billing_account_assign_plan

        # The dashboard is hiring analytics, a Growth feature.
        billing_account_assign_plan(
            actor="bench", account=billing_account_for_tenant(tenant), plan_code="employer_growth"
        )
        started = time.perf_counter()
        seed(tenant, owner, args.applications, random.Random(5))  # noqa: S311 - reproducible data
        print(f"(seeding took {time.perf_counter() - started:.1f} s)\n")
        console = Client(HTTP_HOST="benchpipe.localhost")
        console.force_login(owner)
        cases = [
            ("baseline GET /employer/stages/", "/api/v1/employer/stages/"),
            ("GET /employer/dashboard/", "/api/v1/employer/dashboard/"),
            ("GET /employer/applications/ (page 1 of all)", "/api/v1/employer/applications/"),
            ("GET /employer/applications/?q=candidate 42", "/api/v1/employer/applications/?q=candidate%2042"),
            ("GET /employer/applications/?min_rating=4", "/api/v1/employer/applications/?min_rating=4"),
        ]
        for _, path in cases:  # warm-up
            for _ in range(10):
                response = console.get(path)
                assert response.status_code == 200, (path, response.content[:200])
        samples: dict[str, list[float]] = {label: [] for label, _ in cases}
        for _ in range(args.requests):  # interleaved, so machine load hits every case alike
            for label, path in cases:
                started = time.perf_counter()
                console.get(path)
                samples[label].append((time.perf_counter() - started) * 1000)
    finally:
        teardown_databases(databases, verbosity=0)

    print(
        f"Employer pipeline, server time in-process ({args.requests} sequential requests each, interleaved)"
    )
    for label, values in samples.items():
        print(
            f"{label:<46} p50 {percentile(values, 50):7.2f} ms  p95 {percentile(values, 95):7.2f} ms  "
            f"p99 {percentile(values, 99):7.2f} ms  {1000 / statistics.fmean(values):7.1f} req/s"
        )


if __name__ == "__main__":
    main()
