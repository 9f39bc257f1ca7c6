"""The Indeed and LinkedIn XML feeds: complete, CDATA, the formats' required fields, made from the same canonical
posting as the job page's JSON-LD and the sitemap; an employer's feed carries only its own jobs."""

import json
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob

pytestmark = pytest.mark.django_db

INDEED_REQUIRED = [
    "title",
    "date",
    "referencenumber",
    "url",
    "company",
    "city",
    "state",
    "country",
    "description",
]
LINKEDIN_REQUIRED = ["partnerJobId", "company", "title", "description", "applyUrl", "location"]


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:6]}"


def _jobs(xml: bytes, id_tag: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "source"
    return {job.findtext(id_tag): job for job in root.findall("job")}


def _jsonld(client, url: str) -> dict:
    path = re.sub(r"^https?://[^/]+", "", url)
    html = client.get(path).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_the_indeed_feed_lists_every_open_job_of_the_employer_with_its_required_fields(
    client_for, tenant_a, tenant_b, make_posting
):
    own = [
        make_posting(tenant_a, title=unique("Indeed"), salary_min=50000, salary_max=70000, department="Ops")
        for _ in range(3)
    ]
    other = make_posting(tenant_b, title=unique("Elsewhere"))
    closed = make_posting(tenant_a, status=JobPosting.Status.CLOSED, title=unique("Closed"))
    response = client_for(tenant_a).get("/feeds/indeed.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    jobs = _jobs(response.content, "referencenumber")
    with tenant_context(tenant_a):
        listed = JobPosting.objects.filter(status="published").count()
    assert len(jobs) == listed  # complete: every listed job, no page limit
    assert {str(p.public_id) for p in own} <= set(jobs)
    assert str(other.public_id) not in jobs  # only this employer's
    assert str(closed.public_id) not in jobs
    job = jobs[str(own[0].public_id)]
    for tag in INDEED_REQUIRED:
        assert job.find(tag) is not None, tag
    assert job.findtext("company") == "Acme Corp"
    assert job.findtext("city") == "Berlin" and job.findtext("country") == "DE"
    assert job.findtext("salary") == "USD 50,000–70,000 per year"
    assert job.findtext("jobtype") == "fulltime"
    assert job.findtext("category") == "Ops"
    assert b"<title><![CDATA[" in response.content
    root = ET.fromstring(response.content)
    assert root.findtext("publisher") == "Acme Corp"


def test_the_feeds_and_the_json_ld_come_from_one_record(client_for, tenant_a, make_posting):
    posting = make_posting(
        tenant_a,
        title=unique("Same record"),
        salary_min=90000,
        salary_max=120000,
        remote="remote",
        country="DE",
    )
    client = client_for(tenant_a)
    indeed = _jobs(client.get("/feeds/indeed.xml").content, "referencenumber")[str(posting.public_id)]
    linkedin = _jobs(client.get("/feeds/linkedin.xml").content, "partnerJobId")[str(posting.public_id)]
    data = _jsonld(client, indeed.findtext("url"))
    assert indeed.findtext("title") == linkedin.findtext("title") == data["title"]
    assert indeed.findtext("url") == data["url"] == linkedin.findtext("applyUrl")
    assert indeed.findtext("description") == linkedin.findtext("description") == data["description"]
    assert indeed.findtext("company") == linkedin.findtext("company") == data["hiringOrganization"]["name"]
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert indeed.findtext("remotetype") == "Fully remote"
    assert linkedin.findtext("workplaceTypes") == "Remote"
    salary = linkedin.find("salaries/salary")
    assert salary.findtext("lowEnd/amount") == str(data["baseSalary"]["value"]["minValue"]) == "90000"
    assert salary.findtext("highEnd/amount") == "120000"
    assert salary.findtext("period") == "YEARLY"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{data['url']}</loc>" in sitemap


def test_the_linkedin_feed_has_its_required_fields_and_the_expected_count(client_for, tenant_a, make_posting):
    posting = make_posting(
        tenant_a, title=unique("LinkedIn"), apply_url="https://careers.acme.example/apply/1"
    )
    response = client_for(tenant_a).get("/feeds/linkedin.xml")
    root = ET.fromstring(response.content)
    jobs = _jobs(response.content, "partnerJobId")
    assert int(root.findtext("expectedJobCount")) == len(jobs)
    job = jobs[str(posting.public_id)]
    for tag in LINKEDIN_REQUIRED:
        assert job.findtext(tag), tag
    assert job.findtext("applyUrl") == "https://careers.acme.example/apply/1"  # the employer's own apply link
    assert job.findtext("location") == "Berlin, DE"
    assert job.findtext("jobtype") == "FULL_TIME"


def test_text_that_would_end_a_cdata_section_survives(client_for, tenant_a, make_posting):
    title = unique("Senior ]]> engineer & <friends>")
    posting = make_posting(tenant_a, title=title, description="<p>Use a[b[0]] and \x0b stuff</p>")
    for path, tag in (("/feeds/indeed.xml", "referencenumber"), ("/feeds/linkedin.xml", "partnerJobId")):
        job = _jobs(client_for(tenant_a).get(path).content, tag)[str(posting.public_id)]
        assert job.findtext("title") == title
        assert "a[b[0]] and  stuff" in job.findtext("description")  # a character XML forbids is dropped


def test_cdata_splits_its_end_marker():
    from jobpilot.syndication.feeds import cdata

    text = "a ]]> b"
    assert ET.fromstring(f"<x>{cdata(text)}</x>").text == text


def test_an_expired_job_is_in_no_feed_even_before_the_sweep_closes_it(client_for, tenant_a, make_posting):
    posting = make_posting(tenant_a, title=unique("Expiring"))
    MarketplaceJob.objects.filter(public_id=posting.public_id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = client_for(tenant_a)
    assert str(posting.public_id) not in client.get("/feeds/indeed.xml").content.decode()
    assert str(posting.public_id) not in client.get("/feeds/linkedin.xml").content.decode()
    assert str(posting.public_id) not in client.get("/sitemap.xml").content.decode()


def test_the_marketplace_feeds_list_every_employers_jobs_but_not_imported_ones(
    public_client, tenant_a, tenant_b, make_posting
):
    a, b = make_posting(tenant_a, title=unique("Market A")), make_posting(tenant_b, title=unique("Market B"))
    imported = MarketplaceJob.objects.create(
        source=MarketplaceJob.Source.IMPORTED,
        title=unique("Imported"),
        slug="imported",
        company_name="Elsewhere Inc",
        company_slug="elsewhere",
        source_name="Elsewhere feed",
        source_ref=uuid.uuid4().hex,
        job_type="full_time",
        remote="onsite",
        published_at=timezone.now(),
    )
    response = public_client.get("/feeds/indeed.xml")
    jobs = _jobs(response.content, "referencenumber")
    assert {str(a.public_id), str(b.public_id)} <= set(jobs)
    assert str(imported.public_id) not in jobs
    assert ET.fromstring(response.content).findtext("publisher") == "JobPilot"
    assert jobs[str(b.public_id)].findtext("company") == "Globex"
    # Each job's one canonical page: its employer's careers site, also in the marketplace's feed.
    assert jobs[str(b.public_id)].findtext("url").startswith("http://globex.localhost/jobs/")
    assert str(a.public_id) in public_client.get("/feeds/linkedin.xml").content.decode()


def test_feeds_take_no_input_and_refuse_other_methods(client_for, tenant_a):
    client = client_for(tenant_a)
    assert client.get("/feeds/indeed.xml?page=-1&limit=x").status_code == 200
    assert client.post("/feeds/indeed.xml").status_code == 405
    assert client.get("/feeds/other.xml").status_code == 404
