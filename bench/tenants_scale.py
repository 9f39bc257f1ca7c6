"""Tenancy at scale: provisioning curve, no-op migrate, routing latency, catalog size, planner time and backend
memory, at N employer schemas in one database.

Runs in a throwaway database (test_<name of DATABASE_URL's database>, created and dropped here). Give it a
database of its own: 2,000 tenants are ~150,000 catalog relations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_tenancy_bench .venv/bin/python bench/tenants_scale.py \
        [--tenants 2000] [--bucket 500] [--routing-domains 10000] [--skip-real-migration]

The real-migration figure steps the jobs app back one migration in every schema and times the deploy that applies
it again, with django-tenants' standard and multiprocessing executors.

Routing is measured with the Tenant and Domain tables padded to --routing-domains rows (schema-less rows added
after the migrate measurement), so it is the figure at that many employers.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


# The migration the real-migration figure applies to every schema (it adds a column and backfills it).
REAL_MIGRATION_FROM = "0001_initial"
REAL_MIGRATION_TO = "0002_deadline_in_employer_time_zone"


def spread(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)

    def pick(q):
        return ms[min(len(ms) - 1, int(q * len(ms)))]

    return (
        f"p50 {statistics.median(ms):8.2f} ms  p95 {pick(0.95):8.2f} ms  p99 {pick(0.99):8.2f} ms  "
        f"max {ms[-1]:8.2f} ms  (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=2000)
    parser.add_argument("--bucket", type=int, default=500)
    parser.add_argument("--routing-domains", type=int, default=10_000)
    parser.add_argument(
        "--skip-real-migration",
        action="store_true",
        help="the real migration takes ~0.5 s per schema; skip it",
    )
    options = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tenants import routing
    from tenants.models import Domain, Tenant
    from tenants.selectors import domain_for_hostname, tenant_schemas_behind_template
    from tenants.services import ensure_public_tenant, provision_tenant

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        ensure_public_tenant()
        owner = get_user_model().objects.create_user(email="bench@scale.example", password="x")

        print(f"Provisioning {options.tenants} tenants into one database")
        timings = []
        for i in range(options.tenants):
            started = time.perf_counter()
            provision_tenant(name=f"Scale {i}", slug=f"scale-{i:05d}", owner=owner)
            timings.append(time.perf_counter() - started)
            if (i + 1) % options.bucket == 0 or i + 1 == options.tenants:
                first = (i // options.bucket) * options.bucket
                print(f"  tenants {first + 1:>5}-{i + 1:<5} {spread(timings[first : i + 1])}", flush=True)

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute), "
                "pg_size_pretty(pg_total_relation_size('pg_class')), "
                "pg_size_pretty(pg_total_relation_size('pg_attribute')), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            classes, attributes, class_size, attribute_size, database_size = cursor.fetchone()
        print(
            f"Catalog: pg_class {classes:,} rows ({class_size}), pg_attribute {attributes:,} rows "
            f"({attribute_size}); database {database_size}"
        )

        started = time.perf_counter()
        behind = tenant_schemas_behind_template()
        check = time.perf_counter() - started
        # As a deploy runs it: its own process, loading Django and the migration graph.
        test_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate_schemas", "--verbosity", "0"],
            env={**os.environ, "DATABASE_URL": test_url},
            check=True,
        )
        migrate = time.perf_counter() - started
        print(
            f"No-op migrate_schemas of {options.tenants} tenants: {migrate:.1f} s "
            f"(of which the state check of every schema {check:.2f} s; {len(behind)} behind)"
        )

        # A real migration across every schema: step the jobs app back one migration everywhere, then time the
        # deploy that applies it again (DDL plus a backfill in each schema), standard and parallel executors.
        def migrate(*arguments: str) -> float:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "migrate_schemas", "--verbosity", "0", *arguments],
                env={**os.environ, "DATABASE_URL": test_url},
                check=True,
            )
            return time.perf_counter() - started

        for executor in () if options.skip_real_migration else ("standard", "multiprocessing"):
            backwards = migrate("jobs", REAL_MIGRATION_FROM)
            forwards = migrate("--executor", executor)
            print(
                f"Real migration (jobs {REAL_MIGRATION_TO}) of {options.tenants} tenants, {executor} executor: "
                f"{forwards:.1f} s (stepping back first took {backwards:.1f} s)"
            )

        schemas = list(Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
        sample = random.Random(16).sample(schemas, min(1000, len(schemas)))
        connection.close()  # a fresh backend: what a web process's connection goes through
        with connection.cursor() as cursor:
            cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
            before = cursor.fetchone()[0]
            planning = []
            for schema in sample:
                cursor.execute(
                    f'EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM "{schema}".jobs_jobposting WHERE id = 1'
                )
                planning.append(cursor.fetchone()[0][0]["Planning Time"] / 1000)
                cursor.execute(f'SELECT count(*) FROM "{schema}".applications_application')
            cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
            after = cursor.fetchone()[0]
        print(
            f"Planning a primary-key query, first time in each of {len(sample)} schemas: {spread(planning)}"
        )
        print(
            f"Backend memory after touching {len(sample)} schemas: {before / 2**20:.1f} MB -> "
            f"{after / 2**20:.1f} MB"
        )

        padding = max(0, options.routing_domains - len(schemas))
        pad_tenants = Tenant.objects.bulk_create(  # rows only: bulk_create makes no schema
            Tenant(schema_name=f"t_pad_{i:05d}", name=f"Pad {i}", slug=f"pad-{i:05d}") for i in range(padding)
        )
        Domain.objects.bulk_create(
            Domain(domain=f"{t.slug}.localhost", tenant=t, is_primary=True) for t in pad_tenants
        )
        hosts = list(Domain.objects.values_list("domain", flat=True))
        lookups = random.Random(10).choices(hosts, k=3000)
        uncached, cached = [], []
        for host in lookups:
            routing._entries.clear()
            started = time.perf_counter()
            domain_for_hostname(host)
            uncached.append(time.perf_counter() - started)
            started = time.perf_counter()
            domain_for_hostname(host)
            cached.append(time.perf_counter() - started)
        print(f"Host -> tenant at {len(hosts):,} domains, database query: {spread(uncached)}")
        print(f"Host -> tenant at {len(hosts):,} domains, cached:         {spread(cached)}")
    finally:
        connection.close()
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
