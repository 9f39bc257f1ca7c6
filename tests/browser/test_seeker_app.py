"""The seeker's app in Chromium: the tracker's quick status change on a 375 px phone, and a notification created
through the service appearing live in the bell (and on the notifications page) without a reload."""

import re

import pytest
from playwright.sync_api import expect

from jobpilot.notifications.services import notify
from jobpilot.tracker.models import TrackedApplication
from tests.browser.test_seeker_jobs import sign_in
from tests.seeker_factories import track_external

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seeker_changes_an_application_status_on_a_phone(new_page, server_url, public_tenant, make_user):
    seeker = make_user()
    application = track_external(seeker, company="Initech", title="Field Technician")
    page = new_page(width=375, height=740)
    sign_in(page, server_url, seeker.email)

    page.goto(f"{server_url}/tracker/")
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    select = page.get_by_label("Status of Field Technician at Initech")
    expect(select).to_be_visible()
    box = select.bounding_box()
    assert box["height"] >= 40 and box["x"] + box["width"] <= 375  # a thumb-sized target, on screen
    page.evaluate("window.__same_page = true")
    select.select_option("interviewing")
    expect(page.get_by_text("Field Technician is now Interviewing.")).to_be_visible()
    assert page.evaluate("window.__same_page") is True
    application.refresh_from_db()
    assert application.status == "interviewing"

    # The board on the phone: the card sits in its new column and can be moved on from there.
    page.goto(f"{server_url}/tracker/?view=board")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    column = page.locator(
        "section.board-column", has=page.get_by_role("heading", name=re.compile("^Interviewing"))
    )
    expect(column.get_by_role("heading", name="Field Technician")).to_be_visible()
    page.get_by_label("Status of Field Technician at Initech").select_option("offer")
    offer = page.locator("section.board-column", has=page.get_by_role("heading", name=re.compile("^Offer")))
    expect(offer.get_by_role("heading", name="Field Technician")).to_be_visible()
    assert TrackedApplication.objects.get(pk=application.pk).status == "offer"


@pytest.mark.parametrize("width", [1280, 375])
def test_a_notification_shows_up_live_in_the_bell(new_page, server_url, public_tenant, make_user, width):
    seeker = make_user()
    page = new_page(width=width, height=800)
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/notifications/")
    expect(page.get_by_text("You're all caught up")).to_be_visible()
    bell_count = page.locator("#bell-count")
    expect(bell_count).to_be_hidden()
    # The socket is open (live.js mirrors the client's status on <html data-live>), so the push arrives live.
    page.wait_for_selector("html[data-live=open]", state="attached")
    page.evaluate("window.__same_page = true")

    notify(
        recipient=seeker,
        type="application_status_changed",
        title="Initech moved you to Interview",
        body="Field Technician",
        data={"url": "/tracker/"},
    )

    expect(bell_count).to_have_text("1")
    expect(bell_count).to_be_visible()
    expect(
        page.locator("#notification-list").get_by_role("link", name="Initech moved you to Interview")
    ).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Initech moved you to Interview")).to_be_visible()
    assert page.evaluate("window.__same_page") is True
