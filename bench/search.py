"""Marketplace search benchmark: 1,000,000 listings across 1,000 employers, a mix of query shapes through the
HTTP stack and the same engine queries bare (plus the card reads' SQL bare), p50/p95/p99 of each and the ratio.
Also: the engine index build from PostgreSQL, its size on disk, the process's memory, requests/s of one process.

    .venv/bin/python bench/search.py                  # generate (about 2 minutes) and measure
    .venv/bin/python bench/search.py --skip-generate  # measure again on the data already there
    .venv/bin/python bench/search.py --rows 100000    # a smaller run

What is generated, and why it is honest: search reads only the public index (`marketplace_job`), never a tenant's
schema, so the benchmark writes index rows directly with COPY, into the real table with its real indexes. The 1,000
employers are real `Tenant` and `Domain` rows (a tenant's domain answers scoped searches) without schemas: a
schema per employer would take an hour to clone and changes nothing that search touches. 10% of the listings are
imported jobs (no tenant), like the ingest feeds will bring. The engine index (`--index-dir`) is then built from
the table by `search.index.rebuild`, the path a new host takes.

Data goes to its own database (`--database`, default jp_bench), which is dropped and re-created.
"""

import argparse
import multiprocessing
import os
import random
import sys
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]

from listings import FEEDS, Company, ListingGenerator  # noqa: E402

COLUMNS = [
    "public_id",
    "source",
    "tenant_id",
    "posting_id",
    "source_name",
    "source_ref",
    "title",
    "slug",
    "company_name",
    "company_slug",
    "company_logo_url",
    "department",
    "job_type",
    "remote",
    "city",
    "region",
    "country",
    "location_text",
    "location_keys",
    "applicant_countries",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_annual_min",
    "salary_annual_max",
    "skills",
    "skill_keys",
    "tags",
    "keywords",
    "summary",
    "body_text",
    "language",
    "description_html",
    "requirements_html",
    "benefits_html",
    "screening_questions",
    "apply_url",
    "application_deadline",
    "is_featured",
    "published_at",
    "expires_at",
    "indexed_at",
]
IMPORTED_SHARE = 0.10


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


# --- generation -------------------------------------------------------------------------------------------------


def generate(args) -> None:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    env = {**os.environ, "DATABASE_URL": database_url(args.database), "DEBUG": "1"}
    _run([sys.executable, str(ROOT / "manage.py"), "migrate_schemas", "--shared", "--verbosity", "0"], env)
    print(f"schema migrated in {time.perf_counter() - started:.1f}s")

    with psycopg.connect(database_url(args.database), autocommit=True) as conn:
        companies = _create_tenants(conn, args.tenants)
        index_ddl = _drop_secondary_indexes(conn)

    step = time.perf_counter()
    workers = max(1, args.workers)
    share = args.rows // workers
    jobs = [
        (args.database, worker, share + (args.rows % workers if worker == 0 else 0), companies)
        for worker in range(workers)
    ]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.starmap(_copy_listings, jobs)
    print(f"COPY of {args.rows:,} listings in {time.perf_counter() - step:.1f}s ({workers} connections)")

    step = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.starmap(_create_index, [(args.database, ddl) for ddl in index_ddl])
    print(f"{len(index_ddl)} indexes built in {time.perf_counter() - step:.1f}s")

    step = time.perf_counter()
    with psycopg.connect(database_url(args.database), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE marketplace_job")
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('marketplace_job'))").fetchone()[0]
    print(f"vacuum analyze in {time.perf_counter() - step:.1f}s; table with indexes: {size}")
    print(f"generation total {time.perf_counter() - started:.1f}s")


def _run(command, env):
    import subprocess

    subprocess.run(command, env=env, check=True, cwd=ROOT)


def _create_tenants(conn, count: int):
    companies = ListingGenerator(seed=0).companies(count)
    now = datetime.now(UTC)
    with conn.cursor() as cursor:
        with cursor.copy(
            "COPY tenants_tenant (schema_name, name, slug, status, created_at) FROM STDIN"
        ) as copy:
            for company in companies:
                copy.write_row(
                    (f"bench_{company.slug.replace('-', '_')}", company.name, company.slug, "active", now)
                )
        ids = dict(cursor.execute("SELECT slug, id FROM tenants_tenant WHERE slug LIKE 'co-%'").fetchall())
        with cursor.copy(
            "COPY tenants_domain (domain, tenant_id, is_primary, created_at, verification_token, verified_at) "
            "FROM STDIN"
        ) as copy:
            for company in companies:  # platform domains are verified when made
                copy.write_row((f"{company.slug}.localhost", ids[company.slug], True, now, "", now))
    return [Company(ids[c.slug], c.name, c.slug, c.families) for c in companies]


def _drop_secondary_indexes(conn) -> list[str]:
    """Indexes are cheaper to build once after the load than to maintain row by row during it."""
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'marketplace_job' AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = 'marketplace_job'::regclass)"
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    # GIN indexes take longest: start them first so the two workers finish together.
    return sorted((ddl for _, ddl in rows), key=lambda ddl: "gin" not in ddl)


def _create_index(database: str, ddl: str) -> None:
    import psycopg

    with psycopg.connect(database_url(database), autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute(ddl)


def _copy_listings(database: str, worker: int, count: int, companies) -> None:
    import psycopg

    from jobpilot.search.language import detect as detect_language

    generator = ListingGenerator(seed=1000 + worker)
    rnd = random.Random(worker)
    # Employers differ in size: a few post thousands of jobs, most a few hundred.
    weights = [1 / (rank + 1) ** 0.6 for rank in range(len(companies))]
    now = datetime.now(UTC)
    with psycopg.connect(database_url(database), autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        with cursor.copy(f"COPY marketplace_job ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            picks = rnd.choices(companies, weights=weights, k=count)
            # Rows arrive in the order jobs are published, as they do in production (an index row is written
            # at publish time), over the last 90 days.
            published = sorted(now - timedelta(seconds=rnd.uniform(0, 90 * 86400)) for _ in range(count))
            lines = []
            for number, company in enumerate(picks):
                imported = rnd.random() < IMPORTED_SHARE
                row = generator.listing(None if imported else company, now, published[number])
                if imported:
                    feed = FEEDS[number % len(FEEDS)]
                    source = ("imported", None, None, feed, f"{worker}-{number}")
                    name, slug = f"{company.name.split()[0]} Group", f"ext-{company.slug}"
                else:
                    source = ("employer", company.tenant_id, worker * 10_000_000 + number, "", "")
                    name, slug = company.name, company.slug
                lines.append(
                    "\t".join(
                        map(
                            _copy_text,
                            (
                                row["public_id"],
                                *source,
                                row["title"],
                                row["slug"],
                                name,
                                slug,
                                "",
                                row["department"],
                                row["job_type"],
                                row["remote"],
                                row["city"],
                                row["region"],
                                row["country"],
                                row["location_text"],
                                row["location_keys"],
                                row["applicant_countries"],
                                row["salary_min"],
                                row["salary_max"],
                                row["salary_currency"],
                                row["salary_period"],
                                row["salary_annual_min"],
                                row["salary_annual_max"],
                                row["skills"],
                                row["skill_keys"],
                                row["tags"],
                                row["keywords"],
                                row["summary"],
                                row["body_text"],
                                # As marketplace.services writes it: detected once, with the text.
                                detect_language(row["title"], row["body_text"]),
                                row["description_html"],
                                row["requirements_html"],
                                row["benefits_html"],
                                "[]",
                                "",
                                None,
                                row["is_featured"],
                                row["published_at"],
                                row["expires_at"],
                                now,
                            ),
                        )
                    )
                )
                if len(lines) == 1000:
                    copy.write("\n".join(lines) + "\n")
                    lines.clear()
            if lines:
                copy.write("\n".join(lines) + "\n")


def _copy_text(value) -> str:
    """One value in COPY's text format (psycopg's own row writer is 3x slower than this for array columns)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, list):
        value = (
            "{" + ",".join('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value) + "}"
        )
    elif isinstance(value, datetime):
        return value.isoformat()
    else:
        value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


# --- measurement ------------------------------------------------------------------------------------------------

BROAD = ["engineer", "manager", "sales", "nurse", "developer", "analyst", "designer", "specialist"]
NARROW = [
    "kubernetes",
    "terraform",
    "phlebotomy",
    "forklift",
    "snowflake",
    "figma",
    "salesforce",
    "swiftui",
    "pharmacist",
    "paralegal",
]
PHRASES = [
    '"machine learning"',
    '"customer success"',
    '"site reliability"',
    '"data engineer"',
    '"patient care"',
    '"incident response"',
    '"account executive"',
]
SYNTAX = [
    "python -java",
    "nurse or pharmacist",
    "react -angular",
    "sales -manager",
    "rust or go",
    "engineer -senior -staff",
]
CITIES = [
    "berlin",
    "london",
    "new york",
    "bangalore",
    "toronto",
    "paris",
    "austin",
    "warsaw",
    "sydney",
    "tokyo",
]
SKILLS = ["python", "sql", "kubernetes", "salesforce", "excel", "react", "figma", "patient care"]


def shapes(rnd: random.Random, tenant_slugs: list[str], job_ids: list[str]) -> dict:
    """Query shapes: name -> a function giving one request's (host, path, params), varied per call."""
    job_types = ["full_time", "part_time", "contract", "internship", "temporary"]
    return {
        "keyword (broad word)": lambda: ("localhost", "/api/v1/jobs/", {"q": rnd.choice(BROAD)}),
        "keyword (narrow word)": lambda: ("localhost", "/api/v1/jobs/", {"q": rnd.choice(NARROW)}),
        "phrase": lambda: ("localhost", "/api/v1/jobs/", {"q": rnd.choice(PHRASES)}),
        "web syntax (-word, or)": lambda: ("localhost", "/api/v1/jobs/", {"q": rnd.choice(SYNTAX)}),
        "keyword + location": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"q": rnd.choice(BROAD + NARROW), "location": rnd.choice(CITIES)},
        ),
        "filters only": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"job_type": rnd.choice(job_types), "remote": rnd.choice(["remote", "hybrid", "onsite,hybrid"])},
        ),
        "salary range": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"salary_min": (low := rnd.randrange(40, 160, 10) * 1000), "salary_max": low + 30_000},
        ),
        "deep page (page 40-50)": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"q": rnd.choice(BROAD), "page": rnd.randint(40, 50)},
        ),
        "very deep page (400-500, was 422)": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"q": rnd.choice(BROAD), "page": rnd.randint(400, 500)},
        ),
        "suggest": lambda: (
            "localhost",
            "/api/v1/jobs/suggest/",
            {"q": rnd.choice(BROAD + NARROW + CITIES)[: rnd.randint(1, 4)]},
        ),
        "keyword + filters, facets on": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {
                "q": rnd.choice(BROAD + NARROW),
                "remote": "remote,hybrid",
                "job_type": "full_time",
                "facets": "true",
            },
        ),
        "keyword, facets off": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"q": rnd.choice(BROAD + NARROW), "facets": "false"},
        ),
        "newest first + skills": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"sort": "newest", "skills": rnd.choice(SKILLS)},
        ),
        "salary sort + keyword": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"sort": "salary", "q": rnd.choice(BROAD)},
        ),
        "posted within 3 days + remote": lambda: (
            "localhost",
            "/api/v1/jobs/",
            {"posted_within": 3, "remote": "remote"},
        ),
        "landing page (no parameters)": lambda: ("localhost", "/api/v1/jobs/", {"page": rnd.randint(1, 5)}),
        "employer portal search": lambda: (
            f"{rnd.choice(tenant_slugs)}.localhost",
            "/api/v1/jobs/",
            {"q": rnd.choice(["", *BROAD])},
        ),
        "job page": lambda: ("localhost", f"/api/v1/jobs/{rnd.choice(job_ids)}/", {}),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(args) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "jobpilot.settings",
            "DATABASE_URL": database_url(args.database),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "SECURE_SSL_REDIRECT": "0",
            "SEARCH_INDEX_DIR": args.index_dir,
            "API_ANONYMOUS_REQUESTS_PER_MINUTE": "100000000",  # the keyless limit would answer 429s
            "REQUEST_LOG_LEVEL": "ERROR",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    warnings.filterwarnings(
        "ignore", message="No directory at"
    )  # whitenoise: no collectstatic for a benchmark
    import django

    django.setup()
    import psycopg
    from django.db import connection
    from django.test import Client

    from jobpilot.celery import app as celery_app

    rnd = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('marketplace_job')) FROM marketplace_job"
        )
        rows, size = cursor.fetchone()
        cursor.execute("SELECT slug FROM tenants_tenant WHERE slug LIKE 'co-%' ORDER BY random() LIMIT 50")
        tenant_slugs = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT public_id::text FROM marketplace_job TABLESAMPLE SYSTEM (0.1) LIMIT 500")
        job_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"\n{rows:,} listings ({size} with indexes), PostgreSQL {version}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )

    import resource
    import shutil

    from jobpilot.search import index as search_index
    from jobpilot.search import tantivy_backend
    from jobpilot.search.tantivy_backend import TantivyBackend

    if not args.facet_cache:
        tantivy_backend.FACET_CACHE_SIZE = 0

    if args.compare_language_detection:
        compare_language_detection(args)
        return
    if args.rebuild_index or search_index.backend().cursor() is None:
        shutil.rmtree(args.index_dir, ignore_errors=True)
        search_index._backend_at.cache_clear()
        step = time.perf_counter()
        count = search_index.rebuild()
        disk = sum(f.stat().st_size for f in Path(args.index_dir).rglob("*") if f.is_file())
        print(
            f"engine index of {count:,} jobs built from PostgreSQL in {time.perf_counter() - step:.1f}s, "
            f"{disk / 2**20:.0f} MB on disk"
        )
    step = time.perf_counter()
    search_index._backend_at.cache_clear()
    search_index.backend()
    print(f"index opened in {(time.perf_counter() - step) * 1000:.1f} ms")

    client = Client()
    raw = psycopg.connect(database_url(args.database), autocommit=True, cursor_factory=psycopg.ClientCursor)
    generators = shapes(rnd, tenant_slugs, job_ids)
    requests = [(name, make()) for name, make in generators.items() for _ in range(args.requests)]
    rnd.shuffle(requests)

    engine_calls: list = []
    real_search, real_suggest = TantivyBackend.search, TantivyBackend.suggest

    def recording_search(self, *call_args, **call_kwargs):
        engine_calls.append((real_search, self, call_args, call_kwargs))
        return real_search(self, *call_args, **call_kwargs)

    def recording_suggest(self, *call_args, **call_kwargs):
        engine_calls.append((real_suggest, self, call_args, call_kwargs))
        return real_suggest(self, *call_args, **call_kwargs)

    TantivyBackend.search, TantivyBackend.suggest = recording_search, recording_suggest

    def http(host, path, params, captured=None):
        def capture(execute, sql, sql_params, many, context):
            captured.append((sql, sql_params))
            return execute(sql, sql_params, many, context)

        engine_calls.clear()
        started = time.perf_counter()
        if captured is None:
            response = client.get(path, params, HTTP_HOST=host)
        else:
            with connection.execute_wrapper(capture):
                response = client.get(path, params, HTTP_HOST=host)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, params, response.status_code, response.content[:300])
        return elapsed

    def bare_engine(calls):
        started = time.perf_counter()
        for function, engine, call_args, call_kwargs in calls:
            function(engine, *call_args, **call_kwargs)
        return time.perf_counter() - started

    def bare(statements):
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for sql, sql_params in statements:
                cursor.execute(sql, sql_params)
                if cursor.description:
                    cursor.fetchall()
        return time.perf_counter() - started

    print(f"warming up: {len(requests)} requests over {len(generators)} shapes ...", flush=True)
    for _, (host, path, params) in requests:
        http(host, path, params)

    print(
        f"measuring ({'facet cache on' if args.facet_cache else 'no cache'}): each request through HTTP, "
        "then its engine calls and SQL bare ...",
        flush=True,
    )
    timings = {name: ([], [], []) for name in generators}
    for name, (host, path, params) in requests:
        statements: list = []
        via_http = http(host, path, params, statements)
        calls = list(engine_calls)
        timings[name][0].append(via_http * 1000)
        timings[name][1].append(bare_engine(calls) * 1000)
        timings[name][2].append(bare(statements) * 1000)

    header = (
        f"{'shape':34s} {'HTTP p50':>9s} {'p95':>7s} {'p99':>7s} | {'engine p50':>10s} {'p95':>7s} {'p99':>7s} "
        f"| {'SQL p50':>8s} {'p95':>6s} | {'HTTP/(engine+SQL) p50':>21s} {'p95':>5s}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    all_http, all_engine, all_sql = [], [], []
    for name, (via_http, via_engine, via_sql) in timings.items():
        all_http += via_http
        all_engine += via_engine
        all_sql += via_sql
        print(_row(name, via_http, via_engine, via_sql))
    print("-" * len(header))
    print(_row(f"all {len(all_http)} requests", all_http, all_engine, all_sql))
    mean = sum(all_http) / len(all_http) / 1000
    print(
        f"\none process, one request at a time: {1 / mean:.0f} requests/s; 1,000 queries/s would need about "
        f"{1000 * mean:.1f} cores at this mix. Max RSS of this process (index open, Django loaded): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print("SQL search it replaced, 1M listings (issue 15): HTTP p50 22.6 / p95 70.0 / p99 112 ms")
    print(f"one process, {args.threads} threads: {_concurrent_rate(requests, args.threads):.0f} requests/s")

    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    celery_app.control.purge()  # the job pages queued view counts; no worker runs here


def _concurrent_rate(requests, threads: int) -> float:
    """Requests/s of one process serving `threads` requests at once (the engine releases the GIL while it
    searches; Django and the card SQL hold it), each thread with its own client and database connection."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    def serve(share):
        client = Client()
        for _, (host, path, params) in share:
            assert client.get(path, params, HTTP_HOST=host).status_code == 200
        connection.close()

    shares = [requests[number::threads] for number in range(threads)]
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(serve, shares))
    return len(requests) / (time.perf_counter() - started)


def _row(name, via_http, via_engine, via_sql) -> str:
    h = [percentile(via_http, share) for share in (0.5, 0.95, 0.99)]
    e = [percentile(via_engine, share) for share in (0.5, 0.95, 0.99)]
    q = [percentile(via_sql, share) for share in (0.5, 0.95)]
    both = [percentile([a + b for a, b in zip(via_engine, via_sql, strict=True)], s) for s in (0.5, 0.95)]
    return (
        f"{name:34s} {h[0]:9.1f} {h[1]:7.1f} {h[2]:7.1f} | {e[0]:10.2f} {e[1]:7.2f} {e[2]:7.2f} | "
        f"{q[0]:8.2f} {q[1]:6.2f} | {h[0] / max(both[0], 0.001):21.2f} {h[1] / max(both[1], 0.001):5.2f}"
    )


def compare_language_detection(args) -> None:
    """Index build from PostgreSQL with the stored language (`MarketplaceJob.language`, today's path) against the
    same build detecting each listing's language while its document is built (the path before it was stored),
    alternated in this process so both see the same machine."""
    import dataclasses
    import shutil
    import tempfile

    from jobpilot.search import index as search_index
    from jobpilot.search import language
    from jobpilot.search.tantivy_backend import TantivyBackend

    def detecting(job):
        return dataclasses.replace(
            search_index.document_for(job), language=language.detect(job.title, job.body_text)
        )

    language.detect("warm up", "the detector's models load once")
    runs = {"stored language": [], "detect per document": []}
    for _round in range(args.compare_rounds):
        for name, make in (
            ("stored language", search_index.document_for),
            ("detect per document", detecting),
        ):
            path = Path(tempfile.mkdtemp(prefix="bench-lang-"))
            try:
                started, load = time.perf_counter(), os.getloadavg()[0]
                jobs = search_index._jobs().order_by("id").iterator(chunk_size=search_index.BATCH)
                count = TantivyBackend(path).replace_all((make(job) for job in jobs), cursor=0)
                runs[name].append((time.perf_counter() - started, load))
            finally:
                shutil.rmtree(path, ignore_errors=True)
    for name, times in runs.items():
        shown = ", ".join(f"{seconds:.1f}s (load {load:.1f})" for seconds, load in times)
        best = min(seconds for seconds, _load in times)
        print(
            f"index build of {count:,} rows, {name}: {shown}; best {best:.1f}s, {best / count * 1e6:.0f} us/row"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=1_000)
    parser.add_argument("--database", default="jp_bench")
    parser.add_argument("--workers", type=int, default=2, help="parallel COPY and index connections")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--requests", type=int, default=40, help="requests per query shape")
    parser.add_argument("--index-dir", default="/tmp/jobpilot-bench-search-index")
    parser.add_argument("--threads", type=int, default=4, help="for the concurrent requests/s")
    parser.add_argument(
        "--rebuild-index", action="store_true", help="build the engine index even if one exists"
    )
    parser.add_argument(
        "--compare-language-detection",
        action="store_true",
        help="only time index builds with the stored language against detecting it per document",
    )
    parser.add_argument("--compare-rounds", type=int, default=2)
    parser.add_argument(
        "--facet-cache",
        action="store_true",
        help="keep the facets of searches without words per index generation, as served (the warm-up fills "
        "it, so those shapes measure hits); off by default: every figure uncached",
    )
    args = parser.parse_args()
    if not args.skip_generate:
        generate(args)
    measure(args)


if __name__ == "__main__":
    main()
