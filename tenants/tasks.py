"""Tenants' background work: the email that invites a person to an employer's team."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from tenants.models import Invitation
from tenants.selectors import tenant_site_origin


@shared_task(name="tenants.invitation_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_email(invitation_id: int, token: str) -> int:
    """The link carries the token (only its hash is stored); a revoked or replaced invitation sends nothing."""
    invitation = Invitation.objects.select_related("tenant", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return 0
    tenant = invitation.tenant
    inviter = invitation.invited_by.display_name if invitation.invited_by else "An admin"
    days = max(1, (invitation.expires_at - timezone.now()).days)
    body = (
        f"{inviter} invited you to join {tenant.name} on JobPilot as {invitation.get_role_display()}.\n\n"
        f"Accept or decline here (the link works for {days} days):\n"
        f"{tenant_site_origin(tenant)}/invitations/{token}/\n\n"
        "If you did not expect this, ignore this email: nothing happens unless you accept.\n"
    )
    return send_mail(f"Join {tenant.name} on JobPilot", body, None, [invitation.email])
