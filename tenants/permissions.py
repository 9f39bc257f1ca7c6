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
    # Sign-in policies first: an employer that requires SSO sends its staff to the IdP before anything else.
    require_sso_session(request, membership)
    # The employer may require a second factor of its staff (MfaSetupRequired, 403 `mfa_required`; ADR 0028).
    mfa_policy_enforce(membership=membership)
    if not membership.has_role(minimum_role):
        raise PermissionDenied(
            f"This needs the {minimum_role.label.lower()} role or higher.", code="role_required"
        )
    return membership


def require_sso_session(request, membership: Membership) -> None:
    """The employer's "require SSO for staff" policy (ADR 0029): 403 `sso_required` for a member (not an owner)
    whose session did not come through the employer's identity provider, e.g. a password sign-in or an app's
    access token."""
    from jobpilot.sso.selectors import sso_connection_for, sso_required_for  # sso's models import this app's

    # Once per request: endpoints may check membership more than once.
    if not hasattr(request, "sso_connection"):
        request.sso_connection = sso_connection_for(tenant=request.tenant)
    if sso_required_for(request, membership, request.sso_connection):
        raise PermissionDenied(
            f"{request.tenant.name} requires single sign-on: sign in through your company's identity provider.",
            code="sso_required",
        )
