"""An employer admin opens the Google for Jobs health panel and sees each listed job as Google reads it: a complete
job eligible, a remote job open anywhere flagged for its missing applicant locations, and the summary counts."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_console_jobs import sign_in_to_console
from tests.conftest import owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_health_panel_shows_what_google_reads(page, server_url, tenant_a, make_posting):
    complete = make_posting(
        tenant_a, title=f"Complete {uuid.uuid4().hex[:6]}", salary_min=50000, salary_max=60000
    )
    anywhere = make_posting(
        tenant_a,
        title=f"Anywhere {uuid.uuid4().hex[:6]}",
        remote="remote",
        country="",
        city="",
        applicant_countries=["DE"],
    )
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Google health").click()
    expect(page.get_by_role("heading", name="Google for Jobs health")).to_be_visible()

    rows = page.locator("table.health-table tbody tr")
    expect(rows.filter(has_text=complete.title)).to_contain_text("Eligible")
    # Remote and no salary: eligible (publishing required where applicants may live), salary recommended.
    expect(rows.filter(has_text=anywhere.title)).to_contain_text("Eligible")
    expect(page.locator("#health-salary")).to_contain_text("1 of 2")
    expect(page.locator("#health-remote")).to_contain_text("1 of 1")
    expect(page.locator("#health-expired")).to_contain_text("None")
    page.screenshot(path=str(ARTIFACTS / "console-google-jobs.png"), full_page=True)

    with page.expect_response(lambda response: response.url.endswith("/feeds/indeed.xml")) as feed:
        page.get_by_role("link", name="Indeed").click()
    assert complete.title in feed.value.text()
