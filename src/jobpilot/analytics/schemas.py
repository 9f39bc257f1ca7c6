"""Shapes of the analytics API (/api/v2/analytics/)."""

from datetime import date
from typing import Literal
from uuid import UUID

from ninja import Schema

from jobpilot.analytics import examples
from jobpilot.core.openapi import schema_example


class RangeParams(Schema):
    since: date | None = None
    until: date | None = None
    granularity: Literal["day", "week"] | None = None


class JobPerformanceParams(RangeParams):
    job_id: UUID | None = None


class EventTotalsOut(Schema):
    impressions: int = 0
    views: int
    saves: int
    apply_started: int
    applies: int
    alert_clicks: int
    recommendation_clicks: int


class JobRowOut(Schema):
    job_id: UUID
    title: str
    impressions: int
    views: int
    applies: int
    saves: int
    view_to_apply_rate: float | None
    hires: int


class SourceRowOut(Schema):
    source: str
    applies: int
    views: int


class FunnelStepOut(Schema):
    """Of the applications made in the range, how many reached at least this stage (a cohort)."""

    stage_id: int
    name: str
    public_status: str
    reached: int
    conversion_from_previous: float | None


class TimeInStageOut(Schema):
    stage_id: int
    name: str
    stays_ended: int
    average_hours: float | None


class OffersOut(Schema):
    made: int
    accepted: int
    acceptance_rate: float | None


class EmployerTrendOut(Schema):
    period_start: date
    views: int
    applies: int
    hires: int


class JobPerformanceOut(Schema):
    model_config = schema_example(examples.JOB_PERFORMANCE)

    since: date
    until: date
    granularity: str
    totals: EventTotalsOut
    jobs: list[JobRowOut]
    applicants_by_source: list[SourceRowOut]
    funnel: list[FunnelStepOut]
    time_in_stage: list[TimeInStageOut]
    hires: int
    average_days_to_hire: float | None
    offers: OffersOut
    trend: list[EmployerTrendOut]


class OutcomeGroupOut(Schema):
    key: str
    applications: int
    responses: int
    interviews: int
    offers: int
    response_rate: float | None


class SeekerTrendOut(Schema):
    period_start: date
    views: int
    saves: int
    applications: int


class UserBehaviorOut(Schema):
    model_config = schema_example(examples.USER_BEHAVIOR)

    since: date
    until: date
    granularity: str
    activity: EventTotalsOut
    applications: int
    responses: int
    response_rate: float | None
    interviews: int
    interviews_per_application: float | None
    offers: int
    average_days_to_first_response: float | None
    funnel_by_source: list[OutcomeGroupOut]
    funnel_by_job_type: list[OutcomeGroupOut]
    trend: list[SeekerTrendOut]


class ChurnOut(Schema):
    window_days: int
    churned: int
    rate: float | None


class TrialConversionOut(Schema):
    trials_ended: int
    converted: int
    rate: float | None


class PlanMixOut(Schema):
    audience: str
    plan: str
    accounts: int


class ActiveOut(Schema):
    window_days: int
    as_of: date | None
    employers: int
    seekers: int
    api_customers: int


class CustomerApiUsageOut(Schema):
    account_id: int
    email: str | None
    requests: int
    days_active: int


class PlatformOut(Schema):
    model_config = schema_example(examples.PLATFORM)

    mrr_cents: int
    arr_cents: int
    mrr_by_audience_cents: dict[str, int]
    paying_accounts: int
    churn: ChurnOut
    trial_conversion: TrialConversionOut
    plan_mix: list[PlanMixOut]
    active: ActiveOut
    api_usage: list[CustomerApiUsageOut]


class RecommendationRatesOut(Schema):
    impressions: int
    views: int
    applies: int
    ctr: float | None  # views / impressions
    apply_rate: float | None  # applies / views


class RecommendationMetricsOut(Schema):
    recommendation: RecommendationRatesOut  # lists and clicks with source `recommendation`
    other: RecommendationRatesOut  # every other source


class ScoreBucketOut(Schema):
    bucket: str  # "0-9" ... "90-100", or "unscored"
    applicants: int
    hires: int


class MatchingMetricsOut(Schema):
    model_config = schema_example(examples.MATCHING_METRICS)

    since: date
    until: date
    recommendations: RecommendationMetricsOut  # platform-wide, aggregate
    score_distribution: (
        list[ScoreBucketOut] | None
    )  # the employer's own jobs; None on the public host (staff)
