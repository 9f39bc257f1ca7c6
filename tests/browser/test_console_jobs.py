"""An employer admin writes a job in the console, watches the live preview follow the form, publishes it, and
finds it on the careers site of their own host; staff see a new application arrive in the console's bell live."""

import json
import uuid

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from jobpilot.jobs.models import JobPosting
from jobpilot.notifications.services import notify_tenant_staff
from tests.browser.conftest import ARTIFACTS
from tests.conftest import TEST_PASSWORD, owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_creates_and_publishes_a_job_that_appears_on_the_careers_site(page, server_url, tenant_a):
    title = f"Warehouse robotics engineer {uuid.uuid4().hex[:6]}"
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")

    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/jobs/")

    page.get_by_role("link", name="New job").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Department").fill("Engineering")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Country code").fill("DE")
    page.get_by_label("Description").fill("<p>Teach our robots to pick <strong>gently</strong>.</p>")
    # The preview (htmx) follows the form as it is typed, rendered like the careers site will show it.
    preview = page.locator(".preview-pane")
    expect(preview.get_by_role("heading", level=2)).to_have_text(title)
    expect(preview.locator("strong")).to_have_text("gently")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. The job is on your careers site now.")).to_be_visible()

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Jobs").click()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "console-jobs-list.png"), full_page=True)

    page.goto(f"{origin}/")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_remote_job_made_in_the_console_is_complete_and_its_json_ld_valid(page, server_url, tenant_a):
    title = f"Remote firmware engineer {uuid.uuid4().hex[:6]}"
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/jobs/new/")

    page.get_by_label("Title").fill(title)
    page.get_by_label("Workplace").select_option("remote")
    page.get_by_label("Description").fill("<p>Keep the motors honest.</p>")
    page.get_by_label("Skills").fill("C, RTOS")
    page.get_by_label("Applicants may live in").fill("DE, AT")
    page.get_by_label("Application deadline").fill("2026-12-31")
    first = page.get_by_role("group", name="Question 1")
    first.get_by_label("Question").fill("Years with embedded C?")
    first.get_by_label("Answer").select_option("number")
    first.get_by_label("Required").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_role("group", name="Question 1").get_by_label("Question")).to_have_value(
        "Years with embedded C?"
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. The job is on your careers site now.")).to_be_visible()

    page.goto(f"{origin}/")
    page.get_by_role("link", name=title).first.click()
    data = json.loads(page.locator('script[type="application/ld+json"]').first.text_content())
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "DE"},
        {"@type": "Country", "name": "AT"},
    ]
    with tenant_context(tenant_a):
        posting = JobPosting.objects.get(title=title)
    assert posting.skills == ["C", "RTOS"]
    assert [(q["question"], q["kind"], q["required"]) for q in posting.screening_questions] == [
        ("Years with embedded C?", "number", True)
    ]


def sign_in_to_console(page, origin: str, email: str, path: str) -> None:
    page.goto(f"{origin}{path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{origin}{path}")


def test_staff_see_a_new_application_live_in_the_console_bell(page, server_url, tenant_a):
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/jobs/")
    bell_count = page.locator("#bell-count")
    expect(bell_count).to_be_hidden()
    page.wait_for_selector("html[data-live=open]", state="attached")
    page.evaluate("window.__same_page = true")

    notify_tenant_staff(
        tenant=tenant_a,
        type="application_received",
        title="New application: Ada Lovelace",
        body="Warehouse robotics engineer",
    )

    expect(bell_count).to_have_text("1")
    expect(page.get_by_role("status").filter(has_text="New application: Ada Lovelace")).to_be_visible()
    assert page.evaluate("window.__same_page") is True
