"""Matching's tasks: understanding listings after they are written, and batches asked for by API callers."""

from django.core.cache import cache

from jobpilot.celery import app
from jobpilot.matching.services import job_understanding_refresh

BATCH_CHUNK = 16  # progress moves in steps this big; each step is one encoder batch


@app.task(name="matching.understand_jobs", ignore_result=True, acks_late=True)
def understand_jobs(public_ids: list[str]) -> int:
    return job_understanding_refresh(public_ids=public_ids)


@app.task(name="matching.summarize_batch", ignore_result=True)
def summarize_batch(batch_key: str, public_ids: list[str]) -> None:
    for start in range(0, len(public_ids), BATCH_CHUNK):
        chunk = public_ids[start : start + BATCH_CHUNK]
        job_understanding_refresh(public_ids=chunk)
        cache.incr(f"{batch_key}:done", len(chunk))
