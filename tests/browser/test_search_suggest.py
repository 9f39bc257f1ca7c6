"""The search box suggests as the seeker types (GET /api/v1/jobs/suggest/ of the host): on the marketplace every
employer's terms, on a careers portal only that employer's; a suggestion picked by keyboard or mouse runs the
search."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_employer_onboarding import tenant_origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def options(page):
    return page.locator("#search-q-suggestions [role=option]")


def test_the_marketplace_suggests_as_one_types_and_a_picked_suggestion_searches(
    page, server_url, tenant_a, tenant_b, make_posting
):
    word = f"Quasar{uuid.uuid4().hex[:5]}"
    make_posting(tenant_a, title=f"{word} Welder")
    make_posting(tenant_b, title=f"{word} Painter")
    page.goto(f"{server_url}/jobs/")
    box = page.get_by_role("combobox", name="What")
    box.press_sequentially(word[:9].lower(), delay=40)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options(page).filter(has_text=f"{word.lower()} welder")).to_have_count(1)
    expect(options(page).filter(has_text=f"{word.lower()} painter")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text="suggestion")).to_have_count(1)

    # Keyboard: down to the welder, Enter picks it and searches.
    for _ in range(options(page).count()):
        box.press("ArrowDown")
        selected = page.locator("#search-q-suggestions [aria-selected=true]")
        if f"{word.lower()} welder" in selected.inner_text():
            break
    assert box.get_attribute("aria-activedescendant") == selected.get_attribute("id")
    box.press("Enter")
    expect(box).to_have_value(f"{word.lower()} welder")
    expect(box).to_have_attribute("aria-expanded", "false")
    results = page.locator("#results")
    expect(results.get_by_role("heading", name=re.compile("1 job"))).to_be_visible()
    expect(results.get_by_role("link", name=f"{word} Welder")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"q={word.lower()}\+welder"))

    # Escape closes the list and keeps what was typed.
    box.fill("")
    box.press_sequentially(word[:9].lower(), delay=40)
    expect(page.locator("#search-q-suggestions")).to_be_visible()  # the new answer, not the old list
    expect(options(page)).to_have_count(2)
    box.press("Escape")
    expect(page.locator("#search-q-suggestions")).to_be_hidden()
    expect(box).to_have_value(word[:9].lower())


def test_a_careers_portal_suggests_only_its_employers_terms(
    page, server_url, tenant_a, tenant_b, make_posting
):
    word = f"Nebula{uuid.uuid4().hex[:5]}"
    make_posting(tenant_a, title=f"{word} Welder")
    make_posting(tenant_b, title=f"{word} Painter")
    page.goto(f"{tenant_origin(server_url, tenant_a.slug)}/")
    box = page.get_by_role("combobox", name="What")
    box.press_sequentially(word[:9].lower(), delay=40)
    expect(options(page)).to_have_count(1)
    welder = options(page).filter(has_text=f"{word.lower()} welder")
    expect(welder).to_contain_text("Job title")
    welder.click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name=f"{word} Welder")).to_be_visible()
    expect(results.get_by_text(f"{word} Painter")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"q={word.lower()}\+welder"))
