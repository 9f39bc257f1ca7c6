"""Billing API under /api/v1/billing/: the plan catalogue, the payer's plan and usage, and the Stripe flows.

On the marketplace domain the payer is the signed-in user (`?audience=seeker`, the default, or `api`); on an
employer's domain it is that employer, and only its owners and admins may see or change billing.
"""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from billing import entitlements, services, stripe_gateway
from billing.examples import (
    BILLING_EXAMPLE,
    CANCELED_EXAMPLE,
    CHANGE_IN_EXAMPLE,
    CHANGED_EXAMPLE,
    CHECKOUT_IN_EXAMPLE,
    CHECKOUT_OUT_EXAMPLE,
    PLANS_EXAMPLE,
    PORTAL_IN_EXAMPLE,
    PORTAL_OUT_EXAMPLE,
    plan_example,
)
from billing.models import BillingAccount
from billing.plans import Audience, Interval, Plan, plans_for
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from jobpilot.accounts.auth import user_auth
from jobpilot.core.errors import Invalid
from jobpilot.core.openapi import response_example, schema_example
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["billing"])

# A path on this site to come back to; a leading "//" would leave it (open redirect), so it is refused.
RETURN_PATH_PATTERN = r"^/([A-Za-z0-9_.~%-][A-Za-z0-9/_.~%-]*)?$"


class AudienceQuery(Schema):
    audience: Audience | None = Field(None, description="seeker (default) or api on the marketplace domain")


class OverageOut(Schema):
    unit_amount_cents: int
    package_size: int


class PlanOut(Schema):
    model_config = schema_example(plan_example("seeker_pro"))

    code: str
    audience: Audience
    name: str
    rank: int
    currency: str
    prices: dict[Interval, int]
    limits: dict[str, int | None]
    features: list[str]
    overage: dict[str, OverageOut]
    trial_days: int


class MetricUsageOut(Schema):
    metric: str
    period: str
    used: int
    limit: int | None
    overage: bool


class SubscriptionOut(Schema):
    status: str
    plan: str
    interval: str
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    cancel_at: datetime | None
    trial_end: datetime | None
    grace_ends_at: datetime | None
    renews_at: datetime | None


class BillingOut(Schema):
    model_config = schema_example(BILLING_EXAMPLE)

    audience: Audience
    plan: PlanOut
    assigned_by_admin: bool
    subscription: SubscriptionOut
    usage: list[MetricUsageOut]
    billing_configured: bool


class CheckoutIn(Schema):
    model_config = schema_example(CHECKOUT_IN_EXAMPLE)

    plan: str = Field(..., min_length=1, max_length=64)
    interval: Interval = Interval.MONTH
    return_path: str = Field("/", max_length=200, pattern=RETURN_PATH_PATTERN)


class ChangeIn(Schema):
    model_config = schema_example(CHANGE_IN_EXAMPLE)

    plan: str = Field(..., min_length=1, max_length=64)
    interval: Interval = Interval.MONTH


class PortalIn(Schema):
    model_config = schema_example(PORTAL_IN_EXAMPLE)

    return_path: str = Field("/", max_length=200, pattern=RETURN_PATH_PATTERN)


class RedirectOut(Schema):
    model_config = schema_example(CHECKOUT_OUT_EXAMPLE)

    url: str


def _access_account(request, audience: Audience | None) -> BillingAccount:
    """The billing account this request may act on, after the permission check.

    WARNING: on an employer's domain the account is always `request.tenant`'s, and only for its admins and
    owners; never take a tenant from the request's input.
    """
    if not request.tenant.is_public:
        require_member(request, Membership.Role.ADMIN)
        if audience not in (None, Audience.EMPLOYER):
            raise Invalid("An employer's site bills the employer.", code="invalid_audience", field="audience")
        return billing_account_for_tenant(request.tenant)
    if audience is Audience.EMPLOYER:
        raise Invalid(
            "Employers manage billing on their own site.", code="invalid_audience", field="audience"
        )
    return billing_account_for_user(request.auth, audience or Audience.SEEKER)


def _origin(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        code=plan.code,
        audience=plan.audience,
        name=plan.name,
        rank=plan.rank,
        currency=plan.currency,
        prices=plan.prices,
        limits={metric.value: limit for metric, limit in plan.limits.items()},
        features=sorted(plan.features),
        overage={metric.value: OverageOut(**vars(o)) for metric, o in plan.overage.items()},
        trial_days=plan.trial_days,
    )


def _billing_out(account: BillingAccount) -> BillingOut:
    renews = (
        account.current_period_end if not account.cancel_at_period_end and not account.cancel_at else None
    )
    return BillingOut(
        audience=account.audience,
        plan=_plan_out(account.effective_plan()),
        assigned_by_admin=bool(account.manual_plan_code),
        subscription=SubscriptionOut(
            status=account.subscription_status,
            plan=account.plan_code,
            interval=account.billing_interval,
            current_period_start=account.current_period_start,
            current_period_end=account.current_period_end,
            cancel_at_period_end=account.cancel_at_period_end,
            cancel_at=account.cancel_at,
            trial_end=account.trial_end,
            grace_ends_at=account.grace_ends_at,
            renews_at=renews,
        ),
        usage=entitlements.usage_summary(account),
        billing_configured=stripe_gateway.is_configured(),
    )


@router.get(
    "/plans/",
    response=list[PlanOut],
    auth=None,
    summary="Plans on sale",
    openapi_extra=response_example(PLANS_EXAMPLE),
)
def plan_list(request, filters: Query[AudienceQuery]):
    """The catalogue for one audience (on an employer's domain: the employer plans)."""
    audience = filters.audience or (Audience.SEEKER if request.tenant.is_public else Audience.EMPLOYER)
    return [_plan_out(plan) for plan in plans_for(audience)]


@router.get("/", response=BillingOut, summary="Plan, usage and renewal")
def billing_detail(request, filters: Query[AudienceQuery]):
    return _billing_out(_access_account(request, filters.audience))


@router.post("/checkout/", response=RedirectOut, summary="Start a subscription (Stripe Checkout)")
def checkout(request, payload: CheckoutIn, filters: Query[AudienceQuery]):
    session = services.checkout_session_start(
        actor=request.auth,
        account=_access_account(request, filters.audience),
        plan_code=payload.plan,
        interval=payload.interval,
        origin=_origin(request),
        return_path=payload.return_path,
    )
    return RedirectOut(url=session.url)


@router.post(
    "/portal/",
    response=RedirectOut,
    summary="Open the Stripe Customer Portal",
    openapi_extra=response_example(PORTAL_OUT_EXAMPLE),
)
def portal(request, payload: PortalIn, filters: Query[AudienceQuery]):
    url = services.portal_session_start(
        actor=request.auth,
        account=_access_account(request, filters.audience),
        origin=_origin(request),
        return_path=payload.return_path,
    )
    return RedirectOut(url=url)


@router.post(
    "/change/",
    response=BillingOut,
    summary="Change plan or interval (prorated)",
    openapi_extra=response_example(CHANGED_EXAMPLE),
)
def change_plan(request, payload: ChangeIn, filters: Query[AudienceQuery]):
    account = services.subscription_change_plan(
        actor=request.auth,
        account=_access_account(request, filters.audience),
        plan_code=payload.plan,
        interval=payload.interval,
    )
    return _billing_out(account)


@router.post(
    "/cancel/",
    response=BillingOut,
    summary="Cancel at the end of the period",
    openapi_extra=response_example(CANCELED_EXAMPLE),
)
def cancel(request, filters: Query[AudienceQuery]):
    account = services.subscription_cancel(
        actor=request.auth, account=_access_account(request, filters.audience)
    )
    return _billing_out(account)


@router.post("/resume/", response=BillingOut, summary="Withdraw a pending cancellation")
def resume(request, filters: Query[AudienceQuery]):
    account = services.subscription_cancel(
        actor=request.auth, account=_access_account(request, filters.audience), cancel=False
    )
    return _billing_out(account)
