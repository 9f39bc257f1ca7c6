"""Shapes of the webhooks API."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from jobpilot.core.openapi import schema_example
from jobpilot.webhooks import examples
from jobpilot.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

# Subscribable event names (the OpenAPI document lists them; the service refuses others with a clear 422).
EventName = str


class WebhookEndpointIn(Schema):
    model_config = schema_example(examples.ENDPOINT_IN)

    url: str = Field(min_length=1, max_length=500)
    description: str = Field("", max_length=200)
    event_types: list[EventName] = Field(min_length=1, max_length=40)
    is_active: bool = True


class WebhookEndpointPatch(Schema):
    model_config = schema_example(examples.ENDPOINT_PATCH)

    url: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=200)
    event_types: list[EventName] | None = Field(None, min_length=1, max_length=40)
    is_active: bool | None = None

    def changes(self) -> dict:
        return {key: value for key, value in self.model_dump(exclude_unset=True).items() if value is not None}


class WebhookEndpointOut(Schema):
    model_config = schema_example(examples.ENDPOINT)

    id: int
    url: str
    description: str
    event_types: list[str]
    is_active: bool
    secret_hint: str
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_secret_hint(endpoint: WebhookEndpoint) -> str:
        return f"…{endpoint.secret[-4:]}"


class WebhookEndpointCreatedOut(WebhookEndpointOut):
    """The one answer that carries the secret in full (and the rotation's)."""

    model_config = schema_example(examples.ENDPOINT_CREATED)

    secret: str


class WebhookSecretRotateIn(Schema):
    model_config = schema_example(examples.ROTATE_IN)

    previous_secret_valid_hours: int = 24


class WebhookSecretOut(Schema):
    model_config = schema_example(examples.SECRET_ROTATED)

    secret: str
    previous_secret_expires_at: datetime | None


class WebhookDeliveryOut(Schema):
    model_config = schema_example(examples.DELIVERY)

    id: int
    endpoint_id: int
    event_id: UUID
    event_type: str
    status: WebhookDelivery.Status
    attempt_count: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_response_status: int | None
    last_error: str
    created_at: datetime

    @staticmethod
    def resolve_event_id(delivery: WebhookDelivery) -> UUID:
        return delivery.event.public_id

    @staticmethod
    def resolve_event_type(delivery: WebhookDelivery) -> str:
        return delivery.event.type


class WebhookAttemptOut(Schema):
    number: int
    reason: WebhookDelivery.Reason
    started_at: datetime
    duration_ms: int
    response_status: int | None
    response_body: str
    error: str
    succeeded: bool

    @staticmethod
    def resolve_reason(attempt: WebhookAttempt) -> str:
        return attempt.reason


class WebhookDeliveryDetailOut(WebhookDeliveryOut):
    model_config = schema_example(examples.DELIVERY_DETAIL)

    body: str
    attempts: list[WebhookAttemptOut]

    @staticmethod
    def resolve_body(delivery: WebhookDelivery) -> str:
        return delivery.event.body

    @staticmethod
    def resolve_attempts(delivery: WebhookDelivery) -> list:
        return list(delivery.attempts.all())


class WebhookDeliveryFilters(Schema):
    status: WebhookDelivery.Status | None = None


class WebhookEventTypeOut(Schema):
    type: str
    description: str
