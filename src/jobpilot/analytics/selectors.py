"""Reads for analytics. Dashboards read the rollups only (never `analytics_event`): per job and source, per
seeker, per pipeline stage, for the platform; and the billing state for the operator.

WARNING: every employer read filters by the tenant of the request's host and every seeker read by the signed-in
seeker; neither is ever taken from a request parameter."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from jobpilot.analytics.models import (
    Event,
    Period,
    PlatformActivity,
    SeekerApplySource,
    SeekerStat,
)
from jobpilot.analytics.services import ACTIVE_WINDOW_DAYS
from jobpilot.core.errors import Invalid

MAX_RANGE_DAYS = 731  # two years: the retention of events is 25 months
DEFAULT_RANGE_DAYS = 30


def events_export_data(*, seeker) -> list[dict]:
    """The seeker's own events for the privacy export, oldest first."""
    return list(
        Event.objects.filter(seeker_id=seeker.pk)
        .order_by("occurred_at", "id")
        .values("occurred_at", "kind", "source", "job_public_id", "utm")
    )


# --- Ranges ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRange:
    since: date
    until: date  # inclusive
    granularity: str  # Period.DAY or Period.WEEK: the buckets of the trend

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def buckets(self) -> list[date]:
        if self.granularity == Period.WEEK:
            first = self.since - timedelta(days=self.since.weekday())
            return [first + timedelta(weeks=n) for n in range((self.until - first).days // 7 + 1)]
        return [self.since + timedelta(days=n) for n in range(self.days)]

    def period_filter(self, prefix: str = "") -> Q:
        """The rollup rows of the trend's buckets (weeks: those starting on or before `until` and ending on or after
        `since`)."""
        if self.granularity == Period.WEEK:
            first = self.since - timedelta(days=self.since.weekday())
            return Q(**{f"{prefix}period": Period.WEEK, f"{prefix}period_start__range": (first, self.until)})
        return Q(**{f"{prefix}period": Period.DAY, f"{prefix}period_start__range": (self.since, self.until)})


def date_range_parse(
    *, since: date | None, until: date | None, granularity: str | None = None, today: date | None = None
) -> DateRange:
    """Defaults to the last 30 days; refuses a reversed range, a future start, or one longer than two years (422).
    Ranges over 92 days trend by week unless asked."""
    today = today or timezone.now().date()
    until = until or today
    since = since or until - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if since > until:
        raise Invalid("“since” must not be after “until”.", code="invalid_range")
    if since > today:
        raise Invalid("“since” is in the future.", code="invalid_range")
    if (until - since).days + 1 > MAX_RANGE_DAYS:
        raise Invalid(f"A range covers at most {MAX_RANGE_DAYS} days.", code="range_too_long")
    if granularity is None:
        granularity = Period.WEEK if (until - since).days >= 92 else Period.DAY
    if granularity not in Period.values:
        raise Invalid("“granularity” is day or week.", code="invalid_granularity")
    return DateRange(since=since, until=until, granularity=granularity)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _hours(seconds: int | float, count: int) -> float | None:
    return round(seconds / count / 3600, 2) if count else None


_EVENT_SUMS = {
    "views": Sum("views"),
    "saves": Sum("saves"),
    "apply_started": Sum("apply_started"),
    "applies": Sum("applies"),
    "alert_clicks": Sum("alert_clicks"),
    "recommendation_clicks": Sum("recommendation_clicks"),
}


def _totals_of(rows) -> dict:
    return {key: value or 0 for key, value in rows.aggregate(**_EVENT_SUMS).items()}


# --- Employer -------------------------------------------------------------------------------------------------------


# One statement per rollup table, each grouping the range's rows of the tenant several ways at once (GROUPING SETS):
# per job, per source (or stage), and per trend bucket. The per-job and per-source groups count the day rows of the
# range (`in_range`); the trend's groups count the rows of its buckets (`in_trend`: the same day rows, or the week
# rows over them). `GROUPING(...)` says which set a row belongs to. The SQL joins module constants only, never
# input.
_JOBSTAT_COUNTS = ("impressions", *_EVENT_SUMS)
_ROWS_OF_RANGE = """
    FROM (
        SELECT *, (period = 'day' AND period_start BETWEEN %(since)s AND %(until)s) AS in_range,
            (period = %(trend_period)s AND period_start BETWEEN %(trend_first)s AND %(until)s) AS in_trend
        FROM {table}
        WHERE tenant_id = %(tenant)s AND job_public_id = COALESCE(%(job)s, job_public_id)
            AND ((period = 'day' AND period_start BETWEEN %(since)s AND %(until)s)
                 OR (period = %(trend_period)s AND period_start BETWEEN %(trend_first)s AND %(until)s))
    ) r
"""
_JOBSTAT_SQL = (
    "SELECT GROUPING(job_public_id), GROUPING(source), job_public_id, source, period_start, "
    "count(*) FILTER (WHERE in_range), count(*) FILTER (WHERE in_trend), "
    + ", ".join(f"COALESCE(sum({column}) FILTER (WHERE in_range), 0)" for column in _JOBSTAT_COUNTS)
    + ", COALESCE(sum(views) FILTER (WHERE in_trend), 0), COALESCE(sum(applies) FILTER (WHERE in_trend), 0)"
    + _ROWS_OF_RANGE.format(table="analytics_jobstat")
    + "GROUP BY GROUPING SETS ((job_public_id), (source), (period_start))"
)
_PIPELINESTAT_SQL = (
    """SELECT GROUPING(job_public_id), GROUPING(stage_id), job_public_id, stage_id, period_start,
        count(*) FILTER (WHERE in_range), count(*) FILTER (WHERE in_range AND public_status = 'hired'),
        count(*) FILTER (WHERE in_trend AND public_status = 'hired'),
        max(stage_name) FILTER (WHERE in_range), max(stage_position) FILTER (WHERE in_range),
        max(public_status) FILTER (WHERE in_range),
        COALESCE(sum(entered) FILTER (WHERE in_range), 0), COALESCE(sum(exited) FILTER (WHERE in_range), 0),
        COALESCE(sum(seconds_in_stage) FILTER (WHERE in_range), 0)::bigint,
        COALESCE(sum(seconds_to_hire) FILTER (WHERE in_range), 0)::bigint,
        COALESCE(sum(hired_after_offer) FILTER (WHERE in_range), 0),
        COALESCE(sum(entered) FILTER (WHERE in_range AND public_status = 'hired'), 0),
        COALESCE(sum(entered) FILTER (WHERE in_trend AND public_status = 'hired'), 0)"""
    + _ROWS_OF_RANGE.format(table="analytics_pipelinestat")
    + "GROUP BY GROUPING SETS ((job_public_id), (stage_id), (period_start))"
)
_COHORT_SQL = """
    SELECT stage_id, sum(applications), max(stage_position) FROM analytics_pipelinecohort
    WHERE tenant_id = %(tenant)s AND applied_on BETWEEN %(since)s AND %(until)s
        AND job_public_id = COALESCE(%(job)s, job_public_id)
    GROUP BY stage_id
"""
# In the tenant's own schema (first on the request's search_path).
_TITLES_SQL = "SELECT public_id, title FROM jobs_jobposting WHERE public_id = ANY(%s)"
_STAGES_SQL = "SELECT id, name, position, public_status FROM applications_pipelinestage ORDER BY position, id"


def job_performance(*, tenant, dates: DateRange, job_public_id=None) -> dict:
    """The employer's numbers over `dates` (days, from the day rollups; the trend in the range's buckets): per job
    impressions, views, applies and view -> apply conversion; applicants by source; the pipeline funnel with
    stage-to-stage conversion, average time in each stage, time to hire and offers accepted. Five statements on
    one cursor (so one `SET search_path`): one per rollup table (grouping sets: per job, per source or stage, per
    trend bucket), the cohort, and the job titles and stages from the tenant's own schema.

    The funnel is a cohort: the applications made in the range, and how many of them reached at least each stage
    (in stage order, rejection stages apart), so stage-to-stage conversion is at most 100%.
    "Hiring analytics" on the pricing page: without `Feature.ANALYTICS` this raises 402 `feature_not_in_plan`."""
    from django.db import connection

    from billing.entitlements import require_feature
    from billing.plans import Feature
    from billing.selectors import billing_account_for_tenant

    require_feature(billing_account_for_tenant(tenant), Feature.ANALYTICS)
    trend_first = dates.buckets()[0]
    params = {
        "tenant": tenant.pk,
        "since": dates.since,
        "until": dates.until,
        "job": job_public_id,
        "trend_period": str(dates.granularity),
        "trend_first": trend_first,
    }
    per_job, by_source, trend_events = {}, [], {}
    hires_per_job, stage_rows, trend_hires = {}, [], {}
    with connection.cursor() as cursor:  # the request's tenant schema, then public (the rollups)
        cursor.execute(_JOBSTAT_SQL, params)
        for by_job, by_src, job_id, source, period_start, n_range, n_trend, *counts in cursor.fetchall():
            sums = dict(zip(_JOBSTAT_COUNTS, counts[: len(_JOBSTAT_COUNTS)], strict=True))
            if not by_job and n_range:
                per_job[job_id] = sums
            elif not by_src and n_range:
                by_source.append({"source": source, "applies": sums["applies"], "views": sums["views"]})
            elif by_job and by_src and n_trend:
                trend_events[period_start] = {"views": counts[-2], "applies": counts[-1]}
        cursor.execute(_PIPELINESTAT_SQL, params)
        for row in cursor.fetchall():
            by_job, by_stage, job_id, stage_id, period_start, n_range, n_hired, n_trend_hired = row[:8]
            name, position, status, entered, exited, seconds, to_hire, after_offer, hired, trend_hired = row[
                8:
            ]
            if not by_job and n_hired:
                hires_per_job[job_id] = hired
            elif not by_stage and n_range:
                stage_rows.append(
                    {
                        "stage_id": stage_id,
                        "name": name,
                        "position": position,
                        "public_status": status,
                        "entered": entered,
                        "exited": exited,
                        "seconds": seconds,
                        "to_hire": to_hire,
                        "after_offer": after_offer,
                    }
                )
            elif by_job and by_stage and n_trend_hired:
                trend_hires[period_start] = trend_hired
        cursor.execute(_COHORT_SQL, params)
        stopped = [{"stage_id": s, "n": n, "position": p} for s, n, p in cursor.fetchall()]
        job_ids = set(per_job) | set(hires_per_job)
        titles = {}
        if job_ids:
            cursor.execute(_TITLES_SQL, [list(job_ids)])
            titles = dict(cursor.fetchall())
        cursor.execute(_STAGES_SQL)
        current_stages = cursor.fetchall()
    by_source.sort(key=lambda row: (-row["applies"], row["source"]))
    jobs = []
    for job_id in job_ids:
        row = per_job.get(job_id, {})
        views, applies = row.get("views") or 0, row.get("applies") or 0
        jobs.append(
            {
                "job_id": job_id,
                "title": titles.get(job_id, "(deleted job)"),
                "impressions": row.get("impressions") or 0,
                "views": views,
                "applies": applies,
                "saves": row.get("saves") or 0,
                "view_to_apply_rate": _rate(applies, views),
                "hires": hires_per_job.get(job_id, 0),
            }
        )
    jobs.sort(key=lambda job: (-job["applies"], -job["views"], job["title"]))
    # Every current stage of the tenant (its own schema) in order, zero where nothing happened; a stage deleted
    # since keeps its rows at the position it had.
    rolled = {row["stage_id"]: row for row in stage_rows}
    for stage_id, name, position, public_status in current_stages:
        rolled.setdefault(
            stage_id,
            {"stage_id": stage_id, "entered": 0, "exited": 0, "seconds": 0, "to_hire": 0, "after_offer": 0},
        ).update(name=name, position=position, public_status=public_status)
    stage_rows = sorted(rolled.values(), key=lambda row: (row["position"], row["stage_id"]))
    funnel = _cohort_funnel(stopped=stopped, stage_rows=stage_rows)
    hired = [s for s in stage_rows if s["public_status"] == "hired"]
    hires = sum(s["entered"] for s in hired)
    offers = sum(s["entered"] for s in stage_rows if s["public_status"] == "offer")
    accepted = sum(s["after_offer"] for s in hired)
    return {
        "since": dates.since,
        "until": dates.until,
        "granularity": dates.granularity,
        "totals": {key: sum(row[key] for row in per_job.values()) for key in (*_EVENT_SUMS, "impressions")},
        "jobs": jobs,
        "applicants_by_source": by_source,
        "funnel": funnel,
        "time_in_stage": [
            {
                "stage_id": s["stage_id"],
                "name": s["name"],
                "stays_ended": s["exited"],
                "average_hours": _hours(s["seconds"], s["exited"]),
            }
            for s in stage_rows
        ],
        "hires": hires,
        "average_days_to_hire": round(sum(s["to_hire"] for s in hired) / hires / 86400, 2) if hires else None,
        "offers": {"made": offers, "accepted": accepted, "acceptance_rate": _rate(accepted, offers)},
        "trend": [
            {
                "period_start": bucket,
                "views": trend_events.get(bucket, {}).get("views", 0),
                "applies": trend_events.get(bucket, {}).get("applies", 0),
                "hires": trend_hires.get(bucket, 0),
            }
            for bucket in dates.buckets()
        ],
    }


def _cohort_funnel(*, stopped: list[dict], stage_rows: list[dict]) -> list[dict]:
    """Stages in order (the tenant's current ones, and rolled-up ones since deleted); each counts the range's
    applications whose furthest stage is at or after it (`stopped`: the cohort's applications by furthest
    stage)."""
    steps = [s for s in stage_rows if s["public_status"] != "not_selected"]
    funnel, previous = [], None
    for stage in steps:
        reached = sum(
            row["n"]
            for row in stopped
            if (row["position"], row["stage_id"]) >= (stage["position"], stage["stage_id"])
        )
        funnel.append(
            {
                "stage_id": stage["stage_id"],
                "name": stage["name"],
                "public_status": stage["public_status"],
                "reached": reached,
                "conversion_from_previous": _rate(reached, previous) if previous is not None else None,
            }
        )
        previous = reached
    return funnel


# --- Seeker ---------------------------------------------------------------------------------------------------------


def user_behavior(*, seeker, dates: DateRange) -> dict:
    """The seeker's own activity (from their rollups) and outcomes (from their tracker rows applied in the range):
    response rate, interviews per application, time to first response, and the funnel by source and by job type.
    The source of a JobPilot application is where the seeker found the job (its first apply event); hand-tracked
    ones are `external`. The job type comes from the marketplace index (`unknown` once the job is gone)."""
    from jobpilot.marketplace.models import MarketplaceJob
    from jobpilot.tracker.models import INTERVIEW_OR_LATER, TrackedApplication

    activity = SeekerStat.objects.filter(
        seeker_id=seeker.pk, period=Period.DAY, period_start__range=(dates.since, dates.until)
    )
    applications = list(
        TrackedApplication.objects.filter(seeker=seeker, applied_on__range=(dates.since, dates.until)).values(
            "id",
            "source",
            "job_public_id",
            "status",
            "responded",
            "reached_interview",
            "reached_offer",
            "applied_on",
            "first_response_at",
        )
    )
    job_ids = {a["job_public_id"] for a in applications if a["job_public_id"]}
    found_via = dict(
        SeekerApplySource.objects.filter(seeker_id=seeker.pk, job_public_id__in=job_ids).values_list(
            "job_public_id", "source"
        )
    )
    job_types = dict(
        MarketplaceJob.objects.filter(public_id__in=job_ids).values_list("public_id", "job_type")
    )

    def funnel_by(key) -> list[dict]:
        groups: dict[str, dict] = {}
        for a in applications:
            group = groups.setdefault(
                key(a), {"key": key(a), "applications": 0, "responses": 0, "interviews": 0, "offers": 0}
            )
            group["applications"] += 1
            group["responses"] += a["responded"]
            group["interviews"] += a["reached_interview"] or a["status"] in INTERVIEW_OR_LATER
            group["offers"] += a["reached_offer"]
        for group in groups.values():
            group["response_rate"] = _rate(group["responses"], group["applications"])
        return sorted(groups.values(), key=lambda g: (-g["applications"], g["key"]))

    def source_of(a) -> str:
        if a["source"] == TrackedApplication.Source.EXTERNAL:
            return "external"
        return found_via.get(a["job_public_id"], "jobpilot")

    total = len(applications)
    responded = sum(a["responded"] for a in applications)
    interviews = sum(bool(a["reached_interview"]) for a in applications)
    delays = [
        (a["first_response_at"].date() - a["applied_on"]).days for a in applications if a["first_response_at"]
    ]
    trend_rows = {
        row["period_start"]: row
        for row in SeekerStat.objects.filter(Q(seeker_id=seeker.pk) & dates.period_filter())
        .values("period_start")
        .annotate(views=Sum("views"), applies=Sum("applies"), saves=Sum("saves"))
        .order_by()
    }
    applied_per_bucket = _count_per_bucket([a["applied_on"] for a in applications], dates)
    return {
        "since": dates.since,
        "until": dates.until,
        "granularity": dates.granularity,
        "activity": _totals_of(activity),
        "applications": total,
        "responses": responded,
        "response_rate": _rate(responded, total),
        "interviews": interviews,
        "interviews_per_application": _rate(interviews, total),
        "offers": sum(bool(a["reached_offer"]) for a in applications),
        "average_days_to_first_response": round(sum(delays) / len(delays), 2) if delays else None,
        "funnel_by_source": funnel_by(source_of),
        "funnel_by_job_type": funnel_by(lambda a: job_types.get(a["job_public_id"], "unknown")),
        "trend": [
            {
                "period_start": bucket,
                "views": trend_rows.get(bucket, {}).get("views") or 0,
                "saves": trend_rows.get(bucket, {}).get("saves") or 0,
                "applications": applied_per_bucket.get(bucket, 0),
            }
            for bucket in dates.buckets()
        ],
    }


def _count_per_bucket(days: list[date], dates: DateRange) -> dict[date, int]:
    counts: dict[date, int] = {}
    for day in days:
        bucket = day - timedelta(days=day.weekday()) if dates.granularity == Period.WEEK else day
        counts[bucket] = counts.get(bucket, 0) + 1
    return counts


# --- Platform (staff) -----------------------------------------------------------------------------------------------

CHURN_WINDOW_DAYS = 30


def platform_metrics(*, today: date | None = None) -> dict:
    """The operator's numbers from the billing state: MRR and ARR of paying subscriptions (a yearly price counts a
    twelfth a month; trials and administrator-assigned plans are not revenue), churn over the last 30 days
    (subscriptions Stripe deleted, over those paying at the start), trial conversion, plan mix by audience, active
    employers / seekers / API customers, and API usage by customer this month."""
    from billing.entitlements import period_key
    from billing.models import StripeEvent, UsageCounter
    from billing.plans import Audience, Interval, Metric, get_plan

    now = timezone.now()
    today = today or now.date()
    window_start = now - timedelta(days=CHURN_WINDOW_DAYS)
    groups = _billing_groups(now)
    mrr_cents, paying, mix = 0, 0, {}
    by_audience_mrr = {audience.value: 0 for audience in Audience}
    for group in groups:
        audience_mix = mix.setdefault(group["audience"], {})
        audience_mix[group["effective"]] = audience_mix.get(group["effective"], 0) + group["accounts"]
        if not group["revenue"]:
            continue
        interval = Interval(group["billing_interval"] or Interval.MONTH)
        price = get_plan(group["plan_code"]).prices.get(interval, 0)
        monthly = price if interval == Interval.MONTH else round(price / 12)
        mrr_cents += monthly * group["accounts"]
        by_audience_mrr[group["audience"]] += monthly * group["accounts"]
        paying += group["accounts"]
    churned = (
        StripeEvent.objects.filter(type="customer.subscription.deleted", stripe_created_at__gte=window_start)
        .values("account_id")
        .distinct()
        .count()
    )
    trials_ended = sum(group["trials_ended"] for group in groups)
    converted = sum(group["converted"] for group in groups)
    api_usage = list(
        UsageCounter.objects.filter(
            metric=Metric.API_REQUESTS_PER_DAY,
            account__audience=Audience.API,
            period__startswith=period_key(Metric.API_REQUESTS_PER_DAY, now)[:7],
        )
        .values("account_id", "account__user__email")
        .annotate(requests=Sum("used"), days=Count("id"))
        .order_by("-requests")[:50]
    )
    # Distinct actives over 30 days are counted by the rollup (the latest day rolled up up to today).
    activity = PlatformActivity.objects.filter(day__lte=today).order_by("-day").first()
    return {
        "mrr_cents": mrr_cents,
        "arr_cents": mrr_cents * 12,
        "mrr_by_audience_cents": by_audience_mrr,
        "paying_accounts": paying,
        "churn": {
            "window_days": CHURN_WINDOW_DAYS,
            "churned": churned,
            "rate": _rate(churned, paying + churned),
        },
        "trial_conversion": {
            "trials_ended": trials_ended,
            "converted": converted,
            "rate": _rate(converted, trials_ended),
        },
        "plan_mix": [
            {"audience": audience, "plan": code, "accounts": n}
            for audience, plans in sorted(mix.items())
            for code, n in sorted(plans.items())
        ],
        "active": {
            "window_days": ACTIVE_WINDOW_DAYS,
            "as_of": activity.day if activity else None,
            "employers": activity.active_employers if activity else 0,
            "seekers": activity.active_seekers if activity else 0,
            "api_customers": len(api_usage),
        },
        "api_usage": [
            {
                "account_id": row["account_id"],
                "email": row["account__user__email"],
                "requests": row["requests"],
                "days_active": row["days"],
            }
            for row in api_usage
        ],
    }


def _billing_groups(now) -> list[dict]:
    """The billing accounts counted in one GROUP BY (a row per audience, effective plan, subscribed plan, interval
    and whether it is revenue), so the platform page costs the same at a million accounts. The effective plan is
    `BillingAccount.effective_plan` in SQL: an administrator's plan wins; a paid subscription counts while trialing
    or active, and while past due within the grace period; else the audience's free plan. Revenue: a paid plan,
    active or past due within grace, not assigned by an administrator (and not a trial)."""
    from django.conf import settings
    from django.db.models import Case, CharField, F, Value, When

    from billing.models import PAID_ACCESS_STATUSES, BillingAccount, SubscriptionStatus
    from billing.plans import PLANS, Audience, free_plan

    paid_codes = [plan.code for plan in PLANS if not plan.is_free]
    in_grace = Q(past_due_since__gt=now - timedelta(days=settings.BILLING_GRACE_DAYS))
    subscribed_in_force = Q(plan_code__in=paid_codes) & (
        Q(subscription_status__in=list(PAID_ACCESS_STATUSES)) | in_grace
    )
    effective = Case(
        When(manual_plan_code__in=[plan.code for plan in PLANS], then=F("manual_plan_code")),
        When(subscribed_in_force, then=F("plan_code")),
        *[When(audience=audience.value, then=Value(free_plan(audience).code)) for audience in Audience],
        output_field=CharField(),
    )
    revenue = (
        Q(manual_plan_code="")
        & Q(plan_code__in=paid_codes)
        & (
            Q(subscription_status=SubscriptionStatus.ACTIVE)
            | (Q(subscription_status=SubscriptionStatus.PAST_DUE) & in_grace)
        )
    )
    trial_ended = Q(trial_used=True) & ~Q(subscription_status=SubscriptionStatus.TRIALING)
    return list(
        BillingAccount.objects.annotate(
            effective=effective, revenue=Case(When(revenue, then=Value(True)), default=Value(False))
        )
        .values("audience", "effective", "plan_code", "billing_interval", "revenue")
        .annotate(
            accounts=Count("id"),
            trials_ended=Count("id", filter=trial_ended),
            converted=Count(
                "id",
                filter=trial_ended
                & Q(subscription_status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE]),
            ),
        )
        .order_by()
    )


# --- Matching -------------------------------------------------------------------------------------------------------

SCORE_BUCKETS = [f"{10 * n}-{10 * n + 9}" for n in range(9)] + ["90-100"]


def recommendation_rates(*, dates: DateRange) -> dict:
    """Platform-wide and aggregate (no employer's own numbers): click-through (views / impressions) and apply rate
    (applies / views) of the `recommendation` source against every other source, from the platform day rollups."""
    from jobpilot.analytics.models import PlatformStat

    rows = PlatformStat.objects.filter(period=Period.DAY, period_start__range=(dates.since, dates.until))
    out = {}
    for name, condition in (
        ("recommendation", Q(source=Event.Source.RECOMMENDATION)),
        ("other", ~Q(source=Event.Source.RECOMMENDATION)),
    ):
        sums = rows.filter(condition).aggregate(i=Sum("impressions"), v=Sum("views"), a=Sum("applies"))
        impressions, views, applies = sums["i"] or 0, sums["v"] or 0, sums["a"] or 0
        out[name] = {
            "impressions": impressions,
            "views": views,
            "applies": applies,
            "ctr": _rate(views, impressions),
            "apply_rate": _rate(applies, views),
        }
    return out


def score_distribution(*, tenant, dates: DateRange) -> list[dict]:
    """The employer's applications made in the range by match-score bucket (the score stored at apply), all and
    hired; the ten buckets in order, then "unscored". Reads only this tenant's rows."""
    from jobpilot.analytics.models import ScoreCohort

    counts = {
        row["bucket"]: row
        for row in ScoreCohort.objects.filter(
            tenant_id=tenant.pk, applied_on__range=(dates.since, dates.until)
        )
        .values("bucket")
        .annotate(applicants=Sum("applicants"), hires=Sum("hires"))
        .order_by()
    }
    return [
        {
            "bucket": SCORE_BUCKETS[n] if n is not None else "unscored",
            "applicants": counts.get(n, {}).get("applicants", 0),
            "hires": counts.get(n, {}).get("hires", 0),
        }
        for n in [*range(10), None]
    ]


def matching_metrics(*, tenant, dates: DateRange) -> dict:
    """On an employer's host (a member; 402 without hiring analytics): their jobs' score distribution and the
    platform's recommendation rates. On the public host (the caller checks staff): the rates alone."""
    distribution = None
    if not tenant.is_public:
        from billing.entitlements import require_feature
        from billing.plans import Feature
        from billing.selectors import billing_account_for_tenant

        require_feature(billing_account_for_tenant(tenant), Feature.ANALYTICS)
        distribution = score_distribution(tenant=tenant, dates=dates)
    return {
        "since": dates.since,
        "until": dates.until,
        "recommendations": recommendation_rates(dates=dates),
        "score_distribution": distribution,
    }
