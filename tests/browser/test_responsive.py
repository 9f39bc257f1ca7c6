"""The pages work on a phone (375 px wide) and with the keyboard."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def assert_no_horizontal_scroll(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"the page is {width}px wide in a {viewport}px viewport"


def test_the_landing_page_fits_a_375px_phone_and_its_menu_opens(new_page, server_url, public_tenant):
    page = new_page(**PHONE)
    page.goto(f"{server_url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_horizontal_scroll(page)

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="For employers")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    nav.get_by_role("link", name="For employers").click()
    expect(page.get_by_role("heading", name="Create your careers site")).to_be_visible()
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_fit_a_375px_phone(new_page, server_url, public_tenant, path):
    page = new_page(**PHONE)
    page.goto(f"{server_url}{path}")
    assert_no_horizontal_scroll(page)


def test_the_careers_site_fits_a_375px_phone(new_page, server_url, tenant_a):
    page = new_page(**PHONE)
    page.goto(server_url.replace("//localhost", f"//{tenant_a.slug}.localhost") + "/")
    expect(page.get_by_text("No open positions right now")).to_be_visible()
    assert_no_horizontal_scroll(page)


def test_the_skip_link_is_the_first_stop_and_focus_is_visible(page, server_url, public_tenant):
    page.goto(f"{server_url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
