"""The resume review page in Chromium: from the profile page, upload a resume, see what was read with its
confidence, uncheck a skill, edit the phone, apply; and a scanned resume's verdict."""

import pytest
from playwright.sync_api import expect

from jobpilot.seekers.models import Resume, SeekerProfile
from tests.browser.test_seeker_jobs import sign_in
from tests.seekers.files import pdf_bytes
from tests.seekers.test_resume_parsing import CHRONOLOGICAL, image_only_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seeker_reviews_a_resume_and_applies_it(page, server_url, public_tenant, make_user, tmp_path):
    seeker = make_user()
    cv = tmp_path / "dana.pdf"
    cv.write_bytes(pdf_bytes(*CHRONOLOGICAL))
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/account/profile/")
    page.get_by_role("link", name="Fill my profile from a resume").click()
    page.get_by_label("Resume file").set_input_files(str(cv))
    page.get_by_role("button", name="Upload and read").click()

    expect(page.locator("#quality-verdict")).to_contain_text("Read cleanly")
    phone = page.locator("#id_phone")
    expect(phone).to_have_value("+1 415 555 0134")
    expect(page.locator("[data-field=phone] .confidence")).to_have_text("85% sure")
    phone.fill("+1 415 555 7777")
    page.get_by_role("checkbox", name="PostgreSQL").uncheck()
    page.get_by_role("checkbox", name="Location").uncheck()
    page.get_by_role("button", name="Apply to my profile").click()

    expect(page.get_by_text("Your profile is updated from the resume.")).to_be_visible()
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.phone == "+1 415 555 7777" and profile.location == ""
    assert [s.name for s in profile.skills.all()] == ["Python", "Kubernetes"]


def test_a_scanned_resume_gets_the_verdict_not_invented_fields(
    page, server_url, public_tenant, make_user, tmp_path
):
    seeker = make_user()
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_only_pdf())
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/account/resumes/review/")
    page.get_by_label("Resume file").set_input_files(str(scan))
    page.get_by_role("button", name="Upload and read").click()
    expect(page.locator("#review-problem")).to_contain_text("no text layer")
    assert not Resume.objects.filter(owner=seeker).exists()
