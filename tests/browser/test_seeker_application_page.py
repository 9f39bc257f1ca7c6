"""The seeker's tracker in Chromium, past the list: the dashboard shows an interview the employer scheduled in its
pipeline (on the seeker's clock), it leads to the application's page, where the seeker edits a note in place and withdraws
(confirming first; the employer's copy is withdrawn too); notification settings are saved from their page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from jobpilot.applications import services as pipeline
from jobpilot.applications.models import Application
from jobpilot.core.time_zones import format_moment
from jobpilot.notifications.models import NotificationPreference
from jobpilot.tracker.models import TrackedApplication
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_responsive import assert_no_horizontal_scroll
from tests.browser.test_seeker_jobs import sign_in
from tests.conftest import owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seeker_follows_an_employer_interview_to_the_application_edits_a_note_and_withdraws(
    new_page, server_url, public_tenant, tenant_a, make_user, apply_for_real
):
    seeker = make_user(first_name="Sam", last_name="Seeker", time_zone="America/New_York")
    tracked = apply_for_real(seeker, tenant_a, title="Orbital Engineer")
    with tenant_context(tenant_a):
        interview = pipeline.interview_schedule(
            actor=owner_of(tenant_a),
            application_id=tracked.tenant_application_id,
            fields={
                "starts_at": timezone.now() + timedelta(days=2),
                "title": "Systems design interview",
                "location": "Video call",
            },
        )
    when = format_moment(interview.starts_at, "America/New_York")

    page = new_page()
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/dashboard/")
    coming_up = page.locator("#upcoming")
    expect(coming_up).to_contain_text("Interview")
    expect(coming_up).to_contain_text(when)  # on the seeker's clock, e.g. "Wed 9 Dec 2026, 08:45 EST"
    expect(coming_up).to_contain_text("scheduled by the employer")
    expect(page.locator("#recent-activity")).to_contain_text("Interview scheduled for")
    page.screenshot(path=str(ARTIFACTS / "seeker-dashboard.png"), full_page=True)

    coming_up.get_by_role("link", name="Orbital Engineer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orbital Engineer")
    interviews = page.locator("section", has=page.get_by_role("heading", name="Interviews"))
    expect(interviews).to_contain_text("Systems design interview")
    expect(interviews).to_contain_text(when)
    expect(interviews).to_contain_text("scheduled by Acme Corp")
    page.screenshot(path=str(ARTIFACTS / "seeker-application.png"), full_page=True)

    page.evaluate("window.__same_page = true")
    page.get_by_label("Your notes").fill("Prepare the satellite telemetry story")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_role("status").filter(has_text="Notes saved.")).to_be_visible()
    assert page.evaluate("window.__same_page") is True  # saved in place (htmx), no reload
    expect(page.get_by_label("Your notes")).to_have_value("Prepare the satellite telemetry story")
    assert TrackedApplication.objects.get(pk=tracked.pk).notes == "Prepare the satellite telemetry story"

    page.get_by_role("link", name="Withdraw…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw your application")
    page.get_by_role("button", name="Withdraw application").click()  # not confirmed yet
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    assert TrackedApplication.objects.get(pk=tracked.pk).status == "applied"
    page.get_by_label("Yes, withdraw this application").check()
    page.get_by_role("button", name="Withdraw application").click()
    expect(page.get_by_text("You withdrew your application for Orbital Engineer.")).to_be_visible()
    expect(page.locator("#application-status")).to_have_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw…")).to_have_count(0)
    assert TrackedApplication.objects.get(pk=tracked.pk).status == "withdrawn"
    with tenant_context(tenant_a):
        assert Application.objects.get(pk=tracked.tenant_application_id).withdrawn_at is not None

    # The tracker's row leads back to the page.
    page.goto(f"{server_url}/tracker/")
    page.get_by_role("link", name="Orbital Engineer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orbital Engineer")


def test_a_seeker_saves_notification_settings(new_page, server_url, public_tenant, make_user):
    seeker = make_user()
    page = new_page(width=375, height=800)
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/notifications/")
    page.get_by_role("link", name="Choose how you hear about each kind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    assert_no_horizontal_scroll(page)
    page.get_by_label("Interview scheduled: email").select_option("daily")
    page.get_by_label("New jobs for a saved search: show in the app").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    expect(page.get_by_label("Interview scheduled: email")).to_have_value("daily")
    expect(page.get_by_label("New jobs for a saved search: show in the app")).not_to_be_checked()
    chosen = {p.type: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=seeker)}
    assert chosen == {"interview_scheduled": (True, "daily"), "saved_search_match": (False, "daily")}


def test_the_application_page_and_the_data_page_fit_a_phone(new_page, server_url, public_tenant, make_user):
    from tests.seeker_factories import track_external

    seeker = make_user()
    application = track_external(
        seeker,
        title="Field Technician",
        notes="Bring the certificates",
        contacts=[
            {
                "name": "Rita Recruiter",
                "email": "rita@initech.example",
                "phone": "+49 30 1234567",
                "role": "Recruiter",
            }
        ],
    )
    page = new_page(width=375, height=800)
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/tracker/{application.pk}/")
    expect(page.get_by_label("Your notes")).to_have_value("Bring the certificates")
    expect(page.get_by_text("Rita Recruiter")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.goto(f"{server_url}/account/privacy/")
    expect(page.get_by_role("link", name="Download my data (JSON)")).to_be_visible()
    assert_no_horizontal_scroll(page)
