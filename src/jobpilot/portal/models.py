from django.conf import settings
from django.db import models


class LoginHandoff(models.Model):
    """A one-time sign-in link from the public site to an employer's host (sessions are per host).

    Only a SHA-256 of the token is stored; the token itself lives in one redirect URL. It works once, for a
    short time, and only on the tenant it was made for.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    next_path = models.CharField(max_length=200, default="/console/")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Sign-in handoff for {self.user_id} to {self.tenant_id}"
