"""The employer's ATS boards on its own domain: `/api/v1/employer/ats/`. Admins and owners only (members with a
lower role get 403, everyone else 404); connecting and syncing need a plan with ATS sync (402). The tenant is
always the host's: another employer's connection id is not found."""

from ninja import Router, Status

from jobpilot.accounts.auth import user_auth
from jobpilot.atsync import selectors, services
from jobpilot.atsync.schemas import AtsConnectionIn, AtsConnectionOut, AtsConnectionPatch
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["employer ATS sync"])
ADMIN = Membership.Role.ADMIN


@router.get("/", response=list[AtsConnectionOut], summary="The employer's connected ATS boards")
def list_connections(request):
    require_member(request, ADMIN)
    return list(selectors.ats_connection_list())


@router.post("/", response={201: AtsConnectionOut}, summary="Connect a Greenhouse, Lever or Ashby board")
def create_connection(request, body: AtsConnectionIn):
    """Its jobs become the employer's postings, published as the plan's active-postings limit allows; the first
    sync is queued at once. 422 for an unknown kind or a malformed board name, 409 when connected already."""
    require_member(request, ADMIN)
    return Status(201, services.ats_connection_create(actor=request.auth, **body.model_dump()))


@router.get("/{int:connection_id}/", response=AtsConnectionOut, summary="One connection and its last sync")
def get_connection(request, connection_id: int):
    require_member(request, ADMIN)
    return selectors.ats_connection_get(connection_id=connection_id)


@router.patch("/{int:connection_id}/", response=AtsConnectionOut, summary="Switch syncing on or off")
def update_connection(request, connection_id: int, body: AtsConnectionPatch):
    require_member(request, ADMIN)
    return services.ats_connection_update(
        actor=request.auth, connection_id=connection_id, enabled=body.enabled
    )


@router.delete("/{int:connection_id}/", response={204: None}, summary="Disconnect a board")
def delete_connection(request, connection_id: int):
    """Its published postings are closed; all its postings become ordinary, editable postings."""
    require_member(request, ADMIN)
    services.ats_connection_delete(actor=request.auth, connection_id=connection_id)
    return Status(204, None)


@router.post("/{int:connection_id}/sync/", response={202: AtsConnectionOut}, summary="Sync now")
def sync_connection(request, connection_id: int):
    require_member(request, ADMIN)
    return Status(202, services.ats_connection_sync_request(actor=request.auth, connection_id=connection_id))
