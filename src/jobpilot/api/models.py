"""API customers' data, all in the public schema: keys, per-key daily usage, the marketplace's change log (what
the changes feed reads) and the ledger of overage reported to Stripe."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class Scope(models.TextChoices):
    JOBS_READ = "jobs:read"
    APPLICATIONS_READ = "applications:read"  # tenant keys only
    APPLICATIONS_WRITE = "applications:write"  # tenant keys only; reserved, nothing accepts it yet


TENANT_ONLY_SCOPES = frozenset({Scope.APPLICATIONS_READ, Scope.APPLICATIONS_WRITE})


class ApiKey(models.Model):
    """A secret an API customer (a user) or an employer (a tenant) calls the API with. Only its SHA-256 is
    stored; `prefix` (mode and the first characters) is what lists show.

    WARNING: `tenant` set means the key reads that employer's private data (its postings, its applicants); it is
    accepted only on that tenant's own domains. Never let a caller choose it."""

    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    # The account whose plan sets the key's rate limit and whose quota it consumes.
    account = models.ForeignKey("billing.BillingAccount", on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=20)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = ArrayField(models.CharField(max_length=32), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, tenant__isnull=True)
                | Q(user__isnull=True, tenant__isnull=False),
                name="api_key_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ApiUsage(models.Model):
    """Requests one key made on one UTC day to one endpoint (a route pattern), and how many were refused with
    429. One upsert per request."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage", db_index=False)
    day = models.DateField()
    endpoint = models.CharField(max_length=200)
    requests = models.PositiveBigIntegerField(default=0)
    throttled = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "day", "endpoint"], name="api_usage_unique")]

    def __str__(self):
        return f"{self.key_id} {self.day} {self.endpoint}"


# NOTIFY channel of the change log: every write of `JobChange` rows notifies it in its transaction.
JOB_CHANGES_CHANNEL = "jobpilot_job_changes"


class JobChange(models.Model):
    """One change of the marketplace index (a job listed, changed or taken down), written by
    `marketplace.services` in the transaction that changed the index.

    Rows are written under one transaction-level lock held to commit (`services.job_changes_record`), so ids
    become visible in id order: a reader that has seen id 10 can never later find an id 9 it skipped."""

    class Kind(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        CLOSED = "closed"

    job_public_id = models.UUIDField()
    # WARNING: the employer whose job changed; a tenant's feed is filtered by it.
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "id"], name="job_change_tenant_order"),
        ]

    def __str__(self):
        return f"{self.kind} {self.job_public_id}"


class MeterReport(models.Model):
    """Overage handed to Stripe's meter: one row per batch, written (with its idempotency identifier) in the
    transaction that decided it, and sent afterwards. A retry resends unsent rows with the same identifier, so
    Stripe counts each once; what was reported for a day is the sum of its rows."""

    account = models.ForeignKey("billing.BillingAccount", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)  # the UTC day of the counter, "2026-11-22"
    value = models.PositiveBigIntegerField()
    identifier = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=True), name="meter_unsent")]

    def __str__(self):
        return self.identifier
