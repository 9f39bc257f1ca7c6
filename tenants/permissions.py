"""Who may act on the current tenant. Employer endpoints call `require_member` first, before any read."""

from jobpilot.core.errors import NotFound, PermissionDenied
from jobpilot.mfa.services import mfa_policy_enforce
from tenants.models import Membership
from tenants.selectors import membership_for


def require_member(request, minimum_role: Membership.Role = Membership.Role.VIEWER) -> Membership:
    """The caller's membership in the tenant of this host, holding at least `minimum_role`, with a second factor
    if the employer requires one.

    WARNING: a non-member (or any caller on the public domain) gets 404, never 403, so that a tenant's
    postings and applicants do not even leak their existence to other employers.
    """
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    membership = membership_for(user=user, tenant=request.tenant)
    if membership is None:
        raise NotFound()
    # The employer may require a second factor of its staff (MfaSetupRequired, 403 `mfa_required`; ADR 0028).
    mfa_policy_enforce(membership=membership)
    if not membership.has_role(minimum_role):
        raise PermissionDenied(
            f"This needs the {minimum_role.label.lower()} role or higher.", code="role_required"
        )
    return membership
