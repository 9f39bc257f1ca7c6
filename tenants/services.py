"""Writes for tenants: provisioning, suspension, the public tenant and the template schema new tenants clone."""

import re
import secrets

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.management import call_command
from django.core.validators import URLValidator
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from jobpilot.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from tenants import branding as rules
from tenants.models import Branding, Domain, Membership, Tenant
from tenants.selectors import membership_for

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
    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(status=status)
        tenant.status = status
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
    that text is drawn with reaches WCAG AA (4.5:1), else 422 `contrast_too_low`; the tenant's plan allows it.
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
    branding_plan_check(tenant=tenant, hides_powered_by=not show_powered_by)

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


def branding_plan_check(*, tenant: Tenant, hides_powered_by: bool) -> None:
    """PLAN GATE for branding: the one place that decides whether `tenant`'s plan allows custom branding and
    hiding "Powered by JobPilot". The billing work makes it raise its 402 `limit_reached` error for plans without
    those features; until billing exists every tenant may brand its portal and hide the line."""


def _require_admin(*, actor, tenant: Tenant) -> Membership:
    # WARNING: a non-member gets NotFound, like `require_member`, so branding never confirms a tenant to outsiders.
    membership = membership_for(user=actor, tenant=tenant)
    if membership is None:
        raise NotFound()
    if not membership.has_role(Membership.Role.ADMIN):
        raise PermissionDenied("Only admins and owners can change the branding.", code="role_required")
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
