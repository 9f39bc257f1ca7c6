"""Understand every listed job that has no understanding yet, or whose text changed (`--all` re-reads every row;
unchanged ones are skipped by their text hash). Resumable: run it again after a stop and it goes on."""

import time

from django.core.management.base import BaseCommand

from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.matching.services import job_understanding_refresh


class Command(BaseCommand):
    help = "Compute skills, seniority, summary and embedding for listed jobs that lack them."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=64)
        parser.add_argument("--all", action="store_true", help="also check jobs already understood")
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args, batch: int, all: bool, limit: int | None, **options):
        jobs = MarketplaceJob.objects.order_by("pk")
        if not all:
            jobs = jobs.filter(understanding__isnull=True)
        last_pk, seen, written, started = 0, 0, 0, time.perf_counter()
        while limit is None or seen < limit:
            size = batch if limit is None else min(batch, limit - seen)
            rows = list(jobs.filter(pk__gt=last_pk).values_list("pk", "public_id")[:size])
            if not rows:
                break
            last_pk = rows[-1][0]
            seen += len(rows)
            written += job_understanding_refresh(public_ids=[public_id for _, public_id in rows])
            rate = seen / (time.perf_counter() - started)
            self.stdout.write(f"{seen} jobs read, {written} understood ({rate:.1f} jobs/s)")
        self.stdout.write(self.style.SUCCESS(f"Done: {written} of {seen} jobs understood."))
