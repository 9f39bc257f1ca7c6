"""Every change to an employer's webhooks, and the delivery of events.

- Subscriptions (`webhook_endpoint_*`): admins and owners, on plans with `Feature.WEBHOOKS` (402 otherwise). The
  API and console check the role; these check the plan and the input.
- Events (`webhook_event_emit`, called by the services where things happen, inside their transaction): one outbox
  row and one delivery per subscribed endpoint, written in the caller's transaction, so a rolled-back change
  sends nothing; the first attempt is queued after commit.
- Delivery (`webhook_delivery_attempt`, from the Celery tasks): claim, POST, record, schedule the next attempt.

Everything runs in the schema of the employer the event belongs to (the request's tenant, or the one a service
entered with `tenant_context`).
"""

import json
import logging
import random
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.entitlements import has_feature, require_feature
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.core.errors import Conflict, Invalid, NotFound
from jobpilot.jobs.selectors import current_tenant
from jobpilot.webhooks import transport
from jobpilot.webhooks.addresses import endpoint_url_check
from jobpilot.webhooks.events import SUBSCRIBABLE, EventType
from jobpilot.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tenants.due_work import due_work_schedule
from tenants.models import DueWork

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
Reason = WebhookDelivery.Reason

MAX_ENDPOINTS = 20
MAX_PREVIOUS_SECRET_HOURS = 7 * 24
# Seconds to wait after each failed attempt of a round: doubling from a minute, then every 8 hours, ~24 h in all
# (12 attempts). Each wait is stretched by up to 10% at random so that a receiver that comes back is not hit by
# every retry at once.
RETRY_SCHEDULE = (60, 120, 240, 480, 960, 1920, 3600, 7200, 14400, 28800, 28800)
MAX_ATTEMPTS_PER_ROUND = len(RETRY_SCHEDULE) + 1


def _new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def _require_plan() -> None:
    # WARNING: billing. Webhooks are a plan feature (402 feature_not_in_plan).
    require_feature(billing_account_for_tenant(current_tenant()), Feature.WEBHOOKS)


def _checked_event_types(event_types: Iterable[str]) -> list[str]:
    known = {str(event) for event in SUBSCRIBABLE}
    chosen = list(dict.fromkeys(str(event) for event in event_types))
    unknown = [event for event in chosen if event not in known]
    if unknown:
        raise Invalid(
            f"No event type is called {unknown[0]!r}.", code="unknown_event_type", field="event_types"
        )
    if not chosen:
        raise Invalid("Choose at least one event type.", code="event_types_required", field="event_types")
    return sorted(chosen)


def _locked_endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.", code="webhook_endpoint_not_found")
    return endpoint


# --- Subscriptions ----------------------------------------------------------------------------------------------------


@transaction.atomic
def webhook_endpoint_create(
    *, actor, url: str, event_types: Iterable[str], description: str = "", is_active: bool = True
) -> WebhookEndpoint:
    """A new endpoint with a new signing secret (`endpoint.secret`: show it to the admin now)."""
    _require_plan()
    event_types = _checked_event_types(event_types)
    url = endpoint_url_check(url)  # last: it resolves the host name
    if WebhookEndpoint.objects.count() >= MAX_ENDPOINTS:
        raise Conflict(f"An employer can have at most {MAX_ENDPOINTS} endpoints.", code="too_many_endpoints")
    return WebhookEndpoint.objects.create(
        url=url,
        description=description.strip(),
        event_types=event_types,
        is_active=is_active,
        secret=_new_secret(),
        created_by_id=getattr(actor, "pk", None),
    )


@transaction.atomic
def webhook_endpoint_update(*, actor, endpoint_id: int, changes: dict) -> WebhookEndpoint:
    """Change the URL, description, event types or whether it is active. Locks the endpoint."""
    _require_plan()
    endpoint = _locked_endpoint(endpoint_id)
    if "event_types" in changes:
        endpoint.event_types = _checked_event_types(changes["event_types"])
    if "url" in changes:
        endpoint.url = endpoint_url_check(changes["url"])
    if "description" in changes:
        endpoint.description = changes["description"].strip()
    if "is_active" in changes:
        endpoint.is_active = bool(changes["is_active"])
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, actor, endpoint_id: int) -> None:
    """Delete the endpoint and its delivery log; deliveries not yet sent are dropped. Allowed on any plan."""
    _locked_endpoint(endpoint_id).delete()


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, actor, endpoint_id: int, previous_valid_hours: int = 24
) -> WebhookEndpoint:
    """A new signing secret. For `previous_valid_hours` the old one signs too (both `v1` signatures are sent),
    so a receiver can switch without refusing a delivery; 0 stops it at once. Rotating again before then drops
    the oldest secret. Locks the endpoint."""
    _require_plan()
    if not 0 <= previous_valid_hours <= MAX_PREVIOUS_SECRET_HOURS:
        raise Invalid(
            f"The previous secret can stay valid for 0 to {MAX_PREVIOUS_SECRET_HOURS} hours.",
            code="invalid_secret_overlap",
            field="previous_secret_valid_hours",
        )
    endpoint = _locked_endpoint(endpoint_id)
    now = timezone.now()
    endpoint.previous_secret = endpoint.secret if previous_valid_hours else ""
    endpoint.previous_secret_expires_at = (
        now + timedelta(hours=previous_valid_hours) if previous_valid_hours else None
    )
    endpoint.secret = _new_secret()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_ping(*, actor, endpoint_id: int) -> WebhookDelivery:
    """Send a `webhook.ping` event to this endpoint only (whatever it subscribes to, active or not)."""
    _require_plan()
    endpoint = _locked_endpoint(endpoint_id)
    tenant = current_tenant()
    event = _event_create(tenant, EventType.PING, {"endpoint": {"id": endpoint.pk, "url": endpoint.url}})
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, next_attempt_at=event.created_at
    )
    _send_after_commit([delivery.pk])
    return delivery


@transaction.atomic
def webhook_delivery_redeliver(*, actor, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again now, whatever its state (the receiver lost it, or it failed for a day), as a new
    round of retries. 409 while it is being sent, or when its endpoint is disabled. Locks the delivery."""
    _require_plan()
    delivery = (
        WebhookDelivery.objects.select_for_update().select_related("endpoint").filter(pk=delivery_id).first()
    )
    if delivery is None:
        raise NotFound("No such webhook delivery.", code="webhook_delivery_not_found")
    now = timezone.now()
    if delivery.status == Status.SENDING and delivery.lease_expires_at and delivery.lease_expires_at > now:
        raise Conflict("This delivery is being sent right now.", code="delivery_in_progress")
    if not delivery.endpoint.is_active:
        raise Conflict("The endpoint is disabled; enable it first.", code="endpoint_disabled")
    delivery.status = Status.PENDING
    delivery.next_attempt_at = now
    delivery.next_attempt_reason = Reason.REDELIVER
    delivery.round_attempts = 0
    delivery.lease_expires_at = None
    delivery.save()
    _send_after_commit([delivery.pk])
    return delivery


# --- Events -----------------------------------------------------------------------------------------------------------


def _event_create(tenant, type: EventType, data: dict) -> WebhookEvent:
    now = timezone.now()
    event_id = uuid.uuid4()
    body = {
        "id": str(event_id),
        "type": str(type),
        "created_at": now.isoformat(),
        "employer": {"slug": tenant.slug, "name": tenant.name},
        "data": data,
    }
    return WebhookEvent.objects.create(
        public_id=event_id, type=type, body=json.dumps(body, cls=DjangoJSONEncoder), created_at=now
    )


def webhook_event_emit(type: EventType, data: dict) -> None:
    """Record an event for every active endpoint subscribed to it, in the caller's transaction; send after commit.

    Call it inside the transaction of the change, in the employer's schema. Costs one indexed query when nobody
    subscribes; nothing is recorded when the plan no longer includes webhooks (endpoints are kept for an
    upgrade)."""
    webhook_events_emit([(type, data)])


def webhook_events_emit(events: list[tuple[EventType, dict]]) -> None:
    """`webhook_event_emit` for several events at once (a bulk move): one endpoint lookup and one plan check."""
    if not events:
        return
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).only("pk", "event_types"))
    wanted = [(type, data, [e for e in endpoints if type in e.event_types]) for type, data in events]
    wanted = [item for item in wanted if item[2]]
    if not wanted:
        return
    tenant = current_tenant()
    if not has_feature(billing_account_for_tenant(tenant), Feature.WEBHOOKS):
        return
    deliveries = []
    for type, data, subscribed in wanted:
        event = _event_create(tenant, type, data)
        deliveries += [
            WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=event.created_at)
            for endpoint in subscribed
        ]
    WebhookDelivery.objects.bulk_create(deliveries)
    _send_after_commit([delivery.pk for delivery in deliveries])


def _send_after_commit(delivery_ids: list[int]) -> None:
    schema = connection.schema_name
    # Should the task be lost, the retry beat looks in this schema once the first sender's lease would be over.
    due_work_schedule(kind=DueWork.Kind.WEBHOOK_DELIVERIES, at=timezone.now() + _lease())

    def send():
        from jobpilot.webhooks.tasks import deliver  # the tasks module imports this one

        # WARNING: the task runs in the schema it is sent from: the schema the deliveries were written in.
        with schema_context(schema):
            for delivery_id in delivery_ids:
                deliver.delay(delivery_id)

    transaction.on_commit(send)


# --- Delivery ---------------------------------------------------------------------------------------------------------


def _lease() -> timedelta:
    # Longer than one attempt can take (connect, then reads of up to 4 KB), so a live sender never loses it.
    return timedelta(
        seconds=settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS + 2 * settings.WEBHOOKS_READ_TIMEOUT_SECONDS + 30
    )


def retry_delay(attempts_in_round: int) -> timedelta:
    """How long to wait after the `attempts_in_round`-th failed attempt of a round (1-based)."""
    base = RETRY_SCHEDULE[min(attempts_in_round, len(RETRY_SCHEDULE)) - 1]
    return timedelta(seconds=base * (1 + random.random() / 10))  # noqa: S311 (jitter, not a secret)


def _claim(delivery_id: int, now: datetime) -> tuple[WebhookDelivery, str] | None:
    """Take the delivery for one attempt, or None when it is not due or someone else holds it. The row lock (SKIP
    LOCKED) and the status decide: two senders never both get it."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.status == Status.PENDING and delivery.next_attempt_at and delivery.next_attempt_at <= now:
            reason = delivery.next_attempt_reason
        elif (
            delivery.status == Status.SENDING
            and delivery.lease_expires_at
            and delivery.lease_expires_at < now
        ):
            reason = Reason.LEASE_EXPIRED
        else:
            return None
        if not delivery.endpoint.is_active:
            delivery.status = Status.FAILED
            delivery.next_attempt_at = delivery.lease_expires_at = None
            delivery.last_error = "Not sent: the endpoint is disabled."
            delivery.save()
            return None
        delivery.status = Status.SENDING
        delivery.lease_expires_at = now + _lease()
        # A sender that dies mid-attempt leaves the delivery to the beat, from when its lease runs out.
        due_work_schedule(kind=DueWork.Kind.WEBHOOK_DELIVERIES, at=delivery.lease_expires_at)
        delivery.attempt_count += 1
        delivery.round_attempts += 1
        delivery.last_attempt_at = now
        delivery.save()
        return delivery, reason


def webhook_delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookAttempt | None:
    """Make one attempt of a delivery if it is due: claim it, POST it signed, record the attempt and what comes
    next (done, a retry after `retry_delay`, or failed after a day of retries). None when it was not due or is
    held by another sender. Never raises for what the receiver does."""
    now = now or timezone.now()
    claimed = _claim(delivery_id, now)
    if claimed is None:
        return None
    delivery, reason = claimed
    endpoint, event = delivery.endpoint, delivery.event
    outcome = transport.post(
        url=endpoint.url,
        body=event.body.encode(),
        headers={
            "JobPilot-Event-Id": str(event.public_id),
            "JobPilot-Event-Type": event.type,
            "JobPilot-Delivery-Id": str(delivery.pk),
            "JobPilot-Delivery-Attempt": str(delivery.attempt_count),
        },
        secrets=endpoint.signing_secrets(timezone.now()),
    )
    return _record(delivery, reason=reason, started_at=now, outcome=outcome)


@transaction.atomic
def _record(delivery: WebhookDelivery, *, reason: str, started_at: datetime, outcome: transport.Outcome):
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count,
        reason=reason,
        started_at=started_at,
        duration_ms=outcome.duration_ms,
        response_status=outcome.status,
        response_body=outcome.body,
        error=outcome.error,
        succeeded=outcome.succeeded,
    )
    current = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
    if current is None or current.status != Status.SENDING or current.attempt_count != delivery.attempt_count:
        # Our lease ran out and another sender took over (or the endpoint was deleted): its state stands.
        return attempt
    now = started_at + timedelta(milliseconds=outcome.duration_ms)
    current.lease_expires_at = None
    current.last_response_status = outcome.status
    current.last_error = outcome.error or (
        "" if outcome.succeeded else f"The receiver answered {outcome.status}."
    )
    if outcome.succeeded:
        current.status, current.next_attempt_at = Status.SUCCEEDED, None
    elif current.round_attempts < MAX_ATTEMPTS_PER_ROUND:
        current.status = Status.PENDING
        current.next_attempt_at = now + retry_delay(current.round_attempts)
        current.next_attempt_reason = Reason.RETRY
        due_work_schedule(kind=DueWork.Kind.WEBHOOK_DELIVERIES, at=current.next_attempt_at)
    else:
        current.status, current.next_attempt_at = Status.FAILED, None
    current.save()
    if not outcome.succeeded:
        logger.info(
            "Webhook delivery %s attempt %s to %s failed: %s",
            delivery.pk,
            attempt.number,
            delivery.endpoint.url,
            current.last_error,
        )
    return attempt
