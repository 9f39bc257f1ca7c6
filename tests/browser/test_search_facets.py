"""The marketplace's pay and language facets in a browser: a pay link narrows the results and shows itself as the
active filter, which one click removes; a language checkbox narrows the results in place."""

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GERMAN = "<p>Wir suchen einen erfahrenen Entwickler für unser Team in Berlin. Sie entwickeln Anwendungen.</p>"
ENGLISH = "<p>We are looking for an experienced developer to join our team and build great applications.</p>"


def test_pay_and_language_facets_narrow_the_marketplace_search(
    page, server_url, tenant_a, tenant_b, make_posting
):
    word = f"Comet{uuid.uuid4().hex[:5]}"
    pay = {"salary_currency": "EUR", "salary_period": "year"}
    make_posting(
        tenant_a, title=f"{word} junior", description=ENGLISH, salary_min=40_000, salary_max=50_000, **pay
    )
    make_posting(
        tenant_b, title=f"{word} senior", description=GERMAN, salary_min=110_000, salary_max=120_000, **pay
    )
    # The page answers from the host's index, which may still be applying the second publish (the indexer holds
    # the writer then, and a search does not wait for it): a publish is searchable within a second of commit.
    page.goto(f"{server_url}/jobs/?q={word}")
    results = page.locator("#results")
    both = results.get_by_role("heading", name=re.compile("2 jobs"))
    deadline = time.monotonic() + 2
    while not both.is_visible() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        page.reload()
    expect(both).to_be_visible()

    facet = results.locator(".facet-links li", has=page.get_by_role("link", name="100,000 or more"))
    expect(facet.locator(".count")).to_have_text("1")
    facet.get_by_role("link", name="100,000 or more").click()
    expect(page).to_have_url(re.compile("salary_min=100000"))
    expect(results.get_by_role("heading", name=re.compile("1 job"))).to_be_visible()
    expect(results.get_by_role("link", name=f"{word} senior")).to_be_visible()
    expect(results.locator('[aria-current="true"]')).to_have_text("100,000 or more")

    results.get_by_role("link", name="Remove the filter 100,000 or more").click()
    expect(page).not_to_have_url(re.compile("salary_min"))
    expect(results.get_by_role("heading", name=re.compile("2 jobs"))).to_be_visible()

    results.get_by_label("German").check()
    expect(results.get_by_role("heading", name=re.compile("1 job"))).to_be_visible()
    expect(results.get_by_role("link", name=f"{word} senior")).to_be_visible()
    expect(page).to_have_url(re.compile("lang=de"))
