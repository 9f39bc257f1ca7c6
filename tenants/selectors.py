from django.conf import settings

from tenants.models import Domain, Membership, Tenant


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
