"""The console's notifications page on the employer's host: the bell leads there (not to the public domain, where
the staff member has no session), members only, each user sees only their own, and an application that came in
on this employer links to its candidate page."""

import pytest

from jobpilot.notifications.models import Notification
from jobpilot.notifications.services import notify
from tenants.models import Membership
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db

PAGE = "/console/notifications/"


def signed_in(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def test_the_bell_leads_to_the_consoles_own_notifications_page(client_for, tenant_a):
    page = signed_in(client_for, tenant_a, owner_of(tenant_a)).get("/console/").content.decode()
    assert f'id="bell" href="{PAGE}"' in page


def test_staff_see_their_own_notifications_with_links_to_this_employers_candidates(
    client_for, tenant_a, tenant_b, make_user
):
    owner, colleague = owner_of(tenant_a), make_user()
    Membership.objects.create(user=colleague, tenant=tenant_a, role=Membership.Role.RECRUITER)
    notify(
        recipient=owner,
        type="application_received",
        title="Dana Reyes applied to Robot Wrangler",
        tenant=tenant_a,
        data={"application_id": 42},
    )
    notify(
        recipient=owner,
        type="application_received",
        title="Someone applied at Globex",
        tenant=tenant_b,
        data={"application_id": 7},
    )
    notify(recipient=colleague, type="application_received", title="For the colleague", tenant=tenant_a)

    page = signed_in(client_for, tenant_a, owner).get(PAGE).content.decode()

    assert '<a href="/console/applications/42/">Dana Reyes applied to Robot Wrangler</a>' in page
    assert "Someone applied at Globex" in page and "/console/applications/7/" not in page
    assert "For the colleague" not in page


def test_marking_all_read_reads_only_the_callers(client_for, tenant_a, make_user):
    owner, colleague = owner_of(tenant_a), make_user()
    notify(recipient=owner, type="application_received", title="One", tenant=tenant_a)
    notify(recipient=colleague, type="application_received", title="Two", tenant=tenant_a)

    response = signed_in(client_for, tenant_a, owner).post(f"{PAGE}read/")

    assert response.status_code == 302 and response["Location"] == PAGE
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=colleague, read_at__isnull=True).exists()


def test_outsiders_get_404_and_visitors_the_sign_in_page(client_for, tenant_a, make_user):
    assert signed_in(client_for, tenant_a, make_user()).get(PAGE).status_code == 404
    response = client_for(tenant_a).get(PAGE)
    assert response.status_code == 302 and "/auth/continue/" in response["Location"]
    assert signed_in(client_for, tenant_a, make_user()).post(f"{PAGE}read/").status_code == 404
