"""An employer signs up on the public site, lands signed in in their console on their own host, brands the
careers site and sees the brand applied; an unreadable colour pair is refused."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tenants.models import Membership, Tenant
from tests.conftest import TEST_PASSWORD, owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tenant_origin(server_url: str, slug: str) -> str:
    return server_url.replace("//localhost", f"//{slug}.localhost")


def test_an_employer_signs_up_brands_the_portal_and_sees_it_applied(page, server_url, public_tenant):
    suffix = uuid.uuid4().hex[:6]
    slug = f"brightwave-{suffix}"
    email = f"founder-{suffix}@brightwave.example"

    page.goto(f"{server_url}/")
    page.get_by_role("link", name="Create your careers site").first.click()
    expect(page.get_by_role("heading", name="Create your careers site")).to_be_visible()

    page.get_by_label("Company name").fill(f"Brightwave {suffix}")
    # The address is suggested from the company name, and htmx says whether it is free.
    expect(page.get_by_label("Careers site address")).to_have_value(slug)
    expect(page.locator("#address-status")).to_contain_text(f"{slug}.localhost is available")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Password (again)").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Create careers site").click()

    # Signed in on the tenant's own host (a different cookie jar), without typing the password again.
    expect(page).to_have_url(f"{tenant_origin(server_url, slug)}/console/")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    tenant = Tenant.objects.get(slug=slug)
    assert Membership.objects.get(tenant=tenant).user.email == email

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Branding").click()
    page.get_by_label("Primary colour").fill("#9a3412")
    expect(page.locator(".contrast-list")).not_to_contain_text("too low")
    page.get_by_label("Hero title").fill("Make waves with us")
    page.get_by_role("button", name="Save branding").click()
    expect(page.get_by_text("Branding saved")).to_be_visible()

    page.goto(f"{tenant_origin(server_url, slug)}/")
    hero = page.locator(".careers-hero")
    expect(hero.get_by_role("heading", level=1)).to_have_text("Make waves with us")
    expect(hero).to_have_css("background-color", "rgb(154, 52, 18)")
    expect(page.get_by_text("No open positions right now")).to_be_visible()

    # Back on the public site, the owner's account menu leads into the console again.
    page.goto(f"{server_url}/")
    page.get_by_role("button", name=re.compile("Open console")).click()
    expect(page).to_have_url(f"{tenant_origin(server_url, slug)}/console/")


def test_an_unreadable_colour_pair_is_refused(new_page, server_url, tenant_a):
    page = new_page()
    origin = tenant_origin(server_url, tenant_a.slug)
    page.goto(f"{origin}/console/branding/")
    # Anonymous: sent to this host's sign-in page, then back.
    page.get_by_label("Email").fill(owner_of(tenant_a).email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{origin}/console/branding/")

    with page.expect_request(lambda request: "/console/branding/preview/" in request.url) as preview:
        page.get_by_label("Primary colour").fill("#ffff00")
    # The live preview (htmx, with the CSRF header every htmx request inherits from <body>) warns before saving ...
    assert preview.value.headers["hx-request"] == "true"
    assert preview.value.headers["x-csrftoken"]
    expect(page.locator(".contrast-list")).to_contain_text("1.07:1 · too low")
    page.get_by_role("button", name="Save branding").click()
    # ... and the save is refused with the reason, next to the field.
    expect(page.get_by_text(re.compile(r"contrast 1\.07:1 is too low to read"))).to_be_visible()
    expect(page.get_by_label("Text on primary")).to_have_attribute("aria-invalid", "true")

    page.goto(f"{origin}/")
    expect(page.locator(".careers-hero")).to_have_css("background-color", "rgb(67, 56, 202)")


def test_a_member_of_one_employer_cannot_open_another_employers_console(page, server_url, tenant_a, tenant_b):
    origin = tenant_origin(server_url, tenant_b.slug)
    page.goto(f"{origin}/accounts/login/?next=/console/")
    page.get_by_label("Email").fill(owner_of(tenant_a).email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
