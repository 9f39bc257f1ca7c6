"""Checkout, the Customer Portal, plan changes and cancellation, against localstripe.

localstripe has no Checkout, Portal or Prices: for those the tests check the request the gateway sends (the
HTTP boundary); the subscription lifecycle itself runs through localstripe's subscriptions and invoices.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from billing import stripe_gateway
from billing.models import BillingAccount, SubscriptionStatus
from billing.plans import Interval, get_plan
from billing.selectors import billing_account_for_tenant
from billing.services import stripe_customers_close
from tests.conftest import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.stripe]


def price_id(plan_code: str, interval: Interval = Interval.MONTH) -> str:
    return stripe_gateway.price_id_for(get_plan(plan_code), interval)


def start_checkout(client, plan="seeker_pro", interval="month", **extra):
    response = client.post(
        "/api/v1/billing/checkout/",
        {"plan": plan, "interval": interval, **extra},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    return response.json()["url"].rsplit("/", 1)[1]


def subscribe(client, localstripe, plan="seeker_pro", interval="month", *, trial=False) -> str:
    """Checkout, pay, and come back to the site: the subscription exists in Stripe and the account mirrors it.
    Without `trial` the account is marked as having used its trial, so the subscription starts paid."""
    if not trial:
        BillingAccount.objects.filter(user=client.session["_auth_user_id"]).update(trial_used=True)
        BillingAccount.objects.filter(tenant__memberships__user=client.session["_auth_user_id"]).update(
            trial_used=True
        )
    session_id = start_checkout(client, plan, interval)
    localstripe.complete_checkout(session_id)
    response = client.get(f"/billing/return/?session_id={session_id}&next=/account/")
    assert response["Location"] == "/account/?checkout=success"
    return session_id


def test_checkout_asks_stripe_for_a_subscription_of_the_plans_price(stripe_on, seeker_client, seeker_account):
    url = seeker_client.post(
        "/api/v1/billing/checkout/",
        {"plan": "seeker_pro", "interval": "year", "return_path": "/account/billing"},
        content_type="application/json",
    ).json()["url"]

    seeker_account.refresh_from_db()
    assert url.startswith("https://checkout.stripe.test/c/pay/cs_test_")
    [customer] = stripe_on.requests("POST", "/v1/customers")
    assert customer["email"] == seeker_account.user.email
    assert customer["metadata"] == {"billing_account_id": str(seeker_account.pk)}
    [checkout] = stripe_on.requests("POST", "/v1/checkout/sessions")
    assert checkout["mode"] == "subscription"
    assert checkout["customer"] == seeker_account.stripe_customer_id
    assert checkout["line_items"] == [{"price": price_id("seeker_pro", Interval.YEAR), "quantity": "1"}]
    assert checkout["client_reference_id"] == str(seeker_account.pk)
    assert checkout["success_url"] == (
        "http://localhost/billing/return/?session_id={CHECKOUT_SESSION_ID}&next=%2Faccount%2Fbilling"
    )
    assert checkout["cancel_url"] == "http://localhost/account/billing?checkout=canceled"
    assert checkout["subscription_data"]["trial_period_days"] == "7"
    assert checkout["subscription_data"]["metadata"]["plan"] == "seeker_pro"


def test_the_stripe_customer_is_created_once_and_a_used_trial_is_not_offered_again(
    stripe_on, seeker_client, seeker_account
):
    start_checkout(seeker_client)
    BillingAccount.objects.filter(pk=seeker_account.pk).update(trial_used=True)
    start_checkout(seeker_client)

    assert len(stripe_on.requests("POST", "/v1/customers")) == 1
    first, second = stripe_on.requests("POST", "/v1/checkout/sessions")
    assert first["customer"] == second["customer"]
    assert "trial_period_days" not in second["subscription_data"]


def test_an_employer_checks_out_on_its_own_domain(stripe_on, owner_client, tenant_a):
    start_checkout(owner_client, plan="employer_growth")

    account = billing_account_for_tenant(tenant_a)
    [customer] = stripe_on.requests("POST", "/v1/customers")
    assert customer["name"] == tenant_a.name
    assert customer["email"] == "owner@acme.example"
    [checkout] = stripe_on.requests("POST", "/v1/checkout/sessions")
    assert checkout["client_reference_id"] == str(account.pk)
    assert checkout["success_url"].startswith("http://acme.localhost/billing/return/?session_id=")
    assert checkout["subscription_data"]["trial_period_days"] == "14"


def test_the_portal_session_returns_to_the_page_it_was_opened_from(stripe_on, seeker_client, seeker_account):
    response = seeker_client.post(
        "/api/v1/billing/portal/", {"return_path": "/settings"}, content_type="application/json"
    )

    seeker_account.refresh_from_db()
    assert response.json()["url"].startswith("https://billing.stripe.test/p/session/")
    [portal] = stripe_on.requests("POST", "/v1/billing_portal/sessions")
    assert portal == {
        "customer": seeker_account.stripe_customer_id,
        "return_url": "http://localhost/settings",
    }


def test_a_paid_checkout_puts_the_seeker_on_the_plan_on_the_success_redirect(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    subscribe(seeker_client, stripe_on)

    seeker_account.refresh_from_db()
    assert seeker_account.subscription_status == SubscriptionStatus.ACTIVE
    assert seeker_account.effective_plan().code == "seeker_pro"
    assert seeker_account.billing_interval == "month"
    assert seeker_account.current_period_end > seeker_account.current_period_start
    body = seeker_client.get("/api/v1/billing/").json()
    assert body["plan"]["code"] == "seeker_pro"
    assert body["subscription"]["renews_at"] is not None
    assert body["billing_configured"] is True


def test_a_trial_starts_the_plan_before_the_first_payment_and_is_used_up(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    subscribe(seeker_client, stripe_on, trial=True)

    seeker_account.refresh_from_db()
    assert seeker_account.subscription_status == SubscriptionStatus.TRIALING
    assert seeker_account.effective_plan().code == "seeker_pro"
    assert seeker_account.trial_end is not None
    assert seeker_account.trial_used is True


def test_the_success_redirect_of_another_site_syncs_nothing(
    stripe_on, seeker_client, paying_customer, client_for, tenant_a
):
    session_id = start_checkout(seeker_client)
    stripe_on.complete_checkout(session_id)

    response = client_for(tenant_a).get(f"/billing/return/?session_id={session_id}&next=//evil.example/")

    assert response["Location"] == "/?checkout=pending"
    assert BillingAccount.objects.get(stripe_customer_id=paying_customer).subscription_status == "none"


def test_a_running_subscription_is_changed_not_bought_twice(stripe_on, seeker_client, paying_customer):
    subscribe(seeker_client, stripe_on)
    response = seeker_client.post(
        "/api/v1/billing/checkout/", {"plan": "seeker_premium"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_subscribed"


def test_an_upgrade_is_invoiced_at_once_and_a_downgrade_credited_later(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    subscribe(seeker_client, stripe_on)
    seeker_account.refresh_from_db()
    subscription, item = seeker_account.subscription_id, seeker_account.subscription_item_id

    upgraded = seeker_client.post(
        "/api/v1/billing/change/", {"plan": "seeker_premium"}, content_type="application/json"
    )
    assert upgraded.status_code == 200, upgraded.json()
    assert upgraded.json()["plan"]["code"] == "seeker_premium"

    seeker_account.refresh_from_db()
    downgraded = seeker_client.post(
        "/api/v1/billing/change/", {"plan": "seeker_pro"}, content_type="application/json"
    )
    assert downgraded.json()["plan"]["code"] == "seeker_pro"

    up, down = stripe_on.requests("POST", f"/v1/subscriptions/{subscription}")
    assert up == {
        "items": [{"id": item, "price": price_id("seeker_premium")}],
        "proration_behavior": "always_invoice",
        "cancel_at_period_end": "false",
    }
    assert down["proration_behavior"] == "create_prorations"
    assert down["items"] == [{"id": seeker_account.subscription_item_id, "price": price_id("seeker_pro")}]


def test_changing_to_the_same_plan_or_without_a_subscription_is_a_conflict(
    stripe_on, seeker_client, paying_customer
):
    response = seeker_client.post(
        "/api/v1/billing/change/", {"plan": "seeker_pro"}, content_type="application/json"
    )
    assert response.json()["code"] == "no_subscription"
    subscribe(seeker_client, stripe_on)
    response = seeker_client.post(
        "/api/v1/billing/change/", {"plan": "seeker_pro"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "plan_unchanged"


def test_cancel_at_period_end_keeps_the_plan_until_then_and_can_be_withdrawn(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    subscribe(seeker_client, stripe_on)

    canceled = seeker_client.post("/api/v1/billing/cancel/").json()
    assert canceled["subscription"]["cancel_at_period_end"] is True
    assert canceled["subscription"]["renews_at"] is None
    assert canceled["plan"]["code"] == "seeker_pro"
    again = seeker_client.post("/api/v1/billing/cancel/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_canceled"

    resumed = seeker_client.post("/api/v1/billing/resume/").json()
    assert resumed["subscription"]["cancel_at_period_end"] is False
    seeker_account.refresh_from_db()
    sent = stripe_on.requests("POST", f"/v1/subscriptions/{seeker_account.subscription_id}")
    assert [form["cancel_at_period_end"] for form in sent] == ["true", "false"]


def test_a_recruiter_cannot_start_the_employers_checkout(stripe_on, client_for, make_user, tenant_a):
    from tests.billing.conftest import member_client

    client = member_client(client_for, make_user, tenant_a, "recruiter")
    response = client.post(
        "/api/v1/billing/checkout/", {"plan": "employer_growth"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert stripe_on.requests("POST", "/v1/checkout/sessions") == []


def test_syncing_the_catalogue_again_creates_nothing(stripe_on):
    out = io.StringIO()
    call_command("billing_sync_plans", stdout=out)
    assert "created" not in out.getvalue()
    assert out.getvalue().count("unchanged") == 12  # 6 paid plans x (month, year)
    assert stripe_on.requests("POST", "/v1/prices") == []
    assert stripe_on.requests("POST", "/v1/products") == []


def test_a_new_price_in_the_catalogue_takes_over_the_lookup_key(stripe_on):
    plan = get_plan("seeker_pro")
    old_price = price_id("seeker_pro")
    repriced = type(plan)(**{**vars(plan), "prices": {**plan.prices, Interval.MONTH: 1100}})
    try:
        new_price, outcome = stripe_gateway.price_ensure(repriced, Interval.MONTH, plan.product_id)
        assert outcome == "replaced"
        assert price_id("seeker_pro") == new_price != old_price
        [created] = stripe_on.requests("POST", "/v1/prices")
        assert created["unit_amount"] == "1100"
        assert created["transfer_lookup_key"] == "true"
        assert stripe_on.requests("POST", f"/v1/prices/{old_price}") == [{"active": "false"}]
    finally:
        stripe_gateway.price_ensure(plan, Interval.MONTH, plan.product_id)  # the catalogue's price again


def test_syncing_without_stripe_keys_says_so(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="local mode"):
        call_command("billing_sync_plans")


def test_deleting_the_account_ends_the_subscription_and_deletes_the_stripe_customer(
    stripe_on, seeker_client, seeker_account, paying_customer, django_capture_on_commit_callbacks
):
    subscribe(seeker_client, stripe_on)
    seeker_account.refresh_from_db()
    subscription_id = seeker_account.subscription_id

    with django_capture_on_commit_callbacks(execute=True):
        response = seeker_client.delete(
            "/api/v1/auth/profile/", {"password": TEST_PASSWORD}, content_type="application/json"
        )

    assert response.status_code == 204
    assert stripe_on.call("GET", f"/v1/subscriptions/{subscription_id}")["status"] == "canceled"
    assert len(stripe_on.requests("DELETE", f"/v1/customers/{paying_customer}")) == 1
    assert not stripe_gateway.customer_exists(paying_customer)


def test_closing_a_deleted_users_stripe_customer_again_does_nothing(stripe_on, paying_customer):
    stripe_customers_close(customer_ids=[paying_customer])
    stripe_on.forget()

    stripe_customers_close(customer_ids=[paying_customer])

    assert stripe_on.requests("DELETE", f"/v1/customers/{paying_customer}") == []


def test_deleting_an_account_that_never_paid_calls_stripe_not_at_all(
    stripe_on, seeker_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = seeker_client.delete(
            "/api/v1/auth/profile/", {"password": TEST_PASSWORD}, content_type="application/json"
        )

    assert response.status_code == 204
    assert stripe_on.call("GET", "/_test/requests") == []
