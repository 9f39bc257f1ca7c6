"""Writes for tenants: provisioning, suspension, the public tenant, the template schema new tenants clone, the
employer's staff (seats) and custom domains."""

import logging
import re
import secrets
from datetime import timedelta

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.management import call_command
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists, tenant_context

from billing.entitlements import consume, limit_for, release, require_feature, used_for
from billing.errors import LimitReached
from billing.plans import Feature, Metric
from billing.selectors import billing_account_for_tenant, upgrade_url_for
from jobpilot.audit import services as audit
from jobpilot.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from jobpilot.webhooks import payloads as webhook_payloads
from jobpilot.webhooks.events import EventType
from jobpilot.webhooks.services import webhook_event_emit
from tenants import blueprint, routing
from tenants import branding as rules
from tenants.models import Branding, Domain, Invitation, Membership, SchemaBlueprint, Tenant
from tenants.selectors import DnsLookupFailed, domain_txt_records, membership_for, schema_blueprint_for
from tenants.tasks import invitation_email

logger = logging.getLogger(__name__)

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "www",
        "api",
        "app",
        "admin",
        "public",
        "static",
        "media",
        "mail",
        "help",
        "status",
        "billing",
        "ws",
        "docs",
        "blog",
        "jobs",
        "careers",
        "support",
        "dashboard",
        "accounts",
        "tenant-template",
    }
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
    tenant_slug_validate(slug=slug)
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        tenant_template_migrate()

    with transaction.atomic():
        tenant = Tenant(schema_name=schema_name_for_slug(slug), name=name, slug=slug)
        tenant.save()
        Domain.objects.create(domain=tenant_domain_for_slug(slug), tenant=tenant, is_primary=True)
        Membership.objects.create(user=owner, tenant=tenant, role=Membership.Role.OWNER)
        # The employer starts on the free plan, its usage gauges counting from here (one seat, no postings).
        billing_account_for_tenant(tenant)
    return tenant


def tenant_slug_validate(*, slug: str) -> None:
    """Raise unless `slug` may name a new tenant: well formed, not reserved, not taken. The unique constraint on
    `Tenant.slug` still decides a race between two sign-ups that both passed this check."""
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


def tenant_set_status(*, tenant: Tenant, status: Tenant.Status) -> Tenant:
    """Suspend or reactivate a tenant. A suspended tenant's portal answers 403 and its jobs leave the marketplace."""
    # Imported here: the foundation does not load product apps when it is imported.
    from jobpilot.marketplace.services import marketplace_tenant_reindex

    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(status=status)
        routing.forget()  # WARNING: a suspended tenant must stop being served
        tenant.status = status
        marketplace_tenant_reindex(
            tenant=tenant
        )  # its jobs leave (or return to) the index in this transaction
    return tenant


def ensure_public_tenant() -> Tenant:
    """The public tenant serves the marketplace on BASE_DOMAIN. Idempotent; run after every migration."""
    tenant, _ = Tenant.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "JobPilot", "slug": "public"}
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def tenant_template_migrate(verbosity: int = 0) -> None:
    """Create and migrate the template schema that new tenants are copied from, and capture its blueprint, so
    that no sign-up pays for the capture."""
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{template}"')
    call_command(
        MigrateSchemasCommand(), tenant=True, schema_name=template, interactive=False, verbosity=verbosity
    )
    connection.set_schema_to_public()
    schema_blueprint_current()


def tenant_schema_create(*, schema_name: str) -> None:
    """Create a tenant's schema as a copy of the template: the template's blueprint replayed in one savepoint
    of the caller's transaction, at a cost that does not grow with the number of tenants (ADR 0001)."""
    blueprint.replay(schema_blueprint_current(), schema_name)


def schema_blueprint_current() -> blueprint.Blueprint:
    """The blueprint of the template as migrated now: read from `SchemaBlueprint`, or captured and stored when
    the template's migration state has none yet (after a migration; a flushed test database). Blueprints of
    other states are deleted: they describe a template that no longer exists."""
    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        state = blueprint.migration_state(cursor, template)
    stored = schema_blueprint_for(migration_state=state)
    if stored is not None:
        return stored
    captured = blueprint.capture(template)
    # Concurrent first provisionings capture the same text; the first insert wins, the others change nothing.
    SchemaBlueprint.objects.bulk_create(
        [
            SchemaBlueprint(
                migration_state=captured.migration_state,
                schema_sql=captured.schema_sql,
                body_sql=captured.body_sql,
            )
        ],
        ignore_conflicts=True,
    )
    SchemaBlueprint.objects.exclude(migration_state=captured.migration_state).delete()
    return captured


# --- Branding ---------------------------------------------------------------------------------------------------

KEEP = object()
"""Passed as `logo`/`favicon` to `branding_update`: leave the current file as it is."""

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
# SVG is refused on purpose: an SVG can carry script, and these files are served from the portal's own origin.
FAVICON_TYPES = {**IMAGE_TYPES, "image/x-icon": "ico"}
MAX_LOGO_BYTES = 1024 * 1024
MAX_FAVICON_BYTES = 256 * 1024


@transaction.atomic
def branding_update(
    *,
    actor,
    tenant: Tenant,
    primary_color: str,
    primary_text_color: str,
    accent_color: str,
    font: str,
    hero_title: str = "",
    hero_text: str = "",
    custom_css_variables: dict[str, str] | None = None,
    footer_links: list[dict[str, str]] | None = None,
    show_powered_by: bool = True,
    logo=KEEP,
    favicon=KEEP,
) -> Branding:
    """Replace the tenant's branding (`logo`/`favicon`: KEEP, None to remove, or an uploaded image).

    Checks, in order: the actor is an admin or owner of `tenant`; every value is well formed; each colour pair
    that text is drawn with reaches WCAG AA (4.5:1), else 422 `contrast_too_low`; the tenant's plan allows what
    changes (a font, design tokens or a hidden credit kept from a former plan may be sent back unchanged).
    Locks the tenant's branding row (SELECT ... FOR UPDATE), so concurrent saves apply one after the other.
    """
    _require_admin(actor=actor, tenant=tenant)
    values = branding_validate(
        primary_color=primary_color,
        primary_text_color=primary_text_color,
        accent_color=accent_color,
        font=font,
        hero_title=hero_title,
        hero_text=hero_text,
        custom_css_variables=custom_css_variables or {},
        footer_links=footer_links or [],
    )
    logo_ext = _checked_image(logo, allowed=IMAGE_TYPES, max_bytes=MAX_LOGO_BYTES, field="logo")
    favicon_ext = _checked_image(favicon, allowed=FAVICON_TYPES, max_bytes=MAX_FAVICON_BYTES, field="favicon")
    # What a former plan made is kept through a downgrade (ADR 0003): sending it back unchanged is allowed, so
    # the logo and colours stay editable; choosing a design or hiding the credit anew needs the plan.
    current = Branding.objects.filter(tenant=tenant).first()
    design = (values["font"], values["custom_css_variables"])
    kept_design = current is not None and design == (current.font, current.custom_css_variables)
    branding_plan_check(
        tenant=tenant,
        advanced_design=(design != (Branding.Font.SYSTEM, {})) and not kept_design,
        hides_powered_by=not show_powered_by and (current is None or current.show_powered_by),
    )

    Branding.objects.get_or_create(tenant=tenant)
    branding = Branding.objects.select_for_update().select_related("tenant").get(tenant=tenant)
    for name, value in values.items():
        setattr(branding, name, value)
    branding.show_powered_by = show_powered_by
    replaced = [
        _replace_file(branding, "logo", logo, logo_ext),
        _replace_file(branding, "favicon", favicon, favicon_ext),
    ]
    branding.save()
    audit.record(actor=actor, action="branding.update", target=branding, after=values, tenant=tenant)
    storage = Branding.logo.field.storage
    for old_name in filter(None, replaced):
        # The old file goes only once the new row is committed: a rollback must not leave a dangling name.
        transaction.on_commit(lambda name=old_name: storage.delete(name))
    return branding


def branding_validate(
    *,
    primary_color: str,
    primary_text_color: str,
    accent_color: str,
    font: str,
    hero_title: str,
    hero_text: str,
    custom_css_variables: dict[str, str],
    footer_links: list[dict[str, str]],
) -> dict:
    """The cleaned branding values, or an `Invalid` naming the first field that is wrong. No writes."""
    colors = {
        "primary_color": primary_color,
        "primary_text_color": primary_text_color,
        "accent_color": accent_color,
    }
    for field, value in colors.items():
        if not rules.is_hex_color(value):
            raise Invalid("Colours are written as #rrggbb, e.g. #1d4ed8.", code="invalid_color", field=field)
    colors = {field: value.lower() for field, value in colors.items()}
    if font not in Branding.Font.values:
        raise Invalid(
            f"Choose one of the fonts: {', '.join(Branding.Font.values)}.", code="invalid", field="font"
        )
    hero_title, hero_text = (hero_title or "").strip(), (hero_text or "").strip()
    if len(hero_title) > 120:
        raise Invalid("The hero title can be at most 120 characters.", code="too_long", field="hero_title")
    if len(hero_text) > 400:
        raise Invalid("The hero text can be at most 400 characters.", code="too_long", field="hero_text")
    for pair in rules.contrast_pairs(
        primary=colors["primary_color"],
        primary_text=colors["primary_text_color"],
        accent=colors["accent_color"],
    ):
        if pair["ratio"] < rules.MINIMUM_TEXT_CONTRAST:
            raise Invalid(
                f"{pair['label']} ({pair['detail'].lower()}): contrast {pair['ratio']:.2f}:1 is too low to read; WCAG AA needs at least "
                f"{rules.MINIMUM_TEXT_CONTRAST}:1. Choose a darker or lighter colour.",
                code="contrast_too_low",
                field=pair["field"],
                ratio=round(pair["ratio"], 2),
                minimum=rules.MINIMUM_TEXT_CONTRAST,
            )
    return {
        **colors,
        "font": font,
        "hero_title": hero_title,
        "hero_text": hero_text,
        "custom_css_variables": _checked_tokens(custom_css_variables),
        "footer_links": _checked_footer_links(footer_links),
    }


def branding_plan_check(*, tenant: Tenant, advanced_design: bool, hides_powered_by: bool) -> None:
    """PLAN GATE for branding. Every plan may show its logo, colours and hero (a careers site without them is
    not the employer's); the `custom_branding` feature adds fonts and design tokens, and `remove_powered_by`
    hides "Powered by JobPilot". Raises 402 `feature_not_in_plan` otherwise.

    WARNING: billing. Bypassing this gives paid features away."""
    if not advanced_design and not hides_powered_by:
        return
    account = billing_account_for_tenant(tenant)
    if advanced_design:
        require_feature(account, Feature.CUSTOM_BRANDING)
    if hides_powered_by:
        require_feature(account, Feature.REMOVE_POWERED_BY)


def _require_admin(*, actor, tenant: Tenant) -> Membership:
    # WARNING: a non-member gets NotFound, like `require_member`, so these services never confirm a tenant to
    # outsiders.
    membership = membership_for(user=actor, tenant=tenant)
    if membership is None:
        raise NotFound()
    if not membership.has_role(Membership.Role.ADMIN):
        raise PermissionDenied("Only admins and owners can do this.", code="role_required")
    return membership


def _checked_tokens(tokens: dict[str, str]) -> dict[str, str]:
    if not isinstance(tokens, dict):
        raise Invalid("Custom CSS variables are name: value pairs.", field="custom_css_variables")
    cleaned = {}
    for name, value in tokens.items():
        name, value = str(name).strip(), str(value).strip()
        problem = rules.token_problem(name, value)
        if problem:
            raise Invalid(problem, code="invalid_css_variable", field="custom_css_variables")
        cleaned[name] = value
    return cleaned


def _checked_footer_links(links: list[dict[str, str]]) -> list[dict[str, str]]:
    if len(links) > rules.MAX_FOOTER_LINKS:
        raise Invalid(
            f"At most {rules.MAX_FOOTER_LINKS} footer links.", code="too_many_links", field="footer_links"
        )
    cleaned = []
    for link in links:
        label, url = str(link.get("label", "")).strip(), str(link.get("url", "")).strip()
        if not label or len(label) > 40:
            raise Invalid("Each footer link needs a label of 1-40 characters.", field="footer_links")
        if not _is_safe_link(url):
            raise Invalid(
                f"{label}: a link must be an http(s) address or a path on this site starting with /.",
                code="invalid_url",
                field="footer_links",
            )
        cleaned.append({"label": label, "url": url})
    return cleaned


def _is_safe_link(url: str) -> bool:
    # Only http(s) and same-site paths: a `javascript:` link in a tenant's footer would run on its portal.
    if len(url) > 300:
        return False
    if url.startswith("/"):
        return not url.startswith("//") and "\\" not in url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _checked_image(upload, *, allowed: dict[str, str], max_bytes: int, field: str) -> str | None:
    """The file extension to store an upload under, judged by its content (never by its name or claimed type)."""
    if upload is KEEP or upload is None:
        return None
    if not isinstance(upload, UploadedFile):
        raise Invalid("Upload an image file.", code="invalid_file", field=field)
    if upload.size > max_bytes:
        raise Invalid(f"The image can be at most {max_bytes // 1024} KB.", code="file_too_large", field=field)
    upload.seek(0)
    kind = filetype.guess(upload.read(262))
    upload.seek(0)
    if kind is None or kind.mime not in allowed:
        kinds = ", ".join(ext.upper() for ext in dict.fromkeys(allowed.values()))
        raise Invalid(f"The image must be one of: {kinds}.", code="invalid_file", field=field)
    return allowed[kind.mime]


def _replace_file(branding: Branding, field: str, upload, extension: str | None) -> str | None:
    """Point `field` at the new upload (or at nothing); answer the name of the file it replaced, if any."""
    if upload is KEEP:
        return None
    current = getattr(branding, field)
    old_name = current.name or None
    if upload is None:
        setattr(branding, field, "")
    else:
        current.save(f"{field}-{secrets.token_hex(8)}.{extension}", upload, save=False)
    return old_name


# --- Staff (seats) -------------------------------------------------------------------------------------------
# Each membership takes one seat of the employer's plan (`billing` metric "seats"): consumed in the same
# transaction as the membership row (when an invitation is accepted), released with it, so the plan's limit holds
# under concurrent acceptances. A pending invitation takes no seat.


def _check_role_grant(actor_membership: Membership, *roles: str) -> None:
    if Membership.Role.OWNER in roles and actor_membership.role != Membership.Role.OWNER:
        raise PermissionDenied("Only an owner can grant or take away the owner role.", code="owner_required")


def _lock_owners(tenant: Tenant) -> int:
    """Lock the tenant's owner memberships (so two owners cannot demote each other at once) and count them."""
    return len(Membership.objects.select_for_update().filter(tenant=tenant, role=Membership.Role.OWNER))


INVITATION_LIFETIME = timedelta(days=7)


def _require_a_free_seat(account) -> None:
    """The 402 an acceptance would get, told to the admin before the invitation goes out (nothing is counted)."""
    limit, used = limit_for(account, Metric.SEATS), used_for(account, Metric.SEATS)
    if limit is not None and used >= limit:
        raise LimitReached(
            metric=Metric.SEATS.value, limit=limit, used=used, upgrade_url=upgrade_url_for(account)
        )


def invitation_send(*, actor, tenant: Tenant, email: str, role: Membership.Role) -> tuple[Invitation, str]:
    """Invite a person to the staff by email. Nothing is created for them and no seat is taken until they
    accept; inviting the same address again sends a fresh link (the old one stops working). Refused up front
    (402 `limit_reached`) when every seat is taken, since they could not accept. Returns the invitation and the
    link's token (emailed; only its hash is kept)."""
    actor_membership = _require_admin(actor=actor, tenant=tenant)
    _check_role_grant(actor_membership, role)
    email = _normalized_email(email)
    account = billing_account_for_tenant(tenant)
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise Conflict("This person is already on the team.", code="already_member", field="email")
    _require_a_free_seat(account)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # One pending invitation per address: a re-invite replaces the old link (and may change the role).
        Invitation.objects.select_for_update().filter(
            tenant=tenant, email=email, status=Invitation.Status.PENDING
        ).update(status=Invitation.Status.REVOKED, responded_at=timezone.now())
        invitation = Invitation.objects.create(
            tenant=tenant,
            email=email,
            role=role,
            invited_by=actor,
            token_hash=Invitation.hash_token(token),
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        invitation_id = invitation.pk
        audit.record(
            actor=actor,
            action="member.invite",
            target=invitation,
            after={"email": email, "role": role},
            tenant=tenant,
        )
        transaction.on_commit(lambda: invitation_email.delay(invitation_id, token))
    return invitation, token


def invitation_revoke(*, actor, tenant: Tenant, invitation_id: int) -> None:
    _require_admin(actor=actor, tenant=tenant)
    updated = Invitation.objects.filter(
        tenant=tenant, pk=invitation_id, status=Invitation.Status.PENDING
    ).update(status=Invitation.Status.REVOKED, responded_at=timezone.now())
    if not updated:
        raise NotFound("No such pending invitation.")


def _locked_open_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("tenant")
        .filter(token_hash=Invitation.hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid.", code="invitation_not_found")
    if invitation.is_expired:
        raise Conflict(
            "This invitation has expired. Ask the team's admin to invite you again.",
            code="invitation_expired",
        )
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict(f"This invitation was {invitation.status} already.", code="invitation_closed")
    return invitation


def invitation_accept(*, user, token: str) -> Membership:
    """Join the team the invitation is for, as the signed-in user whose email it was sent to. Takes the seat
    now (402 when the team filled up meanwhile; the invitation stays open for when a seat is free)."""
    with transaction.atomic():
        invitation = _locked_open_invitation(token)
        if user.email.lower() != invitation.email:
            raise PermissionDenied(
                f"This invitation was sent to {invitation.email}. Sign in with that address to accept it.",
                code="invitation_for_another_account",
            )
        existing = membership_join(user=user, tenant=invitation.tenant, role=invitation.role)
        invitation.status, invitation.responded_at = Invitation.Status.ACCEPTED, timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
    return existing


def membership_join(*, user, tenant: Tenant, role: Membership.Role) -> Membership:
    """Put `user` on the staff with `role`, taking a seat (402 `limit_reached` when none is free), or return the
    membership they already have. In the caller's transaction: accepting an invitation, a first SSO sign-in."""
    existing = Membership.objects.filter(user=user, tenant=tenant).first()
    if existing is not None:
        return existing
    consume(billing_account_for_tenant(tenant), Metric.SEATS)
    membership = Membership.objects.create(user=user, tenant=tenant, role=role)
    _team_event(tenant, EventType.MEMBER_ADDED, membership)
    return membership


def invitation_decline(*, token: str) -> Invitation:
    """Say no to an invitation; whoever holds the link may (it was sent to them)."""
    with transaction.atomic():
        invitation = _locked_open_invitation(token)
        invitation.status, invitation.responded_at = Invitation.Status.DECLINED, timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
    return invitation


def membership_change_role(*, actor, tenant: Tenant, membership_id: int, role: Membership.Role) -> Membership:
    """Change a member's role. Only owners touch the owner role; the last owner cannot step down."""
    actor_membership = _require_admin(actor=actor, tenant=tenant)
    with transaction.atomic():
        owners = _lock_owners(tenant)
        membership = _locked_membership(tenant=tenant, membership_id=membership_id)
        _check_role_grant(actor_membership, role, membership.role)
        if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER and owners <= 1:
            raise Conflict("The team needs at least one owner.", code="last_owner")
        audit.record(
            actor=actor,
            action="member.role_change",
            target=membership,
            before={"role": membership.role},
            after={"role": role},
            tenant=tenant,
        )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, actor, tenant: Tenant, membership_id: int) -> None:
    """Take a person off the staff and give the seat back. The last owner cannot be removed."""
    actor_membership = _require_admin(actor=actor, tenant=tenant)
    account = billing_account_for_tenant(tenant)
    with transaction.atomic():
        owners = _lock_owners(tenant)
        membership = _locked_membership(tenant=tenant, membership_id=membership_id)
        _check_role_grant(actor_membership, membership.role)
        if membership.role == Membership.Role.OWNER and owners <= 1:
            raise Conflict("The team needs at least one owner.", code="last_owner")
        _team_event(tenant, EventType.MEMBER_REMOVED, membership)
        audit.record(
            actor=actor,
            action="member.remove",
            target=membership,
            before={"email": membership.user.email, "role": membership.role},
            tenant=tenant,
        )
        membership.delete()
        release(account, Metric.SEATS)


def _team_event(tenant: Tenant, type: EventType, membership: Membership) -> None:
    """The employer's `member.*` webhook, written in its schema inside the caller's transaction (memberships
    live in the public schema, webhooks in the employer's)."""
    with tenant_context(tenant):
        webhook_event_emit(type, webhook_payloads.member_data(membership))


def _locked_membership(*, tenant: Tenant, membership_id: int) -> Membership:
    # WARNING: filtered by the request's tenant: another employer's membership id is simply not found.
    membership = Membership.objects.select_for_update().filter(tenant=tenant, pk=membership_id).first()
    if membership is None:
        raise NotFound("No such team member.")
    return membership


def _normalized_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise Invalid("Enter a valid email address.", code="invalid_email", field="email") from error
    return email


# --- Custom domains ------------------------------------------------------------------------------------------
MAX_CUSTOM_DOMAINS = 5
PENDING_DOMAIN_CLAIM_TTL = timedelta(days=7)
DOMAIN_PATTERN = re.compile(
    r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"
)


def domain_add(*, actor, tenant: Tenant, domain: str) -> Domain:
    """Claim a custom domain for the employer's site (plan feature `custom_domain`, else 402). It serves
    nothing until verified (`domain_verify`). A claim left unverified for a week can be taken by another
    employer, so nobody can squat a host name they do not control."""
    _require_admin(actor=actor, tenant=tenant)
    name = _normalized_domain(domain)
    require_feature(billing_account_for_tenant(tenant), Feature.CUSTOM_DOMAIN)
    with transaction.atomic():
        # One domain change per tenant at a time, so the count below holds.
        Tenant.objects.select_for_update().get(pk=tenant.pk)
        custom = [d for d in Domain.objects.filter(tenant=tenant) if d.is_custom]
        if len(custom) >= MAX_CUSTOM_DOMAINS:
            raise Conflict(f"At most {MAX_CUSTOM_DOMAINS} custom domains per site.", code="too_many_domains")
        Domain.objects.filter(
            domain=name, verified_at__isnull=True, created_at__lt=timezone.now() - PENDING_DOMAIN_CLAIM_TTL
        ).exclude(tenant=tenant).delete()
        try:
            with transaction.atomic():
                added = Domain.objects.create(
                    domain=name,
                    tenant=tenant,
                    is_primary=False,
                    verification_token=secrets.token_urlsafe(24),
                    verified_at=None,
                )
        except IntegrityError as error:
            raise Conflict("This domain is already in use.", code="domain_taken", field="domain") from error
        audit.record(actor=actor, action="domain.add", target=added, after={"domain": name}, tenant=tenant)
        return added


def domain_verify(*, actor, tenant: Tenant, domain_id: int) -> Domain:
    """Verify a custom domain by its TXT record; from then on it serves the employer's site."""
    _require_admin(actor=actor, tenant=tenant)
    domain = _custom_domain(tenant=tenant, domain_id=domain_id)
    if domain.is_verified:
        return domain
    try:
        records = domain_txt_records(domain.txt_record_name)
    except DnsLookupFailed as error:
        raise Conflict(
            f"DNS did not answer for {domain.txt_record_name} just now; nothing was changed. Try again in a minute.",
            code="dns_lookup_failed",
        ) from error
    if domain.txt_record_value not in records:
        raise Conflict(
            f"No TXT record {domain.txt_record_name} with the value {domain.txt_record_value} was found yet.",
            code="verification_failed",
        )
    return domain_mark_verified(actor=actor, domain=domain)


def domain_mark_verified(*, actor, domain: Domain) -> Domain:
    """Mark a domain verified (after the TXT check, or by an administrator who checked it another way)."""
    Domain.objects.filter(pk=domain.pk, verified_at__isnull=True).update(verified_at=timezone.now())
    routing.forget()
    domain.refresh_from_db()
    logger.info("%s verified domain %s of tenant %s", actor, domain.domain, domain.tenant_id)
    return domain


def domain_remove(*, actor, tenant: Tenant, domain_id: int) -> None:
    """Remove a custom domain (never the platform's `<slug>.<BASE_DOMAIN>` or the primary one)."""
    _require_admin(actor=actor, tenant=tenant)
    domain = _custom_domain(tenant=tenant, domain_id=domain_id)
    if domain.is_primary:
        raise Conflict("The primary domain cannot be removed.", code="primary_domain")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="domain.remove",
            target=domain,
            before={"domain": domain.domain},
            tenant=tenant,
        )
        domain.delete()


def _custom_domain(*, tenant: Tenant, domain_id: int) -> Domain:
    # WARNING: filtered by the request's tenant: another employer's domain id is simply not found.
    domain = Domain.objects.filter(tenant=tenant, pk=domain_id).first()
    if domain is None or not domain.is_custom:
        raise NotFound("No such custom domain.")
    return domain


def _normalized_domain(domain: str) -> str:
    name = domain.strip().lower().rstrip(".")
    name = name.removeprefix(
        "www."
    )  # requests for www.<domain> are served as <domain> (`domain_for_hostname`)
    if not DOMAIN_PATTERN.match(name):
        raise Invalid("Enter a domain such as careers.example.com.", code="invalid_domain", field="domain")
    base = settings.BASE_DOMAIN
    if name == base or name.endswith(f".{base}"):
        raise Invalid("Addresses under the JobPilot domain are not custom domains.", code="reserved_domain")
    return name
