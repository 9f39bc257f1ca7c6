"""Webhooks on the employer's own domain: `/api/v1/employer/webhooks/`. Admins and owners only (members with a
lower role get 403, everyone else 404); writes need a plan with webhooks (402). The tenant is always the host's."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import response_example
from jobpilot.tracker.pagination import PageNumberResults
from jobpilot.webhooks import examples, selectors, services
from jobpilot.webhooks.events import SUBSCRIBABLE
from jobpilot.webhooks.schemas import (
    WebhookDeliveryDetailOut,
    WebhookDeliveryFilters,
    WebhookDeliveryOut,
    WebhookEndpointCreatedOut,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPatch,
    WebhookEventTypeOut,
    WebhookSecretOut,
    WebhookSecretRotateIn,
)
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["employer webhooks"])
ADMIN = Membership.Role.ADMIN


@router.get(
    "/event-types/",
    response=list[WebhookEventTypeOut],
    summary="The event types an endpoint can subscribe to",
    openapi_extra=response_example(examples.EVENT_TYPES),
)
def list_event_types(request):
    require_member(request, ADMIN)
    return [{"type": event.value, "description": event.label} for event in SUBSCRIBABLE]


@router.get("/", response=list[WebhookEndpointOut], summary="The employer's webhook endpoints")
def list_endpoints(request):
    require_member(request, ADMIN)
    return selectors.webhook_endpoint_list()


@router.post(
    "/", response={201: WebhookEndpointCreatedOut}, summary="Add an endpoint (answers its secret once)"
)
def create_endpoint(request, body: WebhookEndpointIn):
    """422 for a URL that is not https or does not resolve to public addresses (`url_not_public`) and for an
    unknown event type; 402 on a plan without webhooks."""
    require_member(request, ADMIN)
    return Status(201, services.webhook_endpoint_create(actor=request.auth, **body.model_dump()))


@router.get("/{int:endpoint_id}/", response=WebhookEndpointOut, summary="One endpoint")
def get_endpoint(request, endpoint_id: int):
    require_member(request, ADMIN)
    return selectors.webhook_endpoint_get(endpoint_id=endpoint_id)


@router.patch("/{int:endpoint_id}/", response=WebhookEndpointOut, summary="Change an endpoint")
def update_endpoint(request, endpoint_id: int, body: WebhookEndpointPatch):
    require_member(request, ADMIN)
    return services.webhook_endpoint_update(
        actor=request.auth, endpoint_id=endpoint_id, changes=body.changes()
    )


@router.delete("/{int:endpoint_id}/", response={204: None}, summary="Delete an endpoint and its log")
def delete_endpoint(request, endpoint_id: int):
    require_member(request, ADMIN)
    services.webhook_endpoint_delete(actor=request.auth, endpoint_id=endpoint_id)
    return Status(204, None)


@router.post(
    "/{int:endpoint_id}/rotate-secret/",
    response=WebhookSecretOut,
    summary="New signing secret; the old one keeps signing for a while",
)
def rotate_secret(request, endpoint_id: int, body: WebhookSecretRotateIn):
    require_member(request, ADMIN)
    return services.webhook_endpoint_rotate_secret(
        actor=request.auth, endpoint_id=endpoint_id, previous_valid_hours=body.previous_secret_valid_hours
    )


@router.post("/{int:endpoint_id}/ping/", response={202: WebhookDeliveryOut}, summary="Send a test event")
def ping(request, endpoint_id: int):
    require_member(request, ADMIN)
    return Status(202, services.webhook_endpoint_ping(actor=request.auth, endpoint_id=endpoint_id))


@router.get(
    "/{int:endpoint_id}/deliveries/",
    response=list[WebhookDeliveryOut],
    summary="The endpoint's delivery log, newest first",
    openapi_extra=response_example(examples.DELIVERY_PAGE),
)
@paginate(PageNumberResults)
def list_deliveries(request, endpoint_id: int, filters: Query[WebhookDeliveryFilters]):
    require_member(request, ADMIN)
    return selectors.webhook_delivery_list(endpoint_id=endpoint_id, status=filters.status)


@router.get(
    "/deliveries/{int:delivery_id}/",
    response=WebhookDeliveryDetailOut,
    summary="One delivery: its body and every attempt",
)
def get_delivery(request, delivery_id: int):
    require_member(request, ADMIN)
    return selectors.webhook_delivery_get(delivery_id=delivery_id)


@router.post(
    "/deliveries/{int:delivery_id}/redeliver/",
    response={202: WebhookDeliveryOut},
    summary="Send a delivery again now",
)
def redeliver(request, delivery_id: int):
    """409 `delivery_in_progress` while it is being sent, `endpoint_disabled` when its endpoint is off."""
    require_member(request, ADMIN)
    return Status(202, services.webhook_delivery_redeliver(actor=request.auth, delivery_id=delivery_id))
