"""Server time of the portal's pages against a baseline (`/health/`), in the same run.

Renders each page many times through Django's full middleware stack (tenant resolution by host, sessions, auth,
context processors, templates) with the test client, in a throwaway database (test_<DATABASE_URL's database>,
created and dropped here), and prints p50/p95/p99 and sequential requests per second, plus the HTML size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobpilot REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/portal_pages.py [--requests 300]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def percentile(sorted_ms: list[float], fraction: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, round(fraction * (len(sorted_ms) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    count = parser.parse_args().requests

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    from billing.selectors import billing_account_for_tenant
    from billing.services import billing_account_assign_plan
    from tenants.services import branding_update, ensure_public_tenant, provision_tenant

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        ensure_public_tenant()
        owner = get_user_model().objects.create_user(email="owner@bench.example", password="x")
        tenant = provision_tenant(name="Bench Robotics", slug="bench", owner=owner)
        # Branding and 40 live postings need a plan that allows them.
        billing_account_assign_plan(
            actor="bench", account=billing_account_for_tenant(tenant), plan_code="employer_enterprise"
        )
        branding_update(
            actor=owner,
            tenant=tenant,
            primary_color="#c2410c",
            primary_text_color="#ffffff",
            accent_color="#1d4ed8",
            font="geometric",
            hero_title="Build the robots that build the future",
            footer_links=[{"label": "Privacy", "url": "/privacy/"}],
            custom_css_variables={"--radius": "12px"},
        )
        public = Client(HTTP_HOST="localhost")
        careers = Client(HTTP_HOST="bench.localhost")
        console = Client(HTTP_HOST="bench.localhost")
        console.force_login(owner)
        seeker = get_user_model().objects.create_user(email="seeker@bench.example", password="x")
        job = _publish_jobs(tenant, 40)
        _track_applications(seeker, 40)
        seeker_client = Client(HTTP_HOST="localhost")
        seeker_client.force_login(seeker)
        job_path = f"/jobs/{job.public_id}/{job.slug}/"
        cases = [
            ("baseline: GET /health/", public, "/health/"),
            ("landing page (public)", public, "/"),
            ("employer sign-up page", public, "/employers/signup/"),
            ("careers home (tenant)", careers, "/"),
            ("console overview (owner)", console, "/console/"),
            ("branding settings (owner)", console, "/console/branding/"),
            ("pricing page", public, "/pricing/"),
            ("marketplace search + facets", public, "/jobs/?q=engineer"),
            ("marketplace search (seeker)", seeker_client, "/jobs/?q=engineer"),
            ("marketplace job page", public, job_path),
            ("careers home, 40 jobs", careers, "/"),
            ("careers job page", careers, job_path),
            ("careers sitemap.xml", careers, "/sitemap.xml"),
            ("careers Atom feed", careers, "/jobs/feed/"),
            ("tracker list, 40 rows", seeker_client, "/tracker/"),
            ("tracker board, 40 rows", seeker_client, "/tracker/?view=board"),
            ("seeker dashboard", seeker_client, "/dashboard/"),
            ("saved jobs", seeker_client, "/saved/"),
            ("seeker billing page", seeker_client, "/account/billing/"),
        ]
        results = []
        for label, client, path in cases:
            for _ in range(20):  # warm-up: template loaders, connections
                assert client.get(path).status_code == 200, (label, path)
            samples = []
            for _ in range(count):
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            results.append((label, sorted(samples), len(response.content)))
    finally:
        teardown_databases(databases, verbosity=0)

    print(f"Portal pages, server time in-process ({count} sequential requests each, same run)")
    print(f"{'page':<32}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'HTML KB':>9}")
    for label, ms, size in results:
        print(
            f"{label:<32}{statistics.median(ms):9.2f}{percentile(ms, 0.95):9.2f}{percentile(ms, 0.99):9.2f}"
            f"{1000 / statistics.mean(ms):9.0f}{size / 1024:9.1f}"
        )


def _publish_jobs(tenant, count: int):
    from django_tenants.utils import tenant_context

    from jobpilot.jobs.schemas import JobPostingIn
    from jobpilot.jobs.services import job_posting_create, job_posting_publish

    with tenant_context(tenant):
        for n in range(count):
            data = JobPostingIn.model_validate(
                {
                    "title": f"Engineer {n}",
                    "description": "<p>Build robots with us.</p>" * 10,
                    "city": "Berlin",
                    "country": "DE",
                    "remote": ["onsite", "hybrid", "remote"][n % 3],
                    "salary_min": 50_000 + n * 1000,
                    "salary_max": 70_000 + n * 1000,
                    "salary_currency": "EUR",
                    "skills": ["Python", "Robotics"],
                }
            ).model_dump()
            posting = job_posting_publish(actor=None, posting=job_posting_create(actor=None, data=data))
    return posting


def _track_applications(seeker, count: int) -> None:
    from jobpilot.tracker.schemas import ExternalApplicationIn
    from jobpilot.tracker.services import tracked_application_create_external

    statuses = ["applied", "in_review", "interviewing", "offer", "not_selected"]
    for n in range(count):
        fields = ExternalApplicationIn.model_validate(
            {"company": f"Company {n}", "title": f"Role {n}", "status": statuses[n % len(statuses)]}
        ).model_fields_for_create()
        tracked_application_create_external(seeker=seeker, fields=fields)


if __name__ == "__main__":
    main()
