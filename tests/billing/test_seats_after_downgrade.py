"""Seats after a downgrade (ADR 0003): nobody loses access, and no one joins until the team is under the new plan's
seats. The employer chooses whom to remove; the plan never does."""

import pytest

from billing.entitlements import used_for
from billing.errors import LimitReached
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from tenants.models import Membership
from tenants.selectors import membership_for
from tenants.services import membership_add, membership_remove
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db


def test_a_team_over_the_seats_of_a_downgrade_keeps_access_and_takes_no_one_new(tenant_a, on_plan):
    owner = owner_of(tenant_a)
    on_plan(tenant_a, "employer_growth")  # 10 seats
    members = [
        membership_add(
            actor=owner, tenant=tenant_a, email=f"seat{n}@acme-downgrade.example", role="recruiter"
        )
        for n in range(3)
    ]
    on_plan(tenant_a, "employer_starter")  # 2 seats, 4 people
    account = billing_account_for_tenant(tenant_a)

    assert used_for(account, Metric.SEATS) == 4
    assert all(membership_for(user=m.user, tenant=tenant_a) is not None for m in members)
    with pytest.raises(LimitReached):
        membership_add(actor=owner, tenant=tenant_a, email="fifth@acme-downgrade.example", role="viewer")

    membership_remove(actor=owner, tenant=tenant_a, membership_id=members[0].pk)
    membership_remove(actor=owner, tenant=tenant_a, membership_id=members[1].pk)
    with pytest.raises(LimitReached):  # at the limit is not under it
        membership_add(actor=owner, tenant=tenant_a, email="fifth@acme-downgrade.example", role="viewer")

    membership_remove(actor=owner, tenant=tenant_a, membership_id=members[2].pk)
    added = membership_add(actor=owner, tenant=tenant_a, email="fifth@acme-downgrade.example", role="viewer")
    assert added.role == Membership.Role.VIEWER and used_for(account, Metric.SEATS) == 2
