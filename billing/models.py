"""Billing data, all in the public schema: one account per payer, its usage counters, and the Stripe events
already applied to it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from billing.plans import Audience, Interval, Plan, free_plan, get_plan


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses, plus NONE for an account that never subscribed."""

    NONE = "none"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    PAUSED = "paused"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    CANCELED = "canceled"


# Statuses in which the subscribed plan is in force (PAST_DUE only during the grace period).
PAID_ACCESS_STATUSES = frozenset({SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE})


class BillingAccount(models.Model):
    """A payer: a seeker or API customer (a user, per audience) or an employer (a tenant).

    Mirrors the Stripe subscription (`subscription_*` fields): Stripe is the source of truth and the webhook
    re-reads it, so these fields are only ever written by `billing.services.subscription_sync`.
    """

    audience = models.CharField(max_length=16, choices=[(a.value, a.name.title()) for a in Audience])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="billing_accounts",
    )
    tenant = models.OneToOneField(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="billing_account"
    )
    stripe_customer_id = models.CharField(max_length=255, null=True, blank=True, unique=True)  # noqa: DJ001

    # Mirror of the current Stripe subscription.
    plan_code = models.CharField(max_length=64)
    billing_interval = models.CharField(
        max_length=8, blank=True, choices=[(i.value, i.value) for i in Interval]
    )
    subscription_id = models.CharField(max_length=255, blank=True)
    subscription_item_id = models.CharField(max_length=255, blank=True)
    subscription_status = models.CharField(
        max_length=24, choices=SubscriptionStatus.choices, default=SubscriptionStatus.NONE
    )
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    cancel_at = models.DateTimeField(null=True, blank=True)
    trial_end = models.DateTimeField(null=True, blank=True)
    trial_used = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(null=True, blank=True)
    grace_expiry_notified_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    # Set by an administrator (local mode, or a deal made by hand): wins over the subscription.
    manual_plan_code = models.CharField(max_length=64, blank=True)
    limit_overrides = models.JSONField(default=dict, blank=True)  # {metric: int | None}

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # WARNING: an account belongs to exactly one payer; an employer account to a tenant, never to a user.
            models.CheckConstraint(
                condition=(Q(audience=Audience.EMPLOYER, tenant__isnull=False, user__isnull=True))
                | (Q(audience__in=[Audience.SEEKER, Audience.API], user__isnull=False, tenant__isnull=True)),
                name="billing_account_one_payer",
            ),
            models.UniqueConstraint(
                fields=["user", "audience"],
                condition=Q(user__isnull=False),
                name="billing_account_user_audience",
            ),
        ]

    def __str__(self):
        return f"{self.audience} account of {self.tenant or self.user}"

    @property
    def grace_ends_at(self):
        if self.subscription_status != SubscriptionStatus.PAST_DUE or self.past_due_since is None:
            return None
        return self.past_due_since + timedelta(days=settings.BILLING_GRACE_DAYS)

    def effective_plan(self, now=None) -> Plan:
        """The plan whose limits and features apply right now.

        WARNING: this decides what a payer gets; it bills wrongly if it trusts anything but the mirrored
        Stripe status. An administrator's plan wins; a subscription counts while active or trialing, and while
        past due until the grace period ends; otherwise the audience's free plan.
        """
        manual = get_plan(self.manual_plan_code) if self.manual_plan_code else None
        if manual is not None:
            return manual
        subscribed = get_plan(self.plan_code)
        if subscribed is not None and not subscribed.is_free:
            if self.subscription_status in PAID_ACCESS_STATUSES:
                return subscribed
            grace_ends_at = self.grace_ends_at
            if grace_ends_at is not None and (now or timezone.now()) < grace_ends_at:
                return subscribed
        return free_plan(self.audience)


class UsageCounter(models.Model):
    """How much of a metric an account used in a period ("2026-11", "2026-11-22", or "all" for gauges).

    Written only by `billing.entitlements` with single conditional statements, so a limit holds under any
    concurrency.
    """

    account = models.ForeignKey(BillingAccount, on_delete=models.CASCADE, related_name="usage_counters")
    metric = models.CharField(max_length=48)
    period = models.CharField(max_length=10)
    used = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "metric", "period"], name="usage_counter_unique_period"
            ),
            models.CheckConstraint(condition=Q(used__gte=0), name="usage_counter_used_not_negative"),
        ]

    def __str__(self):
        return f"{self.metric}[{self.period}] = {self.used}"


class StripeEvent(models.Model):
    """A Stripe webhook event already applied. Inserted in the same transaction as its effect, under the
    primary key: a redelivered event finds its row and changes nothing."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=128)
    account = models.ForeignKey(
        BillingAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="stripe_events"
    )
    stripe_created_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.id} ({self.type})"
