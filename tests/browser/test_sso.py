"""A new colleague opens the console of an employer with single sign-on, is sent to the company's identity
provider (a real OIDC provider, django-oauth-toolkit, in a child process), signs in there, and comes back signed
in to the console as a member with the employer's default role."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from jobpilot.sso.services import sso_oidc_save
from tenants.models import Membership
from tests.browser.conftest import ARTIFACTS
from tests.conftest import owner_of
from tests.servers import free_port
from tests.sso.conftest import HERE, start_idp
from tests.sso.oidc_idp import IDP_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_colleague_signs_in_through_the_company_idp(page, server_url, tenant_a, on_plan):
    on_plan(tenant_a, "employer_enterprise")
    origin = f"http://{tenant_a.slug}.localhost:{urlsplit(server_url).port}"
    idp_port = free_port()
    client_id, secret = "jobpilot-acme-browser", "browser-secret-0123456789"
    callback = f"{origin}/accounts/oidc/sso-{tenant_a.slug}/login/callback/"
    idp = start_idp([str(HERE / "oidc_idp.py"), str(idp_port), f"{client_id}:{secret}:{callback}"], idp_port)
    try:
        sso_oidc_save(
            actor=owner_of(tenant_a),
            tenant=tenant_a,
            issuer=f"http://127.0.0.1:{idp_port}/o",
            client_id=client_id,
            client_secret=secret,
            email_domains="acme-corp.test",
            default_role="recruiter",
            require_sso=True,
        )
        page.goto(f"{origin}/console/jobs/")
        start = page.get_by_role("button", name="Sign in with single sign-on")
        expect(start).to_be_visible()
        start.click()

        page.locator("input[name=username]").fill("casey@acme-corp.test")
        page.locator("input[name=password]").fill(IDP_PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        expect(page).to_have_url(f"{origin}/console/jobs/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "sso-signed-in.png"), full_page=True)
        membership = Membership.objects.get(tenant=tenant_a, user__email="casey@acme-corp.test")
        assert membership.role == Membership.Role.RECRUITER
    finally:
        idp.terminate()
        idp.wait(timeout=10)
