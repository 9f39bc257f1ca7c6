"""POST /api/v1/jobs/{id}/apply/: the application in the employer's schema and the tracker row, in one go."""

import pytest
from django_tenants.utils import tenant_context

from billing.entitlements import used_for
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_user
from jobpilot.applications.models import Application, StatusChange
from jobpilot.jobs.models import JobPosting
from jobpilot.notifications.models import Notification
from jobpilot.tracker.models import TrackedApplication
from tests.applications.conftest import QUESTIONS
from tests.conftest import owner_of
from tests.seeker_factories import upload_resume


def applications_used(seeker) -> int:
    return used_for(billing_account_for_user(seeker, Audience.SEEKER), Metric.APPLICATIONS_PER_MONTH)


def test_applying_creates_the_employers_application_and_the_seekers_tracker_row(
    apply_to, seeker, job, tenant_a, media_root
):
    resume = upload_resume(seeker)

    response = apply_to(seeker, job, cover_letter="Hello", answers={"years": 7, "visa": False})

    assert response.status_code == 201
    tracked = TrackedApplication.objects.get(pk=response.json()["tracked_application_id"])
    assert (tracked.tenant_id, tracked.resume_id, tracked.status) == (tenant_a.pk, resume.pk, "applied")
    with tenant_context(tenant_a):
        application = Application.objects.get(pk=tracked.tenant_application_id)
        assert application.name == "Sam Seeker"
        assert application.email == seeker.email
        assert application.resume_public_id == resume.pk
        assert application.resume_filename == "resume.pdf"
        assert application.cover_letter == "Hello"
        assert [a["answer"] for a in application.answers] == [7, False]
        assert application.stage.name == "Applied"
        assert application.source == "marketplace"
        assert list(application.history.values_list("kind", flat=True)) == [StatusChange.Kind.APPLIED]
        assert JobPosting.objects.get(pk=job.pk).application_count == 1
    assert applications_used(seeker) == 1


def test_applying_notifies_the_employers_recruiters(apply_to, seeker, job, tenant_a):
    apply_to(seeker, job)

    notification = Notification.objects.get(recipient=owner_of(tenant_a), type="application_received")
    assert job.title in notification.title
    assert notification.tenant_id == tenant_a.pk


def test_applying_twice_is_a_conflict_and_counts_once(apply_to, seeker, job):
    assert apply_to(seeker, job).status_code == 201

    response = apply_to(seeker, job)

    assert response.status_code == 409
    assert response.json()["code"] == "already_applied"
    assert applications_used(seeker) == 1


def test_a_missing_required_answer_is_a_422_naming_the_question(apply_to, seeker, job, tenant_a):
    response = apply_to(seeker, job, answers={"visa": True})

    assert response.status_code == 422
    assert response.json()["code"] == "answer_required"
    assert response.json()["question"] == QUESTIONS[0]["question"]
    assert not TrackedApplication.objects.filter(seeker=seeker).exists()
    assert applications_used(seeker) == 0


@pytest.mark.parametrize(
    "answers, code",
    [
        ({"years": "many"}, "invalid_answer"),
        ({"years": 3, "visa": "maybe"}, "invalid_answer"),
        ({"years": 3, "nope": "x"}, "unknown_question"),
    ],
)
def test_answers_that_do_not_fit_their_question_are_422(apply_to, seeker, job, answers, code):
    response = apply_to(seeker, job, answers=answers)

    assert response.status_code == 422
    assert response.json()["code"] == code


def test_bad_payloads_are_422(api_client_for, seeker, job):
    client = api_client_for(seeker)
    url = f"/api/v1/jobs/{job.public_id}/apply/"

    assert client.post(url, {"resume_id": "nope"}, content_type="application/json").status_code == 422
    assert (
        client.post(url, {"cover_letter": "x" * 10_001}, content_type="application/json").status_code == 422
    )
    assert client.post(url, "not json", content_type="application/json").status_code in (400, 422)


def test_a_resume_of_another_seeker_is_refused(apply_to, seeker, make_user, job, media_root):
    other = upload_resume(make_user())

    response = apply_to(seeker, job, resume_id=str(other.pk))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_resume"


def test_applying_needs_a_signed_in_seeker(public_client, job):
    response = public_client.post(f"/api/v1/jobs/{job.public_id}/apply/", {}, content_type="application/json")

    assert response.status_code == 401


def test_closed_unpublished_and_unknown_jobs_cannot_be_applied_to(apply_to, seeker, make_posting, tenant_a):
    closed = make_posting(tenant_a, status=JobPosting.Status.CLOSED)
    draft = make_posting(tenant_a, status=JobPosting.Status.DRAFT)

    assert apply_to(seeker, closed).status_code in (404, 409)
    assert apply_to(seeker, draft).status_code == 404
    assert TrackedApplication.objects.filter(seeker=seeker).count() == 0


def test_a_posting_closed_after_the_index_was_read_is_a_409(apply_to, seeker, job, tenant_a):
    with tenant_context(tenant_a):
        JobPosting.objects.filter(pk=job.pk).update(status=JobPosting.Status.CLOSED)

    response = apply_to(seeker, job)

    assert response.status_code == 409
    assert response.json()["code"] == "job_closed"
    assert applications_used(seeker) == 0


def test_on_an_employers_domain_only_its_own_jobs_can_be_applied_to(
    apply_to, seeker, job, tenant_a, tenant_b, make_posting
):
    assert apply_to(seeker, job, tenant=tenant_b).status_code == 404

    response = apply_to(seeker, job, tenant=tenant_a)

    assert response.status_code == 201
    with tenant_context(tenant_a):
        assert Application.objects.get(seeker_user_id=seeker.pk, job=job.pk).source == "career_site"


def test_an_external_apply_posting_records_the_click_and_answers_its_url(
    apply_to, seeker, make_posting, tenant_a
):
    posting = make_posting(tenant_a, apply_url="https://careers.acme.example/apply/42")

    response = apply_to(seeker, posting)

    assert response.status_code == 200
    assert response.json()["apply_url"] == "https://careers.acme.example/apply/42"
    tracked = TrackedApplication.objects.get(seeker=seeker)
    assert tracked.source == "external" and tracked.tenant_id is None
    with tenant_context(tenant_a):
        assert not Application.objects.filter(job=posting.pk).exists()
    assert applications_used(seeker) == 0


def test_past_the_monthly_limit_applying_is_a_402(apply_to, seeker, make_posting, tenant_a):
    from billing.services import billing_account_override_limits

    account = billing_account_for_user(seeker, Audience.SEEKER)
    billing_account_override_limits(actor="tests", account=account, limits={"applications_per_month": 1})
    assert apply_to(seeker, make_posting(tenant_a, screening_questions=[]), answers={}).status_code == 201

    response = apply_to(seeker, make_posting(tenant_a, screening_questions=[]), answers={})

    assert response.status_code == 402
    assert applications_used(seeker) == 1
