"""The careers portal home on a tenant's host: the tenant's branding and hero, and an honest empty state."""

import pytest

from tenants.services import branding_update
from tests.conftest import owner_of
from tests.tenants.test_branding import READABLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding_plan")]


def test_the_careers_home_shows_the_default_hero_and_no_jobs_yet(client_for, tenant_a):
    response = client_for(tenant_a).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Careers at Acme Corp</h1>" in page
    assert "No open positions right now" in page
    assert "--brand-primary:#4338ca;" in page
    assert "Powered by" in page


def test_the_careers_home_uses_the_saved_branding(client_for, tenant_a):
    branding_update(
        actor=owner_of(tenant_a),
        tenant=tenant_a,
        **READABLE,
        hero_title="Build the future of logistics",
        hero_text="Join 40 engineers in Lisbon.",
        footer_links=[{"label": "Privacy", "url": "/privacy/"}],
    )
    page = client_for(tenant_a).get("/").content.decode()
    assert "Build the future of logistics" in page
    assert "Join 40 engineers in Lisbon." in page
    assert "--brand-primary:#1d4ed8;" in page
    assert "--brand-font:Charter" in page
    assert 'href="/privacy/"' in page


def test_hero_text_is_escaped(client_for, tenant_a):
    branding_update(
        actor=owner_of(tenant_a), tenant=tenant_a, **READABLE, hero_title="<script>alert(1)</script>"
    )
    page = client_for(tenant_a).get("/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_member_sees_a_link_to_the_console_and_a_visitor_does_not(client_for, tenant_a):
    assert 'href="/console/"' not in client_for(tenant_a).get("/").content.decode()
    client = client_for(tenant_a)
    client.force_login(owner_of(tenant_a))
    assert 'href="/console/"' in client.get("/").content.decode()


def test_the_sign_in_page_on_a_tenant_host_wears_the_tenants_branding(client_for, tenant_a):
    page = client_for(tenant_a).get("/accounts/login/").content.decode()
    assert "Sign in to Acme Corp" in page
    assert 'id="brand-style"' in page
