"""An employer's plan changes are in its audit log: a subscription started through checkout (Stripe's word, so no
actor), a plan change and a cancellation asked for by an owner (with the owner), each once; a seeker's billing
writes no employer entry. Against localstripe."""

import pytest
from django_tenants.utils import tenant_context

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_ensure_customer
from jobpilot.audit.models import AuditEntry
from tests.billing.conftest import use_card
from tests.billing.test_stripe_flows import subscribe

pytestmark = [pytest.mark.django_db, pytest.mark.stripe]


def billing_entries(tenant):
    with tenant_context(tenant):
        return list(
            AuditEntry.objects.filter(action__startswith="billing.")
            .order_by("created_at", "pk")
            .values_list("action", "actor_email", "before", "after")
        )


def test_an_employers_subscription_changes_are_audited(stripe_on, owner_client, tenant_a, tenant_b):
    owner = tenant_a.memberships.get(role="owner").user
    use_card(
        stripe_on,
        billing_account_ensure_customer(account=billing_account_for_tenant(tenant_a)),
        "pm_card_visa",
    )
    subscribe(owner_client, stripe_on, plan="employer_growth")
    changed = owner_client.post(
        "/api/v1/billing/change/", {"plan": "employer_enterprise"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.json()
    assert owner_client.post("/api/v1/billing/cancel/").status_code == 200
    owner_client.post("/api/v1/billing/cancel/")  # refused (409): nothing more to record

    entries = billing_entries(tenant_a)
    assert [(action, actor) for action, actor, _before, _after in entries] == [
        ("billing.plan_change", ""),
        ("billing.plan_change", owner.email),
        ("billing.cancel", owner.email),
    ]
    assert entries[0][3] == {"plan": "employer_growth", "interval": "month"}
    assert entries[1][2] == entries[0][3] and entries[1][3] == {
        "plan": "employer_enterprise",
        "interval": "month",
    }
    assert billing_entries(tenant_b) == []


def test_a_platform_administrators_limit_override_is_in_the_platform_log(tenant_a):
    from billing.services import billing_account_override_limits
    from jobpilot.audit.platform.models import PlatformAuditEntry

    account = billing_account_for_tenant(tenant_a)
    billing_account_override_limits(actor="ops@jobpilot.example", account=account, limits={"seats": 50})
    entry = PlatformAuditEntry.objects.filter(action="billing.override_limits").latest("created_at")
    assert entry.actor == "ops@jobpilot.example" and entry.target_id == str(account.pk)
    assert entry.after == {"limits": {**entry.before["limits"], "seats": 50}}
