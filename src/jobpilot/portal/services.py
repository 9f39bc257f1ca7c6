"""Writes of the web product: employer sign-up, and the one-time sign-in links that carry a user from the public
site to an employer's host (a session cookie is per host, so the owner would otherwise arrive signed out)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists

from jobpilot.core.errors import Conflict, Invalid
from jobpilot.portal.links import is_local_path
from jobpilot.portal.models import LoginHandoff
from tenants.models import Tenant
from tenants.services import provision_tenant, tenant_slug_validate, tenant_template_migrate

HANDOFF_TTL = timedelta(minutes=2)
HANDOFF_PURGE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class EmployerSignup:
    tenant: Tenant
    owner: object
    handoff_token: str


def employer_signup(*, owner, name: str, slug: str) -> EmployerSignup:
    """Provision an employer owned by `owner` and a sign-in link into its console.

    `owner` is a user, or a callable that creates the user account: it is called inside the same transaction as
    the provisioning, so a refused address never leaves an orphan account behind. Two sign-ups racing for one
    address: the unique slug decides, the loser gets 409 `slug_taken`.
    """
    slug = slug.strip().lower()
    tenant_slug_validate(slug=slug)
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        tenant_template_migrate()  # runs migrations, so never inside the transaction below
    with transaction.atomic():
        user = owner() if callable(owner) else owner
        try:
            with transaction.atomic():
                tenant = provision_tenant(name=name, slug=slug, owner=user)
        except IntegrityError as exc:
            raise Conflict("This address is already taken.", code="slug_taken", field="slug") from exc
        token = login_handoff_create(actor=user, tenant=tenant)
    return EmployerSignup(tenant=tenant, owner=user, handoff_token=token)


def login_handoff_create(*, actor, tenant: Tenant, next_path: str = "/console/") -> str:
    """A one-time token that signs `actor` in on `tenant`'s host, valid for HANDOFF_TTL. Answers the token; only
    its hash is stored. Also deletes handoffs that expired long ago (cheap: indexed on `expires_at`)."""
    if not is_local_path(next_path):
        raise Invalid("The destination must be a path on the employer's site.", field="next_path")
    now = timezone.now()
    LoginHandoff.objects.filter(expires_at__lt=now - HANDOFF_PURGE_AFTER).delete()
    token = secrets.token_urlsafe(32)
    LoginHandoff.objects.create(
        token_hash=_digest(token),
        user=actor,
        tenant=tenant,
        next_path=next_path,
        expires_at=now + HANDOFF_TTL,
    )
    return token


def login_handoff_consume(*, token: str, tenant: Tenant) -> LoginHandoff:
    """Use up a handoff made for `tenant` and answer it (its user is the one to sign in).

    One conditional UPDATE marks it used, so of any number of concurrent requests with one token exactly one wins.
    WARNING: the tenant condition is what keeps a link made for one employer's host from signing anyone in on
    another's; an expired, used, unknown or foreign token is refused alike.
    """
    refused = Invalid("This sign-in link has expired or was already used.", code="handoff_invalid")
    if not token or len(token) > 128:
        raise refused
    now = timezone.now()
    digest = _digest(token)
    used = LoginHandoff.objects.filter(
        token_hash=digest, tenant=tenant, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used != 1:
        raise refused
    handoff = LoginHandoff.objects.select_related("user").get(token_hash=digest)
    if not handoff.user.is_active:
        raise refused
    return handoff


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
