"""The seeker's billing page: current plan, usage against the plan's limits, and upgrade/manage buttons that say
plainly when online payment is not set up (local mode, no Stripe keys)."""

import pytest

from billing.entitlements import consume
from billing.plans import Audience
from billing.selectors import billing_account_for_user

pytestmark = pytest.mark.django_db


def test_the_billing_page_needs_a_signed_in_seeker(public_client, client_for, tenant_a, seeker):
    assert public_client.get("/account/billing/").status_code == 302
    assert public_client.post("/account/billing/checkout/", {"plan": "seeker_pro"}).status_code == 302
    tenant_client = client_for(tenant_a)
    tenant_client.force_login(seeker)
    assert tenant_client.get("/account/billing/").status_code == 404


def test_the_billing_page_shows_the_plan_and_usage_against_its_limits(public_client, seeker, settings):
    settings.STRIPE_SECRET_KEY = ""
    consume(billing_account_for_user(seeker, Audience.SEEKER), "saved_jobs", 20)
    public_client.force_login(seeker)
    page = public_client.get("/account/billing/").content.decode()
    assert 'id="plan-title" class="plan-name">Free' in page
    assert "<strong>20</strong> of 25" in page
    assert 'style="width: 80%"' in page and "meter is-high" in page
    assert "<strong>0</strong> of 10 this month" in page
    assert "Upgrade to Pro" in page and "Upgrade to Premium" in page
    assert "Online payment is not set up on this server." in page
    assert "disabled" in page


def test_another_seekers_usage_is_not_shown(public_client, make_user):
    alice, bob = make_user(), make_user()
    consume(billing_account_for_user(alice, Audience.SEEKER), "saved_jobs", 7)
    public_client.force_login(bob)
    assert "<strong>7</strong>" not in public_client.get("/account/billing/").content.decode()


def test_checkout_in_local_mode_explains_that_billing_is_not_configured(public_client, seeker, settings):
    settings.STRIPE_SECRET_KEY = ""
    public_client.force_login(seeker)
    response = public_client.post(
        "/account/billing/checkout/", {"plan": "seeker_pro", "interval": "month"}, follow=True
    )
    assert "Online billing is not configured on this server" in response.content.decode()
    response = public_client.post("/account/billing/portal/", follow=True)
    assert "Online billing is not configured on this server" in response.content.decode()


@pytest.mark.parametrize(
    ("plan", "interval"), [("employer_growth", "month"), ("nope", "month"), ("seeker_pro", "weekly")]
)
def test_bad_checkout_input_is_a_message_not_a_server_error(public_client, seeker, plan, interval):
    public_client.force_login(seeker)
    response = public_client.post(
        "/account/billing/checkout/", {"plan": plan, "interval": interval}, follow=True
    )
    assert response.status_code == 200
    assert 'class="alert alert-error"' in response.content.decode()
