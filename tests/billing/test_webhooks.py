"""POST /billing/stripe/webhook/: signed deliveries from localstripe (and signed events it cannot make),
replayed, reordered, tampered with; past due, grace period and the downgrade after it."""

import itertools
import json
import random
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import BillingAccount, StripeEvent, SubscriptionStatus
from billing.services import billing_grace_expire
from tests.billing.conftest import post_webhook, sign, signed_event, use_card
from tests.billing.test_stripe_flows import start_checkout, subscribe

pytestmark = [pytest.mark.django_db, pytest.mark.stripe]

MIRROR_FIELDS = (
    "plan_code",
    "billing_interval",
    "subscription_id",
    "subscription_item_id",
    "subscription_status",
    "current_period_start",
    "current_period_end",
    "cancel_at_period_end",
    "cancel_at",
    "trial_end",
)


def mirror(account: BillingAccount) -> dict:
    account.refresh_from_db()
    return {field: getattr(account, field) for field in MIRROR_FIELDS} | {
        "plan": account.effective_plan().code
    }


def forget_stripe_state(account: BillingAccount) -> None:
    """As if no event had arrived yet: the account as it was before its subscription began."""
    BillingAccount.objects.filter(pk=account.pk).update(
        plan_code="seeker_free",
        billing_interval="",
        subscription_id="",
        subscription_item_id="",
        subscription_status=SubscriptionStatus.NONE,
        current_period_start=None,
        current_period_end=None,
        cancel_at_period_end=False,
        cancel_at=None,
        trial_end=None,
    )
    StripeEvent.objects.filter(account=account).delete()


def deliver(client, deliveries) -> list[bool]:
    applied = []
    for delivery in deliveries:
        response = post_webhook(client, delivery["body"], delivery["signature"])
        assert response.status_code == 200, response.content
        applied.append(response.json()["applied"])
    return applied


def test_localstripes_signed_events_put_the_account_on_the_plan(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    stripe_on.complete_checkout(start_checkout(seeker_client))
    deliveries = stripe_on.deliveries(paying_customer, types={"customer.subscription.created"})

    assert seeker_account.effective_plan().code == "seeker_free"
    deliver(seeker_client, deliveries)

    state = mirror(seeker_account)
    assert state["plan"] == "seeker_pro"
    assert state["subscription_status"] == SubscriptionStatus.TRIALING


def test_a_replayed_event_is_applied_once(
    stripe_on, seeker_client, seeker_account, paying_customer, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe(seeker_client, stripe_on)
    deliveries = stripe_on.deliveries(
        paying_customer, types={"customer.subscription.created", "invoice.payment_succeeded"}
    )
    forget_stripe_state(seeker_account)
    subscription_events = [d for d in deliveries if d["event"]["type"] == "customer.subscription.created"]
    payment_failed = signed_event(
        "invoice.payment_action_required",
        {"object": "invoice", "customer": paying_customer, "hosted_invoice_url": "https://pay.example/i"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(seeker_client, subscription_events)
        state = mirror(seeker_account)
        replays = deliver(seeker_client, subscription_events * 4)
        notified = [post_webhook(seeker_client, *payment_failed).json()["applied"] for _ in range(5)]

    assert first == [True]
    assert replays == [False] * 4
    assert notified == [True, False, False, False, False]
    assert mirror(seeker_account) == state
    assert state["plan"] == "seeker_pro"
    assert StripeEvent.objects.filter(account=seeker_account).count() == 2
    assert [m.subject for m in mailoutbox] == ["Your JobPilot payment needs your confirmation"]
    assert "https://pay.example/i" in mailoutbox[0].body
    assert mailoutbox[0].to == [seeker_account.user.email]


def test_shuffled_subscription_events_end_where_the_ordered_sequence_ends(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    # Subscribe to Pro, then upgrade to Premium. localstripe sends no event for the upgrade, so Stripe's
    # `customer.subscription.updated` is made here (signed like Stripe signs it) from the subscription as it
    # was when the upgrade happened.
    subscribe(seeker_client, stripe_on)
    seeker_client.post("/api/v1/billing/change/", {"plan": "seeker_premium"}, content_type="application/json")
    deliveries = stripe_on.deliveries(
        paying_customer, types={"customer.subscription.created", "invoice.payment_succeeded"}
    )
    subscription = stripe_on.call("GET", f"/v1/subscriptions/{mirror(seeker_account)['subscription_id']}")
    body, signature = signed_event("customer.subscription.updated", subscription)
    events = [d for d in deliveries if d["event"]["type"].startswith(("customer.subscription", "invoice."))]
    events.append({"body": body, "signature": signature, "event": json.loads(body)})
    assert {e["event"]["type"] for e in events} >= {
        "customer.subscription.created",
        "customer.subscription.updated",
    }

    forget_stripe_state(seeker_account)
    deliver(seeker_client, events)
    ordered = mirror(seeker_account)
    assert ordered["plan"] == "seeker_premium"
    assert ordered["subscription_status"] == SubscriptionStatus.ACTIVE

    orders = list(itertools.permutations(events))
    for order in random.Random(4).sample(orders, min(6, len(orders))) + [tuple(reversed(events))]:
        forget_stripe_state(seeker_account)
        deliver(seeker_client, order)
        assert mirror(seeker_account) == ordered


def test_a_late_created_event_does_not_bring_a_deleted_subscription_back(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    subscribe(seeker_client, stripe_on)
    stripe_on.call("DELETE", f"/v1/subscriptions/{mirror(seeker_account)['subscription_id']}")
    deliveries = stripe_on.deliveries(
        paying_customer, types={"customer.subscription.created", "customer.subscription.deleted"}
    )
    created = [d for d in deliveries if d["event"]["type"] == "customer.subscription.created"]
    deleted = [d for d in deliveries if d["event"]["type"] == "customer.subscription.deleted"]
    assert created[0]["event"]["data"]["object"]["status"] == "active"  # what the stale event claims

    deliver(seeker_client, deleted + created)

    state = mirror(seeker_account)
    assert state["subscription_status"] == SubscriptionStatus.CANCELED
    assert state["plan"] == "seeker_free"


def test_a_bad_signature_is_refused_and_changes_nothing(
    stripe_on, seeker_client, seeker_account, paying_customer
):
    subscribe(seeker_client, stripe_on)
    delivery = stripe_on.deliveries(paying_customer, types={"customer.subscription.created"})[-1]
    forget_stripe_state(seeker_account)
    before = mirror(seeker_account)
    tampered = delivery["body"].replace('"status": "active"', '"status": "canceled"')

    answers = [
        post_webhook(seeker_client, delivery["body"], sign(delivery["body"], secret="whsec_someone_else")),
        post_webhook(seeker_client, tampered, delivery["signature"]),
        post_webhook(seeker_client, delivery["body"], ""),
        post_webhook(seeker_client, delivery["body"], sign(delivery["body"], timestamp=1_600_000_000)),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    assert {a.json()["code"] for a in answers} == {"invalid_signature"}
    assert mirror(seeker_account) == before
    assert not StripeEvent.objects.filter(account=seeker_account).exists()


def test_checkout_completed_syncs_the_account(stripe_on, seeker_client, seeker_account, paying_customer):
    session_id = start_checkout(seeker_client)
    session = stripe_on.complete_checkout(session_id)

    response = post_webhook(seeker_client, *signed_event("checkout.session.completed", session))

    assert response.json() == {"received": True, "applied": True}
    assert mirror(seeker_account)["plan"] == "seeker_pro"


def test_an_event_for_a_customer_we_do_not_know_is_recorded_and_ignored(stripe_on, public_client):
    body, signature = signed_event(
        "customer.subscription.updated", {"object": "subscription", "id": "sub_x", "customer": "cus_nobody"}
    )
    assert post_webhook(public_client, body, signature).json() == {"received": True, "applied": False}
    assert StripeEvent.objects.filter(id=json.loads(body)["id"], account=None).exists()


def test_event_types_billing_does_not_handle_are_acknowledged(stripe_on, public_client):
    body, signature = signed_event("customer.created", {"object": "customer", "id": "cus_nobody"})
    assert post_webhook(public_client, body, signature).json() == {"received": True, "applied": False}


def test_trial_will_end_tells_the_payer(
    stripe_on, seeker_client, seeker_account, paying_customer, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe(seeker_client, stripe_on, trial=True)
    subscription = stripe_on.call("GET", f"/v1/subscriptions/{mirror(seeker_account)['subscription_id']}")

    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(seeker_client, *signed_event("customer.subscription.trial_will_end", subscription))

    assert [m.subject for m in mailoutbox] == ["Your JobPilot trial ends soon"]


def test_past_due_keeps_the_plan_for_the_grace_period_then_the_account_is_downgraded(
    stripe_on,
    seeker_client,
    seeker_account,
    paying_customer,
    django_capture_on_commit_callbacks,
    mailoutbox,
    settings,
):
    settings.BILLING_GRACE_DAYS = 7
    subscribe(seeker_client, stripe_on)
    use_card(stripe_on, paying_customer, "pm_card_chargeCustomerFail")

    # Moving to yearly is invoiced at once; the card is declined, so Stripe marks the subscription past due.
    with django_capture_on_commit_callbacks(execute=True):
        changed = seeker_client.post(
            "/api/v1/billing/change/",
            {"plan": "seeker_pro", "interval": "year"},
            content_type="application/json",
        ).json()

    assert changed["subscription"]["status"] == "past_due"
    assert changed["plan"]["code"] == "seeker_pro"  # still in force during the grace period
    assert [m.subject for m in mailoutbox] == ["Your JobPilot payment failed"]
    seeker_account.refresh_from_db()
    grace_ends = seeker_account.grace_ends_at
    assert grace_ends - seeker_account.past_due_since == timedelta(days=7)

    assert seeker_account.effective_plan(grace_ends - timedelta(minutes=1)).code == "seeker_pro"
    assert seeker_account.effective_plan(grace_ends + timedelta(minutes=1)).code == "seeker_free"
    with django_capture_on_commit_callbacks(execute=True):
        assert billing_grace_expire(now=grace_ends - timedelta(minutes=1)) == 0
        assert billing_grace_expire(now=grace_ends + timedelta(minutes=1)) == 1
        assert billing_grace_expire(now=grace_ends + timedelta(hours=2)) == 0
    assert [m.subject for m in mailoutbox][1:] == ["Your JobPilot account is now on the free plan"]

    # The payer fixes the card and pays the open invoice: the plan is back, the grace period forgotten.
    use_card(stripe_on, paying_customer, "pm_card_visa")
    [invoice] = [
        i
        for i in stripe_on.call("GET", f"/v1/invoices?customer={paying_customer}")["data"]
        if i["status"] == "open"
    ]
    stripe_on.call("POST", f"/v1/invoices/{invoice['id']}/pay", {})
    deliver(
        seeker_client,
        stripe_on.deliveries(paying_customer, types={"invoice.payment_succeeded"}, object_id=invoice["id"]),
    )
    seeker_account.refresh_from_db()
    assert seeker_account.subscription_status == SubscriptionStatus.ACTIVE
    assert seeker_account.past_due_since is None and seeker_account.grace_expiry_notified_at is None
    assert seeker_account.effective_plan(timezone.now() + timedelta(days=30)).code == "seeker_pro"


def test_a_subscription_that_ends_tells_the_payer(
    stripe_on, seeker_client, seeker_account, paying_customer, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe(seeker_client, stripe_on)
    stripe_on.call("DELETE", f"/v1/subscriptions/{mirror(seeker_account)['subscription_id']}")
    deleted = stripe_on.deliveries(paying_customer, types={"customer.subscription.deleted"})

    with django_capture_on_commit_callbacks(execute=True):
        deliver(
            seeker_client, [d for d in deleted if d["event"]["type"] == "customer.subscription.deleted"] * 2
        )

    assert mirror(seeker_account)["plan"] == "seeker_free"
    assert [m.subject for m in mailoutbox] == ["Your JobPilot subscription has ended"]


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_webhooks_to_the_running_app(stripe_on, live_server, public_tenant, make_user):
    """End to end: localstripe signs and POSTs its events to the app served over HTTP."""
    from billing.plans import Audience
    from billing.selectors import billing_account_for_user
    from billing.services import billing_account_ensure_customer

    account = billing_account_for_user(make_user(), Audience.SEEKER)
    customer = billing_account_ensure_customer(account=account)
    use_card(stripe_on, customer, "pm_card_visa")
    plan = stripe_on.call("GET", "/v1/prices?lookup_keys[0]=jobpilot_seeker_premium_month")["data"][0]
    stripe_on.register_webhook("live", f"{live_server.url}/billing/stripe/webhook/")
    try:
        stripe_on.call("POST", "/v1/subscriptions", {"customer": customer, "items[0][plan]": plan["id"]})
        stripe_on.deliveries(customer, types={"customer.subscription.created"})
        deadline = timezone.now() + timedelta(seconds=15)

        # Several events arrive concurrently: the plan may change before the subscription.created row commits.
        def delivered():
            account.refresh_from_db()
            return (
                account.effective_plan().code == "seeker_premium"
                and StripeEvent.objects.filter(account=account, type="customer.subscription.created").exists()
            )

        while not delivered() and timezone.now() < deadline:
            time.sleep(0.2)
    finally:
        stripe_on.register_webhook(
            "live", f"{live_server.url}/billing/stripe/webhook/", events=["none.never"]
        )

    assert account.effective_plan().code == "seeker_premium"
    assert StripeEvent.objects.filter(account=account, type="customer.subscription.created").exists()
