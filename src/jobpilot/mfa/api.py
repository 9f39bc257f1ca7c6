"""`/api/v1/employer/mfa-policy/`: the host's employer's "require two-factor sign-in for all staff", read and set by
owners and admins (lower roles 403, non-members 404). The write is `mfa_policy_set` (audited); the tenant is always
the host's."""

from datetime import datetime

from ninja import Router, Schema
from pydantic import StrictBool

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import schema_example
from jobpilot.mfa.selectors import members_mfa_status, mfa_policy_get
from jobpilot.mfa.services import mfa_policy_set
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["employer sign-in security"])

POLICY_EXAMPLE = {
    "required": True,
    "updated_at": "2026-12-07T10:15:00Z",
    "updated_by": "dana@acme.example",
    "members": 12,
    "members_without_mfa": 2,
}


class MfaPolicyOut(Schema):
    model_config = schema_example(POLICY_EXAMPLE)

    required: bool
    updated_at: datetime | None  # null: never changed (not required)
    updated_by: str | None  # the email of who changed it last
    members: int
    members_without_mfa: int  # who the policy sends to set up a second factor


class MfaPolicyIn(Schema):
    model_config = schema_example({"required": True})

    required: StrictBool  # true or false; "yes" or 1 is a 422


def _policy_out(tenant) -> dict:
    policy = mfa_policy_get(tenant=tenant)
    statuses = members_mfa_status(tenant=tenant)
    return {
        "required": policy.required,
        "updated_at": policy.updated_at,
        "updated_by": policy.updated_by.email if policy.updated_by else None,
        "members": len(statuses),
        "members_without_mfa": sum(1 for _membership, has_mfa in statuses if not has_mfa),
    }


@router.get("/", response=MfaPolicyOut, summary="The employer's two-factor sign-in policy")
def policy_get(request):
    require_member(request, Membership.Role.ADMIN)
    return _policy_out(request.tenant)


@router.put(
    "/", response=MfaPolicyOut, summary="Require (or stop requiring) two-factor sign-in for all staff"
)
def policy_set(request, payload: MfaPolicyIn):
    """Turning it on needs a second factor on the caller's own account (409 `mfa_setup_first`). Members without
    one are then refused by the console and the employer API (403 `mfa_required`) until they set one up."""
    require_member(request, Membership.Role.ADMIN)
    mfa_policy_set(actor=request.auth, tenant=request.tenant, required=payload.required)
    return _policy_out(request.tenant)
