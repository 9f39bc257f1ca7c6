"""The plan catalogue: what each audience can buy, its prices, limits and features, as data.

Stripe is told about it by `manage.py billing_sync_plans` (one Product per paid plan, one Price per interval,
found by `lookup_key`). Entitlements are read from here, never from Stripe: Stripe only says which plan an
account is on.

Names that other code uses (never spell them as strings elsewhere):
- `Metric` — what `billing.entitlements.consume/release/limit_for` count;
- `Feature` — what `has_feature/require_feature` answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Audience(StrEnum):
    SEEKER = "seeker"
    EMPLOYER = "employer"
    API = "api"


class Interval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class Period(StrEnum):
    """How a metric's counter resets."""

    MONTH = "month"  # calendar month, UTC
    DAY = "day"  # calendar day, UTC
    GAUGE = "gauge"  # never resets: counts what exists now (consume on create, release on delete)
    RATE = "rate"  # not counted here: a limit the rate limiter reads with `limit_for`


class Metric(StrEnum):
    APPLICATIONS_PER_MONTH = "applications_per_month"
    SAVED_JOBS = "saved_jobs"
    SAVED_SEARCHES = "saved_searches"
    ACTIVE_POSTINGS = "active_postings"
    SEATS = "seats"
    API_REQUESTS_PER_DAY = "api_requests_per_day"
    API_REQUESTS_PER_MINUTE = "api_requests_per_minute"

    @property
    def period(self) -> Period:
        return METRIC_PERIODS[self]


METRIC_PERIODS: dict[Metric, Period] = {
    Metric.APPLICATIONS_PER_MONTH: Period.MONTH,
    Metric.SAVED_JOBS: Period.GAUGE,
    Metric.SAVED_SEARCHES: Period.GAUGE,
    Metric.ACTIVE_POSTINGS: Period.GAUGE,
    Metric.SEATS: Period.GAUGE,
    Metric.API_REQUESTS_PER_DAY: Period.DAY,
    Metric.API_REQUESTS_PER_MINUTE: Period.RATE,
}


class Feature(StrEnum):
    AI_RECOMMENDATIONS = "ai_recommendations"
    PRIORITY_IN_EMPLOYER_VIEWS = "priority_in_employer_views"
    CUSTOM_BRANDING = "custom_branding"
    CUSTOM_DOMAIN = "custom_domain"
    REMOVE_POWERED_BY = "remove_powered_by"
    API_ACCESS = "api_access"
    ANALYTICS = "analytics"
    WEBHOOKS = "webhooks"  # outbound webhooks of pipeline, job and team events (jobpilot.webhooks)
    EMAIL_INGESTION = "email_ingestion"  # the seeker's inbox: status suggestions from recruiting mail
    ATS_SYNC = "ats_sync"  # the employer's own Greenhouse / Lever / Ashby board synced into its postings
    SSO = "sso"  # staff sign in through the employer's own OIDC or SAML identity provider (jobpilot.sso)
    AI_SCREENING = "ai_screening"  # the pipeline board sorts a job's applicants by match (never filters)


UNLIMITED = None


@dataclass(frozen=True)
class Overage:
    """Usage past a metric's limit that is billed instead of refused (reported to a Stripe meter)."""

    unit_amount_cents: int  # price of one package
    package_size: int  # units per package, e.g. 1000 requests


@dataclass(frozen=True)
class Plan:
    code: str
    audience: Audience
    name: str
    rank: int  # order within the audience: a higher rank is an upgrade
    prices: dict[Interval, int] = field(default_factory=dict)  # cents; empty for the free plan
    limits: dict[Metric, int | None] = field(default_factory=dict)  # None = unlimited; absent = 0
    features: frozenset[Feature] = frozenset()
    overage: dict[Metric, Overage] = field(default_factory=dict)
    trial_days: int = 0
    currency: str = "usd"
    audit_retention_days: int = 30  # employers' audit log entries older than this are pruned (jobpilot.audit)

    @property
    def is_free(self) -> bool:
        return not self.prices

    def limit(self, metric: Metric) -> int | None:
        return self.limits.get(metric, 0)

    def lookup_key(self, interval: Interval) -> str:
        """The Stripe Price's `lookup_key`; stable across environments, so prices are found, never hard-coded."""
        return f"jobpilot_{self.code}_{interval}"

    @property
    def product_id(self) -> str:
        return f"jobpilot_{self.code}"


_SEEKER_METRICS = (Metric.APPLICATIONS_PER_MONTH, Metric.SAVED_JOBS, Metric.SAVED_SEARCHES)
_EMPLOYER_METRICS = (Metric.ACTIVE_POSTINGS, Metric.SEATS)
_API_METRICS = (Metric.API_REQUESTS_PER_DAY, Metric.API_REQUESTS_PER_MINUTE)
AUDIENCE_METRICS: dict[Audience, tuple[Metric, ...]] = {
    Audience.SEEKER: _SEEKER_METRICS,
    Audience.EMPLOYER: _EMPLOYER_METRICS,
    Audience.API: _API_METRICS,
}

PLANS: tuple[Plan, ...] = (
    # --- Job seekers ---
    Plan(
        code="seeker_free",
        audience=Audience.SEEKER,
        name="Free",
        rank=0,
        limits={Metric.APPLICATIONS_PER_MONTH: 10, Metric.SAVED_JOBS: 25, Metric.SAVED_SEARCHES: 2},
    ),
    Plan(
        code="seeker_pro",
        audience=Audience.SEEKER,
        name="Pro",
        rank=1,
        prices={Interval.MONTH: 900, Interval.YEAR: 9000},
        limits={Metric.APPLICATIONS_PER_MONTH: 100, Metric.SAVED_JOBS: 500, Metric.SAVED_SEARCHES: 20},
        features=frozenset({Feature.AI_RECOMMENDATIONS, Feature.EMAIL_INGESTION}),
        trial_days=7,
    ),
    Plan(
        code="seeker_premium",
        audience=Audience.SEEKER,
        name="Premium",
        rank=2,
        prices={Interval.MONTH: 1900, Interval.YEAR: 19000},
        limits={
            Metric.APPLICATIONS_PER_MONTH: UNLIMITED,
            Metric.SAVED_JOBS: UNLIMITED,
            Metric.SAVED_SEARCHES: 100,
        },
        features=frozenset(
            {Feature.AI_RECOMMENDATIONS, Feature.PRIORITY_IN_EMPLOYER_VIEWS, Feature.EMAIL_INGESTION}
        ),
        trial_days=7,
    ),
    # --- Employers (tenants) ---
    Plan(
        code="employer_starter",
        audience=Audience.EMPLOYER,
        name="Starter",
        rank=0,
        limits={Metric.ACTIVE_POSTINGS: 3, Metric.SEATS: 2},
    ),
    Plan(
        code="employer_growth",
        audience=Audience.EMPLOYER,
        name="Growth",
        rank=1,
        prices={Interval.MONTH: 9900, Interval.YEAR: 99000},
        limits={Metric.ACTIVE_POSTINGS: 25, Metric.SEATS: 10},
        audit_retention_days=365,
        features=frozenset(
            {
                Feature.CUSTOM_BRANDING,
                Feature.CUSTOM_DOMAIN,
                Feature.REMOVE_POWERED_BY,
                Feature.ANALYTICS,
                Feature.WEBHOOKS,
                Feature.ATS_SYNC,
                Feature.AI_SCREENING,
            }
        ),
        trial_days=14,
    ),
    Plan(
        code="employer_enterprise",
        audience=Audience.EMPLOYER,
        name="Enterprise",
        rank=2,
        prices={Interval.MONTH: 49900, Interval.YEAR: 499000},
        limits={Metric.ACTIVE_POSTINGS: UNLIMITED, Metric.SEATS: 100},
        audit_retention_days=7 * 365,
        features=frozenset(
            {
                Feature.CUSTOM_BRANDING,
                Feature.CUSTOM_DOMAIN,
                Feature.REMOVE_POWERED_BY,
                Feature.ANALYTICS,
                Feature.API_ACCESS,
                Feature.WEBHOOKS,
                Feature.ATS_SYNC,
                Feature.SSO,
                Feature.AI_SCREENING,
            }
        ),
    ),
    # --- API customers ---
    Plan(
        code="api_developer",
        audience=Audience.API,
        name="Developer",
        rank=0,
        limits={Metric.API_REQUESTS_PER_DAY: 1_000, Metric.API_REQUESTS_PER_MINUTE: 60},
        features=frozenset({Feature.API_ACCESS}),
    ),
    Plan(
        code="api_business",
        audience=Audience.API,
        name="Business",
        rank=1,
        prices={Interval.MONTH: 4900, Interval.YEAR: 49000},
        limits={Metric.API_REQUESTS_PER_DAY: 50_000, Metric.API_REQUESTS_PER_MINUTE: 600},
        features=frozenset({Feature.API_ACCESS}),
        overage={Metric.API_REQUESTS_PER_DAY: Overage(unit_amount_cents=50, package_size=1_000)},
    ),
    Plan(
        code="api_scale",
        audience=Audience.API,
        name="Scale",
        rank=2,
        prices={Interval.MONTH: 19900, Interval.YEAR: 199000},
        limits={Metric.API_REQUESTS_PER_DAY: 500_000, Metric.API_REQUESTS_PER_MINUTE: 3_000},
        features=frozenset({Feature.API_ACCESS}),
        overage={Metric.API_REQUESTS_PER_DAY: Overage(unit_amount_cents=30, package_size=1_000)},
    ),
)

PLANS_BY_CODE: dict[str, Plan] = {plan.code: plan for plan in PLANS}


def get_plan(code: str) -> Plan | None:
    return PLANS_BY_CODE.get(code)


def free_plan(audience: Audience | str) -> Plan:
    return next(plan for plan in PLANS if plan.audience == audience and plan.is_free)


def plans_for(audience: Audience | str) -> list[Plan]:
    return sorted((plan for plan in PLANS if plan.audience == audience), key=lambda plan: plan.rank)


def plan_for_lookup_key(lookup_key: str) -> tuple[Plan, Interval] | None:
    for plan in PLANS:
        for interval in plan.prices:
            if plan.lookup_key(interval) == lookup_key:
                return plan, interval
    return None
