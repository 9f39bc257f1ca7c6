"""Examples of the billing API's requests and answers for the OpenAPI document. Plans are read from the catalogue
(billing/plans.py), so their codes, prices, limits and features are the ones on sale. The account examples are a
job seeker's: on Pro, paid monthly; after changing to Premium, paid yearly; and on Pro after cancelling."""

from billing.plans import AUDIENCE_METRICS, Audience, Plan, get_plan, plans_for


def plan_example(code: str) -> dict:
    """A catalogue plan as `PlanOut` answers it."""
    plan: Plan = get_plan(code)
    return {
        "code": plan.code,
        "audience": plan.audience.value,
        "name": plan.name,
        "rank": plan.rank,
        "currency": plan.currency,
        "prices": {interval.value: cents for interval, cents in plan.prices.items()},
        "limits": {metric.value: limit for metric, limit in plan.limits.items()},
        "features": sorted(feature.value for feature in plan.features),
        "overage": {
            metric.value: {"unit_amount_cents": o.unit_amount_cents, "package_size": o.package_size}
            for metric, o in plan.overage.items()
        },
        "trial_days": plan.trial_days,
    }


def _usage(code: str, used: dict[str, int]) -> list[dict]:
    """The `usage` rows of an account on plan `code`, one per metric of its audience."""
    plan = get_plan(code)
    return [
        {
            "metric": metric.value,
            "period": metric.period.value,
            "used": used.get(metric.value, 0),
            "limit": plan.limit(metric),
            "overage": metric in plan.overage,
        }
        for metric in AUDIENCE_METRICS[plan.audience]
    ]


# GET /api/v1/billing/plans/ on the marketplace: the seekers' catalogue.
PLANS_EXAMPLE = [plan_example(plan.code) for plan in plans_for(Audience.SEEKER)]

_SEEKER_USAGE = {"applications_per_month": 14, "saved_jobs": 37, "saved_searches": 3}

# A seeker on Pro, paid monthly, renewing.
BILLING_EXAMPLE = {
    "audience": "seeker",
    "plan": plan_example("seeker_pro"),
    "assigned_by_admin": False,
    "subscription": {
        "status": "active",
        "plan": "seeker_pro",
        "interval": "month",
        "current_period_start": "2026-11-03T08:30:00Z",
        "current_period_end": "2026-12-03T08:30:00Z",
        "cancel_at_period_end": False,
        "cancel_at": None,
        "trial_end": None,
        "grace_ends_at": None,
        "renews_at": "2026-12-03T08:30:00Z",
    },
    "usage": _usage("seeker_pro", _SEEKER_USAGE),
    "billing_configured": True,
}

# After POST /change/ to Premium, yearly: the upgrade is invoiced at once (prorated); the new interval starts a new
# period.
CHANGED_EXAMPLE = {
    **BILLING_EXAMPLE,
    "plan": plan_example("seeker_premium"),
    "subscription": {
        **BILLING_EXAMPLE["subscription"],
        "plan": "seeker_premium",
        "interval": "year",
        "current_period_start": "2026-11-20T10:00:00Z",
        "current_period_end": "2027-11-20T10:00:00Z",
        "renews_at": "2027-11-20T10:00:00Z",
    },
    "usage": _usage("seeker_premium", _SEEKER_USAGE),
}

# After POST /cancel/ on Pro: the plan stays until the end of the period, and nothing renews.
CANCELED_EXAMPLE = {
    **BILLING_EXAMPLE,
    "subscription": {**BILLING_EXAMPLE["subscription"], "cancel_at_period_end": True, "renews_at": None},
}

CHECKOUT_IN_EXAMPLE = {"plan": "seeker_pro", "interval": "month", "return_path": "/account/billing/"}
CHANGE_IN_EXAMPLE = {"plan": "seeker_premium", "interval": "year"}
PORTAL_IN_EXAMPLE = {"return_path": "/account/billing/"}

CHECKOUT_OUT_EXAMPLE = {
    "url": "https://checkout.stripe.com/c/pay/cs_test_a1Kq8ZbT3xWc9LmR2vYp4NdH6sFj0GeU7oIi5AtB"
}
PORTAL_OUT_EXAMPLE = {
    "url": "https://billing.stripe.com/p/session/test_YWNjdF8xUTNxWmJUM3hXYzlMbVIyLF9SeHA0TmRINnNGajBHZVU3"
}
