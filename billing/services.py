"""Writes for billing: accounts, Stripe checkout/portal/plan changes, the subscription mirror, webhooks,
the grace period and payer notifications.

Stripe is the source of truth for subscriptions. Every path that learns something changed (a webhook, the
checkout's success redirect, a plan change made here) calls `subscription_sync`, which locks the account row,
re-reads the customer's subscriptions from Stripe and mirrors the current one. Because it always mirrors
Stripe's present state, events may arrive late, twice or out of order and the account still converges.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from billing import stripe_gateway
from billing.errors import BillingNotConfigured
from billing.models import BillingAccount, StripeEvent, SubscriptionStatus, UsageCounter
from billing.plans import Audience, Interval, Metric, Plan, free_plan, get_plan
from billing.selectors import (
    accounts_past_grace,
    billing_account_for_customer,
    upgrade_url_for,
)
from jobpilot.audit import services as audit
from jobpilot.audit.platform import platform_record
from jobpilot.core.errors import Conflict, Invalid, NotFound
from jobpilot.notifications.services import notify, notify_tenant_staff
from jobpilot.notifications.types import NotificationType
from tenants.models import Membership

logger = logging.getLogger(__name__)

# Statuses of a subscription that is still running (it can be changed or canceled, not bought again).
RUNNING_STATUSES = frozenset(
    {
        SubscriptionStatus.ACTIVE,
        SubscriptionStatus.TRIALING,
        SubscriptionStatus.PAST_DUE,
        SubscriptionStatus.UNPAID,
    }
)
# Statuses of a subscription that will never bill again.
ENDED_STATUSES = frozenset({SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED})
# Which of a customer's subscriptions is "the" subscription: the first by this rank, then the newest.
_STATUS_RANK = {
    SubscriptionStatus.ACTIVE: 0,
    SubscriptionStatus.TRIALING: 0,
    SubscriptionStatus.PAST_DUE: 1,
    SubscriptionStatus.UNPAID: 2,
    SubscriptionStatus.PAUSED: 2,
    SubscriptionStatus.INCOMPLETE: 3,
    SubscriptionStatus.CANCELED: 4,
    SubscriptionStatus.INCOMPLETE_EXPIRED: 4,
}
HANDLED_EVENT_TYPES = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.trial_will_end",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
        "invoice.payment_action_required",
    }
)
NOTIFICATION_KINDS = frozenset(
    {"payment_failed", "payment_action_required", "trial_will_end", "downgraded", "subscription_ended"}
)


# --- Accounts ------------------------------------------------------------------------------------------------


def billing_account_create(*, user=None, tenant=None, audience: Audience) -> BillingAccount:
    """Create a payer's account on its audience's free plan, or return the one a concurrent call created.

    An employer's account starts its seats gauge at the tenant's current number of members (the owner's
    membership is made at provisioning, before any account exists).
    """
    try:
        with transaction.atomic():
            account = BillingAccount.objects.create(
                user=user, tenant=tenant, audience=audience, plan_code=free_plan(audience).code
            )
            if tenant is not None:
                UsageCounter.objects.create(
                    account=account, metric=Metric.SEATS.value, period="all", used=tenant.memberships.count()
                )
            return account
    except IntegrityError:
        lookup = {"tenant": tenant} if tenant is not None else {"user": user, "audience": audience}
        return BillingAccount.objects.get(**lookup)


def _lock(account: BillingAccount) -> BillingAccount:
    return BillingAccount.objects.select_for_update().get(pk=account.pk)


def billing_account_assign_plan(*, actor, account: BillingAccount, plan_code: str | None) -> BillingAccount:
    """An administrator puts the account on a plan (wins over any subscription), or clears it with None."""
    if plan_code:
        plan = get_plan(plan_code)
        if plan is None or plan.audience != account.audience:
            raise Invalid(
                f"There is no {account.audience} plan {plan_code!r}.", code="unknown_plan", field="plan"
            )
    with transaction.atomic():
        locked = _lock(account)
        before = locked.manual_plan_code
        locked.manual_plan_code = plan_code or ""
        locked.save(update_fields=["manual_plan_code", "updated_at"])
        platform_record(
            actor=actor,
            action="billing.assign_plan",
            target=locked,
            before={"plan": before},
            after={"plan": plan_code},
        )
        if locked.tenant_id:
            audit.record(
                actor=actor,
                action="billing.plan_change",
                target=locked,
                before={"plan": before},
                after={"plan": plan_code or ""},
                tenant=locked.tenant,
            )
    logger.info("%s assigned plan %r to billing account %s", actor, plan_code, account.pk)
    return locked


def billing_account_override_limits(
    *, actor, account: BillingAccount, limits: dict[str, int | None], replace: bool = False
) -> BillingAccount:
    """An administrator sets limits for this account only (an int, or None for unlimited); they win over the
    plan's. `replace` drops the overrides not named."""
    for metric, value in limits.items():
        if metric not in {m.value for m in Metric} or (value is not None and value < 0):
            raise Invalid(f"Cannot set {metric} to {value}.", code="invalid_limit", field="limits")
    with transaction.atomic():
        locked = _lock(account)
        before = dict(locked.limit_overrides)
        locked.limit_overrides = {**({} if replace else locked.limit_overrides), **limits}
        locked.save(update_fields=["limit_overrides", "updated_at"])
        platform_record(
            actor=actor,
            action="billing.override_limits",
            target=locked,
            before={"limits": before},
            after={"limits": locked.limit_overrides},
        )
    logger.info("%s set limits %r on billing account %s", actor, limits, account.pk)
    return locked


def billing_account_ensure_customer(*, account: BillingAccount) -> str:
    """The account's Stripe customer id, creating the customer on first use (under the account's row lock,
    and with an idempotency key, so there is never a second customer for one payer)."""
    if account.stripe_customer_id:
        return account.stripe_customer_id
    with transaction.atomic():
        locked = _lock(account)
        if not locked.stripe_customer_id:
            email, name = _payer_contact(locked)
            locked.stripe_customer_id = stripe_gateway.customer_create(
                account_id=locked.pk, email=email, name=name
            )
            locked.save(update_fields=["stripe_customer_id", "updated_at"])
    account.stripe_customer_id = locked.stripe_customer_id
    return account.stripe_customer_id


def _payer_contact(account: BillingAccount) -> tuple[str, str]:
    if account.user_id is not None:
        return account.user.email, account.user.display_name
    owner = (
        account.tenant.memberships.filter(role="owner").select_related("user").order_by("created_at").first()
    )
    return (owner.user.email if owner else ""), account.tenant.name


# --- Checkout, portal, plan changes --------------------------------------------------------------------------


def _purchasable_plan(account: BillingAccount, plan_code: str, interval: Interval) -> Plan:
    plan = get_plan(plan_code)
    if plan is None or plan.audience != account.audience:
        raise Invalid(
            f"There is no {account.audience} plan {plan_code!r}.", code="unknown_plan", field="plan"
        )
    if plan.is_free:
        raise Invalid("The free plan is not bought: cancel the subscription instead.", code="plan_is_free")
    if interval not in plan.prices:
        raise Invalid(f"{plan.name} is not sold per {interval}.", code="unknown_interval", field="interval")
    return plan


def _require_stripe() -> None:
    if not stripe_gateway.is_configured():
        raise BillingNotConfigured()


def checkout_session_start(
    *, actor, account: BillingAccount, plan_code: str, interval: Interval, origin: str, return_path: str
) -> stripe_gateway.CheckoutSession:
    """A Stripe Checkout session for a first subscription. The account changes only when Stripe says the
    subscription exists (webhook, or the success redirect's sync). The plan's trial is offered once."""
    plan = _purchasable_plan(account, plan_code, interval)
    _require_stripe()
    if account.subscription_status in RUNNING_STATUSES:
        raise Conflict("There is already a subscription: change its plan instead.", code="already_subscribed")
    customer_id = billing_account_ensure_customer(account=account)
    success = (
        f"{origin}/billing/return/?session_id={{CHECKOUT_SESSION_ID}}&{urlencode({'next': return_path})}"
    )
    return stripe_gateway.checkout_session_create(
        customer_id=customer_id,
        price_id=stripe_gateway.price_id_for(plan, interval),
        success_url=success,
        cancel_url=f"{origin}{quote(return_path)}?checkout=canceled",
        client_reference_id=str(account.pk),
        trial_days=0 if account.trial_used else plan.trial_days,
        metadata={"billing_account_id": str(account.pk), "plan": plan.code, "requested_by": str(actor.pk)},
    )


def checkout_session_complete(*, session_id: str, tenant) -> BillingAccount:
    """The checkout's success redirect: sync the account now rather than wait for the webhook.

    WARNING: only an account of the site the redirect arrived on is synced (`tenant` is request.tenant), so
    one employer's site can never be used to touch another's account. Syncing only copies Stripe's state, so
    anyone holding a session id can at most make it happen early.
    """
    _require_stripe()
    session = stripe_gateway.checkout_session_retrieve(session_id)
    account = billing_account_for_customer(session.customer_id or "")
    if account is None or str(account.pk) != session.client_reference_id:
        raise NotFound()
    if (account.tenant_id is None) != tenant.is_public or (
        account.tenant_id and account.tenant_id != tenant.pk
    ):
        raise NotFound()
    return subscription_sync(account=account)


def portal_session_start(*, actor, account: BillingAccount, origin: str, return_path: str) -> str:
    """A Customer Portal session (payment methods, invoices, plan changes, cancellation); returns its URL."""
    _require_stripe()
    customer_id = billing_account_ensure_customer(account=account)
    return stripe_gateway.portal_session_create(
        customer_id=customer_id, return_url=f"{origin}{quote(return_path)}"
    )


def subscription_change_plan(
    *, actor, account: BillingAccount, plan_code: str, interval: Interval
) -> BillingAccount:
    """Move the running subscription to another plan or interval, prorated: an upgrade is invoiced at once
    (`always_invoice`), a downgrade is credited on the next invoice. Holds the account's row lock while
    Stripe is asked, so a webhook for the same account waits and then sees the new state."""
    plan = _purchasable_plan(account, plan_code, interval)
    _require_stripe()
    with transaction.atomic():
        locked = _lock(account)
        if locked.subscription_status not in RUNNING_STATUSES or not locked.subscription_item_id:
            raise Conflict(
                "There is no subscription to change: start one with checkout.", code="no_subscription"
            )
        current = get_plan(locked.plan_code)
        if current == plan and locked.billing_interval == interval:
            raise Conflict(
                f"The subscription is already on {plan.name} per {interval}.", code="plan_unchanged"
            )
        # An upgrade (or monthly -> yearly) is paid now; anything else is credited on the next invoice.
        upgrade = (
            current is None or plan.rank > current.rank or (plan == current and interval == Interval.YEAR)
        )
        stripe_gateway.subscription_change_price(
            subscription_id=locked.subscription_id,
            item_id=locked.subscription_item_id,
            price_id=stripe_gateway.price_id_for(plan, interval),
            proration_behavior="always_invoice" if upgrade else "create_prorations",
        )
        _sync_locked(locked, actor=actor)
    logger.info("%s moved billing account %s to %s/%s", actor, account.pk, plan.code, interval)
    return locked


def subscription_cancel(*, actor, account: BillingAccount, cancel: bool = True) -> BillingAccount:
    """Cancel at the end of the paid period (`cancel=False` withdraws a pending cancellation)."""
    _require_stripe()
    with transaction.atomic():
        locked = _lock(account)
        if locked.subscription_status not in RUNNING_STATUSES or not locked.subscription_id:
            raise Conflict("There is no running subscription.", code="no_subscription")
        if locked.cancel_at_period_end == cancel:
            code, detail = (
                ("already_canceled", "already ends") if cancel else ("not_canceled", "is not canceled")
            )
            raise Conflict(f"The subscription {detail} at the end of the period.", code=code)
        stripe_gateway.subscription_set_cancel_at_period_end(
            subscription_id=locked.subscription_id, cancel=cancel
        )
        _sync_locked(locked, actor=actor)
    logger.info("%s %s billing account %s", actor, "canceled" if cancel else "resumed", account.pk)
    return locked


def billing_accounts_close(*, user) -> None:
    """The user is being deleted (call inside that transaction): once it commits, each of their Stripe customers
    (as a seeker, as an API customer) has every subscription ended at once and is deleted, so nobody is billed
    for an account that is gone. A retried task does it: Stripe being away neither blocks nor undoes the
    deletion. Employer accounts belong to the tenant, not the user, and are untouched."""
    from billing.tasks import billing_close_stripe_customers

    customer_ids = list(
        BillingAccount.objects.filter(user=user)
        .exclude(stripe_customer_id="")
        .values_list("stripe_customer_id", flat=True)
    )
    if customer_ids and stripe_gateway.is_configured():
        transaction.on_commit(lambda: billing_close_stripe_customers.delay(customer_ids), robust=True)


def stripe_customers_close(*, customer_ids: list[str]) -> None:
    """End every live subscription of these Stripe customers, read from Stripe (the local mirror may lag behind
    a checkout that just finished), then delete the customers. Safe to repeat."""
    for customer_id in customer_ids:
        if not stripe_gateway.customer_exists(customer_id):
            continue  # closed by an earlier attempt
        for subscription in stripe_gateway.subscriptions_for_customer(customer_id):
            if subscription.status not in ENDED_STATUSES:
                stripe_gateway.subscription_cancel_now(subscription_id=subscription.id)
        stripe_gateway.customer_delete(customer_id=customer_id)
        logger.info("Closed Stripe customer %s of a deleted user", customer_id)


# --- The subscription mirror ---------------------------------------------------------------------------------


def subscription_sync(*, account: BillingAccount) -> BillingAccount:
    """Lock the account and mirror its Stripe subscription as it is now."""
    with transaction.atomic():
        locked = _lock(account)
        _sync_locked(locked)
    return locked


def _current_subscription(snapshots: list[stripe_gateway.SubscriptionSnapshot]):
    if not snapshots:
        return None
    return min(snapshots, key=lambda s: (_STATUS_RANK.get(s.status, 5), -s.created.timestamp(), s.id))


def _sync_locked(account: BillingAccount, *, actor=None) -> None:
    """Mirror Stripe's current subscription onto `account` (which the caller holds FOR UPDATE) and notify the
    payer of what changed for them. Transitions are computed against the stored state, so replaying the same
    Stripe state changes nothing and notifies no one. An employer's plan and cancellation changes are audited,
    with `actor` when a person asked for them here (no actor: Stripe told us, e.g. from its Customer Portal)."""
    now = timezone.now()
    before_subscription = (account.plan_code, account.billing_interval, account.cancel_at_period_end)
    snapshots = (
        stripe_gateway.subscriptions_for_customer(account.stripe_customer_id)
        if account.stripe_customer_id
        else []
    )
    current = _current_subscription(snapshots)
    before_status, before_plan = account.subscription_status, account.effective_plan(now)

    if current is None:
        _mirror_none(account)
    else:
        if current.plan is None:
            logger.error("Subscription %s has a price outside the catalogue; no paid access", current.id)
        account.plan_code = (current.plan or free_plan(account.audience)).code
        account.billing_interval = current.interval if current.interval in {i.value for i in Interval} else ""
        account.subscription_id = current.id
        account.subscription_item_id = current.item_id
        account.subscription_status = current.status
        account.current_period_start = current.current_period_start
        account.current_period_end = current.current_period_end
        account.cancel_at_period_end = current.cancel_at_period_end
        account.cancel_at = current.cancel_at
        account.trial_end = current.trial_end
        account.trial_used = account.trial_used or current.trial_end is not None
    if account.subscription_status == SubscriptionStatus.PAST_DUE:
        account.past_due_since = account.past_due_since or now
    else:
        account.past_due_since = None
        account.grace_expiry_notified_at = None
    account.synced_at = now
    account.save()
    if account.tenant_id:
        _audit_subscription_change(account, before=before_subscription, actor=actor)

    past_due = account.subscription_status == SubscriptionStatus.PAST_DUE
    if past_due and before_status != SubscriptionStatus.PAST_DUE:
        billing_notify(
            account=account, kind="payment_failed", context={"grace_ends_at": _iso(account.grace_ends_at)}
        )
    elif not past_due and not before_plan.is_free and account.effective_plan(now).is_free:
        billing_notify(account=account, kind="subscription_ended", context={"plan": before_plan.name})


def _audit_subscription_change(account: BillingAccount, *, before: tuple, actor) -> None:
    plan_code, interval, cancel_at_period_end = before
    if (plan_code, interval) != (account.plan_code, account.billing_interval):
        audit.record(
            actor=actor,
            action="billing.plan_change",
            target=account,
            before={"plan": plan_code, "interval": interval},
            after={"plan": account.plan_code, "interval": account.billing_interval},
            tenant=account.tenant,
        )
    if cancel_at_period_end != account.cancel_at_period_end:
        audit.record(
            actor=actor,
            action="billing.cancel" if account.cancel_at_period_end else "billing.resume",
            target=account,
            after={"ends_at": _iso(account.current_period_end) if account.cancel_at_period_end else None},
            tenant=account.tenant,
        )


def _mirror_none(account: BillingAccount) -> None:
    account.plan_code = free_plan(account.audience).code
    account.billing_interval = ""
    account.subscription_id = account.subscription_item_id = ""
    account.subscription_status = SubscriptionStatus.NONE
    account.current_period_start = account.current_period_end = account.cancel_at = account.trial_end = None
    account.cancel_at_period_end = False


# --- Webhooks ------------------------------------------------------------------------------------------------


def stripe_event_apply(*, event: dict) -> bool:
    """Apply one verified Stripe event. Returns False for an event that changes nothing here (a type we do
    not handle, a customer we do not know, or an event already applied).

    The event id is inserted in the same transaction as the sync it triggers: a redelivery (even a concurrent
    one, which waits on the primary key) finds it and does nothing; a failure rolls both back so Stripe's retry
    applies it again.
    """
    if event.get("type") not in HANDLED_EVENT_TYPES:
        return False
    obj = event["data"]["object"]
    customer_id = obj.get("customer")  # every handled object (subscription, invoice, checkout) names one
    account = billing_account_for_customer(customer_id or "")
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(
                    id=event["id"],
                    type=event["type"],
                    account=account,
                    stripe_created_at=datetime.fromtimestamp(event["created"], tz=UTC),
                )
        except IntegrityError:
            return False
        if account is None:
            logger.info(
                "Stripe event %s is for customer %s, who has no billing account", event["id"], customer_id
            )
            return False
        locked = _lock(account)
        _sync_locked(locked)
        if event["type"] == "customer.subscription.trial_will_end":
            trial_end = datetime.fromtimestamp(obj["trial_end"], tz=UTC) if obj.get("trial_end") else None
            billing_notify(account=locked, kind="trial_will_end", context={"trial_end": _iso(trial_end)})
        elif event["type"] == "invoice.payment_action_required":
            billing_notify(
                account=locked,
                kind="payment_action_required",
                context={"invoice_url": obj.get("hosted_invoice_url") or ""},
            )
    return True


# --- Grace period and notifications --------------------------------------------------------------------------


def billing_grace_expire(*, now: datetime | None = None) -> int:
    """Tell each payer whose grace period just ended that the account is now on the free plan (the access
    itself already ended: `effective_plan` reads the grace period). A conditional update makes each payer be
    told once, even with two sweeps running. Returns how many were told."""
    now = now or timezone.now()
    told = 0
    for account in accounts_past_grace(now):
        with transaction.atomic():
            claimed = BillingAccount.objects.filter(
                pk=account.pk,
                subscription_status=SubscriptionStatus.PAST_DUE,
                grace_expiry_notified_at__isnull=True,
            ).update(grace_expiry_notified_at=now)
            if claimed:
                plan = get_plan(account.plan_code)
                billing_notify(
                    account=account, kind="downgraded", context={"plan": plan.name if plan else ""}
                )
                told += 1
    return told


# Which notification each billing event is; the payer's preferences decide in-app and email delivery.
_NOTIFICATION_TYPES = {
    "payment_failed": NotificationType.PAYMENT_FAILED,
    "payment_action_required": NotificationType.PAYMENT_FAILED,
    "trial_will_end": NotificationType.TRIAL_ENDING,
    "downgraded": NotificationType.PLAN_ENDED,
    "subscription_ended": NotificationType.PLAN_ENDED,
}


def billing_notify(*, account: BillingAccount, kind: str, context: dict) -> None:
    """Tell the payer about their billing: the user, or the employer's admins and owners. The one place billing
    notifies anyone; the notifications service stores it now and pushes and emails it after commit."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown billing notification {kind!r}")
    billing_url = upgrade_url_for(account)
    rendered = render_to_string(
        f"billing/email/{kind}.txt", {**context, "account": account, "billing_url": billing_url}
    )
    title, _, body = rendered.strip().partition("\n")
    message = {
        "type": _NOTIFICATION_TYPES[kind],
        "title": title.strip(),
        "body": body.strip(),
        "data": {"url": billing_url, "billing_event": kind},
    }
    if account.tenant_id:
        notify_tenant_staff(tenant=account.tenant, minimum_role=Membership.Role.ADMIN, **message)
    else:
        notify(recipient=account.user, **message)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


_METRIC_LABELS = {
    Metric.APPLICATIONS_PER_MONTH: "applications this month",
    Metric.SAVED_JOBS: "saved jobs",
    Metric.SAVED_SEARCHES: "saved searches",
    Metric.ACTIVE_POSTINGS: "active job postings",
    Metric.SEATS: "team seats",
    Metric.API_REQUESTS_PER_DAY: "API requests today",
}


def usage_threshold_notify(
    *, account: BillingAccount, metric: Metric, period: str, threshold: int, used: int, limit: int
) -> None:
    """Tell the payer that a usage counter reached `threshold` percent (80 or 100) of its limit: the user, or
    the employer's admins and owners. Once per (account, metric, period, threshold), whoever calls it how often
    (dedupe key). Called after the commit of the use that crossed it (see `entitlements.consume`)."""
    label = _METRIC_LABELS.get(metric, metric.value.replace("_", " "))
    title = (
        f"You have reached your limit of {limit} {label}"
        if threshold >= 100
        else f"You have used {threshold}% of your {label}"
    )
    message = {
        "type": NotificationType.USAGE_THRESHOLD,
        "title": title,
        "body": f"{used} of {limit} used. Upgrade your plan for more.",
        "data": {
            "url": upgrade_url_for(account),
            "metric": metric.value,
            "period": period,
            "threshold": threshold,
            "used": used,
            "limit": limit,
        },
        "dedupe_key": f"usage:{account.pk}:{metric.value}:{period}:{threshold}",
    }
    # WARNING: billing. The payer is the account's own user or tenant, never whoever happened to consume.
    if account.tenant_id:
        notify_tenant_staff(tenant=account.tenant, minimum_role=Membership.Role.ADMIN, **message)
    else:
        notify(recipient=account.user, **message)
