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

    from tenants.services import branding_update, ensure_public_tenant, provision_tenant

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        ensure_public_tenant()
        owner = get_user_model().objects.create_user(email="owner@bench.example", password="x")
        tenant = provision_tenant(name="Bench Robotics", slug="bench", owner=owner)
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
        cases = [
            ("baseline: GET /health/", public, "/health/"),
            ("landing page (public)", public, "/"),
            ("employer sign-up page", public, "/employers/signup/"),
            ("careers home (tenant)", careers, "/"),
            ("console overview (owner)", console, "/console/"),
            ("branding settings (owner)", console, "/console/branding/"),
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
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'HTML KB':>9}")
    for label, ms, size in results:
        print(
            f"{label:<28}{statistics.median(ms):9.2f}{percentile(ms, 0.95):9.2f}{percentile(ms, 0.99):9.2f}"
            f"{1000 / statistics.mean(ms):9.0f}{size / 1024:9.1f}"
        )


if __name__ == "__main__":
    main()
