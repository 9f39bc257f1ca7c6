"""Reads: does an account have a second factor, does an employer require one."""

from allauth.mfa.models import Authenticator

from jobpilot.mfa.models import MfaPolicy

# The factors that make an account "protected". Recovery codes alone are not one: allauth makes them as the backup
# of a TOTP app or a security key, and removes them with the last of those.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def user_has_mfa(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def mfa_required_for(tenant) -> bool:
    """The employer's policy (False without a row)."""
    return MfaPolicy.objects.filter(tenant_id=tenant.pk, required=True).exists()


def mfa_policy_get(*, tenant) -> MfaPolicy:
    """The policy row, or an unsaved default one (not required)."""
    return MfaPolicy.objects.select_related("updated_by").filter(tenant_id=tenant.pk).first() or MfaPolicy(
        tenant=tenant
    )


def members_mfa_status(*, tenant) -> list[tuple]:
    """(membership, has_mfa) for every member of the employer: who the policy sends to set up a second factor."""
    from tenants.selectors import member_list

    memberships = list(member_list(tenant=tenant))
    protected = set(
        Authenticator.objects.filter(
            user_id__in=[m.user_id for m in memberships], type__in=SECOND_FACTORS
        ).values_list("user_id", flat=True)
    )
    return [(membership, membership.user_id in protected) for membership in memberships]
