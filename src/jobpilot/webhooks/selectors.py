"""Reads of the current employer's webhooks. Everything here reads the schema the connection is in (the request's
tenant, or the one a task entered), so another employer's endpoint or delivery id is simply not found."""

from datetime import datetime

from django.db.models import Min, Q, QuerySet

from jobpilot.core.errors import NotFound
from jobpilot.webhooks.models import WebhookDelivery, WebhookEndpoint

Status = WebhookDelivery.Status


def webhook_endpoint_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.all()


def webhook_endpoint_get(*, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.", code="webhook_endpoint_not_found")
    return endpoint


def webhook_delivery_list(*, endpoint_id: int, status: str | None = None) -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest first (404 for an unknown endpoint)."""
    endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event", "endpoint")
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries


def webhook_delivery_get(*, delivery_id: int) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.select_related("event", "endpoint")
        .prefetch_related("attempts")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise NotFound("No such webhook delivery.", code="webhook_delivery_not_found")
    return delivery


def webhook_next_due_at() -> datetime | None:
    """When this schema next has a delivery to attempt (a pending retry, or a sender's lease to take over)."""
    times = WebhookDelivery.objects.aggregate(
        pending=Min("next_attempt_at", filter=Q(status=Status.PENDING)),
        leased=Min("lease_expires_at", filter=Q(status=Status.SENDING)),
    )
    return min((at for at in times.values() if at is not None), default=None)


def webhook_deliveries_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of deliveries to attempt now: pending ones whose time has come, and claimed ones whose sender's lease
    ran out (it died before recording its attempt). Oldest first."""
    due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_expires_at__lt=now
    )
    return list(
        WebhookDelivery.objects.filter(due).order_by("created_at", "pk").values_list("pk", flat=True)[:limit]
    )
