"""A seeker finds a job on the marketplace (filtering with htmx facets) and on the employer's careers portal, saves
it without a page load, and finds it among their saved jobs."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_employer_onboarding import tenant_origin
from tests.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, origin: str, email: str) -> None:
    page.goto(f"{origin}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def test_a_seeker_finds_a_job_on_the_marketplace_and_the_portal_and_saves_it(
    page, server_url, tenant_a, tenant_b, make_posting, make_user
):
    word = f"Zephyr{uuid.uuid4().hex[:5]}"
    wanted = make_posting(tenant_a, title=f"{word} Engineer", remote="remote", job_type="full_time")
    make_posting(tenant_b, title=f"{word} Analyst", job_type="contract")
    seeker = make_user()
    sign_in(page, server_url, seeker.email)

    # Marketplace: search, then narrow by a company facet; htmx swaps the results without a page load.
    page.goto(f"{server_url}/jobs/")
    page.get_by_label("What").fill(word)
    page.get_by_role("button", name="Search").click()
    results = page.locator("#results")
    expect(results.get_by_role("heading", name=re.compile("2 jobs"))).to_be_visible()
    page.evaluate("window.__same_page = true")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        results.get_by_label("Acme Corp").check()
    expect(results.get_by_role("heading", name=re.compile("1 job"))).to_be_visible()
    expect(results.get_by_role("link", name=wanted.title)).to_be_visible()
    expect(results.get_by_text(f"{word} Analyst")).to_have_count(0)
    expect(page).to_have_url(re.compile("company=acme"))

    # Save it from the result card: the button turns into "Saved" in place.
    card = page.locator(".job-card", has=page.get_by_role("link", name=wanted.title))
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_role("button", name="Saved")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__same_page") is True

    # The marketplace copy names the careers page as canonical, which carries the structured data.
    results.get_by_role("link", name=wanted.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted.title)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical.startswith(tenant_origin(server_url, tenant_a.slug))
    expect(page.get_by_role("button", name="Saved")).to_be_visible()

    # The careers portal of the employer shows it; the other employer's job is not there.
    portal = tenant_origin(server_url, tenant_a.slug)
    page.goto(f"{portal}/")
    page.get_by_label("What").fill(word)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results").get_by_role("link", name=wanted.title)).to_be_visible()
    expect(page.locator("#results").get_by_text(f"{word} Analyst")).to_have_count(0)
    page.locator("#results").get_by_role("link", name=wanted.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted.title)
    assert '"TELECOMMUTE"' in page.locator('script[type="application/ld+json"]').text_content()

    # Saved jobs lists it.
    page.goto(f"{server_url}/saved/")
    expect(page.get_by_role("link", name=wanted.title)).to_be_visible()
    expect(page.get_by_text("1 job saved")).to_be_visible()
