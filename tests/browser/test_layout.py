"""Layouts that held up only on short pages or wide screens: the console's sidebar on a long page, the console's
top bar on a phone, the pipeline board's last columns at 1280 px, and the marketplace on a phone (jobs before
the filter list)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_console_jobs import sign_in_to_console
from tests.browser.test_employer_onboarding import tenant_origin
from tests.conftest import lift_posting_limit, owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 800}


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_console_sidebar_runs_the_whole_height_of_a_long_page(
    new_page, server_url, tenant_a, make_posting
):
    lift_posting_limit(tenant_a)
    for number in range(40):
        make_posting(tenant_a, title=f"Role number {number}")
    page = new_page(**LAPTOP)
    sign_in_to_console(
        page, tenant_origin(server_url, tenant_a.slug), owner_of(tenant_a).email, "/console/jobs/"
    )
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 2 * LAPTOP["height"], "the page should be long for this test to mean anything"
    sidebar = page.evaluate(
        "(() => { const r = document.querySelector('.console-sidebar').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom}; })()"
    )
    # Scrolled to the very end, the sidebar (its background and border) still fills the viewport's height.
    assert sidebar["top"] <= 0 and sidebar["bottom"] >= LAPTOP["height"] - 1


def test_on_a_phone_the_console_content_starts_right_under_its_top_bar(new_page, server_url, tenant_a):
    page = new_page(**PHONE)
    sign_in_to_console(
        page, tenant_origin(server_url, tenant_a.slug), owner_of(tenant_a).email, "/console/jobs/"
    )
    bar, main = box(page, ".console-sidebar"), box(page, ".console-main")
    assert abs(main["y"] - (bar["y"] + bar["height"])) <= 1
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport


def test_every_pipeline_column_can_be_reached_at_1280px(new_page, server_url, tenant_a, make_posting):
    job = make_posting(tenant_a, title="Board width engineer")
    page = new_page(**LAPTOP)
    path = f"/console/jobs/{job.public_id}/pipeline/"
    sign_in_to_console(page, tenant_origin(server_url, tenant_a.slug), owner_of(tenant_a).email, path)
    columns = page.locator(".board-column")
    expect(columns.first).to_be_visible()
    last = columns.last
    last.scroll_into_view_if_needed()
    column = last.bounding_box()
    assert column["x"] >= 0 and column["x"] + column["width"] <= LAPTOP["width"] + 1
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, "the board scrolls inside itself, not the page"


def test_on_a_phone_the_marketplace_shows_jobs_before_the_filter_list(
    new_page, server_url, tenant_a, make_posting
):
    # A realistic first page: many cities, so the location filter alone is a screenful.
    cities = [
        "Berlin",
        "Munich",
        "Hamburg",
        "Cologne",
        "Leipzig",
        "Dresden",
        "Bremen",
        "Essen",
        "Bonn",
        "Kiel",
    ]
    lift_posting_limit(tenant_a)
    for number, city in enumerate(cities):
        job_type = "part_time" if number % 2 else "full_time"
        make_posting(tenant_a, title=f"Phone-first role {number}", city=city, country="DE", job_type=job_type)
    page = new_page(**PHONE)
    page.goto(f"{server_url}/jobs/")
    first_job = page.locator(".job-card").first
    expect(first_job).to_be_visible()
    assert first_job.bounding_box()["y"] < PHONE["height"], "the first job is on the first screen"
    # The filters are one tap away.
    filters = page.locator(".filters")
    expect(filters).to_be_hidden()
    page.get_by_role("button", name="Filters").click()
    expect(filters).to_be_visible()
    # A filter chosen there searches again (htmx) and the filters stay open.
    filters.get_by_label("Part-time").check()
    expect(page.locator(".job-card")).to_have_count(5)
    expect(filters).to_be_visible()
    expect(page.get_by_role("button", name="Filters")).to_have_attribute("aria-expanded", "true")
