import sys
import time

from django.core.management.base import BaseCommand, CommandError

from jobpilot.core.errors import DomainError
from jobpilot.ingest.models import Source
from jobpilot.ingest.services import source_get, source_run

SUMMARY = ("fetched", "new", "updated", "reopened", "unchanged", "duplicate", "closed", "rejected")


class _Progress:
    """A one-line counter on stderr (the number of items of a feed is not known before its end)."""

    def __init__(self, name: str, stream):
        self.name, self.stream, self.done, self.started = name, stream, 0, time.monotonic()

    def __call__(self, n: int) -> None:
        self.done += n
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        bar = "#" * min(30, self.done // 100 % 31)
        self.stream.write(f"\r{self.name}: [{bar:<30}] {self.done} items, {rate:,.0f}/s")
        self.stream.flush()

    def end(self) -> None:
        self.stream.write("\n")


class Command(BaseCommand):
    help = "Run sources of imported jobs now and print what each run did."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", type=int, help="a source's id")
        which.add_argument("--all", action="store_true", help="every enabled source")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, source=None, all=False, no_progress=False, **options):
        try:
            sources = [source_get(source_id=source)] if source else list(Source.objects.filter(enabled=True))
        except DomainError as error:
            raise CommandError(error.detail) from error
        failed = 0
        for each in sources:
            progress = None if no_progress else _Progress(each.name, sys.stderr)
            try:
                run = source_run(source=each, progress=progress)
            except DomainError as error:
                self.stderr.write(f"{each.name}: {error.detail}")
                failed += 1
                continue
            finally:
                if progress:
                    progress.end()
            counts = run.counts
            summary = ", ".join(f"{name} {counts.get(name, 0)}" for name in SUMMARY)
            self.stdout.write(f"{each.name}: {run.status}: {summary}")
            for reason, number in (counts.get("reasons") or {}).items():
                self.stdout.write(f"    {number} × {reason}")
            if run.error:
                self.stdout.write(f"    error: {run.error}")
            failed += run.status in ("failed", "partial")
        if failed:
            raise CommandError(f"{failed} of {len(sources)} sources did not complete.")
