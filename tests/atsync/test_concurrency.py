"""Committed, concurrent syncs (each in its own database session, as two workers would run them): two syncs of one
connection never run at once, and the plan's active-postings limit holds when two boards sync at the same time."""

import threading

import pytest
from django.db import connection as db
from django_tenants.utils import tenant_context

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_override_limits
from jobpilot.atsync import services
from jobpilot.atsync.models import AtsConnection
from jobpilot.core.errors import Conflict
from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.webhooks.models import WebhookEvent
from tests.atsync.conftest import GREENHOUSE, LEVER, Answer
from tests.ingest.conftest import fixture_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed(tenant_a, on_plan):
    """Growth with room for 2 active postings; whatever the test leaves in the tenant's schema is removed."""
    on_plan(tenant_a, "employer_growth")
    billing_account_override_limits(
        actor="tests", account=billing_account_for_tenant(tenant_a), limits={"active_postings": 2}
    )
    with tenant_context(tenant_a):
        last_event = WebhookEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield tenant_a
    with tenant_context(tenant_a):
        ids = list(AtsConnection.objects.values_list("pk", flat=True))
        JobPosting.objects.filter(ats_connection_id__in=ids).delete()
        AtsConnection.objects.filter(pk__in=ids).delete()
        WebhookEvent.objects.filter(pk__gt=last_event).delete()


def _run_together(tenant, connection_ids) -> list:
    barrier = threading.Barrier(len(connection_ids))
    outcomes = []

    def run(connection_id):
        try:
            barrier.wait()
            with tenant_context(tenant):
                outcomes.append(services.ats_connection_sync(connection_id=connection_id).last_status)
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(connection_id,)) for connection_id in connection_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_syncs_of_one_connection_at_once_one_runs_and_the_limit_holds(committed, boards, settings):
    settings.INGEST_FETCH_TIMEOUT_SECONDS = 5.0
    boards.route(f"{GREENHOUSE}locked", "greenhouse_board.json")
    # Slow enough that the second sync starts while the first is fetching.
    boards.route(
        f"{GREENHOUSE}locked/jobs", Answer(body=fixture_text("greenhouse_jobs.json").encode(), delay=0.5)
    )
    with tenant_context(committed):
        # Created paused: its first sync (queued on commit, eager in tests) is not the one measured here.
        connection = services.ats_connection_create(
            actor=None, kind="greenhouse", board="locked", enabled=False
        )
        AtsConnection.objects.filter(pk=connection.pk).update(enabled=True)

    outcomes = _run_together(committed, [connection.pk, connection.pk])

    assert sorted(outcomes) == ["ats_sync_running", "success"]
    assert len(boards.requests_to(f"{GREENHOUSE}locked/jobs")) == 1
    with tenant_context(committed):
        postings = JobPosting.objects.filter(ats_connection_id=connection.pk)
        assert postings.count() == 3  # once each, never twice
        assert postings.filter(status=JobPosting.Status.PUBLISHED).count() == 2
        assert AtsConnection.objects.get(pk=connection.pk).last_counts["held"] == 1
    assert MarketplaceJob.objects.filter(tenant=committed, source_name="greenhouse").count() == 2


def test_two_boards_syncing_at_once_share_the_limit(committed, boards, settings):
    settings.INGEST_PAGE_SIZE = 2
    boards.route(f"{GREENHOUSE}shared", "greenhouse_board.json")
    boards.route(f"{GREENHOUSE}shared/jobs", "greenhouse_jobs.json")
    boards.route(f"{LEVER}shared", "lever_page1.json", "lever_page2.json")
    with tenant_context(committed):
        first = services.ats_connection_create(actor=None, kind="greenhouse", board="shared", enabled=False)
        second = services.ats_connection_create(actor=None, kind="lever", board="shared", enabled=False)
        AtsConnection.objects.update(enabled=True)

    outcomes = _run_together(committed, [first.pk, second.pk])

    assert outcomes == ["success", "success"]
    with tenant_context(committed):
        synced = JobPosting.objects.filter(ats_connection_id__in=[first.pk, second.pk])
        published = synced.filter(status=JobPosting.Status.PUBLISHED).count()
        # (Committing tests elsewhere may leave typed postings in the schema; the limit's counter starts at 0.)
        assert published == 2 and synced.count() == 6
    listed = MarketplaceJob.objects.filter(tenant=committed, source_name__in=["greenhouse", "lever"])
    assert listed.count() == 2
