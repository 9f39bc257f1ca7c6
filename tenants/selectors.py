from django.conf import settings

from tenants.models import Branding, Domain, Membership, Tenant


def tenant_for_hostname(hostname: str) -> Tenant | None:
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


def public_tenant() -> Tenant:
    return Tenant.objects.get(schema_name=settings.PUBLIC_SCHEMA_NAME)


def membership_for(*, user, tenant: Tenant) -> Membership | None:
    if not user or not user.is_authenticated or tenant.is_public:
        return None
    return Membership.objects.filter(user=user, tenant=tenant).first()


def employer_tenants():
    return Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)


def tenant_primary_domain(tenant: Tenant) -> str:
    domain = tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    return domain or tenant.domain_url


def memberships_of(user):
    """The employers `user` works for, with their tenant, newest first."""
    if not user or not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, tenant__status=Tenant.Status.ACTIVE)
        .select_related("tenant")
        .order_by("-created_at")
    )


def tenant_members(tenant: Tenant):
    return Membership.objects.filter(tenant=tenant).select_related("user").order_by("created_at")


def branding_for(*, tenant: Tenant) -> Branding:
    """The tenant's branding; the defaults (unsaved) until an admin first saves it."""
    return Branding.objects.filter(tenant=tenant).select_related("tenant").first() or Branding(tenant=tenant)
