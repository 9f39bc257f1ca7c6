"""What an instant saved-search alert costs per listed job: matching one new job against N instant searches.

Times `saved_searches_matching_job`: the new job alone in an in-memory engine index, each distinct saved search run
on it with the query search itself runs (ADR 0015). Cross-checked against the SQL conditions of the same filters
(ILIKE-free: location, job type, salary, skills, and the engine's own text match). The SQL path it replaced took
469 ms for 5,000 searches (issue 15).
Searches are a mix (text, location, job type, salary, skills) with many repeats, as popular searches repeat;
the run prints how many distinct filter sets there are (each distinct set is tested once).
Everything is written inside one transaction and rolled back. Needs a migrated database:

    DATABASE_URL=postgres://... .venv/bin/python bench/saved_search_alerts.py [searches] [rounds]
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from jobpilot.api.services import job_changes_record  # noqa: E402
from jobpilot.marketplace.models import MarketplaceJob, SavedSearch  # noqa: E402
from jobpilot.marketplace.selectors import saved_search_filters, saved_searches_matching_job  # noqa: E402

SEARCHES = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
WORDS = [
    "python",
    "gardener",
    "designer",
    "nurse",
    "rust",
    "accountant",
    "teacher",
    "driver",
    "chef",
    "sales",
]
CITIES = ["berlin", "paris", "london", "madrid", "", "", ""]


def per_search(job, searches) -> set[int]:
    """The same question one search at a time on the full engine index: does the job come back?"""
    from jobpilot.search import index
    from jobpilot.search.backend import Page, Sort

    index.sync()
    matched = set()
    for saved_search in searches:
        found = index.backend().search(saved_search_filters(saved_search), Page(sort=Sort.NEWEST, limit=1))
        if found.row_ids == [job.pk]:  # the newest job: first in newest order when it matches
            matched.add(saved_search.pk)
    return matched


def line(name: str, samples_ms: list[float]) -> str:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return f"{name:<12} p50 {statistics.median(samples_ms):8.2f} ms  p95 {cuts[94]:8.2f} ms  p99 {cuts[98]:8.2f} ms"


def main():
    with transaction.atomic():
        users = get_user_model().objects.bulk_create(
            [get_user_model()(email=f"alert-bench-{i}@example.com") for i in range(SEARCHES // 10 + 1)]
        )
        SavedSearch.objects.bulk_create(
            [
                SavedSearch(
                    user=users[i % len(users)],
                    name=f"search {i}",
                    q=WORDS[i % len(WORDS)],
                    filters={
                        "location": CITIES[i % len(CITIES)],
                        "job_type": ["full_time"] if i % 3 == 0 else [],
                        **({"salary_min": 30000 + (i % 97) * 500} if i % 4 == 0 else {}),
                        **({"skills": ["django"]} if i % 5 == 0 else {}),
                    },
                    frequency=SavedSearch.Frequency.INSTANT,
                )
                for i in range(SEARCHES)
            ],
            batch_size=2000,
        )
        job = MarketplaceJob.objects.create(
            source=MarketplaceJob.Source.IMPORTED,
            source_name="bench",
            source_ref="alert-bench-1",
            title="Senior Python Developer",
            slug="senior-python-developer",
            company_name="Bench GmbH",
            company_slug="bench",
            job_type="full_time",
            remote="hybrid",
            city="Berlin",
            country="DE",
            location_keys=["berlin", "de"],
            salary_min=60000,
            salary_max=80000,
            salary_currency="EUR",
            salary_period="year",
            salary_annual_min=60000,
            salary_annual_max=80000,
            skills=["Python", "Django"],
            skill_keys=["python", "django"],
            keywords="Python Django",
            body_text="We build a platform in Python.",
            published_at=timezone.now(),
        )
        job_changes_record(tenant_id=None, public_ids=[job.public_id], kind="created")  # as services do
        expected = {s.pk for s in saved_searches_matching_job(job=job, frequency="instant")}
        searches = list(SavedSearch.objects.filter(frequency="instant", tenant__isnull=True).order_by("pk"))
        assert per_search(job, searches) == expected
        timings = {"per-search": [], "in-memory": []}
        for _ in range(ROUNDS):  # interleaved, so drift hits both alike
            start = time.perf_counter()
            per_search(job, list(SavedSearch.objects.filter(frequency="instant", tenant__isnull=True)))
            timings["per-search"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            saved_searches_matching_job(job=job, frequency="instant")
            timings["in-memory"].append((time.perf_counter() - start) * 1000)
        distinct = len({saved_search_filters(s) for s in searches})
        print(
            f"{SEARCHES} instant searches ({distinct} distinct filter sets), {len(expected)} match the job, "
            f"{ROUNDS} rounds"
        )
        for name, samples in timings.items():
            print(line(name, samples))
        print(
            f"in-memory / per-search at p50: "
            f"{statistics.median(timings['in-memory']) / statistics.median(timings['per-search']):.2f}"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
