"""Billing's step of `manage.py seed_demo`."""

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_assign_plan


def billing_demo_step(*, employers, seeker) -> None:
    """The demo employers on Growth (25 active postings, custom domain and branding, 10 seats), assigned by
    hand as an administrator would in local mode; the demo seeker stays on the free plan. Idempotent."""
    for employer in employers:
        billing_account_assign_plan(
            actor="seed_demo", account=billing_account_for_tenant(employer), plan_code="employer_growth"
        )
