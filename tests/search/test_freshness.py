"""Freshness without loss, end to end on committed data: a publish, a close and a suspension reach a separate
reader of the index within a second through the real path (the commit's NOTIFY wakes the host's follower), and an
indexer process killed with SIGKILL in the middle of a batch loses and duplicates nothing when the next one runs."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.api.models import JobChange
from jobpilot.api.services import job_changes_record
from jobpilot.jobs import services
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.search import follower, index
from jobpilot.search.backend import IndexBusy, Page, SearchFilters
from jobpilot.search.tantivy_backend import TantivyBackend
from tenants.models import Tenant
from tenants.services import tenant_set_status
from tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
VISIBLE_WITHIN_SECONDS = 1.0


def titles(engine: TantivyBackend, text: str) -> set[str]:
    result = engine.search(SearchFilters(text=text), Page(limit=100))
    assert result.total == len(result.row_ids)  # exact, and no document twice
    return set(MarketplaceJob.objects.filter(pk__in=result.row_ids).values_list("title", flat=True))


def seconds_until(reader: TantivyBackend, text: str, expected: set[str], *, timeout: float = 10.0) -> float:
    """How long after now `reader` (another process's view of the index: it only reloads what was committed)
    first answers `text` with `expected`."""
    start = time.monotonic()
    while True:
        reader.refresh()
        if titles(reader, text) == expected:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            pytest.fail(f"the index did not show {expected} for {text!r} within {timeout} s")
        time.sleep(0.01)


@pytest.fixture
def following():
    """This process's follower, as a web or worker process runs it."""
    stop = threading.Event()
    thread = threading.Thread(target=follower.follow, args=(stop,), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=follower.POLL_SECONDS + 5)
    assert not thread.is_alive()


def test_publish_close_and_suspension_reach_a_reader_within_a_second(tenant_a, make_posting, following):
    index.sync()  # the index exists, its cursor at the log's head
    reader = TantivyBackend(settings.SEARCH_INDEX_DIR)

    posting = make_posting(tenant_a, title="Quartz Welder")  # committed: the kick is on the broker now
    assert seconds_until(reader, "quartz", {"Quartz Welder"}) < VISIBLE_WITHIN_SECONDS

    with tenant_context(tenant_a):
        services.job_posting_close(actor=None, posting=posting)
    assert seconds_until(reader, "quartz", set()) < VISIBLE_WITHIN_SECONDS

    make_posting(tenant_a, title="Quartz Cutter")
    assert seconds_until(reader, "quartz", {"Quartz Cutter"}) < VISIBLE_WITHIN_SECONDS
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)
    assert seconds_until(reader, "quartz", set()) < VISIBLE_WITHIN_SECONDS
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.ACTIVE)
    assert seconds_until(reader, "quartz", {"Quartz Cutter"}) < VISIBLE_WITHIN_SECONDS


def test_a_job_leaves_the_index_within_a_second_of_its_expiry(tenant_a, make_posting, following):
    """Search has no expiry condition (it cost a range over every document): the follower deletes a job at
    its time, waking for it."""
    with contextlib.suppress(IndexBusy):  # the follower may be building it already
        index.sync()
    reader = TantivyBackend(settings.SEARCH_INDEX_DIR)
    make_posting(tenant_a, title="Quartz Seasonal")
    assert seconds_until(reader, "quartz", {"Quartz Seasonal"}) < VISIBLE_WITHIN_SECONDS
    expires = timezone.now() + timedelta(seconds=1.5)
    job = MarketplaceJob.objects.get(title="Quartz Seasonal")
    with transaction.atomic():  # as an edit of the closing date writes it: the row and its change
        MarketplaceJob.objects.filter(pk=job.pk).update(expires_at=expires)
        job_changes_record(tenant_id=tenant_a.pk, public_ids=[job.public_id], kind=JobChange.Kind.UPDATED)
    assert (
        seconds_until(reader, "quartz", {"Quartz Seasonal"}) < VISIBLE_WITHIN_SECONDS
    )  # re-indexed, still live
    wait = (expires - timezone.now()).total_seconds()
    assert wait > 0.3, "too slow to test the expiry itself"
    time.sleep(wait)
    assert seconds_until(reader, "quartz", set()) < VISIBLE_WITHIN_SECONDS


# The indexer in a process of its own, slowed down per document so that it can be killed mid-batch: it writes
# `marker` once it has added some of the batch's documents to the (uncommitted) tantivy writer.
INDEXER = """
import sys, time
from pathlib import Path

import django

django.setup()
from django.conf import settings

from jobpilot.search import index, tantivy_backend

settings.SEARCH_INDEX_DIR = Path(sys.argv[1])
marker = Path(sys.argv[2])
real_document = tantivy_backend._document
added = []


def slow_document(doc):
    added.append(doc)
    if len(added) == 5:
        marker.write_text("mid-batch")
    time.sleep(0.2)
    return real_document(doc)


tantivy_backend._document = slow_document
index.sync()
"""


def test_an_indexer_killed_mid_batch_loses_and_duplicates_nothing(tenant_a, make_posting, tmp_path):
    index.sync()
    before = index.backend().cursor()
    made = {f"Quartz Miner {n}" for n in range(12)}
    for title in made:
        make_posting(tenant_a, title=title)
    marker = tmp_path / "mid-batch"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    indexer = subprocess.Popen(
        [sys.executable, "-c", INDEXER, str(settings.SEARCH_INDEX_DIR), str(marker)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if indexer.poll() is not None:
                pytest.fail(f"the indexer exited first: {indexer.stderr.read().decode()[-2000:]}")
            assert time.monotonic() < deadline, "the indexer never reached the middle of its batch"
            time.sleep(0.02)
        indexer.send_signal(signal.SIGKILL)
        assert indexer.wait(timeout=10) == -signal.SIGKILL
    finally:
        if indexer.poll() is None:
            indexer.kill()
        indexer.stderr.close()

    index._backend_at.cache_clear()  # this process opens the index anew, as the next indexer process would
    engine = index.backend()
    assert engine.cursor() == before
    assert titles(engine, "quartz") == set()  # the killed batch committed nothing
    assert index.sync() == JobChange.objects.filter(id__gt=before).count()  # its lock died with it
    assert titles(engine, "quartz") == made  # every job once (`titles` checks the total against the hits)
    assert engine.cursor() == JobChange.objects.order_by("-id").first().pk
