"""Periodic work at many employers: one tick of the webhook-retry beat when few employers have work due, through
due work (`tenants.DueWork`, ADR 0010) against the walk of every schema it replaced, in the same process.

Runs in a throwaway database (test_<name of DATABASE_URL's database>, created and dropped here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_beats_bench .venv/bin/python bench/tenant_beats.py \
        [--tenants 500] [--busy 10] [--ticks 20]
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def spread(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)

    def pick(q):
        return ms[min(len(ms) - 1, int(q * len(ms)))]

    return f"p50 {pick(0.5):8.1f} ms  p95 {pick(0.95):8.1f} ms  p99 {pick(0.99):8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=500)
    parser.add_argument("--busy", type=int, default=10, help="employers with a delivery due each tick")
    parser.add_argument("--ticks", type=int, default=20)
    options = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from jobpilot.webhooks.selectors import webhook_deliveries_due
    from jobpilot.webhooks.tasks import send_due
    from tenants.models import DueWork, Tenant
    from tenants.selectors import employer_tenants
    from tenants.services import ensure_public_tenant, provision_tenant

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        ensure_public_tenant()
        owner = get_user_model().objects.create_user(email="bench@beats.example", password="x")
        print(f"Provisioning {options.tenants} employers", flush=True)
        for i in range(options.tenants):
            provision_tenant(name=f"Beat {i}", slug=f"beat-{i:05d}", owner=owner)
        busy = list(employer_tenants().order_by("pk")[: options.busy])

        def walk_every_schema() -> int:  # the beat before due work
            queued = 0
            for tenant in employer_tenants().filter(status=Tenant.Status.ACTIVE).order_by("pk"):
                with tenant_context(tenant):
                    queued += len(webhook_deliveries_due(now=timezone.now()))
            return queued

        def make_busy() -> None:
            DueWork.objects.filter(kind=DueWork.Kind.WEBHOOK_DELIVERIES).delete()
            DueWork.objects.bulk_create(
                [DueWork(tenant=t, kind=DueWork.Kind.WEBHOOK_DELIVERIES, due_at=timezone.now()) for t in busy]
            )

        def rss_mb() -> float:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        def backend_mb() -> float:
            with connection.cursor() as cursor:
                cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
                return (cursor.fetchone()[0] or 0) / 2**20

        connection.close()
        results = {}
        for name, tick in (("due work", send_due), ("walk every schema", walk_every_schema)):
            samples = []
            for _ in range(options.ticks):
                make_busy()
                started = time.perf_counter()
                tick()
                samples.append(time.perf_counter() - started)
            results[name] = (samples, backend_mb())
            connection.close()  # a fresh backend for the next variant: its catalog cache starts empty
        print(
            f"One webhook-retry tick, {options.tenants} employers, {options.busy} with work due "
            f"({options.ticks} ticks each; load average {os.getloadavg()[0]:.1f}):"
        )
        for name, (samples, memory) in results.items():
            print(f"  {name:<18} {spread(samples)}   backend memory after {memory:6.1f} MB")
        print(f"  bench process max RSS {rss_mb():.0f} MB")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
