"""Billing's background work: the hourly grace-period sweep, and closing the Stripe side of deleted payers."""

from celery import shared_task


@shared_task(name="billing.expire_grace_periods")
def billing_expire_grace_periods() -> int:
    from billing.services import billing_grace_expire

    return billing_grace_expire()


@shared_task(name="billing.close_stripe_customers", bind=True, max_retries=10)
def billing_close_stripe_customers(self, customer_ids: list[str]) -> None:
    """Retried with backoff while Stripe is unreachable: a deleted payer must not be billed again."""
    from billing.errors import PaymentProviderError
    from billing.services import stripe_customers_close

    try:
        stripe_customers_close(customer_ids=customer_ids)
    except PaymentProviderError as error:
        raise self.retry(exc=error, countdown=min(3600, 30 * 2**self.request.retries)) from error
