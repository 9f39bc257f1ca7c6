"""Google for Jobs: the check of required and recommended properties, the console's health panel (members only,
only the host's employer's jobs), and the warning shown when a job is published."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.syndication.google_jobs import google_jobs_check
from tenants.models import Membership

pytestmark = pytest.mark.django_db
Role = Membership.Role


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:6]}"


FULL = {
    "title": "T",
    "description": "D",
    "datePosted": "2026-01-01",
    "hiringOrganization": {"name": "Acme"},
    "jobLocation": {"address": {}},
    "validThrough": "2026-02-01",
    "baseSalary": {"value": 1},
    "employmentType": "FULL_TIME",
    "identifier": {"value": "1"},
    "directApply": True,
}


def test_a_complete_posting_covers_everything():
    check = google_jobs_check(FULL)
    assert check.eligible
    assert check.missing_recommended == []
    assert check.covered == check.expected == 10


def test_missing_required_and_recommended_properties_are_named():
    data = {key: value for key, value in FULL.items() if key not in ("jobLocation", "baseSalary")}
    data["hiringOrganization"] = {"name": ""}
    check = google_jobs_check(data)
    assert check.missing_required == ["hiringOrganization", "jobLocation"]
    assert check.missing_recommended == ["baseSalary"]
    assert not check.eligible


def test_a_remote_job_needs_applicant_locations_instead_of_a_place():
    remote = {key: value for key, value in FULL.items() if key != "jobLocation"} | {
        "jobLocationType": "TELECOMMUTE"
    }
    assert google_jobs_check(remote).missing_required == ["applicantLocationRequirements"]
    remote["applicantLocationRequirements"] = [{"name": "DE"}]
    assert google_jobs_check(remote).eligible


def test_the_panel_shows_the_employers_jobs_as_google_reads_them(
    staff_client, tenant_a, tenant_b, make_posting
):
    good = make_posting(tenant_a, title=unique("Complete"), salary_min=1000, salary_max=2000)
    remote = make_posting(
        tenant_a, title=unique("Anywhere"), remote="remote", country="", city="", applicant_countries=["DE"]
    )
    other = make_posting(tenant_b, title=unique("Globex job"))
    response = staff_client(tenant_a, Role.VIEWER).get("/console/google-jobs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert good.title in html and remote.title in html
    assert other.title not in html  # only the host's employer
    health = response.context["health"]
    rows = {job.posting["title"]: job for job in health.jobs}
    assert rows[good.title].check.eligible and rows[good.title].has_salary
    assert rows[remote.title].is_remote and rows[remote.title].marked_telecommute
    # Publishing requires where remote applicants may live, so Google lacks nothing it requires.
    assert rows[remote.title].check.missing_required == []
    assert "baseSalary" in rows[remote.title].check.missing_recommended
    assert health.expired_still_published == 0


def test_the_panel_counts_expired_jobs_not_yet_closed(staff_client, tenant_a, make_posting):
    posting = make_posting(tenant_a, title=unique("Past"))
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(minutes=5))
    MarketplaceJob.objects.filter(public_id=posting.public_id).update(
        expires_at=timezone.now() - timedelta(minutes=5)
    )
    response = staff_client(tenant_a, Role.VIEWER).get("/console/google-jobs/")
    assert response.context["health"].expired_still_published >= 1
    assert posting.title not in {job.posting["title"] for job in response.context["health"].jobs}
    assert "waiting to be closed" in response.content.decode()


def test_strangers_get_404_and_anonymous_visitors_sign_in(signed_in, make_user, tenant_a, client_for):
    assert signed_in(make_user(), tenant_a).get("/console/google-jobs/").status_code == 404
    assert client_for(tenant_a).get("/console/google-jobs/").status_code == 302
    assert client_for(tenant_a).post("/console/google-jobs/").status_code in (302, 405)


def test_publishing_from_the_console_says_what_google_lacks(staff_client, tenant_a, make_posting):
    from tests.conftest import lift_posting_limit

    lift_posting_limit(tenant_a)
    draft = make_posting(
        tenant_a,
        status=JobPosting.Status.DRAFT,
        title=unique("Remote draft"),
        remote="remote",
        country="",
        applicant_countries=["FR"],
    )
    response = staff_client(tenant_a, Role.ADMIN).post(
        f"/console/jobs/{draft.public_id}/publish/", follow=True
    )
    html = response.content.decode()
    assert "Published." in html
    assert "Google for Jobs recommends adding: baseSalary" in html
