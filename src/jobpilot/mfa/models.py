"""The employer's sign-in policy. Public schema (next to Tenant and Membership): `require_member` reads it on every
console page and employer endpoint, before any tenant data."""

from django.conf import settings
from django.db import models


class MfaPolicy(models.Model):
    """Whether every member of the employer needs a second factor before the console or the employer API opens.
    No row is the default: not required."""

    tenant = models.OneToOneField(
        "tenants.Tenant", on_delete=models.CASCADE, primary_key=True, related_name="mfa_policy"
    )
    required = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"{self.tenant_id}: MFA {'required' if self.required else 'optional'}"
