"""Seats after a downgrade (ADR 0003): nobody loses access, and no one joins until the team is under the new plan's
seats. The employer chooses whom to remove; the plan never does."""

import pytest

from billing.entitlements import used_for
from billing.errors import LimitReached
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from tenants.models import Membership
from tenants.selectors import membership_for
from tenants.services import invitation_send, membership_remove
from tests.conftest import join_team, owner_of

pytestmark = pytest.mark.django_db


def test_a_team_over_the_seats_of_a_downgrade_keeps_access_and_takes_no_one_new(tenant_a, on_plan, make_user):
    owner = owner_of(tenant_a)
    on_plan(tenant_a, "employer_growth")  # 10 seats
    members = [join_team(tenant_a, make_user()) for _ in range(3)]
    fifth = make_user()
    on_plan(tenant_a, "employer_starter")  # 2 seats, 4 people
    account = billing_account_for_tenant(tenant_a)

    assert used_for(account, Metric.SEATS) == 4
    assert all(membership_for(user=m.user, tenant=tenant_a) is not None for m in members)
    with pytest.raises(LimitReached):
        invitation_send(actor=owner, tenant=tenant_a, email=fifth.email, role="viewer")

    membership_remove(actor=owner, tenant=tenant_a, membership_id=members[0].pk)
    membership_remove(actor=owner, tenant=tenant_a, membership_id=members[1].pk)
    with pytest.raises(LimitReached):  # at the limit is not under it
        invitation_send(actor=owner, tenant=tenant_a, email=fifth.email, role="viewer")

    membership_remove(actor=owner, tenant=tenant_a, membership_id=members[2].pk)
    added = join_team(tenant_a, fifth, role="viewer")
    assert added.role == Membership.Role.VIEWER and used_for(account, Metric.SEATS) == 2
