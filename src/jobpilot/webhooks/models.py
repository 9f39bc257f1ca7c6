"""Webhook subscriptions, the outbox and the delivery log. Tenant tables: they exist in every employer's schema,
which is the boundary between employers (no tenant column here, and none must be added)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class WebhookEndpoint(models.Model):
    """An employer's receiver: a URL, the event types it wants, and its signing secrets.

    Secrets are stored as they are (not hashed): every delivery is signed with them. During a rotation the
    previous secret signs too, until `previous_secret_expires_at`, so receivers can switch without missing one."""

    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    event_types = ArrayField(models.CharField(max_length=40))
    is_active = models.BooleanField(default=True)
    secret = models.CharField(max_length=80)
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)  # a public-schema user id
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.url

    def signing_secrets(self, now) -> list[str]:
        """The secrets a delivery made at `now` is signed with: the current one, then the previous one while it
        is still valid."""
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(self.previous_secret)
        return secrets


class WebhookEvent(models.Model):
    """The outbox: one row per event, written in the transaction of what happened. `body` is the exact JSON
    every delivery sends (and signs), so retries and redeliveries are byte for byte the same."""

    public_id = models.UUIDField(unique=True)
    type = models.CharField(max_length=40)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.type} {self.public_id}"


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending"  # waiting for `next_attempt_at`
    SENDING = "sending"  # claimed by a sender until `lease_expires_at`
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # no attempt left (a day of retries), or the endpoint was disabled or deleted


class WebhookAttemptReason(models.TextChoices):
    FIRST = "first", "First attempt"
    RETRY = "retry", "Retry after a failure"
    REDELIVER = "redeliver", "Redelivered by hand"
    LEASE_EXPIRED = "lease_expired", "The previous sender stopped before recording its attempt"


class WebhookDelivery(models.Model):
    """One event for one endpoint. A sender claims it (status `sending`, a lease) before each attempt, so one
    event is never sent twice to one endpoint at once; each attempt says why it was made (`next_attempt_reason`
    becomes the attempt's `reason`)."""

    # Named apart from other apps' enums: the OpenAPI document names enums by class name alone.
    Status = WebhookDeliveryStatus
    Reason = WebhookAttemptReason

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    # Attempts in the current round: a redelivery starts a new round of retries.
    round_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.FIRST)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhookdelivery_one_per_endpoint"),
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhookdelivery_endpoint_log"),
            # The sweep's two questions: what is due, and whose lease has run out.
            models.Index(
                fields=["next_attempt_at"], name="webhookdelivery_due", condition=Q(status="pending")
            ),
            models.Index(
                fields=["lease_expires_at"], name="webhookdelivery_leased", condition=Q(status="sending")
            ),
        ]

    def __str__(self):
        return f"{self.event_id} -> {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery, as the log shows it."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=16, choices=WebhookDelivery.Reason.choices)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=1000, blank=True)  # the first 1,000 characters
    error = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhookattempt_number_once"),
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.delivery_id}"
