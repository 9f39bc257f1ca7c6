"""Plan gates met before the work: a Starter employer opens Branding and sees, above the form, that Growth
includes fonts and design tokens, with the fields disabled and a link to the console's billing page; a seeker
whose search finds nothing saves it ("Get alerted when jobs match") and then switches its alerts off on the
saved-searches page, without a page load."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from jobpilot.marketplace.models import SavedSearch
from tests.browser.test_console_jobs import sign_in_to_console
from tests.browser.test_seeker_jobs import sign_in
from tests.conftest import owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_starter_employer_sees_the_branding_gate_with_its_upgrade_link(page, server_url, tenant_a):
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/branding/")

    gate = page.locator("#plan-gate-custom_branding")
    expect(gate).to_be_visible()
    expect(gate).to_contain_text("The Growth plan includes your own font and design tokens.")
    expect(page.get_by_label("Font")).to_be_disabled()
    expect(page.get_by_label("Design tokens (optional)")).to_be_disabled()
    expect(page.get_by_label("Show “Powered by JobPilot” in the footer")).to_be_disabled()
    # What the plan includes still saves.
    page.get_by_label("Hero title").fill("Starter hero")
    page.get_by_role("button", name="Save branding").click()
    expect(page.get_by_text("Branding saved")).to_be_visible()

    page.locator("#plan-gate-custom_branding").get_by_role("link", name="Upgrade to Growth").click()
    expect(page).to_have_url(f"{origin}/console/billing/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_seeker_saves_a_search_with_no_results_and_switches_its_alerts_off(
    page, server_url, public_tenant, make_user
):
    seeker = make_user()
    word = f"Quokkawrangler{uuid.uuid4().hex[:5]}"
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/jobs/?q={word}")
    expect(page.get_by_role("heading", name="No jobs match this search")).to_be_visible()

    page.get_by_text("Get alerted when jobs match").click()
    page.get_by_label("Name").fill("Quokka jobs")
    page.get_by_role("button", name="Save search").click()
    expect(page).to_have_url(f"{server_url}/saved-searches/")
    expect(page.get_by_text("Saved “Quokka jobs”")).to_be_visible()

    page.evaluate("window.__same_page = true")
    row = page.locator(".saved-search", has=page.get_by_role("link", name="Quokka jobs"))
    row.get_by_label("Alerts").select_option("off")
    expect(row.get_by_role("status")).to_have_text("Saved: alerts off")
    assert page.evaluate("window.__same_page") is True
    saved = SavedSearch.objects.get(user=seeker)
    assert (saved.q, saved.frequency) == (word, "off")

    page.reload()
    expect(row.get_by_label("Alerts")).to_have_value("off")
    expect(page.locator(".saved-search")).to_have_count(1)
    assert re.search(word, page.get_by_role("link", name="Quokka jobs").get_attribute("href"))
