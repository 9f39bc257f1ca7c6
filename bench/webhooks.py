"""Outbound webhooks: what an event costs the request that causes it, and what one attempt costs the sender.

1. `applications_move` of one application (one transaction: lock, history row, tracker mirror, notification)
   with no endpoint, with 1 and with 5 subscribed endpoints (the outbox rows are the difference). Sending is
   queued after commit and not run here.
2. One delivery attempt (claim, signed POST to a local http.server receiver, record) against a bare urllib3 POST of
   the same body to the same receiver, as the baseline.

Runs in a throwaway test database (created and dropped here):

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/webhooks.py [--samples 300]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ["WEBHOOKS_ALLOWED_PRIVATE_NETWORKS"] = "127.0.0.0/8"  # the local receiver
os.environ["WEBHOOKS_ALLOW_HTTP"] = "1"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def line(label: str, values: list[float]) -> str:
    return (
        f"{label:<44} p50 {percentile(values, 50):7.2f} ms  p95 {percentile(values, 95):7.2f} ms  "
        f"p99 {percentile(values, 99):7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    import urllib3
    from django.contrib.auth import get_user_model
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from billing.selectors import billing_account_for_tenant
    from billing.services import billing_account_assign_plan
    from jobpilot.applications.models import Application, PipelineStage
    from jobpilot.applications.services import applications_move
    from jobpilot.celery import app
    from jobpilot.jobs import services as job_services
    from jobpilot.webhooks import services as webhooks
    from jobpilot.webhooks.models import WebhookDelivery, WebhookEndpoint
    from tenants.services import ensure_public_tenant, provision_tenant
    from tests.jobs.conftest import posting_data
    from tests.webhooks.receiver import Receiver

    app.conf.task_always_eager = False  # queue the after-commit sends; this part measures the request only
    app.conf.broker_url = "memory://"
    databases = setup_databases(verbosity=0, interactive=False)
    results = {}
    try:
        ensure_public_tenant()
        owner = get_user_model().objects.create_user(email="owner@bench-hooks.example", password="x")
        tenant = provision_tenant(name="Bench Hooks", slug="benchhooks", owner=owner)
        billing_account_assign_plan(
            actor="bench", account=billing_account_for_tenant(tenant), plan_code="employer_growth"
        )
        with Receiver() as receiver, tenant_context(tenant):
            posting = job_services.job_posting_publish(
                actor=owner, posting=job_services.job_posting_create(actor=owner, data=posting_data())
            )
            screening, interview = PipelineStage.objects.filter(name__in=["Screening", "Interview"]).order_by(
                "position"
            )
            application = Application.objects.create(
                job=posting, stage=screening, name="Candidate", seeker_user_id=None, created_at=timezone.now()
            )
            stages = [interview.pk, screening.pk]

            def moves(label: str) -> None:
                samples = []
                for n in range(args.samples + 20):
                    started = time.perf_counter()
                    applications_move(actor=owner, application_ids=[application.pk], stage_id=stages[n % 2])
                    if n >= 20:  # warm-up
                        samples.append((time.perf_counter() - started) * 1000)
                results[label] = samples

            moves("move, no endpoint")
            for count in (1, 5):
                while WebhookEndpoint.objects.count() < count:
                    webhooks.webhook_endpoint_create(
                        actor=owner, url=receiver.url, event_types=["application.stage_moved"]
                    )
                moves(f"move, {count} endpoint{'s' if count > 1 else ''} subscribed")

            deliveries = list(
                WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True)[: args.samples]
            )
            body = WebhookDelivery.objects.get(pk=deliveries[0]).event.body.encode()
            pool = urllib3.HTTPConnectionPool("127.0.0.1", receiver.server.server_address[1], retries=False)
            baseline = []
            for _ in range(len(deliveries)):
                started = time.perf_counter()
                pool.urlopen(
                    "POST", "/hooks/jobpilot", body=body, headers={"Content-Type": "application/json"}
                )
                baseline.append((time.perf_counter() - started) * 1000)
            results["baseline: bare urllib3 POST"] = baseline
            attempts = []
            for delivery_id in deliveries:
                started = time.perf_counter()
                assert webhooks.webhook_delivery_attempt(delivery_id=delivery_id) is not None
                attempts.append((time.perf_counter() - started) * 1000)
            results["delivery attempt (claim, sign, POST, record)"] = attempts
    finally:
        teardown_databases(databases, verbosity=0)

    print(f"Webhooks, in-process, {args.samples} samples each")
    for label, values in results.items():
        print(line(label, values) + f"  {1000 / statistics.fmean(values):7.1f} /s")


if __name__ == "__main__":
    main()
