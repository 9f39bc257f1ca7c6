"""Reads for single sign-on: whose connection a provider id is, and whether a session came through it."""

from allauth.account.authentication import get_authentication_records
from django.urls import reverse
from django.utils.http import urlencode

from billing.entitlements import has_feature
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.sso.models import SsoConnection
from tenants.models import Membership, Tenant


def sso_connection_for(*, tenant: Tenant) -> SsoConnection | None:
    if tenant is None or tenant.is_public:
        return None
    return SsoConnection.objects.select_related("app", "tenant").filter(tenant=tenant).first()


def sso_connection_for_provider(provider_id: str) -> SsoConnection | None:
    """The connection behind an allauth provider id (`sso-<slug>`), or None for the platform's own providers."""
    if not provider_id.startswith("sso-"):
        return None
    return SsoConnection.objects.select_related("app", "tenant").filter(app__provider_id=provider_id).first()


def signed_in_through(request, connection: SsoConnection) -> bool:
    """Whether this session was opened by a sign-in through the employer's IdP (allauth records each way a
    session authenticated)."""
    return any(
        record.get("method") == "socialaccount" and record.get("provider") == connection.provider_id
        for record in get_authentication_records(request, getattr(request, "user", None))
    )


def sso_required_for(request, membership: Membership, connection: SsoConnection | None) -> bool:
    """The SSO-required policy: every member but owners (the break-glass when the IdP is down) must have come
    through the employer's IdP in this session. Off while the plan lacks SSO (its sign-ins are refused then, and
    nobody must be locked out)."""
    return (
        connection is not None
        and connection.require_sso
        and membership.role != Membership.Role.OWNER
        and not signed_in_through(request, connection)
        and has_feature(billing_account_for_tenant(connection.tenant), Feature.SSO)
    )


def sso_start_url(next_path: str) -> str:
    """The employer host's "Sign in with single sign-on" page, coming back to `next_path`."""
    return f"{reverse('portal:sso-start')}?{urlencode({'next': next_path})}"
