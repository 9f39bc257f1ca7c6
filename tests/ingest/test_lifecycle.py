"""Re-imports, closing, retries, bad data and health: what a run does when the source changes or misbehaves."""

import json
import time

import pytest

from jobpilot.api.models import JobChange
from jobpilot.ingest.models import ImportedJob, Source, SourceRun
from jobpilot.ingest.services import imported_jobs_expire, source_run
from jobpilot.marketplace.models import MarketplaceJob
from tests.ingest.conftest import Answer, fixture_text

pytestmark = pytest.mark.django_db

BOARD = "/posting-api/job-board/lumen"


def _board(*jobs_of_fixture: int) -> dict:
    data = json.loads(fixture_text("ashby_board.json"))
    data["jobs"] = [data["jobs"][index] for index in jobs_of_fixture]
    return data


@pytest.fixture
def ashby(feed_server, make_source):
    def make(*answers):
        feed_server.route(BOARD, *answers)
        return make_source("ashby", feed_server.url + BOARD, company_name="Lumen")

    return make


def test_re_importing_an_unchanged_board_writes_nothing(ashby):
    source = ashby("ashby_board.json")
    source_run(source=source)
    changes, indexed = (
        JobChange.objects.count(),
        list(MarketplaceJob.objects.values_list("indexed_at", flat=True)),
    )

    again = source_run(source=source)
    assert again.status == SourceRun.Status.SUCCESS
    assert (again.counts["unchanged"], again.counts.get("new", 0), again.counts.get("updated", 0)) == (
        2,
        0,
        0,
    )
    assert JobChange.objects.count() == changes
    assert list(MarketplaceJob.objects.values_list("indexed_at", flat=True)) == indexed


def test_a_changed_job_is_updated_in_place(ashby, feed_server):
    source = ashby(_board(0, 1))
    source_run(source=source)
    public_id = MarketplaceJob.objects.get(title="Office Manager").public_id
    changed = _board(0, 1)
    changed["jobs"][1]["title"] = "Office & Events Manager"
    feed_server.route(BOARD, changed)

    run = source_run(source=source)
    assert run.counts["updated"] == 1 and run.counts["unchanged"] == 1
    assert MarketplaceJob.objects.get(public_id=public_id).title == "Office & Events Manager"
    assert JobChange.objects.filter(job_public_id=public_id, kind="updated").exists()


def test_a_job_gone_from_a_complete_fetch_is_closed_and_comes_back_with_its_id(ashby, feed_server):
    source = ashby(_board(0, 1))
    source_run(source=source)
    office = MarketplaceJob.objects.get(title="Office Manager").public_id

    feed_server.route(BOARD, _board(0))
    run = source_run(source=source)
    assert run.counts["closed"] == 1
    assert not MarketplaceJob.objects.filter(public_id=office).exists()
    assert ImportedJob.objects.get(public_id=office).status == ImportedJob.Status.CLOSED
    assert JobChange.objects.filter(job_public_id=office, kind="closed").exists()

    feed_server.route(BOARD, _board(0, 1))
    run = source_run(source=source)
    assert run.counts["reopened"] == 1
    assert MarketplaceJob.objects.filter(public_id=office).exists()


def test_a_failed_fetch_closes_nothing_and_is_recorded(ashby, feed_server):
    source = ashby(_board(0, 1))
    source_run(source=source)
    feed_server.route(BOARD, Answer(body=b"oops", status=500))

    run = source_run(source=source)
    assert run.status == SourceRun.Status.FAILED
    assert "answered HTTP 500 (3 attempts)" in run.error
    assert MarketplaceJob.objects.filter(source="imported").count() == 2
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and source.healthy and "HTTP 500" in source.last_error


def test_a_partial_fetch_imports_what_came_and_closes_nothing(feed_server, make_source, settings):
    settings.INGEST_PAGE_SIZE = 2
    path = "/v0/postings/northwind"
    feed_server.route(path, "lever_page1.json", "lever_page2.json")
    source = make_source("lever", feed_server.url + path, company_name="Northwind")
    source_run(source=source)
    assert MarketplaceJob.objects.filter(source="imported").count() == 3

    # The first page comes, the second times out every time: the job on it must not be closed.
    feed_server.route(path, "lever_page1.json", Answer(body=b"[]", delay=2))
    run = source_run(source=source)
    assert run.status == SourceRun.Status.PARTIAL and "timed out" in run.error
    assert run.counts.get("closed", 0) == 0
    assert MarketplaceJob.objects.filter(title="Logistics Planner").exists()


def test_429_is_retried_after_the_time_retry_after_asks(ashby, feed_server):
    source = ashby(Answer(body=b"slow down", status=429, headers={"Retry-After": "1"}), "ashby_board.json")
    started = time.monotonic()
    run = source_run(source=source)
    assert run.status == SourceRun.Status.SUCCESS and run.counts["retries"] == 1
    assert time.monotonic() - started >= 0.5  # Retry-After (1 s) capped by INGEST_BACKOFF_MAX_SECONDS (0.5 s)


def test_a_500_then_success_imports_everything(ashby):
    source = ashby(Answer(status=502), Answer(status=503), "ashby_board.json")
    run = source_run(source=source)
    assert run.status == SourceRun.Status.SUCCESS and run.counts["new"] == 2 and run.counts["retries"] == 2


def test_a_hanging_server_times_out_and_fails_only_its_source(ashby, feed_server, make_source):
    slow = ashby(Answer(body=b"{}", delay=2))
    feed_server.route("/posting-api/job-board/other", "ashby_board.json")
    other = make_source("ashby", feed_server.url + "/posting-api/job-board/other")
    assert source_run(source=slow).status == SourceRun.Status.FAILED
    assert source_run(source=other).status == SourceRun.Status.SUCCESS


def test_a_body_cut_off_midway_is_fetched_again(ashby):
    source = ashby(Answer(body=fixture_text("ashby_board.json").encode(), truncate=True), "ashby_board.json")
    run = source_run(source=source)
    assert run.status == SourceRun.Status.SUCCESS and run.counts["new"] == 2


def test_malformed_json_fails_the_run_with_a_clear_error(ashby):
    run = source_run(source=ashby('{"jobs": [{"title": "Half'))
    assert run.status == SourceRun.Status.FAILED and "malformed JSON" in run.error


def test_bad_items_are_rejected_with_reasons_and_the_rest_imports(ashby):
    data = _board(0, 1)
    good = data["jobs"][1]

    def variant(number, **fields):
        # Distinct jobs (not duplicates of the good one): another city and text.
        return {
            **good,
            "location": ["Boston, MA", "Denver, CO"][number],
            "address": None,
            "descriptionHtml": f"<p>Variant {number} with its own words and duties.</p>",
            "jobUrl": f"https://jobs.ashbyhq.com/lumen/variant-{number}",
            "applyUrl": f"https://jobs.ashbyhq.com/lumen/variant-{number}/application",
            **fields,
        }

    data["jobs"] += [
        "not an object",
        {**good, "id": "no-url", "jobUrl": "javascript:alert(1)", "applyUrl": None},
        variant(
            0,
            id="absurd",
            title="Money",
            compensation={
                "summaryComponents": [
                    {
                        "compensationType": "Salary",
                        "interval": "1 HOUR",
                        "currencyCode": "USD",
                        "minValue": 90000,
                        "maxValue": 120000,
                    }
                ]
            },
        ),
        variant(1, id="xss", title="<script>alert(1)</script>Clerk <b>now</b>"),
    ]
    run = source_run(source=ashby(data))
    assert run.status == SourceRun.Status.SUCCESS
    assert run.counts["new"] == 4 and run.counts["rejected"] == 2
    assert {r["reason"] for r in run.rejections} == {
        "not a job object",
        "no valid http(s) URL of the posting",
    }
    assert run.counts["reasons"]["salary dropped"] == 1
    assert MarketplaceJob.objects.get(source_ref__endswith=":absurd").salary_min is None
    assert MarketplaceJob.objects.get(source_ref__endswith=":xss").title == "Clerk now"


def test_a_304_counts_as_a_complete_fetch_and_writes_nothing(ashby, feed_server):
    source = ashby(Answer(body=fixture_text("ashby_board.json").encode(), headers={"ETag": '"v1"'}))
    source_run(source=source)
    source.refresh_from_db()
    assert source.etag == '"v1"'
    feed_server.route(BOARD, Answer(status=304))

    run = source_run(source=source)
    assert run.status == SourceRun.Status.NOT_MODIFIED
    assert feed_server.requests_to(BOARD)[-1]["headers"]["If-None-Match"] == '"v1"'
    assert MarketplaceJob.objects.filter(source="imported").count() == 2


def test_a_source_failing_again_and_again_turns_unhealthy_and_tells_the_operator(ashby, settings, mailoutbox):
    settings.ADMINS = [("Ops", "ops@jobpilot.example")]
    source = ashby(Answer(status=404))
    for _ in range(settings.INGEST_UNHEALTHY_AFTER_FAILURES):
        source_run(source=source)
    source.refresh_from_db()
    assert not source.healthy and source.consecutive_failures == settings.INGEST_UNHEALTHY_AFTER_FAILURES
    assert len(mailoutbox) == 1 and "unhealthy" in mailoutbox[0].subject


def test_jobs_not_verified_for_the_expiry_period_expire(ashby, feed_server, settings):
    from datetime import timedelta

    from django.utils import timezone

    source = ashby(_board(0, 1))
    source_run(source=source)
    later = timezone.now() + timedelta(days=settings.INGEST_EXPIRE_DAYS + 1)
    assert imported_jobs_expire(now=later) == 2
    assert not MarketplaceJob.objects.filter(source="imported").exists()
    assert set(ImportedJob.objects.values_list("status", flat=True)) == {ImportedJob.Status.EXPIRED}
    # A complete fetch verifies them all again: nothing expires then.
    Source.objects.filter(pk=source.pk).update(last_complete_at=later)
    ImportedJob.objects.update(status=ImportedJob.Status.LIVE)
    assert imported_jobs_expire(now=later) == 0
