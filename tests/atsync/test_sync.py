"""A connected board's jobs become the employer's postings: published on its careers site and in the marketplace
with their source, kept in sync (unchanged: nothing written; changed: updated; gone from a complete fetch only:
closed), counted against the plan's active-postings limit like typed postings."""

import threading
from datetime import timedelta

import pytest
from django.db import connection as db
from django.utils import timezone
from django_tenants.utils import tenant_context

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_override_limits
from jobpilot.api.models import JobChange
from jobpilot.atsync import services
from jobpilot.atsync.models import AtsConnection
from jobpilot.core.errors import Conflict
from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.notifications.models import Notification
from jobpilot.webhooks.models import WebhookEvent
from tenants.models import DueWork, Membership
from tests.atsync.conftest import (
    GREENHOUSE,
    Answer,
    postings_of,
    serve_ashby,
    serve_greenhouse,
    serve_lever,
    sync,
)
from tests.conftest import lift_posting_limit

pytestmark = pytest.mark.django_db
Status = JobPosting.Status


def test_a_greenhouse_board_becomes_the_employers_published_postings_with_their_source(
    boards, connect, tenant_a, public_client, client_for
):
    lift_posting_limit(tenant_a)
    serve_greenhouse(boards)
    connection = sync(tenant_a, connect(tenant_a, "greenhouse", "vaultline"))

    assert connection.last_status == "success" and connection.healthy
    counts = connection.last_counts
    assert (counts["fetched"], counts["new"], counts["rejected"]) == (4, 3, 1)
    postings = postings_of(tenant_a, connection)
    assert set(postings) == {"4012345007", "4012346007", "4012347007"}
    backend = postings["4012345007"]
    assert backend.status == Status.PUBLISHED and backend.source == "greenhouse"
    assert backend.title == "Senior Backend Engineer, Payments"
    assert (backend.city, backend.country, backend.remote) == ("San Francisco", "US", "hybrid")
    assert "<script" not in backend.description
    assert backend.apply_url == "https://boards.greenhouse.io/vaultline/jobs/4012345007"
    # In the marketplace as the employer's own posting, with its source.
    row = MarketplaceJob.objects.get(public_id=backend.public_id)
    assert (row.source, row.tenant_id, row.source_name) == ("employer", tenant_a.pk, "greenhouse")
    assert row.company_name == "Acme Corp"
    found = public_client.get("/api/v1/jobs/", {"q": "ledger"}).json()["results"]
    assert [job["id"] for job in found] == [str(backend.public_id)]
    detail = public_client.get(f"/api/v1/jobs/{backend.public_id}/").json()
    assert detail["source"] == "employer" and detail["source_name"] == "greenhouse"
    # On the employer's careers site, saying where it came from.
    page = client_for(tenant_a).get(f"/jobs/{backend.public_id}/{backend.slug}/")
    assert page.status_code == 200
    assert "Senior Backend Engineer, Payments" in page.content.decode()
    assert "Greenhouse" in page.content.decode()


def test_lever_and_ashby_boards_sync_too(boards, connect, tenant_a, settings):
    settings.INGEST_PAGE_SIZE = 2
    lift_posting_limit(tenant_a)
    serve_lever(boards)
    serve_ashby(boards)
    lever = sync(tenant_a, connect(tenant_a, "lever", "northwind"))
    ashby = sync(tenant_a, connect(tenant_a, "ashby", "Lumen"))

    assert lever.last_status == "success" and lever.last_counts["fetched"] == 3
    lever_postings = postings_of(tenant_a, lever)
    platform = lever_postings["5ac21346-8e0c-4494-8e7a-3eb92ff77902"]
    assert (platform.title, platform.city, platform.country, platform.source) == (
        "Platform Engineer",
        "Berlin",
        "DE",
        "lever",
    )
    assert platform.status == Status.PUBLISHED
    # The unlisted Ashby job is not public and is not synced.
    ashby_postings = postings_of(tenant_a, ashby)
    assert set(ashby_postings) == {
        "f4b9e3a2-3333-4e4e-9e9e-2c2c2c2c2c2c",
        "a1a1a1a1-4444-4f4f-8f8f-3d3d3d3d3d3d",
    }
    assert all(p.source == "ashby" for p in ashby_postings.values())
    published = [
        p for p in [*lever_postings.values(), *ashby_postings.values()] if p.status == Status.PUBLISHED
    ]
    rows = MarketplaceJob.objects.filter(public_id__in=[p.public_id for p in published])
    assert rows.count() == len(published) >= 4
    assert {row.source_name for row in rows} == {"lever", "ashby"}


def test_a_resync_of_an_unchanged_board_writes_nothing(boards, connect, tenant_a):
    lift_posting_limit(tenant_a)
    serve_greenhouse(boards)
    connection = sync(tenant_a, connect(tenant_a, "greenhouse", "vaultline"))
    before = {k: p.updated_at for k, p in postings_of(tenant_a, connection).items()}
    changes = JobChange.objects.count()
    with tenant_context(tenant_a):
        events = WebhookEvent.objects.count()
    indexed = dict(MarketplaceJob.objects.filter(tenant=tenant_a).values_list("public_id", "indexed_at"))

    again = sync(tenant_a, connection)

    assert again.last_status == "success"
    assert again.last_counts["unchanged"] == 3 and again.last_counts.get("new", 0) == 0
    assert again.last_counts.get("updated", 0) == 0 and again.last_counts.get("closed", 0) == 0
    assert {k: p.updated_at for k, p in postings_of(tenant_a, connection).items()} == before
    assert JobChange.objects.count() == changes
    with tenant_context(tenant_a):
        assert WebhookEvent.objects.count() == events
    assert (
        dict(MarketplaceJob.objects.filter(tenant=tenant_a).values_list("public_id", "indexed_at")) == indexed
    )


def test_a_changed_job_is_updated_and_a_removed_one_closes_only_after_a_complete_fetch(
    boards, connect, tenant_a
):
    import json

    from tests.ingest.conftest import fixture_text

    lift_posting_limit(tenant_a)
    serve_greenhouse(boards)
    connection = sync(tenant_a, connect(tenant_a, "greenhouse", "vaultline"))
    board = json.loads(fixture_text("greenhouse_jobs.json"))
    board["jobs"] = [job for job in board["jobs"] if job["id"] != 4012347007]
    board["jobs"][0]["title"] = "Staff Backend Engineer, Payments"
    jobs_path = f"{GREENHOUSE}vaultline/jobs"

    # The board answers 500 (after retries): nothing is closed, nothing changes.
    boards.route(jobs_path, Answer(body=b"oops", status=500))
    failed = sync(tenant_a, connection)
    assert failed.last_status == "failed" and failed.last_error
    assert postings_of(tenant_a, connection)["4012347007"].status == Status.PUBLISHED

    # A fetch that breaks off midway is not complete either.
    body = json.dumps(board).encode()
    boards.route(jobs_path, Answer(body=body, truncate=True))
    partial = sync(tenant_a, connection)
    assert partial.last_status in ("failed", "partial")
    assert postings_of(tenant_a, connection)["4012347007"].status == Status.PUBLISHED

    # A complete fetch: the changed job is updated, the removed one closes and leaves the marketplace.
    boards.route(jobs_path, body)
    done = sync(tenant_a, connection)
    assert done.last_status == "success" and done.healthy
    assert done.last_counts["updated"] == 1 and done.last_counts["closed"] == 1
    postings = postings_of(tenant_a, connection)
    gone = postings["4012347007"]
    assert (gone.status, gone.closed_reason) == (Status.CLOSED, "source")
    assert not MarketplaceJob.objects.filter(public_id=gone.public_id).exists()
    renamed = postings["4012345007"]
    assert renamed.title == "Staff Backend Engineer, Payments"
    assert MarketplaceJob.objects.get(public_id=renamed.public_id).title == "Staff Backend Engineer, Payments"

    # It comes back on the board: re-opened under its old id.
    serve_greenhouse(boards)
    back = sync(tenant_a, connection)
    assert back.last_counts["reopened"] == 1
    assert postings_of(tenant_a, connection)["4012347007"].status == Status.PUBLISHED
    assert MarketplaceJob.objects.filter(public_id=gone.public_id).exists()


def test_new_jobs_count_against_the_active_postings_limit_and_the_rest_stay_drafts(
    boards, connect, tenant_a, make_posting
):
    account = billing_account_for_tenant(tenant_a)
    typed = make_posting(tenant_a)  # lifts the limit; one typed posting is active
    billing_account_override_limits(actor="tests", account=account, limits={"active_postings": 2})
    serve_greenhouse(boards)
    connection = sync(tenant_a, connect(tenant_a, "greenhouse", "vaultline"))

    assert connection.last_counts["new"] == 1 and connection.last_counts["held"] == 2
    postings = postings_of(tenant_a, connection)
    assert sorted(p.status for p in postings.values()) == [Status.DRAFT, Status.DRAFT, Status.PUBLISHED]
    with tenant_context(tenant_a):
        assert JobPosting.objects.filter(status=Status.PUBLISHED).count() == 2  # the typed one and one synced
    assert MarketplaceJob.objects.filter(tenant=tenant_a, source_name="greenhouse").count() == 1

    # Room on the plan: the next sync publishes the drafts.
    with tenant_context(tenant_a):
        from jobpilot.jobs.services import job_posting_close

        job_posting_close(actor=None, posting=typed)
    billing_account_override_limits(actor="tests", account=account, limits={"active_postings": 3})
    again = sync(tenant_a, connection)
    assert again.last_counts["new"] == 2 and again.last_counts.get("held", 0) == 0
    assert all(p.status == Status.PUBLISHED for p in postings_of(tenant_a, connection).values())


def test_a_failing_board_becomes_unhealthy_and_its_admins_are_told_once(
    boards, connect, tenant_a, tenant_b, make_member, settings
):
    settings.ATS_SYNC_UNHEALTHY_AFTER_FAILURES = 2
    admin = make_member(tenant_a, Membership.Role.ADMIN)
    recruiter = make_member(tenant_a, Membership.Role.RECRUITER)
    boards.route(f"{GREENHOUSE}broken/jobs", Answer(body=b"{not json", status=200))
    boards.route(f"{GREENHOUSE}broken", "greenhouse_board.json")
    serve_greenhouse(boards)
    lift_posting_limit(tenant_b)
    broken = connect(tenant_a, "greenhouse", "broken")
    fine = connect(tenant_b, "greenhouse", "vaultline")

    first = sync(tenant_a, broken)
    assert first.last_status == "failed" and first.healthy
    second = sync(tenant_a, broken)
    assert not second.healthy and second.consecutive_failures == 2
    sync(tenant_a, broken)
    told = Notification.objects.filter(type="ats_sync_failed", tenant=tenant_a)
    assert list(told.values_list("recipient_id", flat=True).order_by("recipient_id")) == sorted(
        [admin.pk, tenant_a.memberships.get(role="owner").user_id]
    )
    assert recruiter.pk not in told.values_list("recipient_id", flat=True)
    # Another employer's board syncs as ever.
    assert sync(tenant_b, fine).last_status == "success"


def test_two_syncs_of_one_connection_never_run_at_once(boards, connect, tenant_a):
    serve_greenhouse(boards)
    connection = connect(tenant_a, "greenhouse", "vaultline")
    with tenant_context(tenant_a), services._sync_lock(connection.pk):
        # What a second worker sees while the first holds the lock (a separate session).
        other = threading.Thread(
            target=_sync_in_another_session, args=(tenant_a, connection.pk, outcome := [])
        )
        other.start()
        other.join()
    assert outcome == ["ats_sync_running"]


def _sync_in_another_session(tenant, connection_id, outcome):
    try:
        with tenant_context(tenant):
            services.ats_connection_sync(connection_id=connection_id)
        outcome.append("ran")
    except Conflict as error:
        outcome.append(error.code)
    finally:
        db.close()


def test_beat_syncs_every_enabled_board_of_every_employer_and_one_failing_board_stops_no_other(
    boards, connect, tenant_a, tenant_b
):
    from jobpilot.atsync.tasks import sync_all

    lift_posting_limit(tenant_b)
    boards.route(f"{GREENHOUSE}down/jobs", Answer(body=b"", status=503))
    boards.route(f"{GREENHOUSE}down", Answer(body=b"", status=503))
    serve_greenhouse(boards)
    down = connect(tenant_a, "greenhouse", "down")
    paused = connect(tenant_a, "greenhouse", "paused", enabled=False)
    up = connect(tenant_b, "greenhouse", "vaultline")

    _sync_time_comes()
    assert sync_all() == 2  # eager in tests: each sync runs in its employer's schema as it is sent

    with tenant_context(tenant_a):
        assert AtsConnection.objects.get(pk=down.pk).last_status == "failed"
        assert AtsConnection.objects.get(pk=paused.pk).last_status == "never"
    with tenant_context(tenant_b):
        assert AtsConnection.objects.get(pk=up.pk).last_status == "success"
    assert len(postings_of(tenant_b, up)) == 3 and not postings_of(tenant_a, down)
    # Tenant A's postings never include B's board, nor B's A's.
    with tenant_context(tenant_a):
        assert not JobPosting.objects.filter(source="greenhouse", external_id="4012345007").exists()


def _sync_time_comes():
    DueWork.objects.filter(kind=DueWork.Kind.ATS_SYNC).update(due_at=timezone.now())


def test_the_beat_enters_only_employers_whose_boards_are_due(boards, connect, tenant_a, tenant_b):
    from jobpilot.atsync.tasks import sync_all

    def due():
        return {
            row.tenant.slug: row.due_at - timezone.now()
            for row in DueWork.objects.filter(kind=DueWork.Kind.ATS_SYNC).select_related("tenant")
        }

    serve_lever(boards)
    connect(tenant_a, "greenhouse", "paused", enabled=False)
    board = connect(
        tenant_b, "lever", "northwind"
    )  # its first sync is queued at once, the next in 30 minutes
    assert set(due()) == {tenant_b.slug}
    assert timedelta(minutes=29) < due()[tenant_b.slug] <= timedelta(minutes=30)
    assert sync_all() == 0  # not due yet

    _sync_time_comes()
    assert sync_all() == 1
    assert timedelta(minutes=29) < due()[tenant_b.slug] <= timedelta(minutes=30)

    with tenant_context(tenant_b):
        services.ats_connection_delete(actor=None, connection_id=board.pk)
    _sync_time_comes()
    assert sync_all() == 0
    assert due() == {}  # nothing left to sync: the beat forgets the schema
