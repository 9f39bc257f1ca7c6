"""`/api/v2/analytics/`: the employer's job performance (its own host, members, plans with hiring analytics), the
seeker's own behaviour and outcomes, and the platform's numbers (staff only). Thin: parse the range, call a
selector. Bad dates are 422 (schema), reversed or too long ranges 422 `invalid_range` / `range_too_long`."""

import csv
import io

from django.http import HttpResponse
from ninja import Query, Router

from jobpilot.accounts.auth import user_auth
from jobpilot.analytics import examples, selectors
from jobpilot.analytics.schemas import (
    JobPerformanceOut,
    JobPerformanceParams,
    MatchingMetricsOut,
    PlatformOut,
    RangeParams,
    UserBehaviorOut,
)
from jobpilot.core.errors import PermissionDenied
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["analytics"])


def _dates(params: RangeParams) -> selectors.DateRange:
    return selectors.date_range_parse(since=params.since, until=params.until, granularity=params.granularity)


@router.get("/job-performance/", response=JobPerformanceOut, summary="The employer's job performance")
def job_performance(request, params: Query[JobPerformanceParams]):
    """Views → applies per job, applicants by source, the pipeline funnel, time in stage and to hire, offers, and
    the trend. On the employer's own domain, for its members; 402 `feature_not_in_plan` without hiring analytics
    (Growth and up)."""
    require_member(request, Membership.Role.VIEWER)
    return selectors.job_performance(tenant=request.tenant, dates=_dates(params), job_public_id=params.job_id)


CSV_HEADER = ["job_id", "title", "impressions", "views", "applies", "view_to_apply_rate", "saves", "hires"]


def job_performance_csv(data: dict) -> str:
    """The per-job table of `job_performance` as CSV (the API export and the console's download)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for job in data["jobs"]:
        writer.writerow(["" if job[key] is None else job[key] for key in CSV_HEADER])
    return out.getvalue()


@router.get(
    "/job-performance/export/",
    response={200: None},
    summary="The job performance table as CSV",
    openapi_extra={
        "responses": {
            200: {
                "description": "UTF-8 CSV, as an attachment named after the range.",
                "content": {
                    "text/csv": {"schema": {"type": "string", "examples": [examples.JOB_PERFORMANCE_CSV]}}
                },
            }
        }
    },
)
def job_performance_export(request, params: Query[JobPerformanceParams]):
    require_member(request, Membership.Role.VIEWER)
    data = selectors.job_performance(tenant=request.tenant, dates=_dates(params), job_public_id=params.job_id)
    response = HttpResponse(job_performance_csv(data), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="job-performance-{data["since"]}-{data["until"]}.csv"'
    )
    return response


@router.get("/user-behavior/", response=UserBehaviorOut, summary="My activity and outcomes")
def user_behavior(request, params: Query[RangeParams]):
    """The signed-in seeker's own numbers: response rate, interviews per application, time to first response,
    outcomes by source and by job type, and activity over time."""
    return selectors.user_behavior(seeker=request.auth, dates=_dates(params))


@router.get("/platform/", response=PlatformOut, summary="The platform's revenue and activity (staff)")
def platform(request):
    """MRR, ARR, churn, trial conversion, plan mix, active payers and API usage. Staff only (403 otherwise)."""
    if not request.auth.is_staff:
        raise PermissionDenied("Staff only.", code="staff_only")
    return selectors.platform_metrics()


@router.get(
    "/matching-metrics/", response=MatchingMetricsOut, summary="Match scores and recommendation rates"
)
def matching_metrics(request, params: Query[RangeParams]):
    """On the employer's domain (members; 402 without hiring analytics): the match-score distribution of its
    applicants and of its hires, and the platform's recommendation click-through and apply rates (aggregate). On
    the public domain: the rates alone, for staff (403 otherwise)."""
    if request.tenant.is_public:
        if not request.auth.is_staff:
            raise PermissionDenied("Staff only.", code="staff_only")
    else:
        require_member(request, Membership.Role.VIEWER)
    return selectors.matching_metrics(tenant=request.tenant, dates=_dates(params))
