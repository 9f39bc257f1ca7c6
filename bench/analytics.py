"""Analytics: (1) capture overhead — what the capture one-liners add to a request (appends to the process's outbox),
against the per-request hand-off they replaced (the same appends plus one pipelined RPUSH to Redis), alternated,
p50/p95/p99 per request for a search page (20 impressions) and a job page (a view); needs REDIS_URL, no
database. (2) with --events N (needs a migrated DATABASE_URL of its own: the events stay for the next run,
--reuse): N events generated over 30 days in the partitioned table, the time to
roll up one day and then every day and week, and the dashboard endpoints' p50/p95/p99 (job-performance,
its CSV export, user-behavior, platform, matching-metrics) against GET /api/v1/auth/profile/ (auth and routing
alone) in the same process, through the whole Django stack, one request at a time. With --before-ref REF,
job-performance is also timed with the selector of that git ref (`git show REF:src/jobpilot/analytics/selectors.py`)
in alternating blocks with the current one, in the same process, after checking both answer the same.

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/analytics.py [--requests 5000]
    DATABASE_URL=postgres://.../bench_db REDIS_URL=... nice -n 10 .venv/bin/python bench/analytics.py \
        --events 1000000 [--before-ref main]
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

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
    parser.add_argument(
        "--events", type=int, default=0, help="generate this many events and time the dashboards"
    )
    parser.add_argument("--dashboard-requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the events of an earlier run with as many")
    parser.add_argument(
        "--before-ref", default="", help="also time job-performance with this git ref's selector, alternating"
    )
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL: the bench times the Redis hand-off.")
    if args.events and not os.environ.get("DATABASE_URL"):
        sys.exit(
            "Set DATABASE_URL to a migrated database of the bench's own: --events writes millions of rows."
        )
    print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores"
    )
    capture_overhead(args)
    if args.events:
        dashboards(args)


def capture_overhead(args) -> None:
    """Per request, alternated in one loop (the order flipping each iteration): `new`, the record calls alone
    (appends to the outbox; the flusher thread hands them on meanwhile, in this process); `old`, the per-request
    hand-off that was deleted, rebuilt here as it was: the same calls, then this request's rows out and one pipelined RPUSH. Then
    what the flusher's work costs per tick, off the request."""
    request = RequestFactory().get("/jobs/?utm_source=newsletter&utm_medium=social")
    request.user, request.tenant = AnonymousUser(), type("T", (), {"is_public": True})()
    cards = [{"id": str(uuid.uuid4()), "tenant_id": None} for _ in range(20)]
    job = Job()
    client = capture._client()
    client.delete(capture.REDIS_KEY)

    def new(work) -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    def old(work) -> float:
        with capture._send_lock:  # the flusher waits: the rows taken below are this request's alone
            left = capture._take()  # untimed: the new path's rows, set aside for the flusher
            started = time.perf_counter()
            work()
            capture._send(capture._take())
            elapsed = time.perf_counter() - started
            capture._put_back(left)
            return elapsed

    for name, work in (
        (
            "search page (20 impressions)",
            lambda: capture.record_impressions(jobs=cards, source="marketplace", request=request),
        ),
        ("job page (1 view)", lambda: capture.record_view(request, job)),
    ):
        samples = {"old": [], "new": []}
        for number in range(args.requests):
            for path in ("old", "new") if number % 2 else ("new", "old"):
                samples[path].append((old if path == "old" else new)(work))
        for path, label in (("old", "append + RPUSH"), ("new", "outbox append")):
            print(f"{name:30s} {label:14s} {percentiles(samples[path])}  over {args.requests} requests")
    capture.drain()
    print(f"events in Redis: {client.llen(capture.REDIS_KEY)}")
    for _ in range(50):  # a busy second of one process: 50 search pages
        capture.record_impressions(jobs=cards, source="marketplace", request=request)
    rows, started = capture.pending(), time.perf_counter()
    capture.drain()
    print(
        f"flusher hand-off of {rows} events (off the request): {(time.perf_counter() - started) * 1000:.2f} ms"
    )
    client.delete(capture.REDIS_KEY)
    print(f"load at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


# --- Dashboards over a large event volume ---------------------------------------------------------------------------

DAYS, JOBS, OTHER_TENANTS, SEEKERS = 30, 5000, 200, 200_000
BENCH_SLUG = "analytics-bench"

# One statement per chunk, in time order as events arrive (oldest first, a minute of jitter): kinds roughly as a
# marketplace sees them (impressions dominate), sources spread, the bench employer's 20 jobs getting 1 in 50
# events, the bench seeker 1 in 2,000 of the non-impressions.
GENERATE = """
    INSERT INTO analytics_event (occurred_at, kind, source, tenant_id, job_public_id, seeker_id, utm)
    SELECT %(end)s - ((1 - g::float8 / %(total)s) * %(days)s * interval '1 day') + random() * interval '1 minute',
        k.kind, (ARRAY['marketplace','careers_site','api','alert_email','imported'])[1 + (g %% 5)],
        CASE WHEN g %% 50 = 0 THEN %(tenant)s ELSE 100000 + (g %% %(tenants)s) END,
        CASE WHEN g %% 50 = 0 THEN (%(jobs)s::uuid[])[1 + (g / 50) %% 20]
             ELSE md5((g %% %(job_pool)s)::text)::uuid END,
        CASE WHEN k.kind = 'impression' THEN NULL WHEN g %% 2000 = 1 THEN %(seeker)s
             ELSE 1000000 + (g %% %(seekers)s) END,
        '{}'::jsonb
    FROM generate_series(%(first)s, %(last)s) g
    CROSS JOIN LATERAL (SELECT CASE WHEN g %% 10 < 6 THEN 'impression' WHEN g %% 10 < 9 THEN 'view'
        WHEN g %% 40 = 9 THEN 'save' WHEN g %% 40 = 19 THEN 'apply_started' WHEN g %% 40 = 29 THEN 'apply_submitted'
        ELSE 'alert_click' END AS kind) k
"""


def _bench_world():
    """The bench employer (Growth plan, 20 jobs, 2,000 applications moving through the pipeline over 30 days), a
    seeker and a staff member; made once and kept."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import tenant_context

    from billing.selectors import billing_account_for_tenant
    from billing.services import billing_account_assign_plan
    from jobpilot.applications.models import Application, PipelineStage, StatusChange
    from jobpilot.jobs import services as job_services
    from jobpilot.jobs.models import JobPosting
    from jobpilot.jobs.schemas import JobPostingIn
    from tenants.models import Tenant
    from tenants.services import ensure_public_tenant, provision_tenant

    ensure_public_tenant()
    users = get_user_model().objects
    owner, _ = users.get_or_create(email=f"owner@{BENCH_SLUG}.example")
    seeker, _ = users.get_or_create(email=f"seeker@{BENCH_SLUG}.example")
    staff, _ = users.get_or_create(email=f"staff@{BENCH_SLUG}.example", defaults={"is_staff": True})
    tenant = Tenant.objects.filter(slug=BENCH_SLUG).first() or provision_tenant(
        name="Analytics Bench", slug=BENCH_SLUG, owner=owner
    )
    billing_account_assign_plan(
        actor="bench", account=billing_account_for_tenant(tenant), plan_code="employer_growth"
    )
    with tenant_context(tenant):
        if not JobPosting.objects.exists():
            data = {"description": "<p>Bench.</p>", "city": "Berlin", "country": "DE"}
            for number in range(20):
                job_services.job_posting_create(
                    actor=None,
                    data=JobPostingIn.model_validate({**data, "title": f"Bench job {number}"}).model_dump(),
                )
            stages = list(PipelineStage.objects.order_by("position"))
            jobs = list(JobPosting.objects.all())
            end = timezone.now()
            for number in range(2000):
                applied = end - timedelta(days=random.uniform(0, DAYS))
                depth = random.choice([0, 0, 1, 1, 2, 3, 4])  # up to Hired
                application = Application.objects.create(
                    job=jobs[number % 20], stage=stages[depth], name=f"Candidate {number}", created_at=applied
                )
                when, rows = (
                    applied,
                    [
                        StatusChange(
                            application=application, kind="applied", to_stage=stages[0], occurred_at=applied
                        )
                    ],
                )
                for stage in stages[1 : depth + 1]:
                    when = min(when + timedelta(hours=random.uniform(2, 96)), end)
                    rows.append(
                        StatusChange(application=application, kind="moved", to_stage=stage, occurred_at=when)
                    )
                StatusChange.objects.bulk_create(rows)
        job_ids = [
            str(job_id) for job_id in JobPosting.objects.order_by("pk").values_list("public_id", flat=True)
        ]
    return tenant, owner, seeker, staff, job_ids


def _timed(client, path: str, requests: int, **headers) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, **headers)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return samples


def dashboards(args) -> None:
    import logging

    logging.disable(logging.INFO)  # one structured log line per request would dominate the output
    from django.db import connection

    from jobpilot.analytics import services
    from jobpilot.analytics.models import Event

    tenant, owner, seeker, staff, job_ids = _bench_world()
    end = timezone.now()
    first_month = (end - timedelta(days=DAYS + 1)).date()
    services.event_partitions_ensure(today=first_month)
    services.event_partitions_ensure()
    have = Event.objects.count()
    if not (args.reuse and have >= args.events):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE analytics_event")
        started, chunk = time.perf_counter(), 1_000_000
        for first in range(1, args.events + 1, chunk):
            with connection.cursor() as cursor:
                cursor.execute(
                    GENERATE,
                    {
                        "end": end,
                        "days": DAYS,
                        "tenant": tenant.pk,
                        "tenants": OTHER_TENANTS,
                        "jobs": job_ids,
                        "job_pool": JOBS,
                        "seeker": seeker.pk,
                        "seekers": SEEKERS,
                        "total": args.events,
                        "first": first,
                        "last": min(first + chunk - 1, args.events),
                    },
                )
            print(f"  generated {min(first + chunk - 1, args.events):,} events", flush=True)
        elapsed = time.perf_counter() - started
        print(f"generated {args.events:,} events in {elapsed:.1f} s ({args.events / elapsed:,.0f}/s)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analytics_event")
    else:
        print(f"reusing {have:,} events")
    today = end.date()
    one_day = today - timedelta(days=1)
    started = time.perf_counter()
    written = services.rollup_day(day=one_day)
    day_events = Event.objects.filter(occurred_at__date=one_day).count()
    print(
        f"rollup of one day ({day_events:,} events): {time.perf_counter() - started:.2f} s, rows written {written}"
    )
    from jobpilot.analytics.models import PlatformActivity

    if args.reuse and PlatformActivity.objects.filter(day__gte=today - timedelta(days=DAYS)).count() > DAYS:
        print("reusing the rollups of the earlier run (the day above was rolled up again)")
        return _time_endpoints(args, tenant, owner, seeker, staff, today)
    started = time.perf_counter()
    for offset in range(DAYS + 1):
        services.rollup_day(day=today - timedelta(days=offset))
    weeks = sorted({services.week_start_of(today - timedelta(days=offset)) for offset in range(DAYS + 1)})
    for week in weeks:
        services.rollup_week(week_start=week)
    print(f"rollup of all {DAYS + 1} days and {len(weeks)} weeks: {time.perf_counter() - started:.1f} s")
    _time_beat_run()
    _time_endpoints(args, tenant, owner, seeker, staff, today)


def _time_beat_run() -> None:
    """The 15-minute beat run (events of yesterday and today, pipelines of employers with changes only, weeks)."""
    from jobpilot.analytics import services
    from tenants.models import DueWork

    due = DueWork.objects.filter(kind=DueWork.Kind.PIPELINE_ROLLUP).count()
    started = time.perf_counter()
    services.rollups_refresh()
    print(
        f"beat run (rollups_refresh, {due} employers with pipeline changes due): {time.perf_counter() - started:.1f} s"
    )


def _time_endpoints(args, tenant, owner, seeker, staff, today) -> None:
    from django.test import Client
    from ninja_jwt.tokens import AccessToken

    host = f"{tenant.slug}.{settings.BASE_DOMAIN}"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(owner)}"}
    employer = Client(HTTP_HOST=host)
    public = Client(HTTP_HOST=settings.BASE_DOMAIN)
    since = (today - timedelta(days=DAYS - 1)).isoformat()
    cases = [
        ("baseline GET /api/v1/auth/profile/", public, "/api/v1/auth/profile/", bearer),
        ("job-performance, 30 days", employer, f"/api/v2/analytics/job-performance/?since={since}", bearer),
        (
            "job-performance, 30 days by week",
            employer,
            f"/api/v2/analytics/job-performance/?since={since}&granularity=week",
            bearer,
        ),
        (
            "job-performance CSV export",
            employer,
            f"/api/v2/analytics/job-performance/export/?since={since}",
            bearer,
        ),
        (
            "user-behavior, 30 days",
            public,
            f"/api/v2/analytics/user-behavior/?since={since}",
            {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(seeker)}"},
        ),
        (
            "platform (staff)",
            public,
            "/api/v2/analytics/platform/",
            {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(staff)}"},
        ),
        (
            "matching-metrics, 30 days (employer)",
            employer,
            f"/api/v2/analytics/matching-metrics/?since={since}",
            bearer,
        ),
        (
            "matching-metrics, 30 days (staff)",
            public,
            f"/api/v2/analytics/matching-metrics/?since={since}",
            {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(staff)}"},
        ),
    ]
    for name, client, path, headers in cases:
        _timed(client, path, 5, **headers)  # warm up
        samples = _timed(client, path, args.dashboard_requests, **headers)
        print(f"{name:36s} {percentiles(samples)}  over {args.dashboard_requests} requests")
    if args.before_ref:
        _job_performance_before_after(
            args, employer, f"/api/v2/analytics/job-performance/?since={since}", bearer
        )


def _selector_at(ref: str):
    """`job_performance` as the selectors module of git ref `ref` has it (loaded beside the current one)."""
    import subprocess
    import types

    path = "src/jobpilot/analytics/selectors.py"
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:{path}"], capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(f"jobpilot.analytics.selectors_at_{ref}")
    exec(compile(source, f"{ref}:{path}", "exec"), module.__dict__)  # noqa: S102 - this repository's own code
    return module.job_performance


def _job_performance_before_after(args, client, path: str, headers: dict, blocks: int = 20) -> None:
    """The same request with the `--before-ref` selector and the current one, in alternating blocks (which goes
    first alternates too), after checking that both answer the same; and the statements each makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobpilot.analytics import selectors

    current, before = selectors.job_performance, _selector_at(args.before_ref)
    variants = {"before": before, "after": current}
    answers, statements = {}, {}
    try:
        for label, selector in variants.items():
            selectors.job_performance = selector
            _timed(client, path, 5, **headers)  # warm up
            with CaptureQueriesContext(connection) as queries:
                answers[label] = client.get(path, **headers).json()
            statements[label] = len(queries)
        print(
            f"job-performance before ({args.before_ref}) and after answer the same: "
            f"{answers['before'] == answers['after']}; statements per request (SET search_path included): "
            f"before {statements['before']}, after {statements['after']}"
        )
        samples = {label: [] for label in variants}
        per_block = max(1, args.dashboard_requests // blocks)
        for block in range(blocks):
            for label in list(variants)[:: 1 if block % 2 == 0 else -1]:
                selectors.job_performance = variants[label]
                samples[label] += _timed(client, path, per_block, **headers)
    finally:
        selectors.job_performance = current
    for label, timed in samples.items():
        print(f"job-performance, 30 days, {label:6s}       {percentiles(timed)}  over {len(timed)} requests")


if __name__ == "__main__":
    main()
