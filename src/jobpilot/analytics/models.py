"""Analytics events: one append-only table in the public schema, partitioned by month (created by RunSQL in
0001; Django does not manage it). Keyed by tenant id + job public id so one query can serve an employer, the
marketplace and the platform; see docs/adr/0021-analytics-events.md."""

from django.db import models


class Event(models.Model):
    class Kind(models.TextChoices):
        IMPRESSION = "impression"  # never carries a seeker: a list shown says nothing about who looked
        VIEW = "view"
        APPLY_STARTED = "apply_started"
        APPLY_SUBMITTED = "apply_submitted"
        SAVE = "save"
        ALERT_CLICK = "alert_click"
        RECOMMENDATION_CLICK = "recommendation_click"

    class Source(models.TextChoices):
        MARKETPLACE = "marketplace"
        CAREERS_SITE = "careers_site"
        API = "api"
        ALERT_EMAIL = "alert_email"
        IMPORTED = "imported"
        RECOMMENDATION = "recommendation"  # a recommended list shown, or a click from one (utm_source)

    id = models.BigAutoField(
        primary_key=True
    )  # the real key is (id, occurred_at): partitions need the key column
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=24, choices=Kind.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    tenant_id = models.IntegerField(null=True)  # null: an imported listing
    job_public_id = models.UUIDField()
    seeker_id = models.IntegerField(null=True)
    utm = models.JSONField(default=dict)

    class Meta:
        managed = False
        db_table = "analytics_event"

    def __str__(self) -> str:
        return f"{self.kind} {self.job_public_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


# --- Rollups --------------------------------------------------------------------------------------------------------
# Dashboards read these, never `analytics_event`. Each row is one period (a UTC day, or a Monday-based week summed from
# the days) of one key; the rollup task deletes a period's rows and writes them again, so re-running a day is
# idempotent. All in the public schema, keyed by tenant id like the events (ADR 0027).


class Period(models.TextChoices):
    DAY = "day"
    WEEK = "week"


class EventCounts(models.Model):
    period = models.CharField(max_length=4, choices=Period.choices)
    period_start = models.DateField()
    source = models.CharField(max_length=16, choices=Event.Source.choices)
    views = models.PositiveIntegerField(default=0)
    saves = models.PositiveIntegerField(default=0)
    apply_started = models.PositiveIntegerField(default=0)
    applies = models.PositiveIntegerField(default=0)
    alert_clicks = models.PositiveIntegerField(default=0)
    recommendation_clicks = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class JobStat(EventCounts):
    """Per job (and so per employer: sum over its tenant id) and source."""

    tenant_id = models.IntegerField(null=True)  # null: an imported listing
    job_public_id = models.UUIDField()
    impressions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "period_start", "job_public_id", "source"], name="jobstat_one_per_key"
            )
        ]
        indexes = [models.Index(fields=["tenant_id", "period", "period_start"], name="jobstat_tenant_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start} job {self.job_public_id} {self.source}"


class SeekerStat(EventCounts):
    """Per seeker and source: what the seeker did (impressions never name a seeker)."""

    seeker_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "period_start", "seeker_id", "source"], name="seekerstat_one_per_key"
            )
        ]
        # The seeker's dashboard reads one seeker's range: the key above leads with the period, for the rollup.
        indexes = [
            models.Index(fields=["seeker_id", "period", "period_start"], name="seekerstat_seeker_period")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start} seeker {self.seeker_id} {self.source}"


class PlatformStat(EventCounts):
    """The whole marketplace per source, with the distinct seekers active in the period."""

    impressions = models.PositiveBigIntegerField(default=0)
    active_seekers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "period_start", "source"], name="platformstat_one_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start} platform {self.source}"


class SeekerApplySource(models.Model):
    """Where the seeker found each job they applied to (the source of its first apply event), so outcomes by
    source join the tracker without reading events."""

    seeker_id = models.IntegerField()
    job_public_id = models.UUIDField()
    source = models.CharField(max_length=16, choices=Event.Source.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seeker_id", "job_public_id"], name="seekerapplysource_one_per_job"
            )
        ]

    def __str__(self) -> str:
        return f"seeker {self.seeker_id} found {self.job_public_id} via {self.source}"


class PipelineStat(models.Model):
    """Per job and pipeline stage, from the tenant schema's append-only history (`applications_statuschange`):
    stays begun (entered) and ended (exited, with their total seconds) in the period; for a hired stage, the seconds
    from application to hire and how many hires had been offered first. Only counts leave the tenant's schema."""

    period = models.CharField(max_length=4, choices=Period.choices)
    period_start = models.DateField()
    tenant_id = models.IntegerField()
    job_public_id = models.UUIDField()
    stage_id = models.IntegerField()
    stage_name = models.CharField(max_length=60)  # as it was named at rollup time
    stage_position = models.PositiveSmallIntegerField(default=0)
    public_status = models.CharField(max_length=16)
    entered = models.PositiveIntegerField(default=0)
    exited = models.PositiveIntegerField(default=0)
    seconds_in_stage = models.BigIntegerField(default=0)  # of the stays that ended
    seconds_to_hire = models.BigIntegerField(default=0)  # hired stages: application -> hire, summed
    hired_after_offer = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "period_start", "tenant_id", "job_public_id", "stage_id"],
                name="pipelinestat_one_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["tenant_id", "period", "period_start"], name="pipelinestat_tenant_period")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.period_start} {self.job_public_id} {self.stage_name}"


class PlatformActivity(models.Model):
    """Distinct active employers (job events) and seekers (their own events) in the 30 days ending on `day`: a
    distinct count cannot be summed from days, so the rollup counts it once per day for the platform page."""

    day = models.DateField(unique=True)
    active_employers = models.PositiveIntegerField(default=0)
    active_seekers = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"activity to {self.day}: {self.active_employers} employers, {self.active_seekers} seekers"


class PipelineCohort(models.Model):
    """Per job and UTC day of application: how many of that day's applications got no further than each stage
    (their furthest non-rejection stage by position, as of the last rollup). The funnel of a range sums these, so
    every stage counts the range's applications that reached at least that far and stage-to-stage conversion never
    exceeds 100%. A day's rows are replaced whenever one of its applications moves (ADR 0027)."""

    tenant_id = models.IntegerField()
    job_public_id = models.UUIDField()
    applied_on = models.DateField()
    stage_id = models.IntegerField()
    stage_name = models.CharField(max_length=60)
    stage_position = models.PositiveSmallIntegerField(default=0)
    public_status = models.CharField(max_length=16)
    applications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_id", "applied_on", "job_public_id", "stage_id"],
                name="pipelinecohort_one_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applied_on} {self.job_public_id}: {self.applications} stopped at {self.stage_name}"


class ScoreCohort(models.Model):
    """Per job, UTC day of application and match-score bucket (0 = 0-9 ... 9 = 90-100; null = unscored: no job
    understanding or no resume/profile to score): how many applied and how many of them are hired now. The score is
    the one stored on the application at apply (`Application.match_score`); one stored without is scored at rollup
    time with the same scorer. Replaced with the day's pipeline cohort (ADR 0027)."""

    tenant_id = models.IntegerField()
    job_public_id = models.UUIDField()
    applied_on = models.DateField()
    bucket = models.PositiveSmallIntegerField(null=True)
    applicants = models.PositiveIntegerField(default=0)
    hires = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_id", "applied_on", "job_public_id", "bucket"],
                name="scorecohort_one_per_key",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.applied_on} {self.job_public_id} bucket {self.bucket}: {self.applicants}/{self.hires}"
