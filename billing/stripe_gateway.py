"""Every call to Stripe, and nothing else. Services decide; this module only talks to Stripe and turns its
objects into plain values, so the rest of billing never handles a Stripe SDK object or error.

Settings: STRIPE_SECRET_KEY (none = local mode: every call raises BillingNotConfigured), STRIPE_WEBHOOK_SECRET,
STRIPE_API_BASE (another Stripe-compatible server, e.g. localstripe in tests).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import stripe
from django.conf import settings
from django.core.cache import cache

from billing.errors import BillingNotConfigured, PaymentProviderError, WebhookSignatureInvalid
from billing.plans import Interval, Plan, get_plan, plan_for_lookup_key

logger = logging.getLogger(__name__)

PRICE_ID_CACHE_SECONDS = 3600
PLAN_METADATA_KEY = "jobpilot_plan"


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


@lru_cache(maxsize=4)
def _client_for(api_key: str, api_base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key, base_addresses={"api": api_base} if api_base else None, max_network_retries=2
    )


def _client() -> stripe.StripeClient:
    if not is_configured():
        raise BillingNotConfigured()
    return _client_for(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@contextmanager
def _stripe_errors(action: str) -> Iterator[None]:
    try:
        yield
    except stripe.StripeError as error:
        logger.warning("Stripe refused to %s: %s", action, error)
        raise PaymentProviderError() from error


@dataclass(frozen=True)
class SubscriptionSnapshot:
    """What JobPilot needs to know about one Stripe subscription."""

    id: str
    customer_id: str
    status: str
    plan: Plan | None  # None: a price that is not in the catalogue
    interval: str
    item_id: str
    created: datetime
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    cancel_at: datetime | None
    trial_end: datetime | None


def _timestamp(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _plan_of_price(price: dict) -> Plan | None:
    plan = get_plan((price.get("metadata") or {}).get(PLAN_METADATA_KEY, ""))
    if plan is None and price.get("lookup_key"):
        found = plan_for_lookup_key(price["lookup_key"])
        plan = found[0] if found else None
    return plan


def snapshot_of(subscription: dict) -> SubscriptionSnapshot:
    items = (subscription.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    # Older API versions (and localstripe) have only `plan`; current ones have `price` (a plan is a price).
    price = item.get("price") or item.get("plan") or {}
    recurring = price.get("recurring") or {}
    # Since API version 2025-03-31 the billing period lives on the item; before, on the subscription.
    period_from = item if item.get("current_period_end") else subscription
    return SubscriptionSnapshot(
        id=subscription["id"],
        customer_id=subscription["customer"],
        status=subscription["status"],
        plan=_plan_of_price(price),
        interval=recurring.get("interval") or price.get("interval") or "",
        item_id=item.get("id", ""),
        created=_timestamp(subscription["created"]),
        current_period_start=_timestamp(period_from.get("current_period_start")),
        current_period_end=_timestamp(period_from.get("current_period_end")),
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        cancel_at=_timestamp(subscription.get("cancel_at")),
        trial_end=_timestamp(subscription.get("trial_end")),
    )


# --- Customers and subscriptions -----------------------------------------------------------------------------


def customer_create(*, account_id: int, email: str, name: str) -> str:
    """A Stripe customer for a billing account. The idempotency key makes a retry (or a concurrent first
    checkout) get the same customer instead of a second one."""
    with _stripe_errors("create a customer"):
        customer = _client().v1.customers.create(
            params={"email": email, "name": name, "metadata": {"billing_account_id": str(account_id)}},
            options={"idempotency_key": f"jobpilot-customer-{account_id}"},
        )
    return customer.id


def subscriptions_for_customer(customer_id: str) -> list[SubscriptionSnapshot]:
    """All of a customer's subscriptions, canceled ones included, as Stripe has them now."""
    with _stripe_errors("list subscriptions"):
        page = _client().v1.subscriptions.list(
            params={"customer": customer_id, "status": "all", "limit": 100}
        )
        return [snapshot_of(subscription.to_dict()) for subscription in page.auto_paging_iter()]


def subscription_change_price(
    *, subscription_id: str, item_id: str, price_id: str, proration_behavior: str
) -> SubscriptionSnapshot:
    """Move a subscription to another price, prorated; a pending cancellation is withdrawn."""
    with _stripe_errors("change a subscription"):
        subscription = _client().v1.subscriptions.update(
            subscription_id,
            params={
                "items": [{"id": item_id, "price": price_id}],
                "proration_behavior": proration_behavior,
                "cancel_at_period_end": False,
            },
        )
    return snapshot_of(subscription.to_dict())


def subscription_set_cancel_at_period_end(*, subscription_id: str, cancel: bool) -> SubscriptionSnapshot:
    with _stripe_errors("cancel a subscription" if cancel else "resume a subscription"):
        subscription = _client().v1.subscriptions.update(
            subscription_id, params={"cancel_at_period_end": cancel}
        )
    return snapshot_of(subscription.to_dict())


def subscription_cancel_now(*, subscription_id: str) -> None:
    """End the subscription at once: no further invoices."""
    with _stripe_errors("end a subscription"):
        _client().v1.subscriptions.cancel(subscription_id)


def customer_exists(customer_id: str) -> bool:
    """False for a customer that was deleted (Stripe answers a stub marked `deleted`) or never existed."""
    try:
        return not _client().v1.customers.retrieve(customer_id).to_dict().get("deleted", False)
    except stripe.InvalidRequestError as error:
        if error.code == "resource_missing" or error.http_status == 404:
            return False
        logger.warning("Stripe refused to show customer %s: %s", customer_id, error)
        raise PaymentProviderError() from error
    except stripe.StripeError as error:
        logger.warning("Stripe refused to show customer %s: %s", customer_id, error)
        raise PaymentProviderError() from error


def customer_delete(*, customer_id: str) -> None:
    """Delete the customer's personal data at Stripe (its invoices stay, as the law requires)."""
    with _stripe_errors("delete a customer"):
        _client().v1.customers.delete(customer_id)


# --- Checkout and the Customer Portal ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None
    customer_id: str | None
    client_reference_id: str | None
    subscription_id: str | None
    status: str | None


def _checkout_session(session) -> CheckoutSession:
    data = session.to_dict()
    subscription = data.get("subscription")
    return CheckoutSession(
        id=data["id"],
        url=data.get("url"),
        customer_id=data.get("customer"),
        client_reference_id=data.get("client_reference_id"),
        subscription_id=subscription["id"] if isinstance(subscription, dict) else subscription,
        status=data.get("status"),
    )


def checkout_session_create(
    *,
    customer_id: str,
    price_id: str,
    success_url: str,
    cancel_url: str,
    client_reference_id: str,
    trial_days: int,
    metadata: dict[str, str],
) -> CheckoutSession:
    """A hosted Checkout page that starts a subscription; the webhook tells us when it is paid."""
    subscription_data: dict = {"metadata": metadata}
    if trial_days:
        subscription_data["trial_period_days"] = trial_days
    with _stripe_errors("start a checkout"):
        session = _client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer_id,
                "line_items": [{"price": price_id, "quantity": 1}],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "client_reference_id": client_reference_id,
                "metadata": metadata,
                "subscription_data": subscription_data,
                "allow_promotion_codes": True,
            }
        )
    return _checkout_session(session)


def checkout_session_retrieve(session_id: str) -> CheckoutSession:
    with _stripe_errors("read a checkout"):
        return _checkout_session(_client().v1.checkout.sessions.retrieve(session_id))


def portal_session_create(*, customer_id: str, return_url: str) -> str:
    """A Customer Portal session (payment methods, invoices, plan changes, cancellation); returns its URL."""
    with _stripe_errors("open the customer portal"):
        session = _client().v1.billing_portal.sessions.create(
            params={"customer": customer_id, "return_url": return_url}
        )
    return session.url


# --- The catalogue in Stripe ---------------------------------------------------------------------------------


def price_id_for(plan: Plan, interval: Interval) -> str:
    """The id of the active Price with the plan's lookup key (cached; `billing_sync_plans` creates them)."""
    lookup_key = plan.lookup_key(interval)
    cache_key = _price_cache_key(lookup_key)
    price_id = cache.get(cache_key)
    if price_id is None:
        price = _price_by_lookup_key(lookup_key)
        if price is None:
            logger.error("No Stripe price with lookup_key %s: run manage.py billing_sync_plans", lookup_key)
            raise PaymentProviderError("This plan is not available for purchase yet.")
        price_id = price["id"]
        cache.set(cache_key, price_id, PRICE_ID_CACHE_SECONDS)
    return price_id


def _price_cache_key(lookup_key: str) -> str:
    return f"billing:price:{settings.STRIPE_API_BASE}:{lookup_key}"


def _price_by_lookup_key(lookup_key: str) -> dict | None:
    with _stripe_errors("find a price"):
        page = _client().v1.prices.list(params={"lookup_keys": [lookup_key], "active": True, "limit": 1})
    return page.data[0].to_dict() if page.data else None


def product_ensure(plan: Plan) -> tuple[str, bool]:
    """The plan's Product (id `jobpilot_<plan>`), created if missing. Returns (id, created)."""
    client = _client()
    try:
        return client.v1.products.retrieve(plan.product_id).id, False
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise PaymentProviderError() from error
    except stripe.StripeError as error:
        raise PaymentProviderError() from error
    with _stripe_errors("create a product"):
        product = client.v1.products.create(
            params={
                "id": plan.product_id,
                "name": f"JobPilot {plan.name} ({plan.audience})",
                "metadata": {PLAN_METADATA_KEY: plan.code},
            }
        )
    return product.id, True


def price_ensure(plan: Plan, interval: Interval, product_id: str) -> tuple[str, str]:
    """The plan's Price for `interval`, found by lookup key. Prices are immutable in Stripe: if the catalogue's
    amount changed, a new Price takes over the lookup key (new checkouts use it; existing subscriptions keep
    theirs) and the old one is archived. Returns (price id, "created" | "replaced" | "unchanged")."""
    lookup_key = plan.lookup_key(interval)
    amount = plan.prices[interval]
    existing = _price_by_lookup_key(lookup_key)
    if existing is not None and (
        existing.get("unit_amount") == amount
        and existing.get("currency") == plan.currency
        and (existing.get("recurring") or {}).get("interval") == interval
    ):
        return existing["id"], "unchanged"
    with _stripe_errors("create a price"):
        price = _client().v1.prices.create(
            params={
                "product": product_id,
                "currency": plan.currency,
                "unit_amount": amount,
                "recurring": {"interval": interval.value},
                "lookup_key": lookup_key,
                "transfer_lookup_key": existing is not None,
                "metadata": {PLAN_METADATA_KEY: plan.code, "interval": interval.value},
            }
        )
        if existing is not None:
            _client().v1.prices.update(existing["id"], params={"active": False})
    cache.delete(_price_cache_key(lookup_key))
    return price.id, "replaced" if existing is not None else "created"


# --- Metered usage ------------------------------------------------------------------------------------------


def report_meter_events(*, events: list[dict]) -> None:
    """Send usage to the Stripe meter `STRIPE_API_METER_EVENT`, one meter event per item of `events`
    (`identifier`, `customer_id`, `value`, `timestamp`). Stripe counts an identifier once, so sending the same
    item again (a retried task) never bills twice; the identifier is also the request's idempotency key."""
    client = _client()
    for event in events:
        with _stripe_errors("record meter usage"):
            client.v1.billing.meter_events.create(
                params={
                    "event_name": settings.STRIPE_API_METER_EVENT,
                    "identifier": event["identifier"],
                    "timestamp": int(event["timestamp"].timestamp()),
                    "payload": {"stripe_customer_id": event["customer_id"], "value": str(event["value"])},
                },
                options={"idempotency_key": event["identifier"]},
            )


# --- Webhooks ------------------------------------------------------------------------------------------------


def webhook_event(payload: bytes, signature_header: str | None) -> dict:
    """The event in a webhook request, after checking its signature against the raw body."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BillingNotConfigured()
    try:
        event = stripe.Webhook.construct_event(payload, signature_header, settings.STRIPE_WEBHOOK_SECRET)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise WebhookSignatureInvalid() from error
    return event.to_dict()
