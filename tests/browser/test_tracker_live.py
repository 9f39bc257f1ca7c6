"""The tracker never contradicts the live toast: when the employer moves a seeker's application, the open tracker
page and the open application page show the new status as the notification arrives, without a reload."""

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from jobpilot.applications import services as pipeline
from jobpilot.applications.models import PipelineStage
from tests.browser.test_seeker_jobs import sign_in
from tests.conftest import owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def move_to_screening(tenant, tracked) -> None:
    with tenant_context(tenant):
        pipeline.applications_move(
            actor=owner_of(tenant),
            application_ids=[tracked.tenant_application_id],
            stage_id=PipelineStage.objects.get(name="Screening").pk,
        )


def test_an_employer_move_changes_the_open_tracker_row_and_application_page_live(
    new_page, server_url, public_tenant, tenant_a, make_user, apply_for_real
):
    seeker = make_user()
    tracked = apply_for_real(seeker, tenant_a, title="Live Status Engineer")
    page = new_page()
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/tracker/")
    page.wait_for_selector("html[data-live=open]", state="attached")
    row = page.locator(f"#app-{tracked.pk}")
    expect(row.locator(".status-badge")).to_have_text("Applied")
    page.evaluate("window.__same_page = true")

    move_to_screening(tenant_a, tracked)

    expect(page.locator(".toast").first).to_contain_text("Live Status Engineer")
    expect(row.locator(".status-badge")).to_have_text("In review")
    assert page.evaluate("window.__same_page") is True  # swapped in place, not reloaded

    page.goto(f"{server_url}/tracker/{tracked.pk}/")
    page.wait_for_selector("html[data-live=open]", state="attached")
    expect(page.locator("#application-status")).to_have_text("In review")
    with tenant_context(tenant_a):
        pipeline.applications_move(
            actor=owner_of(tenant_a),
            application_ids=[tracked.tenant_application_id],
            stage_id=PipelineStage.objects.get(name="Interview").pk,
        )
    expect(page.locator("#application-status")).to_have_text("Interviewing")
