"""Writes for tenants: provisioning, suspension, the public tenant and the template schema new tenants clone."""

import re

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from jobpilot.core.errors import Conflict, Invalid
from tenants.models import Domain, Membership, Tenant

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {"www", "api", "app", "admin", "public", "static", "media", "mail", "help", "status", "billing", "ws",
     "docs", "blog", "jobs", "careers", "support", "dashboard", "accounts", "tenant-template"}
)


def tenant_domain_for_slug(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def schema_name_for_slug(slug: str) -> str:
    return "t_" + slug.replace("-", "_")


def provision_tenant(*, name: str, slug: str, owner) -> Tenant:
    """Create an employer: its schema (cloned from the template), its `<slug>.<BASE_DOMAIN>` domain and the
    owner's membership, all in one transaction: a failure leaves no half-made tenant behind."""
    slug = slug.strip().lower()
    name = name.strip()
    if not name:
        raise Invalid("A company name is required.", code="name_required", field="name")
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise Invalid(
            "The address must be 3-50 lowercase letters, digits or hyphens, starting with a letter.",
            code="invalid_slug",
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise Conflict("This address is reserved.", code="slug_taken", field="slug")
    if Tenant.objects.filter(slug=slug).exists():
        raise Conflict("This address is already taken.", code="slug_taken", field="slug")
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        tenant_template_migrate()

    with transaction.atomic():
        tenant = Tenant(schema_name=schema_name_for_slug(slug), name=name, slug=slug)
        tenant.save()
        Domain.objects.create(domain=tenant_domain_for_slug(slug), tenant=tenant, is_primary=True)
        Membership.objects.create(user=owner, tenant=tenant, role=Membership.Role.OWNER)
    return tenant


def tenant_set_status(*, tenant: Tenant, status: Tenant.Status) -> Tenant:
    """Suspend or reactivate a tenant. A suspended tenant's portal answers 403 and its jobs leave the marketplace."""
    # Imported here: the foundation does not load product apps when it is imported.
    from jobpilot.marketplace.services import marketplace_tenant_reindex

    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(status=status)
        tenant.status = status
        marketplace_tenant_reindex(tenant=tenant)  # its jobs leave (or return to) the index in this transaction
    return tenant


def ensure_public_tenant() -> Tenant:
    """The public tenant serves the marketplace on BASE_DOMAIN. Idempotent; run after every migration."""
    tenant, _ = Tenant.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "JobPilot", "slug": "public"}
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def tenant_template_migrate(verbosity: int = 0) -> None:
    """Create and migrate the template schema that new tenants are cloned from."""
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{template}"')
    call_command(
        MigrateSchemasCommand(), tenant=True, schema_name=template, interactive=False, verbosity=verbosity
    )
    connection.set_schema_to_public()

