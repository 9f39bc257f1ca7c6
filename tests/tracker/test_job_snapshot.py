"""Every tracked application keeps the job as it was when the seeker applied (title, description, salary,
location), shown in the tracker once the posting is closed: JobPilot jobs, jobs that take applications elsewhere,
and a page's JobPosting JSON-LD."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs import services as jobs
from jobpilot.jobs.models import JobPosting
from jobpilot.syndication.snapshot import job_snapshot_from_jsonld
from jobpilot.tracker.models import TrackedApplication
from tests.jobs.conftest import make_posting, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db


def test_applying_keeps_the_job_as_it_was_and_the_tracker_shows_it_once_closed(
    apply_for_real,
    seeker,
    tenant_a,
    signed_in,  # noqa: F811
    api_client_for,
):
    tracked = apply_for_real(
        seeker,
        tenant_a,
        title="Snapshot engineer",
        description="<p>Build <strong>durable</strong> things.</p>",
        salary_min=60000,
        salary_max=80000,
        salary_currency="EUR",
    )
    snapshot = tracked.job_snapshot
    assert snapshot["title"] == "Snapshot engineer"
    assert "<strong>durable</strong>" in snapshot["description_html"]
    assert snapshot["salary"] == {"min": 60000, "max": 80000, "currency": "EUR", "period": "year"}
    assert snapshot["location"] and snapshot["source"] == "jobpilot"

    page = signed_in(seeker).get("/tracker/")
    assert "The job as you applied" not in page.content.decode()  # still listed: the live page is the truth

    with tenant_context(tenant_a):
        posting = JobPosting.objects.get(public_id=tracked.job_public_id)
        jobs.job_posting_update(actor=None, posting=posting, changes={"title": "Renamed later"})
        jobs.job_posting_close(actor=None, posting=JobPosting.objects.get(pk=posting.pk))
    html = signed_in(seeker).get("/tracker/").content.decode()
    assert "The job as you applied" in html
    assert "Snapshot engineer" in html and "<strong>durable</strong>" in html

    detail = api_client_for(seeker).get(f"/api/v1/applications/{tracked.pk}/").json()
    assert detail["job_snapshot"]["title"] == "Snapshot engineer"
    assert detail["job_snapshot"]["salary"]["currency"] == "EUR"


def test_a_job_that_takes_applications_elsewhere_is_kept_too(make_posting, tenant_a, seeker, api_client_for):  # noqa: F811
    posting = make_posting(tenant_a, title="Apply elsewhere", apply_url="https://careers.acme.example/1")
    response = api_client_for(seeker).post(
        f"/api/v1/jobs/{posting.public_id}/apply/", {}, content_type="application/json"
    )
    assert response.status_code == 200
    tracked = TrackedApplication.objects.get(pk=response.json()["tracked_application_id"])
    assert tracked.job_snapshot["title"] == "Apply elsewhere"


def test_a_tracked_application_without_a_snapshot_shows_none(seeker, api_client_for):
    created = api_client_for(seeker).post(
        "/api/v1/applications/",
        {"company": "Initech", "title": "By hand", "status": "applied"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    detail = api_client_for(seeker).get(f"/api/v1/applications/{created.json()['id']}/").json()
    assert detail["job_snapshot"] is None


PAGE = """<html><head>
<script type="application/ld+json">{not json</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "name": "Initech"},
  {"@type": "JobPosting", "title": "Data engineer", "description": "<p>Pipelines</p>\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
   "hiringOrganization": {"@type": "Organization", "name": "Initech"},
   "jobLocation": {"@type": "Place", "address": {"addressLocality": "Austin", "addressCountry": "US"}},
   "baseSalary": {"@type": "MonetaryAmount", "currency": "USD",
                  "value": {"@type": "QuantitativeValue", "minValue": 100000, "maxValue": 130000, "unitText": "YEAR"}}}
]}</script></head><body></body></html>"""


def test_a_pages_job_posting_json_ld_becomes_a_snapshot():
    snapshot = job_snapshot_from_jsonld(PAGE)
    assert snapshot["title"] == "Data engineer"
    assert snapshot["company"] == "Initech"
    assert snapshot["location"] == "Austin, US"
    assert snapshot["salary"] == {"min": 100000, "max": 130000, "currency": "USD", "period": "year"}
    assert "<script>" not in snapshot["description_html"] and "Pipelines" in snapshot["description_html"]
    assert snapshot["source"] == "json_ld"


def test_a_page_without_a_job_posting_gives_no_snapshot():
    assert job_snapshot_from_jsonld("<html><script type='application/ld+json'>[1, 2]</script></html>") == {}
    assert job_snapshot_from_jsonld("") == {}


def test_odd_salary_values_on_someone_elses_page_become_unknown_not_errors():
    page = PAGE.replace('"minValue": 100000', '"minValue": "competitive"').replace(
        '"maxValue": 130000', '"maxValue": "130,000"'
    )
    salary = job_snapshot_from_jsonld(page)["salary"]
    assert salary["min"] is None and salary["max"] == 130000.0
