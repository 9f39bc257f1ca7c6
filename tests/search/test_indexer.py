"""The indexer follows the jobs change log: a publish is searchable after it runs, a close leaves the engine, a
crash mid-batch loses nothing and a replay duplicates nothing; an index without a cursor rebuilds from PostgreSQL."""

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from jobpilot.api.models import JobChange
from jobpilot.jobs import services
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.search import follower, index, tantivy_backend
from jobpilot.search.backend import IndexBusy, Page, SearchFilters

pytestmark = pytest.mark.django_db


def found(text: str = "") -> set[str]:
    engine = index.backend()
    result = engine.search(SearchFilters(text=text), Page(limit=100))
    assert result.total == len(result.row_ids)  # exact, and no document twice
    return set(MarketplaceJob.objects.filter(pk__in=result.row_ids).values_list("title", flat=True))


def test_publish_is_searchable_after_the_indexer_runs_and_close_takes_it_out(tenant_a, make_posting):
    index.sync()  # builds the empty index, cursor at the log's head
    posting = make_posting(tenant_a, title="Quartz Welder")
    assert found("quartz") == set()  # not applied yet
    assert index.sync() == 1
    assert found("quartz") == {"Quartz Welder"}
    with tenant_context(tenant_a):
        services.job_posting_close(actor=None, posting=posting)
    index.sync()
    assert found("quartz") == set()
    assert index.backend().cursor() == JobChange.objects.order_by("-id").first().pk


def test_a_replay_of_the_whole_log_is_harmless(tenant_a, make_posting):
    index.sync()
    make_posting(tenant_a, title="Quartz Welder")
    make_posting(tenant_a, title="Quartz Cutter")
    index.sync()
    index.backend().apply(upserts=[], deletes=[], cursor=0)  # as if the cursor file were from long ago
    assert index.sync() >= 2
    assert found("quartz") == {"Quartz Welder", "Quartz Cutter"}


def test_a_crash_mid_batch_loses_nothing(tenant_a, make_posting, monkeypatch):
    index.sync()
    before = index.backend().cursor()
    for n in range(3):
        make_posting(tenant_a, title=f"Quartz Miner {n}")
    real_document = tantivy_backend._document
    calls = []

    def crash_on_the_second(doc):
        calls.append(doc)
        if len(calls) == 2:
            raise SystemExit("killed")  # dies in the writer, one document added, nothing committed
        return real_document(doc)

    monkeypatch.setattr(tantivy_backend, "_document", crash_on_the_second)
    with pytest.raises(SystemExit):
        index.sync()
    monkeypatch.undo()
    index._backend_at.cache_clear()  # a new process opens the index again
    assert index.backend().cursor() == before
    assert found("quartz") == set()  # nothing of the batch was committed
    assert index.sync() == 3
    assert found("quartz") == {"Quartz Miner 0", "Quartz Miner 1", "Quartz Miner 2"}


def test_a_second_writer_leaves_the_work_to_the_first(tenant_a, make_posting):
    engine = index.backend()
    writer = engine._writer()  # another indexer holds the lock
    try:
        with pytest.raises(IndexBusy):
            index.sync()
        follower._apply()  # the host's follower in another process: leaves the work to the writer, no error
    finally:
        writer.rollback()
        engine._write_lock.release()


def test_a_deleted_index_is_rebuilt_by_the_indexer(tenant_a, make_posting, settings, tmp_path):
    make_posting(tenant_a, title="Quartz Polisher")
    index.sync()
    index.backend().clear()  # the directory is gone: no documents, no cursor
    assert index.backend().cursor() is None
    index.sync()
    assert found("quartz") == {"Quartz Polisher"}


def test_an_index_directory_deleted_under_a_running_process_is_rebuilt(tenant_a, make_posting, settings):
    import shutil

    make_posting(tenant_a, title="Quartz Grinder")
    index.sync()
    shutil.rmtree(settings.SEARCH_INDEX_DIR)  # by an operator, with this process holding the index open
    index.sync()
    assert found("quartz") == {"Quartz Grinder"}


def test_rebuild_command_indexes_live_jobs_and_never_a_closed_one(tenant_a, make_posting):
    make_posting(tenant_a, title="Quartz Welder")
    closed = make_posting(tenant_a, title="Quartz Polisher")
    with tenant_context(tenant_a):
        services.job_posting_close(actor=None, posting=closed)
    call_command("rebuild_search_index")
    assert found("quartz") == {"Quartz Welder"}
