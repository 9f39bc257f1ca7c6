"""`GET /api/v1/employer/audit-log/`: the host's employer's audit log, newest first, paged. Owners and admins only
(lower roles 403, non-members 404); the tenant is always the host's."""

import math

from ninja import Query, Router

from jobpilot.accounts.auth import user_auth
from jobpilot.audit import selectors
from jobpilot.audit.schemas import AuditEntryListOut, AuditListParams
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["employer audit log"])


@router.get("/", response=AuditEntryListOut, summary="The employer's audit log")
def list_entries(request, params: Query[AuditListParams]):
    require_member(request, Membership.Role.ADMIN)
    entries = selectors.audit_entry_list(
        actor=params.actor, action=params.action, since=params.since, until=params.until
    )
    total = entries.count()
    offset = (params.page - 1) * params.limit
    return {
        "results": list(entries[offset : offset + params.limit]),
        "pagination": {
            "page": params.page,
            "limit": params.limit,
            "total": total,
            "pages": math.ceil(total / params.limit),
        },
    }
