import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import schema_exists

from tenants import branding as rules


class Tenant(TenantMixin):
    """An employer. Its jobs and applicant pipeline live in its own PostgreSQL schema (`schema_name`)."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        SUSPENDED = "suspended"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Create the schema as a copy of the migrated template (`tenants.services.tenant_schema_create`): its
        rows are `django_migrations`, content types and seeded pipeline stages, so the copy is already fully
        migrated and django-tenants' extra `migrate --fake` pass is not needed."""
        cloning = settings.TENANT_CREATION_FAKES_MIGRATIONS and schema_exists(settings.TENANT_BASE_SCHEMA)
        if self.is_public or not sync_schema or not cloning:
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        from tenants.services import tenant_schema_create  # services import this module

        tenant_schema_create(schema_name=self.schema_name)
        return True

    def __str__(self):
        return self.name or self.schema_name

    @property
    def is_public(self) -> bool:
        return self.schema_name == settings.PUBLIC_SCHEMA_NAME

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class DueWork(models.Model):
    """When an employer's schema next has periodic work of a kind. The beats read this in the public schema and
    enter only the schemas whose time has come, not every employer's each tick (ADR 0010): the services that
    create such work record it (`tenants.services.due_work_schedule`), and a beat that has done a schema's work
    records when its next is due (`due_work_settle`)."""

    class Kind(models.TextChoices):
        ATS_SYNC = "ats_sync"
        INTERVIEW_REMINDERS = "interview_reminders"
        POSTING_EXPIRY = "posting_expiry"
        WEBHOOK_DELIVERIES = "webhook_deliveries"
        PIPELINE_ROLLUP = "pipeline_rollup"  # due_at: the earliest history change not rolled up yet

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="due_work")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    due_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "kind"], name="duework_unique_tenant_kind")]
        indexes = [models.Index(fields=["kind", "due_at"], name="duework_kind_due")]

    def __str__(self):
        return f"{self.kind} of {self.tenant_id} at {self.due_at:%Y-%m-%d %H:%M}"


class DomainQuerySet(models.QuerySet):
    def routable(self):
        """Domains that requests are served on.

        WARNING: a custom domain an employer added is not routable until it is verified: until then anyone
        could claim someone else's host name and serve pages on it.
        """
        return self.filter(verified_at__isnull=False)


class Domain(DomainMixin):
    """A host name that resolves to a tenant: `<slug>.<BASE_DOMAIN>` (primary) or a custom domain.

    Domains the platform makes are verified when created; a custom domain added by an employer waits for a
    TXT record `<TXT_RECORD_PREFIX>.<domain>` holding `jobpilot-verify=<verification_token>`.
    """

    TXT_RECORD_PREFIX = "_jobpilot-challenge"

    created_at = models.DateTimeField(auto_now_add=True)
    verification_token = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    objects = DomainQuerySet.as_manager()

    def __str__(self):
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_custom(self) -> bool:
        base = settings.BASE_DOMAIN
        return self.domain != base and not self.domain.endswith(f".{base}")

    @property
    def txt_record_name(self) -> str:
        return f"{self.TXT_RECORD_PREFIX}.{self.domain}"

    @property
    def txt_record_value(self) -> str:
        return f"jobpilot-verify={self.verification_token}"


class Membership(models.Model):
    """A user's seat on an employer's staff. Roles are ordered: each can do what the ones below it can."""

    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        RECRUITER = "recruiter"
        VIEWER = "viewer"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RECRUITER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")
        ]

    def __str__(self):
        return f"{self.user} @ {self.tenant} ({self.role})"

    def has_role(self, minimum: "Membership.Role | str") -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[minimum]


class Invitation(models.Model):
    """An invitation to join an employer's staff, sent by email. The person becomes a member (and takes a seat)
    only when they accept; until then nothing of theirs exists here. The link's token is stored hashed."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        DECLINED = "declined"
        REVOKED = "revoked"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices, default=Membership.Role.RECRUITER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "email"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            )
        ]
        indexes = [models.Index(fields=["tenant", "status"], name="invitation_tenant_status")]

    def __str__(self):
        return f"{self.email} to {self.tenant} ({self.status})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired


ROLE_RANK = {
    Membership.Role.VIEWER: 0,
    Membership.Role.RECRUITER: 1,
    Membership.Role.ADMIN: 2,
    Membership.Role.OWNER: 3,
}


def _branding_upload_to(instance: "Branding", filename: str) -> str:
    # The service names the file (kind, random part, checked extension); the tenant's schema keeps tenants apart.
    return f"branding/{instance.tenant.schema_name}/{filename}"


class Branding(models.Model):
    """How an employer's careers portal and console look. One row per tenant, created on the first save;
    `tenants.selectors.branding_for` answers the defaults before that. Written only by `branding_update`."""

    class Font(models.TextChoices):
        SYSTEM = "system", "System (clean, native)"
        HUMANIST = "humanist", "Humanist (friendly sans)"
        GEOMETRIC = "geometric", "Geometric (modern sans)"
        ROUNDED = "rounded", "Rounded (soft sans)"
        SERIF = "serif", "Serif (editorial)"
        MONO = "mono", "Monospace (technical)"

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="branding")
    logo = models.FileField(upload_to=_branding_upload_to, blank=True)
    favicon = models.FileField(upload_to=_branding_upload_to, blank=True)
    primary_color = models.CharField(max_length=7, default=rules.DEFAULT_PRIMARY)
    primary_text_color = models.CharField(max_length=7, default=rules.DEFAULT_PRIMARY_TEXT)
    accent_color = models.CharField(max_length=7, default=rules.DEFAULT_ACCENT)
    font = models.CharField(max_length=16, choices=Font.choices, default=Font.SYSTEM)
    hero_title = models.CharField(max_length=120, blank=True)
    hero_text = models.CharField(max_length=400, blank=True)
    custom_css_variables = models.JSONField(default=dict, blank=True)
    footer_links = models.JSONField(default=list, blank=True)
    show_powered_by = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Branding of {self.tenant}"


class SchemaBlueprint(models.Model):
    """The tenant template's DDL as of one migration state (`tenants.blueprint`): captured once, replayed for
    every new tenant. Written by `schema_blueprint_current`; only the current state's row is kept."""

    migration_state = models.CharField(max_length=32, primary_key=True)  # md5 of the template's migrations
    schema_sql = models.TextField()
    body_sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Tenant schema blueprint {self.migration_state}"
