"""Greenhouse, Lever and Ashby end to end: fixtures in each API's real shape served locally, imported into the
marketplace, searchable, with the ugly parts normalized."""

import pytest

from jobpilot.api.models import JobChange
from jobpilot.ingest.models import ImportedJob, SourceRun
from jobpilot.ingest.services import source_run
from jobpilot.marketplace.models import MarketplaceJob

pytestmark = pytest.mark.django_db


def _greenhouse(feed_server, make_source, **query):
    feed_server.route("/v1/boards/vaultline", "greenhouse_board.json")
    feed_server.route("/v1/boards/vaultline/jobs", "greenhouse_jobs.json")
    feed_server.route("/v1/boards/vaultline/jobs/4012345007", "greenhouse_job_4012345007_pay.json")
    suffix = "?pay_transparency=true" if query.get("pay") else ""
    return make_source("greenhouse", f"{feed_server.url}/v1/boards/vaultline{suffix}")


def test_a_greenhouse_board_is_listed_in_the_marketplace_with_its_escaped_html_cleaned(
    feed_server, make_source, public_client
):
    source = _greenhouse(feed_server, make_source, pay=True)
    run = source_run(source=source)

    assert run.status == SourceRun.Status.SUCCESS
    assert run.counts["fetched"] == 4 and run.counts["new"] == 3 and run.counts["rejected"] == 1
    assert run.rejections == [{"ref": "4012348007", "reason": "no title"}]
    backend = MarketplaceJob.objects.get(source_ref=f"{source.pk}:4012345007")
    assert backend.source == "imported" and backend.source_name == "greenhouse"
    assert backend.company_name == "Vaultline"
    assert (backend.city, backend.region, backend.country, backend.remote) == (
        "San Francisco",
        "California",
        "US",
        "hybrid",
    )
    # Entity-escaped HTML unescaped, then sanitized: no script, no javascript: link.
    assert backend.description_html.startswith("<p><strong>About the role</strong></p>")
    assert "<script" not in backend.description_html and "alert" not in backend.description_html
    assert "javascript:" not in backend.description_html
    # Pay range from the job's pay transparency endpoint, in cents.
    assert (backend.salary_min, backend.salary_max, backend.salary_currency, backend.salary_period) == (
        185000,
        230000,
        "USD",
        "year",
    )
    assert backend.apply_url == "https://boards.greenhouse.io/vaultline/jobs/4012345007"

    support = MarketplaceJob.objects.get(source_ref=f"{source.pk}:4012346007")
    assert support.title == "Customer Support Specialist"
    assert (support.remote, support.country, support.applicant_countries) == ("remote", "US", ["US"])
    assert ImportedJob.objects.get(external_id="4012346007").group_id == "2201002007"

    found = public_client.get("/api/v1/jobs/", {"q": "ledger"}).json()
    assert [job["id"] for job in found["results"]] == [str(backend.public_id)]
    assert found["results"][0]["source"] == "imported"


def test_a_lever_site_is_read_page_by_page_with_millisecond_dates_and_structured_salary(
    feed_server, make_source, settings
):
    settings.INGEST_PAGE_SIZE = 2
    # One path, answered in request order: the first page (full, so Lever is asked again), then the last.
    feed_server.route("/v0/postings/northwind", "lever_page1.json", "lever_page2.json")
    source = make_source("lever", f"{feed_server.url}/v0/postings/northwind", company_name="Northwind")
    run = source_run(source=source)

    assert run.status == SourceRun.Status.SUCCESS and run.counts["new"] == 3
    skips = [request["query"]["skip"] for request in feed_server.requests_to("/v0/postings/northwind")]
    assert skips == ["0", "2"]
    assert all(r["query"]["mode"] == "json" for r in feed_server.requests_to("/v0/postings/northwind"))
    platform = MarketplaceJob.objects.get(source_ref=f"{source.pk}:5ac21346-8e0c-4494-8e7a-3eb92ff77902")
    assert platform.title == "Platform Engineer"
    assert platform.published_at.isoformat() == "2025-11-25T10:00:00+00:00"  # 1764064800000 ms
    assert (platform.city, platform.country, platform.remote, platform.job_type) == (
        "Berlin",
        "DE",
        "hybrid",
        "full_time",
    )
    assert (platform.salary_min, platform.salary_max, platform.salary_currency, platform.salary_period) == (
        70000,
        85000,
        "EUR",
        "year",
    )
    assert "<h3>What you bring</h3><ul><li>Go or Python</li>" in platform.description_html
    writer = MarketplaceJob.objects.get(title="Content Writer")
    assert (writer.remote, writer.job_type, writer.location_text) == ("remote", "part_time", "Remote")
    assert "iframe" not in writer.description_html
    planner = MarketplaceJob.objects.get(title="Logistics Planner")
    assert (planner.job_type, planner.salary_period, planner.salary_annual_min) == (
        "contract",
        "hour",
        28 * 2080,
    )
    assert (planner.city, planner.region, planner.country) == ("Toronto", "Ontario", "CA")


def test_an_ashby_board_keeps_listed_jobs_with_compensation_and_workplace(feed_server, make_source):
    feed_server.route("/posting-api/job-board/lumen", "ashby_board.json")
    source = make_source("ashby", f"{feed_server.url}/posting-api/job-board/lumen", company_name="Lumen")
    run = source_run(source=source)

    assert run.status == SourceRun.Status.SUCCESS and run.counts["new"] == 2  # the unlisted job is skipped
    assert feed_server.requests_to("/posting-api/job-board/lumen")[0]["query"] == {
        "includeCompensation": "true"
    }
    ml = MarketplaceJob.objects.get(title="Machine Learning Engineer")
    assert ml.remote == "remote" and "NL" in ml.applicant_countries and "DE" in ml.applicant_countries
    assert (ml.salary_min, ml.salary_max, ml.salary_currency) == (90000, 120000, "EUR")
    assert "onerror" not in ml.description_html
    office = MarketplaceJob.objects.get(title="Office Manager")
    assert (office.city, office.region, office.country, office.job_type, office.remote) == (
        "New York",
        "New York",
        "US",
        "part_time",
        "onsite",
    )
    assert office.salary_min is None


def test_every_imported_job_is_in_the_changes_feed_log(feed_server, make_source):
    feed_server.route("/posting-api/job-board/lumen", "ashby_board.json")
    source = make_source("ashby", f"{feed_server.url}/posting-api/job-board/lumen")
    source_run(source=source)
    ids = set(MarketplaceJob.objects.filter(source="imported").values_list("public_id", flat=True))
    logged = set(
        JobChange.objects.filter(tenant_id=None, kind="created").values_list("job_public_id", flat=True)
    )
    assert ids and ids <= logged
