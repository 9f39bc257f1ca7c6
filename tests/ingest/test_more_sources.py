"""SmartRecruiters, Workable, Recruitee, Personio, RSS/Atom, JSON-LD careers pages and the Indeed-style XML feed,
each from fixtures in its real format served locally."""

import pytest

from jobpilot.ingest.models import SourceRun
from jobpilot.ingest.services import source_run
from jobpilot.marketplace.models import MarketplaceJob
from tests.ingest.conftest import fixture_text

pytestmark = pytest.mark.django_db


def _job(title: str) -> MarketplaceJob:
    return MarketplaceJob.objects.get(source="imported", title=title)


def test_smartrecruiters_is_paged_by_offset_and_reads_each_postings_details(
    feed_server, make_source, settings
):
    settings.INGEST_PAGE_SIZE = 2
    base = "/v1/companies/BoschGroup/postings"
    feed_server.route(base, "smartrecruiters_page1.json", "smartrecruiters_page2.json")
    for posting_id in ("744000012345678", "744000012345679", "744000012345680"):
        feed_server.route(f"{base}/{posting_id}", f"smartrecruiters_{posting_id}.json")
    run = source_run(source=make_source("smartrecruiters", feed_server.url + base))

    assert run.status == SourceRun.Status.SUCCESS and run.counts["new"] == 3
    assert [r["query"]["offset"] for r in feed_server.requests_to(base)] == ["0", "2"]
    technician = _job("Field Service Technician")
    assert (technician.company_name, technician.city, technician.country, technician.job_type) == (
        "Bosch Group",
        "Stuttgart",
        "DE",
        "full_time",
    )
    assert (
        "<h3>Qualifications</h3><p>Vocational training &amp; a driving licence.</p>"
        in technician.description_html
    )
    assert technician.apply_url.startswith("https://jobs.smartrecruiters.com/oneclick-ui/")
    student = _job("Werkstudent Data Analytics")
    assert (student.job_type, student.remote) == ("internship", "hybrid")
    analyst = _job("Remote IT Security Analyst")
    assert (analyst.remote, analyst.city, analyst.country) == ("remote", "Lisboa", "PT")


def test_workable_widget_jobs_are_imported_with_the_account_name(feed_server, make_source):
    path = "/api/v1/widget/accounts/kite"
    feed_server.route(path, "workable_account.json")
    run = source_run(source=make_source("workable", feed_server.url + path))
    assert run.counts["new"] == 2 and feed_server.requests_to(path)[0]["query"] == {"details": "true"}
    engineer = _job("Data Engineer")
    assert (engineer.company_name, engineer.remote, engineer.country, engineer.city) == (
        "Kite Analytics",
        "remote",
        "GR",
        "Athens",
    )
    assert _job("Sales Intern").job_type == "internship"


def test_recruitee_offers_bring_monthly_salaries_and_workplace_flags(feed_server, make_source):
    path = "/api/offers/"
    feed_server.route(path, "recruitee_offers.json")
    run = source_run(source=make_source("recruitee", feed_server.url + path))
    assert run.counts["new"] == 2
    backend = _job("Backend Developer (Ruby)")
    assert (backend.salary_min, backend.salary_max, backend.salary_period, backend.salary_annual_min) == (
        4500,
        6000,
        "month",
        54000,
    )
    assert (backend.remote, backend.city, backend.country, backend.tags) == (
        "hybrid",
        "Amsterdam",
        "NL",
        ["Ruby", "Rails"],
    )
    assert backend.published_at.isoformat() == "2026-11-03T07:00:00+00:00"
    service = _job("Klantenservice Medewerker")
    assert (service.job_type, service.remote, service.salary_min) == ("part_time", "onsite", None)


def test_a_personio_feed_is_streamed_and_apply_urls_are_built_from_the_id(feed_server, make_source):
    path = "/xml"
    feed_server.route(path, "personio.xml", headers={"Content-Type": "application/xml"})
    run = source_run(source=make_source("personio", feed_server.url + path, company_name="Bergblick"))
    assert run.counts["new"] == 2
    frontend = _job("Senior Frontend Entwickler")
    assert frontend.apply_url == f"{feed_server.url}/job/1544021"
    assert (frontend.company_name, frontend.city, frontend.country, frontend.job_type) == (
        "Bergblick GmbH",
        "Munich",
        "DE",
        "full_time",
    )
    assert "<h3>Dein Profil</h3>" in frontend.description_html and "track()" not in frontend.description_html
    assert frontend.salary_min is None
    hr = _job("Werkstudent HR")
    assert (hr.company_name, hr.job_type) == ("Bergblick", "internship")


def test_malformed_xml_keeps_the_jobs_before_the_damage_and_closes_nothing(feed_server, make_source):
    path = "/xml"
    whole = fixture_text("personio.xml")
    feed_server.route(path, whole)
    source = make_source("personio", feed_server.url + path, company_name="Bergblick")
    source_run(source=source)
    cut = whole[: whole.index("<id>1544022</id>")] + "<name>Broken &bogus; <"
    feed_server.route(path, cut)
    run = source_run(source=source)
    assert run.status == SourceRun.Status.PARTIAL and "malformed XML" in run.error
    assert run.counts["unchanged"] == 1 and run.counts.get("closed", 0) == 0
    assert MarketplaceJob.objects.filter(source="imported").count() == 2


def test_an_rss_job_feed_takes_the_company_from_the_title_and_the_region(feed_server, make_source):
    feed_server.route("/remote-jobs.rss", "jobs.rss", headers={"Content-Type": "application/rss+xml"})
    run = source_run(source=make_source("rss", feed_server.url + "/remote-jobs.rss"))
    assert run.counts["new"] == 2
    devops = _job("Senior DevOps Engineer")
    assert (devops.company_name, devops.remote, devops.applicant_countries) == ("Brightwave", "remote", [])
    assert "onerror" not in devops.description_html
    csm = _job("Customer Success Manager")
    assert (csm.company_name, csm.job_type, csm.country) == ("Paperplane", "contract", "US")


def test_an_atom_feed_is_read_too(feed_server, make_source):
    feed_server.route("/careers.atom", "jobs.atom")
    run = source_run(source=make_source("rss", feed_server.url + "/careers.atom"))
    assert run.counts["new"] == 1
    qa = _job("QA Engineer")
    assert (qa.company_name, qa.city, qa.country) == ("Fjord Labs", "Oslo", "NO")


def test_jsonld_careers_pages_are_followed_and_an_unreadable_page_makes_the_fetch_partial(
    feed_server, make_source
):
    feed_server.route("/careers/", "careers/index.html")
    feed_server.route("/careers/site-reliability-engineer", "careers/sre.html")
    feed_server.route("/careers/ux-researcher", "careers/ux.html")
    run = source_run(source=make_source("jsonld", feed_server.url + "/careers/"))
    # /careers/gone answers 404: the two readable jobs are imported, but nothing may be closed on this fetch.
    assert run.status == SourceRun.Status.PARTIAL and run.counts["new"] == 2
    assert not feed_server.requests_to("/about")
    sre = _job("Site Reliability Engineer")
    assert (sre.company_name, sre.city, sre.region, sre.country) == ("Orbital Systems", "Sydney", "NSW", "AU")
    assert (sre.salary_min, sre.salary_max, sre.salary_currency, sre.salary_period) == (
        160000,
        190000,
        "AUD",
        "year",
    )
    assert "alert" not in sre.description_html
    ux = _job("UX Researcher")
    assert (ux.remote, ux.applicant_countries, ux.job_type, ux.salary_period) == (
        "remote",
        ["AU", "NZ"],
        "contract",
        "hour",
    )


def test_an_indeed_style_xml_feed_is_imported_with_salary_text_parsed(feed_server, make_source):
    feed_server.route("/feed.xml", "indeed.xml")
    run = source_run(source=make_source("xml", feed_server.url + "/feed.xml"))
    assert run.counts["new"] == 2 and run.counts["rejected"] == 1
    nurse = _job("Registered Nurse - ICU")
    assert (nurse.company_name, nurse.city, nurse.region, nurse.country) == (
        "St. Mary's Hospital",
        "Austin",
        "TX",
        "US",
    )
    assert (nurse.salary_min, nurse.salary_max, nurse.salary_currency, nurse.salary_period) == (
        45,
        62,
        "USD",
        "hour",
    )
    books = _job("Bookkeeper")
    assert (books.remote, books.job_type, books.salary_min, books.salary_currency) == (
        "remote",
        "part_time",
        24000,
        "GBP",
    )
