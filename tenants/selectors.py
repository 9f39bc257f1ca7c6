from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

from tenants import blueprint, routing
from tenants.models import Branding, Domain, Invitation, Membership, SchemaBlueprint, Tenant


def domain_for_hostname(hostname: str) -> Domain | None:
    """The domain served on this host name, with its tenant, for HTTP and websockets alike (unverified custom
    domains: none); `www.<domain>` is served as `<domain>`. Cached per process (`tenants.routing`)."""
    domain = routing.cached(hostname, _routable_domain)
    if domain is None and hostname.startswith("www."):
        domain = routing.cached(hostname.removeprefix("www."), _routable_domain)
    return domain


def _routable_domain(hostname: str) -> Domain | None:
    return Domain.objects.routable().select_related("tenant").filter(domain=hostname).first()


def domain_in_plan(domain: Domain) -> bool:
    """False for a custom domain of an employer whose plan no longer has custom domains (after a downgrade or a
    lapsed payment): it stays configured, so an upgrade brings it back, but the site is served on the platform's
    domain meanwhile."""
    from billing.plans import Feature
    from billing.selectors import tenant_plan_features

    return not domain.is_custom or Feature.CUSTOM_DOMAIN in tenant_plan_features(domain.tenant)


def employer_by_slug(slug: str) -> Tenant | None:
    return Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).filter(slug=slug).first()


def public_tenant() -> Tenant:
    return Tenant.objects.get(schema_name=settings.PUBLIC_SCHEMA_NAME)


def membership_for(*, user, tenant: Tenant) -> Membership | None:
    if not user or not user.is_authenticated or tenant.is_public:
        return None
    return Membership.objects.filter(user=user, tenant=tenant).first()


def staff_schemas_of(*, user) -> list[str]:
    """The schema names of the employers whose staff `user` is on (their live notifications' groups)."""
    return list(Membership.objects.filter(user=user).values_list("tenant__schema_name", flat=True))


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


def branding_for(*, tenant: Tenant) -> Branding:
    """The tenant's branding; the defaults (unsaved) until an admin first saves it."""
    return Branding.objects.filter(tenant=tenant).select_related("tenant").first() or Branding(tenant=tenant)


def tenant_site_origin(tenant: Tenant) -> str:
    """`scheme://host[:port]` of the tenant's primary domain, in SITE_URL's scheme and port."""
    site = urlsplit(settings.SITE_URL)
    if tenant.is_public:
        return f"{site.scheme}://{site.netloc}"
    host = Domain.objects.filter(tenant=tenant, is_primary=True).values_list("domain", flat=True).first()
    return f"{site.scheme}://{host}{f':{site.port}' if site.port else ''}"


def member_list(*, tenant: Tenant):
    """The tenant's staff in the order they joined. WARNING: always filtered by the tenant of the request."""
    return Membership.objects.filter(tenant=tenant).select_related("user").order_by("created_at", "pk")


def invitation_list(*, tenant: Tenant):
    """The tenant's invitations of the last 30 days, newest first. WARNING: always filtered by the tenant of the
    request."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(days=30)
    return (
        Invitation.objects.filter(tenant=tenant, created_at__gte=since)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("tenant", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


def domain_list(*, tenant: Tenant):
    """The tenant's domains, primary first. WARNING: always filtered by the tenant of the request."""
    return Domain.objects.filter(tenant=tenant).order_by("-is_primary", "domain")


class DnsLookupFailed(Exception):
    """DNS could not be asked (timeout, no reachable nameserver): not an answer about the domain."""


def _resolver():
    import dns.resolver

    # DNS_NAMESERVERS ("host" or "host:port") replaces the system's resolvers: a deployment's own, or the tests'.
    resolver = dns.resolver.Resolver(configure=not settings.DNS_NAMESERVERS)
    if settings.DNS_NAMESERVERS:
        servers = [
            entry.rsplit(":", 1) if ":" in entry else (entry, "53") for entry in settings.DNS_NAMESERVERS
        ]
        resolver.nameservers = [host for host, _port in servers]
        resolver.port = int(servers[0][1])  # dnspython asks every nameserver on one port
    resolver.lifetime = settings.DNS_LIFETIME_SECONDS
    return resolver


def domain_txt_records(name: str) -> list[str]:
    """The TXT records published at `name` ([] when there are none); DnsLookupFailed when DNS cannot be asked."""
    import dns.exception
    import dns.resolver

    try:
        answers = _resolver().resolve(name, "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.resolver.NoNameservers, dns.exception.Timeout) as error:
        raise DnsLookupFailed(str(error)) from error
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answers]


def domain_routing_records(domain: Domain) -> list[dict]:
    """What the employer publishes so that requests for the domain reach JobPilot: a CNAME to the platform's
    edge for a subdomain; for an apex domain (no CNAME allowed there) the edge's addresses, or ALIAS/ANAME."""
    records = [{"type": "CNAME", "name": domain.domain, "value": settings.CUSTOM_DOMAIN_TARGET}]
    records += [
        {"type": "AAAA" if ":" in address else "A", "name": domain.domain, "value": address}
        for address in settings.CUSTOM_DOMAIN_ADDRESSES
    ]
    return records


def tenant_schemas_behind_template(*, batch: int = 500) -> list[str]:
    """The employer schemas whose migration state differs from the template's, in schema name order: the ones
    `migrate_schemas` has to visit. One query per `batch` schemas, each reading every schema's small
    `django_migrations` table, instead of loading Django's migration graph once per schema (~0.13 s each).
    A tenant whose schema or migrations table is missing counts as behind, so migrating it reports the problem."""
    schemas = list(employer_tenants().order_by("schema_name").values_list("schema_name", flat=True))
    with connection.cursor() as cursor:
        template = blueprint.migration_state(cursor, settings.TENANT_BASE_SCHEMA)
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r'"
        )
        with_migrations = {name for (name,) in cursor.fetchall()}
        readable = [schema for schema in schemas if schema in with_migrations]
        current = set()
        for start in range(0, len(readable), batch):
            chunk = readable[start : start + batch]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT {index} AS schema_index, ({blueprint.migration_state_sql(schema)}) AS state"
                    for index, schema in enumerate(chunk)
                )
            )
            current.update(chunk[index] for index, state in cursor.fetchall() if state == template)
    return [schema for schema in schemas if schema not in current]


def schema_blueprint_for(*, migration_state: str) -> blueprint.Blueprint | None:
    """The stored blueprint of the tenant template at this migration state, if it was captured."""
    row = SchemaBlueprint.objects.filter(migration_state=migration_state).first()
    if row is None:
        return None
    return blueprint.Blueprint(
        migration_state=row.migration_state, schema_sql=row.schema_sql, body_sql=row.body_sql
    )
