"""Billing's background work: payer emails and the hourly grace-period sweep."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from billing.models import BillingAccount
from billing.selectors import payer_emails, site_origin_for


@shared_task(name="billing.send_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def billing_send_email(account_id: int, kind: str, context: dict) -> int:
    """Email the payer (the user, or the employer's owners and admins). Returns how many were sent."""
    account = BillingAccount.objects.select_related("user", "tenant").filter(pk=account_id).first()
    if account is None:
        return 0
    recipients = payer_emails(account)
    if not recipients:
        return 0
    rendered = render_to_string(
        f"billing/email/{kind}.txt",
        {
            **context,
            "account": account,
            "billing_url": f"{site_origin_for(account)}{settings.BILLING_UPGRADE_PATH}",
        },
    )
    subject, _, body = rendered.strip().partition("\n")
    return send_mail(subject.strip(), body.strip() + "\n", None, recipients)


@shared_task(name="billing.expire_grace_periods")
def billing_expire_grace_periods() -> int:
    from billing.services import billing_grace_expire

    return billing_grace_expire()
