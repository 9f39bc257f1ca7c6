"""Writes: the employer's MFA policy, the audit trail of members' authenticators, and the API login's second
factor (ADR 0028)."""

from http import HTTPStatus

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction

from jobpilot.accounts.throttle import Throttle
from jobpilot.audit import services as audit
from jobpilot.core.errors import Conflict, DomainError, PermissionDenied
from jobpilot.mfa.models import MfaPolicy
from jobpilot.mfa.selectors import mfa_required_for, user_has_mfa
from tenants.models import Membership


class MfaSetupRequired(PermissionDenied):
    """The employer requires a second factor and the member has none: the console sends them to set one up."""

    code = "mfa_required"
    detail = "This employer requires two-factor sign-in. Set up an authenticator app or a security key first."


class MfaCodeRequired(DomainError):
    """The account has a second factor: a sign-in by password alone is not enough."""

    status = HTTPStatus.UNAUTHORIZED
    code = "mfa_required"
    detail = (
        "This account uses two-factor sign-in: send the code from the authenticator app (or a recovery code)."
    )


class MfaCodeInvalid(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    code = "mfa_code_invalid"
    detail = "The two-factor code is not correct."


# --- The employer's policy ------------------------------------------------------------------------------------------


@transaction.atomic
def mfa_policy_set(*, actor, tenant, required: bool) -> MfaPolicy:
    """Require (or stop requiring) a second factor of every member. Owners and admins only; an actor turning it on
    must have a second factor already, so the change never sends its own author away from the page. Locks the
    policy row (created if missing), so concurrent changes are applied one after the other and each audited once;
    setting the current value again writes nothing."""
    membership = Membership.objects.filter(user=actor, tenant=tenant).first()
    if membership is None or not membership.has_role(Membership.Role.ADMIN):
        raise PermissionDenied("Only owners and admins change the sign-in policy.", code="role_required")
    if required and not user_has_mfa(actor):
        raise Conflict(
            "Set up two-factor sign-in for your own account first.", code="mfa_setup_first", field="required"
        )
    MfaPolicy.objects.get_or_create(tenant=tenant)
    policy = MfaPolicy.objects.select_for_update().get(tenant=tenant)
    if policy.required == required:
        return policy
    before = policy.required
    policy.required = required
    policy.updated_by = actor
    policy.save(update_fields=["required", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="mfa_policy.update",
        target=policy,
        before={"required": before},
        after={"required": required},
        tenant=tenant,
    )
    return policy


def mfa_policy_enforce(*, membership: Membership) -> None:
    """Raise MfaSetupRequired when the member's employer requires a second factor and the member has none.
    Called by `tenants.permissions.require_member`, so console pages and employer endpoints both obey it."""
    if mfa_required_for(membership.tenant) and not user_has_mfa(membership.user):
        raise MfaSetupRequired()


# --- Audit of members' authenticators --------------------------------------------------------------------------------

AUTHENTICATOR_ACTIONS = {
    "added": "member.mfa_add",
    "removed": "member.mfa_remove",
    "reset": "member.mfa_reset",
}


def authenticator_change_audit(*, user, authenticator: Authenticator, change: str) -> None:
    """One entry in the audit log of every employer the user is a member of: their security reviewers see staff
    adding and removing second factors. Seekers without memberships leave no entry anywhere."""
    action = AUTHENTICATOR_ACTIONS[change]
    memberships = Membership.objects.filter(user_id=user.pk).select_related("tenant")
    with transaction.atomic():
        for membership in memberships:
            audit.record(
                actor=user,
                action=action,
                target_type="authenticator",
                target_id=authenticator.pk,
                after={"type": authenticator.type},
                tenant=membership.tenant,
            )


# --- The API login's second factor ------------------------------------------------------------------------------


def mfa_code_throttle() -> Throttle:
    """Code guesses per account, apart from the password's counter (which a correct password resets)."""
    return Throttle(
        "mfa-code-user", settings.LOGIN_THROTTLE_PER_EMAIL, settings.LOGIN_THROTTLE_WINDOW_SECONDS
    )


def mfa_login_check(*, user, code: str | None) -> None:
    """For a user whose password was just accepted: nothing when the account has no second factor; otherwise the
    code must be a current TOTP code (each works once) or an unused recovery code (used up by this call).
    Throttled per account; raises MfaCodeRequired (no code) or MfaCodeInvalid."""
    if not user_has_mfa(user):
        return
    code = (code or "").strip().replace(" ", "")
    if not code:
        raise MfaCodeRequired()
    throttle, subject = mfa_code_throttle(), str(user.pk)
    throttle.hit(subject)
    for authenticator in Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            throttle.reset(subject)
            return
    raise MfaCodeInvalid()
