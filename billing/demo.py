"""Billing's step of `manage.py seed_demo`."""

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_assign_plan


def billing_demo_step(*, employers, seeker) -> None:
    """The first demo employer on Growth (custom domain, branding, 10 seats), assigned by hand as an
    administrator would in local mode; everyone else stays on the free plan. Idempotent."""
    billing_account_assign_plan(
        actor="seed_demo", account=billing_account_for_tenant(employers[0]), plan_code="employer_growth"
    )
