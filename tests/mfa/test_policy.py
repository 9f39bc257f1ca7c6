"""An employer's "require two-factor sign-in for all staff": owners and admins set it in the console (audited); a
member without a second factor is sent to set one up before the console opens and the employer API refuses them;
one with a second factor goes through; another employer's policy changes nothing here."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.audit.models import AuditEntry
from jobpilot.core.errors import Conflict, PermissionDenied
from jobpilot.mfa.selectors import mfa_required_for
from jobpilot.mfa.services import mfa_policy_set
from tenants.models import Membership
from tests.conftest import access_token_for, owner_of

pytestmark = pytest.mark.django_db
Role = Membership.Role
PAGE = "/console/security/mfa/"


def audit_actions(tenant, prefix):
    with tenant_context(tenant):
        return list(AuditEntry.objects.filter(action__startswith=prefix).values_list("action", "after"))


@pytest.fixture
def requiring(with_totp):
    """`requiring(tenant)`: the tenant's owner (given a second factor) turns the policy on."""

    def turn_on(tenant):
        owner = owner_of(tenant)
        with_totp(owner)
        return mfa_policy_set(actor=owner, tenant=tenant, required=True)

    return turn_on


def test_a_member_without_a_second_factor_is_sent_to_set_one_up(client_for, tenant_a, member, requiring):
    requiring(tenant_a)
    client = client_for(tenant_a)
    client.force_login(member(tenant_a))
    for path in ("/console/", "/console/jobs/", "/console/applicants/"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"] == "/accounts/2fa/", path
    setup = client.get("/accounts/2fa/")
    assert setup.status_code == 200 and b"requires two-factor sign-in" in setup.content
    assert b"Back to the console" in setup.content


def test_a_member_with_a_second_factor_goes_through(client_for, tenant_a, member, requiring, with_totp):
    requiring(tenant_a)
    user = member(tenant_a)
    with_totp(user)
    client = client_for(tenant_a)
    client.force_login(user)
    assert client.get("/console/").status_code == 200


def test_the_employer_api_refuses_a_member_without_a_second_factor(client_for, tenant_a, member, requiring):
    requiring(tenant_a)
    client = client_for(tenant_a)
    answer = client.get(
        "/api/v1/employer/jobs/", HTTP_AUTHORIZATION=f"Bearer {access_token_for(member(tenant_a))}"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "mfa_required"


def test_without_the_policy_members_open_the_console_with_a_password(client_for, tenant_a, member):
    client = client_for(tenant_a)
    client.force_login(member(tenant_a))
    assert client.get("/console/").status_code == 200


def test_one_employers_policy_does_not_reach_another(client_for, tenant_a, tenant_b, member, requiring):
    requiring(tenant_a)
    user = member(tenant_a)
    Membership.objects.create(user=user, tenant=tenant_b, role=Role.RECRUITER)
    on_b = client_for(tenant_b)
    on_b.force_login(user)
    assert on_b.get("/console/").status_code == 200
    assert mfa_required_for(tenant_a) and not mfa_required_for(tenant_b)
    on_a = client_for(tenant_a)
    on_a.force_login(user)
    assert on_a.get("/console/").status_code == 302


def test_an_admin_turns_it_on_from_the_console_and_it_is_audited_once(
    client_for, tenant_a, member, with_totp
):
    admin = member(tenant_a, Role.ADMIN)
    with_totp(admin)
    client = client_for(tenant_a)
    client.force_login(admin)
    page = client.get(PAGE)
    assert page.status_code == 200 and b"Require two-factor sign-in for all staff" in page.content
    answer = client.post(PAGE, {"required": "on"})
    assert answer.status_code == 302 and mfa_required_for(tenant_a)
    client.post(PAGE, {"required": "on"})  # the same value again changes nothing
    assert audit_actions(tenant_a, "mfa_policy.") == [("mfa_policy.update", {"required": True})]
    assert client.post(PAGE, {}).status_code == 302 and not mfa_required_for(tenant_a)
    assert len(audit_actions(tenant_a, "mfa_policy.")) == 2


def test_an_admin_without_a_second_factor_cannot_turn_it_on(client_for, tenant_a, member):
    admin = member(tenant_a, Role.ADMIN)
    client = client_for(tenant_a)
    client.force_login(admin)
    answer = client.post(PAGE, {"required": "on"})
    assert answer.status_code == 409 and b"for your own account first" in answer.content
    assert not mfa_required_for(tenant_a) and audit_actions(tenant_a, "mfa_policy.") == []
    with pytest.raises(Conflict):
        mfa_policy_set(actor=admin, tenant=tenant_a, required=True)


def test_a_recruiter_cannot_change_the_policy(client_for, tenant_a, member, with_totp):
    recruiter = member(tenant_a, Role.RECRUITER)
    with_totp(recruiter)
    client = client_for(tenant_a)
    client.force_login(recruiter)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"required": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        mfa_policy_set(actor=recruiter, tenant=tenant_a, required=True)
    assert not mfa_required_for(tenant_a)


def test_an_admin_of_another_employer_cannot_change_this_ones_policy(tenant_a, tenant_b, member, with_totp):
    outsider = member(tenant_b, Role.ADMIN)
    with_totp(outsider)
    with pytest.raises(PermissionDenied):
        mfa_policy_set(actor=outsider, tenant=tenant_a, required=True)


def test_the_policy_page_refuses_other_methods(client_for, tenant_a, member):
    client = client_for(tenant_a)
    client.force_login(member(tenant_a, Role.ADMIN))
    assert client.put(PAGE, {"required": "on"}).status_code == 405


def test_a_member_adding_and_removing_a_second_factor_is_audited_by_each_employer(
    client_for, tenant_a, tenant_b, member, verified, clock, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    from tests.conftest import TEST_PASSWORD
    from tests.mfa.conftest import NOW, code_at

    user = verified(member(tenant_a))
    client = client_for(tenant_a)
    client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    # allauth sends its "authenticator added" signal once the authenticator is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/2fa/totp/activate/", {"code": code_at(client.session[SECRET_SESSION_KEY], NOW)}
        )
    added = audit_actions(tenant_a, "member.mfa_")
    assert ("member.mfa_add", {"type": "totp"}) in added and (
        "member.mfa_add",
        {"type": "recovery_codes"},
    ) in added
    assert audit_actions(tenant_b, "member.mfa_") == []  # not a member there

    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert ("member.mfa_remove", {"type": "totp"}) in audit_actions(tenant_a, "member.mfa_remove")


def test_the_employer_api_serves_a_member_with_a_second_factor(
    client_for, tenant_a, member, requiring, with_totp
):
    requiring(tenant_a)
    user = member(tenant_a)
    with_totp(user)
    answer = client_for(tenant_a).get(
        "/api/v1/employer/jobs/", HTTP_AUTHORIZATION=f"Bearer {access_token_for(user)}"
    )
    assert answer.status_code == 200


def test_the_console_links_the_policy_for_admins_and_two_factor_settings_for_everyone(
    client_for, tenant_a, member
):
    admin, recruiter = client_for(tenant_a), client_for(tenant_a)
    admin.force_login(member(tenant_a, Role.ADMIN))
    recruiter.force_login(member(tenant_a, Role.RECRUITER))
    admin_page, recruiter_page = admin.get("/console/").content, recruiter.get("/console/").content
    assert PAGE.encode() in admin_page and PAGE.encode() not in recruiter_page
    assert b'href="/accounts/2fa/"' in admin_page and b'href="/accounts/2fa/"' in recruiter_page


def test_the_policy_page_lists_who_has_a_second_factor(client_for, tenant_a, member, with_totp):
    admin = member(tenant_a, Role.ADMIN)
    with_totp(admin)
    bare = member(tenant_a, Role.VIEWER)
    client = client_for(tenant_a)
    client.force_login(admin)
    page = client.get(PAGE).content.decode()
    admin_row = page[page.rindex(admin.email) :].split("</li>")[0]
    bare_row = page[page.rindex(bare.email) :].split("</li>")[0]
    assert "Two-factor on" in admin_row and "Password only" in bare_row


# --- /api/v1/employer/mfa-policy/ ---------------------------------------------------------------------------------

API = "/api/v1/employer/mfa-policy/"


def api_as(client_for, tenant, user):
    return client_for(tenant), {"HTTP_AUTHORIZATION": f"Bearer {access_token_for(user)}"}


def test_an_admin_reads_and_sets_the_policy_through_the_api(client_for, tenant_a, member, with_totp):
    admin = member(tenant_a, Role.ADMIN)
    with_totp(admin)
    client, auth = api_as(client_for, tenant_a, admin)
    body = client.get(API, **auth).json()
    assert body["required"] is False and body["updated_by"] is None
    assert body["members"] == 2 and body["members_without_mfa"] == 1  # the owner has none
    answer = client.put(API, {"required": True}, content_type="application/json", **auth)
    assert answer.status_code == 200 and answer.json()["required"] is True
    assert answer.json()["updated_by"] == admin.email and mfa_required_for(tenant_a)
    assert audit_actions(tenant_a, "mfa_policy.") == [("mfa_policy.update", {"required": True})]


def test_the_api_refuses_turning_it_on_without_an_own_second_factor(client_for, tenant_a, member):
    client, auth = api_as(client_for, tenant_a, member(tenant_a, Role.ADMIN))
    answer = client.put(API, {"required": True}, content_type="application/json", **auth)
    assert answer.status_code == 409 and answer.json()["code"] == "mfa_setup_first"


def test_the_api_refuses_a_recruiter_and_hides_from_outsiders(client_for, tenant_a, tenant_b, member):
    client, auth = api_as(client_for, tenant_a, member(tenant_a, Role.RECRUITER))
    assert client.get(API, **auth).status_code == 403
    assert client.put(API, {"required": True}, content_type="application/json", **auth).status_code == 403
    outsider, outsider_auth = api_as(client_for, tenant_a, member(tenant_b, Role.OWNER))
    assert outsider.get(API, **outsider_auth).status_code == 404
    assert client_for(tenant_a).get(API).status_code == 401
    assert not mfa_required_for(tenant_a)


def test_the_api_policy_of_one_employer_is_not_anothers(client_for, tenant_a, tenant_b, member, requiring):
    requiring(tenant_a)
    client, auth = api_as(client_for, tenant_b, owner_of(tenant_b))
    assert client.get(API, **auth).json()["required"] is False


@pytest.mark.parametrize("body", [{}, {"required": "yes"}, {"required": 1}, {"required": None}, ["required"]])
def test_the_api_refuses_a_bad_body(client_for, tenant_a, member, body):
    client, auth = api_as(client_for, tenant_a, member(tenant_a, Role.ADMIN))
    answer = client.put(API, body, content_type="application/json", **auth)
    assert answer.status_code == 422 and not mfa_required_for(tenant_a)
