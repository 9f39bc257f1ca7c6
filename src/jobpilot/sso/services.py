"""Single sign-on per employer (ADR 0029): the console's settings (an OIDC issuer and client, or SAML IdP
metadata) written to allauth's `SocialApp` plus our `SsoConnection`, and the rules of an SSO sign-in (just-in-time
membership, who may be linked). The sign-in protocol itself is allauth's."""

import re
from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from billing.entitlements import has_feature, require_feature
from billing.errors import LimitReached
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.audit import services as audit
from jobpilot.core.errors import Invalid, NotFound, PermissionDenied
from jobpilot.sso.models import SsoConnection
from jobpilot.webhooks.addresses import AddressNotAllowed, resolve_allowed_address
from tenants.models import Membership, Tenant
from tenants.selectors import membership_for
from tenants.services import membership_join

MAX_METADATA_BYTES = 512 * 1024
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
DISCOVERY_PATH = "/.well-known/openid-configuration"


class SsoRefused(Exception):
    """An SSO sign-in that the employer's policy does not let through; `detail` is shown to the person."""

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)


# --- Settings (console: owners and admins) --------------------------------------------------------------------


def _require_admin(*, actor, tenant: Tenant) -> None:
    membership = membership_for(user=actor, tenant=tenant)
    if membership is None:
        raise NotFound()
    if not membership.has_role(Membership.Role.ADMIN):
        raise PermissionDenied("Only owners and admins change single sign-on.", code="role_required")


def _checked_url(url: str, *, field: str) -> str:
    """An https URL (http where outbound http is allowed, i.e. tests) whose host resolves to public addresses.

    WARNING: SSRF. The server fetches these URLs; the same rule as webhook endpoints keeps it off internal
    networks."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Invalid("This is not a valid URL.", code="invalid_url", field=field) from error
    schemes = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise Invalid("Enter an https:// URL.", code="invalid_url", field=field)
    if parts.username or parts.password or parts.fragment or parts.query:
        raise Invalid(
            "Enter the URL without credentials, query or #fragment.", code="invalid_url", field=field
        )
    try:
        resolve_allowed_address(parts.hostname, port or (443 if parts.scheme == "https" else 80))
    except AddressNotAllowed as error:
        raise Invalid(
            f"This URL is not reachable from JobPilot: {error}", code="url_not_public", field=field
        ) from error
    return url


def email_domains_parse(text: str) -> list[str]:
    """`acme.com, acme.co.uk` (commas, spaces or lines) as a list of lower-case domains; at least one."""
    domains = [part.strip().lower().lstrip("@") for part in re.split(r"[\s,;]+", text or "") if part.strip()]
    bad = [domain for domain in domains if not _DOMAIN.match(domain)]
    if bad:
        raise Invalid(f"Not a domain: {bad[0]}.", code="invalid_email_domain", field="email_domains")
    if not domains:
        raise Invalid(
            "Name at least one email domain, e.g. acme.com.",
            code="email_domains_required",
            field="email_domains",
        )
    return list(dict.fromkeys(domains))


def _checked_role(role: str) -> str:
    if role not in SsoConnection.JIT_ROLES:
        raise Invalid(
            "New members can join as admin, recruiter or viewer.", code="invalid_role", field="default_role"
        )
    return role


def oidc_discover(issuer: str) -> dict:
    """The issuer's discovery document, checked: reachable, JSON, naming this issuer and the endpoints a sign-in
    uses. Each failure is a 422 on `issuer` saying what went wrong."""
    url = issuer.rstrip("/") + DISCOVERY_PATH

    def refuse(detail: str, code: str = "issuer_unreachable"):
        return Invalid(detail, code=code, field="issuer")

    try:
        response = requests.get(url, timeout=settings.SSO_FETCH_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.RequestException as error:
        raise refuse(f"Could not reach {url}: {error.__class__.__name__}.") from error
    if response.status_code != 200:
        raise refuse(f"{url} answered HTTP {response.status_code}, not the discovery document.")
    try:
        document = response.json()
    except ValueError as error:
        raise refuse(f"{url} did not answer JSON.", code="invalid_discovery") from error
    if not isinstance(document, dict):
        raise refuse(f"{url} did not answer a discovery document.", code="invalid_discovery")
    missing = [
        key
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(key)
    ]
    if missing:
        raise refuse(f"The discovery document lacks {', '.join(missing)}.", code="invalid_discovery")
    if str(document["issuer"]).rstrip("/") != issuer.rstrip("/"):
        raise refuse(
            f"The discovery document is for issuer {document['issuer']}, not {issuer}.",
            code="issuer_mismatch",
        )
    return document


def saml_idp_parse(*, metadata_xml: str = "", metadata_url: str = "", entity_id: str = "") -> dict:
    """The IdP's entity id, sign-in URL and signing certificate from its metadata (pasted XML, or read from
    `metadata_url` now, once: sign-ins never fetch it). 422 on the field at fault."""
    field = "metadata_url" if metadata_url else "metadata_xml"
    if metadata_url:
        metadata_url = _checked_url(metadata_url, field="metadata_url")
        try:
            response = requests.get(
                metadata_url, timeout=settings.SSO_FETCH_TIMEOUT_SECONDS, allow_redirects=False, stream=True
            )
            metadata_xml = response.raw.read(MAX_METADATA_BYTES + 1, decode_content=True).decode(
                "utf-8", "replace"
            )
        except requests.RequestException as error:
            raise Invalid(
                f"Could not read {metadata_url}: {error.__class__.__name__}.",
                code="metadata_unreachable",
                field=field,
            ) from error
        if response.status_code != 200:
            raise Invalid(
                f"{metadata_url} answered HTTP {response.status_code}.",
                code="metadata_unreachable",
                field=field,
            )
    metadata_xml = (metadata_xml or "").strip()
    if not metadata_xml:
        raise Invalid("Paste the IdP's metadata XML or give its URL.", code="metadata_required", field=field)
    if len(metadata_xml.encode()) > MAX_METADATA_BYTES:
        raise Invalid("The metadata is larger than 512 KB.", code="metadata_too_large", field=field)
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata_xml, entity_id=entity_id.strip() or None)
    except Exception as error:  # noqa: BLE001 - the parser raises lxml's and its own errors alike
        raise Invalid(f"This is not SAML metadata: {error}", code="invalid_metadata", field=field) from error
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    certificate = idp.get("x509cert") or next(iter((idp.get("x509certMulti") or {}).get("signing", [])), "")
    if not idp.get("entityId"):
        detail = (
            f"The metadata has no IdP named {entity_id}." if entity_id.strip() else "No IdP in the metadata."
        )
        raise Invalid(detail, code="invalid_metadata", field="entity_id" if entity_id.strip() else field)
    if not sso_url or not certificate:
        raise Invalid(
            "The metadata lacks a sign-in URL or a signing certificate.", code="invalid_metadata", field=field
        )
    return {"entity_id": idp["entityId"], "sso_url": sso_url, "x509cert": certificate}


def _save(
    *,
    actor,
    tenant: Tenant,
    protocol: SsoConnection.Protocol,
    app_fields: dict,
    email_domains: list[str],
    default_role: str,
    require_sso: bool,
    metadata_url: str = "",
    secret_changed: bool = False,
) -> SsoConnection:
    with transaction.atomic():
        connection = (
            SsoConnection.objects.select_for_update().select_related("app").filter(tenant=tenant).first()
        )
        before = _described(connection) if connection else {}
        provider_id = SsoConnection.provider_id_for(tenant)
        app = connection.app if connection else SocialApp(provider_id=provider_id)
        for name, value in app_fields.items():
            setattr(app, name, value)
        app.provider_id = provider_id
        app.name = tenant.name[:40]
        app.save()
        if connection is None:
            connection = SsoConnection(tenant=tenant, app=app)
        connection.protocol = protocol
        connection.email_domains = email_domains
        connection.default_role = default_role
        connection.require_sso = require_sso
        connection.metadata_url = metadata_url
        connection.save()
        after = _described(connection)
        if secret_changed:
            after["client_secret"] = "changed"  # never the secret itself
        audit.record(
            actor=actor,
            action="sso.settings_change",
            target=connection,
            before=before,
            after=after,
            tenant=tenant,
        )
    return connection


def _described(connection: SsoConnection) -> dict:
    """What the audit log keeps of a connection: everything but secrets."""
    app = connection.app
    described = {
        "protocol": connection.protocol,
        "email_domains": connection.email_domains,
        "default_role": connection.default_role,
        "require_sso": connection.require_sso,
    }
    if connection.protocol == SsoConnection.Protocol.OIDC:
        described |= {"issuer": app.settings.get("server_url", ""), "client_id": app.client_id}
    else:
        described |= {"idp_entity_id": app.settings.get("idp", {}).get("entity_id", "")}
    return described


def sso_oidc_save(
    *,
    actor,
    tenant: Tenant,
    issuer: str,
    client_id: str,
    client_secret: str,
    email_domains: str,
    default_role: str,
    require_sso: bool,
) -> SsoConnection:
    """Set the employer's OIDC provider. The issuer is checked by reading its discovery document now; a blank
    `client_secret` keeps the stored one."""
    _require_admin(actor=actor, tenant=tenant)
    require_feature(billing_account_for_tenant(tenant), Feature.SSO)
    domains, role = email_domains_parse(email_domains), _checked_role(default_role)
    client_id = (client_id or "").strip()
    if not client_id:
        raise Invalid(
            "Enter the client id your IdP gave JobPilot.", code="client_id_required", field="client_id"
        )
    issuer = _checked_url(issuer, field="issuer").rstrip("/")
    oidc_discover(issuer)
    existing = SsoConnection.objects.filter(tenant=tenant, protocol=SsoConnection.Protocol.OIDC).first()
    if not client_secret and existing is None:
        raise Invalid("Enter the client secret.", code="client_secret_required", field="client_secret")
    app_fields = {
        "provider": "openid_connect",
        "client_id": client_id,
        "key": "",
        # PKCE on top of the secret; the IdP's addresses are all read from its discovery document.
        "settings": {"server_url": issuer, "oauth_pkce_enabled": True},
    }
    if client_secret:
        app_fields["secret"] = client_secret
    return _save(
        actor=actor,
        tenant=tenant,
        protocol=SsoConnection.Protocol.OIDC,
        app_fields=app_fields,
        email_domains=domains,
        default_role=role,
        require_sso=require_sso,
        secret_changed=bool(client_secret),
    )


def sso_saml_save(
    *,
    actor,
    tenant: Tenant,
    metadata_url: str,
    metadata_xml: str,
    entity_id: str,
    email_domains: str,
    default_role: str,
    require_sso: bool,
) -> SsoConnection:
    """Set the employer's SAML IdP from its metadata (XML or a URL read now). Assertions must be signed with the
    metadata's certificate."""
    _require_admin(actor=actor, tenant=tenant)
    require_feature(billing_account_for_tenant(tenant), Feature.SSO)
    domains, role = email_domains_parse(email_domains), _checked_role(default_role)
    idp = saml_idp_parse(metadata_xml=metadata_xml, metadata_url=metadata_url, entity_id=entity_id)
    provider_id = SsoConnection.provider_id_for(tenant)
    app_fields = {
        "provider": "saml",
        "client_id": provider_id,  # the organisation slug in allauth's SAML URLs
        "secret": "",
        "key": "",
        "settings": {
            "idp": idp,
            "attribute_mapping": {
                "uid": "urn:oid:0.9.2342.19200300.100.1.1",  # else the NameID
                "email": "urn:oid:0.9.2342.19200300.100.1.3",
            },
            "advanced": {"want_assertion_signed": True, "reject_deprecated_algorithm": True},
        },
    }
    return _save(
        actor=actor,
        tenant=tenant,
        protocol=SsoConnection.Protocol.SAML,
        app_fields=app_fields,
        email_domains=domains,
        default_role=role,
        require_sso=require_sso,
        metadata_url=metadata_url.strip(),
    )


def sso_connection_remove(*, actor, tenant: Tenant) -> None:
    """Turn single sign-on off: staff sign in with their passwords again (their SSO links are removed too)."""
    _require_admin(actor=actor, tenant=tenant)
    with transaction.atomic():
        connection = SsoConnection.objects.select_for_update().filter(tenant=tenant).first()
        if connection is None:
            raise NotFound("Single sign-on is not set up.", code="sso_not_configured")
        audit.record(
            actor=actor, action="sso.remove", target=connection, before=_described(connection), tenant=tenant
        )
        connection.app.delete()  # cascades to the connection; social accounts keep no foreign key to the app


# --- Sign-in (allauth's adapter calls these) ------------------------------------------------------------------


def sso_sign_in_check(*, request, sociallogin, connection: SsoConnection) -> None:
    """Before allauth signs anyone in through `connection`: on the employer's own host only, while its plan has
    SSO (settings outlive a downgrade, sign-ins do not); an identity already
    linked must still be (or may become, by email domain) a member; a new identity is linked to an existing
    account only when that account is already on the team, otherwise a new account is made (then
    `sso_member_join`). Raises SsoRefused."""
    tenant = connection.tenant
    if getattr(request, "tenant", None) is None or request.tenant.pk != tenant.pk:
        raise SsoRefused("This sign-in belongs to another employer's site.")
    if not has_feature(billing_account_for_tenant(tenant), Feature.SSO):
        raise SsoRefused(
            f"Single sign-on is not part of {tenant.name}'s plan now. Sign in with your password."
        )
    email = (sociallogin.user.email or "").strip().lower()
    if sociallogin.is_existing:
        if membership_for(user=sociallogin.user, tenant=tenant) is None:
            sso_member_join(user=sociallogin.user, connection=connection)
        return
    if not email:
        raise SsoRefused("Your identity provider sent no email address.")
    if not connection.allows_email(email):
        raise SsoRefused(f"{email} is not an address {tenant.name} signs in with single sign-on.")
    existing = get_user_model().objects.filter(email__iexact=email).first()
    if existing is None:
        return  # allauth makes the account; `sso_member_join` follows from the adapter's save_user
    if membership_for(user=existing, tenant=tenant) is None:
        # WARNING: account takeover. An employer's IdP vouches for its own staff, not for JobPilot accounts made
        # elsewhere: linking a stranger's account would let that IdP sign in as them.
        raise SsoRefused(
            f"A JobPilot account with {email} already exists. Sign in with its password and ask an admin of "
            f"{tenant.name} to invite you; single sign-on then works for it."
        )
    sociallogin.connect(request, existing)


def sso_member_join(*, user, connection: SsoConnection) -> Membership:
    """Just-in-time membership: a first SSO sign-in with an address in the employer's domains joins the team with
    its default role (taking a seat). Audited as `sso.member_join`."""
    if not connection.allows_email(user.email or ""):
        raise SsoRefused(
            f"{user.email} is not an address {connection.tenant.name} signs in with single sign-on."
        )
    try:
        with transaction.atomic():
            membership = membership_join(user=user, tenant=connection.tenant, role=connection.default_role)
            audit.record(
                actor=user,
                action="sso.member_join",
                target=membership,
                after={"email": user.email, "role": membership.role, "protocol": connection.protocol},
                tenant=connection.tenant,
            )
    except LimitReached as error:
        raise SsoRefused(
            f"Every seat of {connection.tenant.name}'s plan is taken; ask an admin to free one."
        ) from error
    return membership
