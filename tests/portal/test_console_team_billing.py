"""The console's team and billing pages: members only, admins manage, seats counted against the plan, and
without Stripe keys the billing page says billing is not configured instead of failing."""

import re

import pytest

from billing.entitlements import used_for
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from tenants.models import Invitation, Membership
from tests.conftest import join_team, owner_of
from tests.portal.test_js_budget import BUDGET_BYTES, script_bytes

pytestmark = pytest.mark.django_db

TEAM = "/console/team/"
BILLING = "/console/billing/"


def signed_in(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", [TEAM, BILLING])
def test_a_signed_in_non_member_gets_404(client_for, tenant_a, make_user, path):
    assert signed_in(client_for, tenant_a, make_user()).get(path).status_code == 404


def test_the_team_page_lists_only_this_tenants_members(client_for, tenant_a, tenant_b, make_member):
    ours = make_member(tenant_a, "recruiter")
    theirs = make_member(tenant_b, "recruiter")
    page = signed_in(client_for, tenant_a, ours).get(TEAM).content.decode()
    assert ours.email in page and owner_of(tenant_a).email in page
    assert theirs.email not in page and owner_of(tenant_b).email not in page


def test_an_admin_invites_by_email_and_the_seat_is_taken_only_when_the_person_accepts(
    client_for, tenant_a, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TEAM, {"email": "New.Hire@Example.com", "role": "recruiter"})
    assert response.status_code == 302
    assert not Membership.objects.filter(tenant=tenant_a, user__email="new.hire@example.com").exists()
    assert used_for(billing_account_for_tenant(tenant_a), Metric.SEATS) == 1
    page = client.get(TEAM).content.decode()
    assert "Invited, not joined yet" in page and "new.hire@example.com" in page
    assert "<strong>1</strong> of 2" in page

    link = re.search(r"https://acme\.localhost(/invitations/[^/\s]+/)", mailoutbox[0].body).group(1)
    hire = make_user(email="new.hire@example.com")
    invitee = signed_in(client_for, tenant_a, hire)
    assert "Accept and join" in invitee.get(link).content.decode()
    accepted = invitee.post(link, {"answer": "accept"})

    assert accepted.status_code == 302 and accepted["Location"] == "/console/"
    assert Membership.objects.get(tenant=tenant_a, user=hire).role == "recruiter"
    assert used_for(billing_account_for_tenant(tenant_a), Metric.SEATS) == 2
    page = client.get(TEAM).content.decode()
    assert "Invited, not joined yet" not in page
    assert "<strong>2</strong> of 2" in page
    # Every seat taken: the invite form is closed, before anyone types, with the plan that has more.
    assert "You have used 2 of the 2 team seats your plan includes. The Growth plan includes 10." in page
    assert 'href="/console/billing/">Upgrade to Growth</a>' in page
    assert re.search(r'<fieldset class="form" disabled>\s*<div class="field">\s*<label for="id_email"', page)


def test_an_invitation_page_guides_a_newcomer_to_sign_up_and_lets_anyone_with_the_link_decline(
    client_for, tenant_a, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(client_for, tenant_a, owner_of(tenant_a)).post(
            TEAM, {"email": "nobody.yet@example.com", "role": "viewer"}
        )
    link = re.search(r"https://acme\.localhost(/invitations/[^/\s]+/)", mailoutbox[0].body).group(1)
    anonymous = client_for(tenant_a)

    page = anonymous.get(link).content.decode()
    declined = anonymous.post(link, {"answer": "decline"}, follow=True).content.decode()

    assert "Create your account with nobody.yet@example.com" in page
    assert "/accounts/signup/?next=" in page
    assert "was declined" in declined
    assert anonymous.get("/invitations/not-a-real-token/").status_code == 404


def test_when_every_seat_is_taken_an_invite_answers_402_on_the_form(client_for, tenant_a, make_user):
    join_team(tenant_a, make_user(), role="viewer")  # the owner and this viewer hold Starter's 2 seats
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    refused = client.post(TEAM, {"email": "third@example.com", "role": "viewer"})
    assert refused.status_code == 402
    assert "Your plan allows 2 seats" in refused.content.decode()
    assert 'role="alert" data-plan-gate="seats"' in refused.content.decode()
    assert "Upgrade to Growth</a>" in refused.content.decode()
    assert not Invitation.objects.filter(email="third@example.com").exists()


def test_an_admin_revokes_a_pending_invitation(client_for, tenant_a, tenant_b):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    client.post(TEAM, {"email": "changed.mind@example.com", "role": "viewer"})
    invitation = Invitation.objects.get(email="changed.mind@example.com")
    other = signed_in(client_for, tenant_b, owner_of(tenant_b))

    assert other.post(f"/console/team/invitations/{invitation.pk}/revoke/").status_code == 404
    assert client.post(f"/console/team/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email", "role": "viewer"}, "email"),
        ({"email": "a@example.com", "role": "god"}, "role"),
    ],
)
def test_bad_invites_are_form_errors(client_for, tenant_a, data, field):
    response = signed_in(client_for, tenant_a, owner_of(tenant_a)).post(TEAM, data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]


def test_inviting_a_current_member_is_a_form_error(client_for, tenant_a, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    response = signed_in(client_for, tenant_a, owner_of(tenant_a)).post(
        TEAM, {"email": recruiter.email, "role": "viewer"}
    )
    assert response.status_code == 409
    assert "already on the team" in response.content.decode()


def test_recruiters_and_viewers_see_the_team_but_cannot_change_it(client_for, tenant_a, make_member):
    for role in ("recruiter", "viewer"):
        client = signed_in(client_for, tenant_a, make_member(tenant_a, role))
        page = client.get(TEAM)
        assert page.status_code == 200 and "Invite by email" not in page.content.decode()
        assert client.post(TEAM, {"email": "x@example.com", "role": "viewer"}).status_code == 403
        owner = tenant_a.memberships.get(role="owner")
        assert client.post(f"{TEAM}{owner.pk}/", {"remove": "1"}).status_code == 403


def test_an_admin_changes_a_role_and_removes_a_member(client_for, tenant_a, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    membership = Membership.objects.get(user=recruiter, tenant=tenant_a)
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    assert client.post(f"{TEAM}{membership.pk}/", {"role": "admin"})["Location"] == TEAM
    membership.refresh_from_db()
    assert membership.role == "admin"
    assert client.post(f"{TEAM}{membership.pk}/", {"role": "emperor"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "admin"
    client.post(f"{TEAM}{membership.pk}/", {"remove": "1"})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_cannot_be_removed_and_the_page_says_why(client_for, tenant_a):
    owner = tenant_a.memberships.get(role="owner")
    client = signed_in(client_for, tenant_a, owner.user)
    response = client.post(f"{TEAM}{owner.pk}/", {"remove": "1"}, follow=True)
    assert "The team needs at least one owner." in response.content.decode()
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_an_admin_cannot_touch_another_tenants_member(client_for, tenant_a, tenant_b, make_member):
    theirs = Membership.objects.get(user=make_member(tenant_b, "recruiter"), tenant=tenant_b)
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    assert client.post(f"{TEAM}{theirs.pk}/", {"remove": "1"}).status_code == 404
    assert client.post(f"{TEAM}{theirs.pk}/", {"role": "viewer"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "recruiter"


def test_the_billing_page_shows_the_plan_usage_and_that_billing_is_not_configured(client_for, tenant_a):
    page = signed_in(client_for, tenant_a, owner_of(tenant_a)).get(BILLING).content.decode()
    assert "Starter" in page
    assert "Active job postings" in page and "Team seats" in page
    assert "<strong>1</strong> of 2" in page  # the owner's seat
    assert "Billing is not configured on this server." in page
    assert "Upgrade to Growth" in page and "disabled" in page


def test_billing_shows_the_plan_of_this_tenant_only(client_for, tenant_a, tenant_b, on_plan):
    on_plan(tenant_b, "employer_growth")
    page = signed_in(client_for, tenant_a, owner_of(tenant_a)).get(BILLING).content.decode()
    assert "Upgrade to Growth" in page  # tenant A is still on Starter


def test_a_viewer_reads_billing_but_cannot_start_checkout_or_the_portal(client_for, tenant_a, make_member):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "viewer"))
    page = client.get(BILLING)
    assert page.status_code == 200 and "Only admins and owners change the plan." in page.content.decode()
    assert client.post(BILLING + "checkout/", {"plan": "employer_growth"}).status_code == 403
    assert client.post(BILLING + "portal/").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"plan": "employer_growth", "interval": "month"}, "not configured"),
        ({"plan": "employer_growth", "interval": "decade"}, "Choose monthly or yearly billing."),
        ({"plan": "seeker_pro", "interval": "month"}, ""),
    ],
)
def test_checkout_without_stripe_explains_instead_of_failing(client_for, tenant_a, data, message):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = client.post(BILLING + "checkout/", data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(BILLING, 302)]
    assert message in response.content.decode()
    assert 'class="alert alert-error"' in response.content.decode()


def test_the_portal_without_stripe_explains_instead_of_failing(client_for, tenant_a):
    response = signed_in(client_for, tenant_a, owner_of(tenant_a)).post(BILLING + "portal/", follow=True)
    assert response.redirect_chain == [(BILLING, 302)]
    assert 'class="alert alert-error"' in response.content.decode()


@pytest.mark.parametrize("path", ["/console/jobs/", "/console/jobs/new/", "/console/company/", TEAM, BILLING])
def test_console_pages_stay_within_the_javascript_budget(client_for, tenant_a, path):
    html = signed_in(client_for, tenant_a, owner_of(tenant_a)).get(path).content.decode()
    assert "js/notifications.js" in html
    assert script_bytes(html) <= BUDGET_BYTES
