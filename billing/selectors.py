"""Reads for billing. The two `billing_account_for_*` lookups create the account on first use (on its
audience's free plan), so callers never have to ask whether a payer has one."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from billing.models import BillingAccount, SubscriptionStatus
from billing.plans import Audience, Feature
from tenants.selectors import tenant_site_origin


def billing_account_for_user(user, audience: Audience | str) -> BillingAccount:
    """The account a seeker or API customer pays with. One per (user, audience)."""
    audience = Audience(audience)
    if audience is Audience.EMPLOYER:
        raise ValueError("employers pay per tenant: use billing_account_for_tenant")
    account = BillingAccount.objects.filter(user=user, audience=audience).first()
    if account is None:
        from billing.services import billing_account_create

        account = billing_account_create(user=user, audience=audience)
    return account


def tenant_plan_features(tenant) -> frozenset[Feature]:
    """The features of the employer's plan in force. Uses the account joined to the tenant when it is (the
    tenant middleware joins it), so a page asks no extra query."""
    try:
        account = tenant.billing_account
    except BillingAccount.DoesNotExist:
        account = billing_account_for_tenant(tenant)
    return account.effective_plan().features


def billing_account_for_tenant(tenant) -> BillingAccount:
    """The account an employer pays with.

    WARNING: pass `request.tenant` (or a tenant resolved the same way), never one named by the caller's input:
    the account decides what the tenant may do.
    """
    account = BillingAccount.objects.filter(tenant=tenant).first()
    if account is None:
        from billing.services import billing_account_create

        account = billing_account_create(tenant=tenant, audience=Audience.EMPLOYER)
    return account


def billing_account_for_customer(stripe_customer_id: str) -> BillingAccount | None:
    if not stripe_customer_id:
        return None
    return BillingAccount.objects.filter(stripe_customer_id=stripe_customer_id).first()


def accounts_past_grace(now=None) -> QuerySet[BillingAccount]:
    """Past-due accounts whose grace period is over and whose payer has not been told yet."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.BILLING_GRACE_DAYS)
    return BillingAccount.objects.filter(
        subscription_status=SubscriptionStatus.PAST_DUE,
        past_due_since__lte=cutoff,
        grace_expiry_notified_at__isnull=True,
    )


def site_origin_for(account: BillingAccount) -> str:
    """`scheme://host[:port]` of the site the payer uses: the marketplace, or the employer's primary domain."""
    if account.tenant_id is None:
        site = urlsplit(settings.SITE_URL)
        return f"{site.scheme}://{site.netloc}"
    return tenant_site_origin(account.tenant)


# Where each kind of payer sees its plan, usage and the plans it can move to (the web app's pages).
BILLING_PAGES = {
    Audience.SEEKER: "/account/billing/",
    Audience.API: "/pricing/#api",
    Audience.EMPLOYER: "/console/billing/",
}


def upgrade_url_for(account: BillingAccount) -> str:
    """Where a payer who hit a limit (or lacks a feature) sees its plan and the plans above it."""
    return f"{site_origin_for(account)}{BILLING_PAGES[Audience(account.audience)]}"
