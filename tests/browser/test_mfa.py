"""Two-factor sign-in in a real browser: an employer requires it, a recruiter signing in on the employer's host is
sent to set it up, scans (reads) the QR code's secret, confirms a code, keeps the recovery codes and reaches the
console; the next sign-in asks for a code after the password."""

import re
import time

import pytest
from playwright.sync_api import expect

from jobpilot.mfa.services import mfa_policy_set
from tenants.models import Membership
from tests.browser.test_employer_onboarding import tenant_origin
from tests.conftest import TEST_PASSWORD, owner_of
from tests.mfa.conftest import code_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recruiter_enrols_when_the_employer_requires_it_and_signs_in_with_a_code(
    page,
    server_url,
    tenant_a,
    make_user,
    verified,
    with_totp,
):
    owner = owner_of(tenant_a)
    with_totp(owner)
    mfa_policy_set(actor=owner, tenant=tenant_a, required=True)
    recruiter = verified(make_user())
    Membership.objects.create(user=recruiter, tenant=tenant_a, role=Membership.Role.RECRUITER)
    origin = tenant_origin(server_url, tenant_a.slug)

    page.goto(f"{origin}/accounts/login/?next=/console/")
    page.get_by_label("Email").fill(recruiter.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The console does not open: the member is sent to the two-factor settings, told why.
    expect(page).to_have_url(f"{origin}/accounts/2fa/")
    expect(page.get_by_text("requires two-factor sign-in")).to_be_visible()

    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Password").fill(TEST_PASSWORD)  # adding a factor asks for the password again
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    expect(page.locator("img.mfa-qr")).to_be_visible()
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    page.get_by_label("Authenticator code").fill(code_at(secret, time.time()))
    page.get_by_role("button", name="Activate").click()

    expect(page).to_have_url(f"{origin}/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    page.get_by_role("link", name="Back to the console").click()
    expect(page).to_have_url(f"{origin}/console/")
    expect(page.get_by_role("navigation", name="Console")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{origin}/accounts/login/?next=/console/")
    page.get_by_label("Email").fill(recruiter.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(codes[0])  # a recovery code, as on a day without the phone
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{origin}/console/")


def test_a_seeker_adds_a_security_key_and_signs_in_with_it(
    page, server_url, public_tenant, make_user, verified
):
    """Chromium's virtual authenticator (DevTools' WebAuthn domain) stands in for the key: the browser, allauth's
    script and the server's fido2 checks are the real ones."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    seeker = verified(make_user())
    page.goto(f"{server_url}/accounts/login/")
    page.get_by_label("Email").fill(seeker.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))

    page.goto(f"{server_url}/accounts/2fa/")
    page.get_by_role("link", name="Add").click()
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    # allauth's script handles the button: a click before it has loaded does nothing (seen once under CI load).
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Add").click()
    # The ceremony (browser, virtual authenticator, fido2 on the server) can take seconds on a loaded machine.
    expect(page).to_have_url(f"{server_url}/accounts/2fa/recovery-codes/", timeout=20_000)
    assert seeker.authenticator_set.filter(type="webauthn").count() == 1

    page.context.clear_cookies()  # signed out; the key stays in the (virtual) authenticator
    page.goto(f"{server_url}/accounts/login/")
    page.get_by_label("Email").fill(seeker.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Use a security key").click()
    expect(page).not_to_have_url(re.compile("/accounts/"), timeout=20_000)
    page.goto(f"{server_url}/dashboard/")
    expect(page).to_have_url(f"{server_url}/dashboard/")
