"""What a payer may do: features and usage limits of its plan. The one module other apps call.

    account = billing_account_for_user(request.auth, Audience.SEEKER)   # billing.selectors
    with transaction.atomic():
        consume(account, Metric.APPLICATIONS_PER_MONTH)                # raises LimitReached (402)
        application_create(...)

Call `consume` inside the transaction of the write it pays for: if that write fails, the usage rolls back with
it. The counter row stays locked until that transaction ends, which is what makes the limit exact under any
concurrency; keep such transactions short. `release` gives usage back (a deleted posting, an application
withdrawn within the hour).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone

from billing.errors import FeatureNotInPlan, LimitReached
from billing.models import BillingAccount, UsageCounter
from billing.plans import AUDIENCE_METRICS, Feature, Metric, Period, Plan, plans_for
from billing.selectors import upgrade_url_for
from jobpilot.core.metrics import LIMIT_REFUSALS

_COUNTER_TABLE = (
    f"public.{UsageCounter._meta.db_table}"  # WARNING: counters live in public, whatever the schema
)

# One statement: insert the first use of a period, or add to it, only while the total stays within the limit
# (NULL = no limit). The upsert locks the row and re-checks the condition on its latest version, so concurrent
# callers can never overshoot. No row back means the limit is reached.
_CONSUME_SQL = f"""
    INSERT INTO {_COUNTER_TABLE} AS c (account_id, metric, period, used, updated_at)
    SELECT %(account)s, %(metric)s, %(period)s, %(amount)s, now()
    WHERE %(limit)s::bigint IS NULL OR %(amount)s <= %(limit)s::bigint
    ON CONFLICT (account_id, metric, period) DO UPDATE
        SET used = c.used + EXCLUDED.used, updated_at = EXCLUDED.updated_at
        WHERE %(limit)s::bigint IS NULL OR c.used + EXCLUDED.used <= %(limit)s::bigint
    RETURNING used
"""  # noqa: S608 - the only interpolation is our own table name
_RELEASE_SQL = f"""
    UPDATE {_COUNTER_TABLE} SET used = GREATEST(used - %(amount)s, 0), updated_at = now()
    WHERE account_id = %(account)s AND metric = %(metric)s AND period = %(period)s
"""  # noqa: S608


def plan_of(account: BillingAccount) -> Plan:
    return account.effective_plan()


def has_feature(account: BillingAccount, feature: Feature | str) -> bool:
    return Feature(feature) in plan_of(account).features


def require_feature(account: BillingAccount, feature: Feature | str) -> None:
    """Raise `FeatureNotInPlan` (402, code "feature_not_in_plan", with `feature` and `upgrade_url`)."""
    if not has_feature(account, feature):
        raise FeatureNotInPlan(feature=str(feature), upgrade_url=upgrade_url_for(account))


@dataclass(frozen=True)
class PlanGate:
    """What a page shows before the work that a plan gates: whether it is open and, when it is not, the
    cheapest plan of the payer's audience that opens it and where to upgrade. Pages render it with
    `portal/partials/plan_gate.html`; the service behind the page still enforces the gate (402)."""

    open: bool
    upgrade_url: str
    feature: Feature | None = None
    metric: Metric | None = None
    used: int = 0
    limit: int | None = None
    unlocked_by: str = ""  # the plan's name; "" when no plan of this audience opens it
    unlocked_limit: int | None = None  # that plan's limit of `metric` (None: unlimited)

    @property
    def name(self) -> str:
        return str(self.feature or self.metric)


def plan_gate(
    account: BillingAccount,
    *,
    feature: Feature | str | None = None,
    metric: Metric | str | None = None,
    upgrade_url: str | None = None,
) -> PlanGate:
    """Whether `feature` is in the account's plan, or whether `metric` has room for one more use (a gauge or a
    counted period; metered overage always has room), and which plan unlocks it. `upgrade_url` defaults to the
    payer's absolute billing address (a domain lookup for an employer); a page passes the one its browser uses."""
    if (feature is None) == (metric is None):
        raise ValueError("ask about one feature or one metric")
    current = plan_of(account)
    higher = [plan for plan in plans_for(account.audience) if plan.rank > current.rank]
    if upgrade_url is None:
        upgrade_url = upgrade_url_for(account)
    if feature is not None:
        feature = Feature(feature)
        if feature in current.features:
            return PlanGate(open=True, upgrade_url=upgrade_url, feature=feature)
        unlocking = next((plan for plan in higher if feature in plan.features), None)
        return PlanGate(
            open=False,
            upgrade_url=upgrade_url,
            feature=feature,
            unlocked_by=unlocking.name if unlocking else "",
        )
    metric = Metric(metric)
    limit, used = limit_for(account, metric), used_for(account, metric)
    is_open = limit is None or used < limit or overage_allowed(account, metric)
    unlocking = None
    if not is_open:
        unlocking = next(
            (plan for plan in higher if plan.limit(metric) is None or plan.limit(metric) > used), None
        )
    return PlanGate(
        open=is_open,
        upgrade_url=upgrade_url,
        metric=metric,
        used=used,
        limit=limit,
        unlocked_by=unlocking.name if unlocking else "",
        unlocked_limit=unlocking.limit(metric) if unlocking else None,
    )


def limit_for(account: BillingAccount, metric: Metric | str) -> int | None:
    """The account's limit for `metric`: an int (0 when the plan has none of it) or None for unlimited.

    An administrator's override for the account wins over the plan.
    """
    metric = Metric(metric)
    if metric.value in account.limit_overrides:
        return account.limit_overrides[metric.value]
    return plan_of(account).limit(metric)


def overage_allowed(account: BillingAccount, metric: Metric | str) -> bool:
    """Whether usage past the limit is billed (metered) rather than refused."""
    return Metric(metric) in plan_of(account).overage


def period_key(metric: Metric | str, at: datetime | None = None) -> str:
    period = Metric(metric).period
    if period is Period.RATE:
        raise ValueError(f"{metric} is a rate: the rate limiter enforces it, it is not counted here")
    if period is Period.GAUGE:
        return "all"
    at = (at or timezone.now()).astimezone(UTC)
    return at.strftime("%Y-%m") if period is Period.MONTH else at.strftime("%Y-%m-%d")


def consume(account: BillingAccount, metric: Metric | str, amount: int = 1) -> int:
    """Count `amount` of `metric` for this period, or raise `LimitReached` (402) and count nothing.

    Returns the period's total after this use. One conditional upsert; the counter row stays locked until the
    caller's transaction ends. On a plan with metered overage for the metric, usage is counted but never
    refused (the total can then exceed the limit; the meter bills the difference).
    """
    metric = Metric(metric)
    if amount < 1:
        raise ValueError("amount must be a positive integer")
    overage = overage_allowed(account, metric)
    limit = None if overage else limit_for(account, metric)
    params = {"account": account.pk, "metric": metric.value, "period": period_key(metric), "amount": amount}
    with connection.cursor() as cursor:
        cursor.execute(_CONSUME_SQL, {**params, "limit": limit})
        row = cursor.fetchone()
    if row is not None:
        used = row[0]
        # On a metered plan the included amount is still the mark the payer wants to hear about.
        threshold = threshold_crossed(
            used=used, amount=amount, limit=limit_for(account, metric) if overage else limit
        )
        if threshold is not None:
            _notify_threshold_on_commit(account, metric, params["period"], threshold, used)
        return used
    LIMIT_REFUSALS.labels(metric=metric.value).inc()
    raise LimitReached(
        metric=metric.value,
        limit=limit,
        used=used_for(account, metric),
        upgrade_url=upgrade_url_for(account),
    )


USAGE_THRESHOLDS = (100, 80)  # percent of a limit; highest first, so one jump over both reports the higher


def threshold_crossed(*, used: int, amount: int, limit: int | None) -> int | None:
    """The highest threshold (percent) that a use of `amount` bringing the total to `used` went across, if any.
    Counter totals are serialized by the row lock, so exactly one use crosses each mark."""
    if not limit or limit <= 0:
        return None
    before = used - amount
    for percent in USAGE_THRESHOLDS:
        mark = math.ceil(limit * percent / 100)
        if before < mark <= used:
            return percent
    return None


def _notify_threshold_on_commit(
    account: BillingAccount, metric: Metric, period: str, threshold: int, used: int
):
    from billing.services import usage_threshold_notify  # services imports the notifications app

    transaction.on_commit(
        functools.partial(
            usage_threshold_notify,
            account=account,
            metric=metric,
            period=period,
            threshold=threshold,
            used=used,
            limit=limit_for(account, metric),
        ),
        robust=True,  # the write it paid for has committed: a failed notification must not fail the request
    )


def release(
    account: BillingAccount, metric: Metric | str, amount: int = 1, *, consumed_at: datetime | None = None
):
    """Give back `amount` of `metric` (never below zero). For a monthly or daily metric pass `consumed_at`, the
    time of the use being undone, so it is given back to the period that counted it."""
    metric = Metric(metric)
    if amount < 1:
        raise ValueError("amount must be a positive integer")
    params = {"account": account.pk, "metric": metric.value, "period": period_key(metric, consumed_at)}
    with connection.cursor() as cursor:
        cursor.execute(_RELEASE_SQL, {**params, "amount": amount})


def used_for(account: BillingAccount, metric: Metric | str, at: datetime | None = None) -> int:
    metric = Metric(metric)
    if metric.period is Period.RATE:
        return 0
    counter = UsageCounter.objects.filter(account=account, metric=metric.value, period=period_key(metric, at))
    return counter.values_list("used", flat=True).first() or 0


def usage_summary(account: BillingAccount) -> list[dict]:
    """Each metric of the account's audience with its period, use and limit, for the billing page."""
    metrics = AUDIENCE_METRICS[account.audience]
    periods = {metric: period_key(metric) for metric in metrics if metric.period is not Period.RATE}
    counters = UsageCounter.objects.filter(account=account, metric__in=[m.value for m in periods])
    used = {(c.metric, c.period): c.used for c in counters}
    return [
        {
            "metric": metric.value,
            "period": metric.period.value,
            "used": used.get((metric.value, periods.get(metric)), 0),
            "limit": limit_for(account, metric),
            "overage": overage_allowed(account, metric),
        }
        for metric in metrics
    ]
