# ruff: noqa: F811 - pytest fixtures imported from the applications and jobs test packages
"""Applying from a job page, on the marketplace and on the careers site: the same service as the API, its
errors (409, 402, 422) answered on the form, anonymous visitors sent to sign in and back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from billing.plans import Audience
from billing.selectors import billing_account_for_user
from billing.services import billing_account_override_limits
from jobpilot.applications.models import Application
from jobpilot.tracker.models import TrackedApplication
from tests.applications.conftest import job  # noqa: F401
from tests.jobs.conftest import member, signed_in, staff_client  # noqa: F401
from tests.seeker_factories import pdf_bytes, upload_resume

pytestmark = pytest.mark.django_db


def apply_path(posting) -> str:
    return f"/apply/{posting.public_id}/"


def test_the_job_page_offers_sign_in_that_comes_back_to_apply(public_client, job):
    page = public_client.get(f"/jobs/{job.public_id}/").content.decode()

    assert "Sign in to apply" in page
    assert f"next=/apply/{job.public_id}/" in page.replace("%2F", "/")


def test_an_anonymous_visitor_is_sent_to_sign_in(client_for, tenant_a, job):
    response = client_for(tenant_a).get(apply_path(job))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_seeker_sees_resumes_and_questions(signed_in, make_user, job, media_root):
    seeker = make_user()
    upload_resume(seeker, title="My CV", make_default=True)

    page = signed_in(seeker).get(apply_path(job)).content.decode()

    assert "My CV" in page and "Years of Python?" in page and "Send application" in page


def test_applying_on_the_marketplace_creates_the_application_and_links_the_tracker(
    signed_in,
    make_user,
    job,
    tenant_a,
    media_root,
):
    seeker = make_user()
    resume = upload_resume(seeker)

    response = signed_in(seeker).post(
        apply_path(job),
        {"resume_id": str(resume.pk), "cover_letter": "Hello", "answer-years": "7", "answer-visa": "no"},
    )

    assert response.status_code == 201
    assert "/tracker/" in response.content.decode()
    with tenant_context(tenant_a):
        application = Application.objects.get(job__public_id=job.public_id, seeker_user_id=seeker.pk)
        assert application.source == Application.Source.MARKETPLACE
        assert application.answers == [
            {"question_id": "years", "question": "Years of Python?", "answer": 7},
            {"question_id": "visa", "question": "Do you need a visa?", "answer": False},
        ]
    assert TrackedApplication.objects.filter(seeker=seeker, job_public_id=job.public_id).exists()


def test_applying_on_the_careers_site_with_an_uploaded_resume(
    signed_in, make_user, job, tenant_a, media_root
):
    seeker = make_user()

    response = signed_in(seeker, tenant_a).post(
        apply_path(job),
        {
            "answer-years": "3",
            "resume_file": SimpleUploadedFile("cv.pdf", pdf_bytes("cv"), "application/pdf"),
        },
    )

    assert response.status_code == 201
    with tenant_context(tenant_a):
        application = Application.objects.get(seeker_user_id=seeker.pk)
        assert application.source == Application.Source.CAREER_SITE
        assert application.resume_filename == "cv.pdf"


def test_a_missing_required_answer_is_a_422_naming_the_question(signed_in, make_user, job):
    response = signed_in(make_user()).post(apply_path(job), {"answer-years": ""})

    assert response.status_code == 422
    assert "Please answer the required question: Years of Python?" in response.content.decode()


def test_a_wrong_kind_of_answer_is_a_422_not_a_500(signed_in, make_user, job):
    response = signed_in(make_user()).post(
        apply_path(job), {"answer-years": "lots", "resume_id": "not-a-uuid"}
    )

    assert response.status_code == 422


def test_applying_twice_is_a_409_with_a_link_to_the_tracker(signed_in, make_user, job):
    client = signed_in(make_user())
    assert client.post(apply_path(job), {"answer-years": "2"}).status_code == 201

    response = client.post(apply_path(job), {"answer-years": "2"})

    assert response.status_code == 409
    assert "already applied" in response.content.decode()
    assert "See it in your tracker" in response.content.decode()


def test_past_the_monthly_limit_the_form_offers_an_upgrade(signed_in, make_user, job, tenant_a):
    seeker = make_user()
    account = billing_account_for_user(seeker, Audience.SEEKER)
    billing_account_override_limits(actor="tests", account=account, limits={"applications_per_month": 0})

    client = signed_in(seeker)
    # Before anything is typed: the form is replaced by the gate, with the seeker's billing page.
    form = client.get(apply_path(job)).content.decode()
    assert 'data-plan-gate="applications_per_month"' in form and 'role="status"' in form
    assert 'href="/account/billing/">' in form
    assert "Send application" not in form
    # On the employer's careers site the link leads to the public site's billing page, on this scheme and port.
    careers = signed_in(seeker, tenant_a).get(apply_path(job)).content.decode()
    assert 'href="http://localhost/account/billing/">' in careers

    response = client.post(apply_path(job), {"answer-years": "2"})

    assert response.status_code == 402
    page = response.content.decode()
    assert "Your plan allows 0 applications per month" in page and 'role="alert"' in page
    assert 'href="/account/billing/">' in page


def test_another_employers_job_is_not_found_on_a_careers_site(signed_in, make_user, job, tenant_b):
    assert signed_in(make_user(), tenant_b).get(apply_path(job)).status_code == 404
    assert signed_in(make_user(), tenant_b).post(apply_path(job), {"answer-years": "1"}).status_code == 404


def test_an_unknown_job_is_not_found(signed_in, make_user):
    assert signed_in(make_user()).get("/apply/not-a-job/").status_code == 404


def test_a_form_answered_with_an_error_keeps_the_answers(signed_in, make_user, job):
    response = signed_in(make_user()).post(
        apply_path(job), {"answer-years": "lots", "cover_letter": "Dear team"}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert 'value="lots"' in page and "Dear team" in page


def test_an_invalid_form_stores_no_uploaded_resume(signed_in, make_user, job, media_root):
    seeker = make_user()

    response = signed_in(seeker).post(
        apply_path(job),
        {
            "answer-years": "2",
            "cover_letter": "x" * 10_001,
            "resume_file": SimpleUploadedFile("cv.pdf", pdf_bytes("cv"), "application/pdf"),
        },
    )

    assert response.status_code == 422
    assert not seeker.resumes.exists()
