"""Billing's background work: the hourly grace-period sweep."""

from celery import shared_task


@shared_task(name="billing.expire_grace_periods")
def billing_expire_grace_periods() -> int:
    from billing.services import billing_grace_expire

    return billing_grace_expire()
