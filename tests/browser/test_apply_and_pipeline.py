"""End to end in Chromium: an employer's published job is found on the marketplace and on its careers portal; a
seeker signs in from the job page, applies (resume upload, screening answer) and sees it in the tracker; the
employer moves the candidate to Interview on the console kanban and the seeker's open tracker shows the
notification live, without a reload."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tenants.models import Membership
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_employer_onboarding import tenant_origin
from tests.browser.test_seeker_jobs import sign_in
from tests.conftest import TEST_PASSWORD, lift_posting_limit
from tests.seeker_factories import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = [{"id": "years", "question": "Years of Python?", "kind": "number", "required": True}]


def test_a_seeker_applies_and_sees_the_employer_move_them_to_interview_live(
    new_page, server_url, tenant_a, make_posting, make_user
):
    lift_posting_limit(tenant_a)
    word = f"Quasar{uuid.uuid4().hex[:5]}"
    job = make_posting(tenant_a, title=f"{word} Engineer", screening_questions=QUESTIONS)
    recruiter = make_user(first_name="Rita", last_name="Recruiter")
    Membership.objects.create(user=recruiter, tenant=tenant_a, role=Membership.Role.RECRUITER)
    seeker = make_user(first_name="Sam", last_name="Seeker")
    portal = tenant_origin(server_url, tenant_a.slug)

    # The seeker finds the job on the marketplace.
    seeker_page = new_page()
    sign_in(seeker_page, server_url, seeker.email)
    seeker_page.goto(f"{server_url}/jobs/?q={word}")
    seeker_page.locator("#results").get_by_role("link", name=job.title).click()
    expect(seeker_page.get_by_role("heading", level=1)).to_have_text(job.title)
    expect(seeker_page.get_by_role("link", name="Apply now")).to_be_visible()

    # ... and on the careers portal, where they are not signed in yet: sign in inline, come back to apply.
    seeker_page.goto(f"{portal}/?q={word}")
    seeker_page.locator("#results").get_by_role("link", name=job.title).click()
    seeker_page.get_by_role("link", name="Sign in to apply").click()
    seeker_page.get_by_label("Email").fill(seeker.email)
    seeker_page.get_by_label("Password").fill(TEST_PASSWORD)
    seeker_page.get_by_role("button", name="Log in").click()
    expect(seeker_page.get_by_role("heading", name=f"Apply to {job.title}")).to_be_visible()

    seeker_page.get_by_label("Upload a resume").set_input_files(
        {"name": "sam-cv.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Sam's CV")}
    )
    seeker_page.get_by_label("Cover letter").fill("I build fast, tested Django apps.")
    seeker_page.get_by_label("Years of Python?").fill("6")
    seeker_page.screenshot(path=str(ARTIFACTS / "apply-form.png"), full_page=True)
    seeker_page.get_by_role("button", name="Send application").click()
    expect(seeker_page.get_by_role("heading", name="Application sent")).to_be_visible()

    # The confirmation leads to the tracker on the public host, carried there signed in (one-time handoff, ADR 0009).
    seeker_page.get_by_role("button", name="Follow it in your tracker").click()
    expect(seeker_page.get_by_text(job.title).first).to_be_visible()
    seeker_page.wait_for_selector("html[data-live=open]", state="attached")
    bell_count = seeker_page.locator("#bell-count")
    expect(bell_count).to_be_hidden()

    # The recruiter moves the candidate to Interview on the kanban with the card's stage select.
    employer_page = new_page()
    employer_page.goto(f"{portal}/accounts/login/?next=/console/jobs/{job.public_id}/pipeline/")
    employer_page.get_by_label("Email").fill(recruiter.email)
    employer_page.get_by_label("Password").fill(TEST_PASSWORD)
    employer_page.get_by_role("button", name="Log in").click()
    expect(employer_page.get_by_role("heading", level=1)).to_have_text(job.title)
    applied_column = employer_page.locator(
        ".board-column", has=employer_page.get_by_role("heading", name=re.compile("^Applied"))
    )
    expect(applied_column.get_by_role("link", name="Sam Seeker")).to_be_visible()
    employer_page.screenshot(path=str(ARTIFACTS / "pipeline-kanban.png"), full_page=True)
    employer_page.get_by_label("Stage of Sam Seeker").select_option(label="Interview")
    interview_column = employer_page.locator(
        ".board-column", has=employer_page.get_by_role("heading", name=re.compile("^Interview"))
    )
    expect(interview_column.get_by_role("link", name="Sam Seeker")).to_be_visible()
    expect(employer_page.get_by_label("Stage of Sam Seeker")).to_be_focused()

    # The seeker's open tracker shows the notification without a reload.
    expect(bell_count).to_have_text("1")
    expect(bell_count).to_be_visible()

    # The candidate page: the snapshot, and a note that stays internal.
    interview_column.get_by_role("link", name="Sam Seeker").click()
    expect(employer_page.get_by_role("link", name=re.compile("Download resume"))).to_be_visible()
    employer_page.get_by_label("Add a note").fill("Great Django depth")
    employer_page.get_by_role("button", name="Add note").click()
    expect(employer_page.get_by_text("Great Django depth")).to_be_visible()
    employer_page.screenshot(path=str(ARTIFACTS / "pipeline-candidate.png"), full_page=True)
