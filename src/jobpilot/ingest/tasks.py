"""Beat finds the due sources every few minutes and sends one task per source run; each runs alone (a run lock
per source), so a slow or failing source holds up nothing else. Everything here is in the public schema."""

import logging

from django.utils import timezone

from jobpilot.celery import app
from jobpilot.core.errors import Conflict
from jobpilot.ingest.models import Source
from jobpilot.ingest.selectors import sources_due
from jobpilot.ingest.services import imported_jobs_expire, source_run

logger = logging.getLogger(__name__)


@app.task(name="ingest.run_source", ignore_result=True)
def run_source(source_id: int) -> str | None:
    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return None
    try:
        return source_run(source=source).status
    except Conflict:
        return None  # the previous run is still going; the next beat tick tries again


@app.task(name="ingest.run_due_sources", ignore_result=True)
def run_due_sources() -> int:
    """Send a run for every due source. Stamping `last_run_at` first keeps the next tick from sending the same
    source again while its run waits in the queue."""
    now = timezone.now()
    sent = 0
    for source_id in sources_due(now=now).values_list("pk", flat=True)[:500]:
        if Source.objects.filter(pk=source_id, enabled=True).update(last_run_at=now):
            try:
                run_source.apply_async((source_id,), retry=False)
                sent += 1
            except Exception:  # noqa: BLE001 - a broker hiccup skips this tick, not the next
                logger.warning("Could not send the run of source %s", source_id, exc_info=True)
    return sent


@app.task(name="ingest.expire_jobs", ignore_result=True)
def expire_jobs() -> int:
    return imported_jobs_expire()
