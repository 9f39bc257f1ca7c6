"""Tenants' background work: the email that tells a person they were added to an employer's team."""

from celery import shared_task
from django.core.mail import send_mail

from tenants.models import Membership
from tenants.selectors import tenant_site_origin


@shared_task(
    name="tenants.membership_invite_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def membership_invite_email(membership_id: int, new_user: bool) -> int:
    membership = Membership.objects.select_related("user", "tenant").filter(pk=membership_id).first()
    if membership is None:
        return 0
    origin = tenant_site_origin(membership.tenant)
    lines = [
        f"You have been added to {membership.tenant.name} on JobPilot as {membership.get_role_display()}.",
        "",
    ]
    if new_user:
        lines += ["Choose a password to sign in:", f"{origin}/accounts/password/reset/", ""]
    lines += [f"Sign in at {origin}/"]
    return send_mail(
        f"You have joined {membership.tenant.name} on JobPilot",
        "\n".join(lines) + "\n",
        None,
        [membership.user.email],
    )
