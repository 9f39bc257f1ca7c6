from allauth.socialaccount.models import SocialApp
from django.db import models

from tenants.models import Membership, Tenant


class SsoConnection(models.Model):
    """An employer's identity provider: one per tenant, OIDC or SAML. The protocol details allauth reads (issuer,
    client id and secret; IdP entity id, SSO URL and certificate) live in the linked `SocialApp` in the public
    schema; this row says whose it is and the employer's policy. Written only by `jobpilot.sso.services`."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    JIT_ROLES = (Membership.Role.ADMIN, Membership.Role.RECRUITER, Membership.Role.VIEWER)  # never owner

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="sso_connection")
    protocol = models.CharField(max_length=8, choices=Protocol.choices)
    app = models.OneToOneField(SocialApp, on_delete=models.CASCADE, related_name="sso_connection")
    # Sign-ins whose email is in one of these domains may join the team (just-in-time membership).
    email_domains = models.JSONField(default=list)
    default_role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.VIEWER
    )
    # Staff (every member but owners, the break-glass) reach the console only through this IdP.
    require_sso = models.BooleanField(default=False)
    metadata_url = models.URLField(
        max_length=500, blank=True
    )  # SAML: where the metadata was read, for display
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.get_protocol_display()} for {self.tenant}"

    @property
    def provider_id(self) -> str:
        """What allauth records as the provider of this connection's social accounts and sign-ins (and, for SAML,
        the organisation slug in its URLs): `sso-<tenant slug>`, never a built-in provider's id."""
        return self.app.provider_id

    @staticmethod
    def provider_id_for(tenant: Tenant) -> str:
        return f"sso-{tenant.slug}"

    def allows_email(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.email_domains
