"""OIDC single sign-on against a real OpenID Connect provider (django-oauth-toolkit in a child process)."""

import pytest

from jobpilot.audit.models import AuditEntry
from jobpilot.core.errors import Invalid, PermissionDenied
from jobpilot.sso.models import SsoConnection
from jobpilot.sso.services import sso_oidc_save
from tenants.models import Membership
from tests.conftest import TEST_PASSWORD, owner_of
from tests.servers import free_port
from tests.sso.conftest import idp_origin_of, sso_sign_in

pytestmark = pytest.mark.django_db


def _audit(tenant, action):
    from django_tenants.utils import tenant_context

    with tenant_context(tenant):
        return list(AuditEntry.objects.filter(action=action).order_by("created_at"))


def test_first_sign_in_joins_the_team_with_the_default_role(oidc_idp, oidc_for, tenant_a, client_for):
    oidc_for(tenant_a, email_domains="acme-corp.test, acme.test", default_role="recruiter")
    client = client_for(tenant_a)

    status, url, body = sso_sign_in(client, "alice@acme-corp.test", idp_origin=idp_origin_of(oidc_idp))

    assert status == 200, body[:800]
    assert url.endswith("/console/")
    membership = Membership.objects.get(tenant=tenant_a, user__email="alice@acme-corp.test")
    assert membership.role == Membership.Role.RECRUITER
    joined = _audit(tenant_a, "sso.member_join")
    assert [entry.after["email"] for entry in joined] == ["alice@acme-corp.test"]
    # A second sign-in is the same person and the same seat.
    client.logout()
    status, url, _ = sso_sign_in(client, "alice@acme-corp.test", idp_origin=idp_origin_of(oidc_idp))
    assert status == 200 and url.endswith("/console/")
    assert Membership.objects.filter(user__email="alice@acme-corp.test").count() == 1
    assert len(_audit(tenant_a, "sso.member_join")) == 1


def test_an_address_outside_the_domains_is_refused(oidc_idp, oidc_for, tenant_a, client_for):
    oidc_for(tenant_a, email_domains="acme-corp.test")
    status, _url, body = sso_sign_in(
        client_for(tenant_a), "mallory@elsewhere.test", idp_origin=idp_origin_of(oidc_idp)
    )
    assert status == 403
    assert "is not an address Acme Corp signs in with single sign-on" in body
    assert not Membership.objects.filter(user__email="mallory@elsewhere.test").exists()


def test_an_existing_account_is_linked_only_when_already_on_the_team(
    oidc_idp, oidc_for, tenant_a, client_for, make_user, make_member
):
    oidc_for(tenant_a, email_domains="acme-corp.test")
    make_user(email="seeker@acme-corp.test")  # a JobPilot account made elsewhere, not on the team
    status, _url, body = sso_sign_in(
        client_for(tenant_a), "seeker@acme-corp.test", idp_origin=idp_origin_of(oidc_idp)
    )
    assert status == 403
    assert "already exists" in body
    assert not Membership.objects.filter(tenant=tenant_a, user__email="seeker@acme-corp.test").exists()

    member = make_member(tenant_a, "viewer", email="vic@acme-corp.test")
    status, url, _ = sso_sign_in(
        client_for(tenant_a), "vic@acme-corp.test", idp_origin=idp_origin_of(oidc_idp)
    )
    assert status == 200 and url.endswith("/console/")
    assert member.socialaccount_set.get().provider == "sso-acme"
    assert Membership.objects.get(user=member, tenant=tenant_a).role == "viewer"  # kept, not the default


def test_required_sso_refuses_password_sessions_except_the_owner(
    oidc_idp, oidc_for, tenant_a, client_for, make_member, api_client_for
):
    oidc_for(tenant_a, email_domains="acme-corp.test", require_sso=True)
    recruiter = make_member(tenant_a, "recruiter", email="rita@acme-corp.test")

    with_password = client_for(tenant_a)
    assert with_password.login(email=recruiter.email, password=TEST_PASSWORD)
    response = with_password.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/sso/?next=")
    # The API too: an app's access token (from a password sign-in) does not open the employer's endpoints.
    api = api_client_for(recruiter, tenant_a).get("/api/v1/employer/jobs/")
    assert api.status_code == 403 and api.json()["code"] == "sso_required"

    owner = client_for(tenant_a)
    assert owner.login(email=owner_of(tenant_a).email, password=TEST_PASSWORD)
    assert owner.get("/console/").status_code == 200  # break-glass

    through_sso = client_for(tenant_a)
    status, url, _ = sso_sign_in(through_sso, recruiter.email, idp_origin=idp_origin_of(oidc_idp))
    assert status == 200 and url.endswith("/console/")
    assert through_sso.get("/console/jobs/").status_code == 200


def test_an_anonymous_visit_to_the_console_goes_to_the_sso_page(oidc_for, tenant_a, client_for):
    oidc_for(tenant_a)
    response = client_for(tenant_a).get("/console/jobs/")
    assert response.status_code == 302 and response["Location"] == "/auth/sso/?next=%2Fconsole%2Fjobs%2F"
    page = client_for(tenant_a).get(response["Location"])
    assert page.status_code == 200
    assert b"Sign in with single sign-on" in page.content and b"Sign in with a password" in page.content


def test_one_employers_idp_cannot_sign_in_on_another(oidc_idp, oidc_for, tenant_a, tenant_b, client_for):
    oidc_for(tenant_a, email_domains="acme-corp.test")
    on_b = client_for(tenant_b)
    # Tenant A's provider does not exist on B's host: its login and callback are not found, nor listed.
    assert on_b.post("/accounts/oidc/sso-acme/login/").status_code == 404
    assert on_b.get("/accounts/oidc/sso-acme/login/callback/?code=x&state=y").status_code == 404
    assert on_b.get("/auth/sso/").status_code == 404
    assert b"sso-acme" not in on_b.get("/accounts/login/").content
    # Nor on the public site.
    assert client_for(None).post("/accounts/oidc/sso-acme/login/").status_code == 404

    # B's own IdP client signs in on B only; the person gets no seat at A.
    oidc_for(tenant_b, email_domains="globex-corp.test")
    status, url, _ = sso_sign_in(
        client_for(tenant_b), "gail@globex-corp.test", idp_origin=idp_origin_of(oidc_idp)
    )
    assert status == 200 and url.endswith("/console/")
    assert list(
        Membership.objects.filter(user__email="gail@globex-corp.test").values_list("tenant__slug", flat=True)
    ) == ["globex"]


def test_console_saves_settings_hides_the_secret_and_audits(oidc_idp, sso_plan, tenant_a, client_for):
    client = client_for(tenant_a)
    client.force_login(owner_of(tenant_a))
    client_id, secret = oidc_idp.client("acme")
    form = {
        "protocol": "oidc",
        "issuer": oidc_idp.issuer,
        "client_id": client_id,
        "client_secret": secret,
        "email_domains": "acme-corp.test",
        "default_role": "viewer",
        "require_sso": "on",
    }
    response = client.post("/console/sso/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get("/console/sso/")
    assert page.status_code == 200
    assert secret.encode() not in page.content
    assert b"http://acme.localhost/accounts/oidc/sso-acme/login/callback/" in page.content
    connection = SsoConnection.objects.get(tenant=tenant_a)
    assert (connection.protocol, connection.default_role, connection.require_sso) == ("oidc", "viewer", True)

    # A blank secret keeps the saved one.
    assert (
        client.post("/console/sso/", {**form, "client_secret": "", "default_role": "recruiter"}).status_code
        == 302
    )
    connection.app.refresh_from_db()
    assert connection.app.secret == secret
    changes = _audit(tenant_a, "sso.settings_change")
    assert len(changes) == 2
    assert changes[0].after["client_secret"] == "changed" and secret not in str(changes[0].after)
    assert changes[1].before["default_role"] == "viewer" and changes[1].after["default_role"] == "recruiter"
    assert "client_secret" not in changes[1].after


def test_a_recruiter_cannot_change_sso(oidc_idp, sso_plan, tenant_a, client_for, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    client = client_for(tenant_a)
    client.force_login(recruiter)
    assert client.get("/console/sso/").status_code == 403
    assert client.post("/console/sso/", {"protocol": "oidc", "issuer": oidc_idp.issuer}).status_code == 403
    assert client.post("/console/sso/remove/").status_code == 403
    with pytest.raises(PermissionDenied):
        sso_oidc_save(
            actor=recruiter,
            tenant=tenant_a,
            issuer=oidc_idp.issuer,
            client_id="x",
            client_secret="y",
            email_domains="acme-corp.test",
            default_role="viewer",
            require_sso=False,
        )
    assert not SsoConnection.objects.filter(tenant=tenant_a).exists()


def test_the_plan_gate(oidc_idp, on_plan, tenant_a, client_for):
    on_plan(tenant_a, "employer_growth")
    client = client_for(tenant_a)
    client.force_login(owner_of(tenant_a))
    page = client.get("/console/sso/")
    assert page.status_code == 200
    assert (
        b'data-plan-gate="sso"' in page.content
        and b"The Enterprise plan includes single sign-on" in page.content
    )
    client_id, secret = oidc_idp.client("acme")
    response = client.post(
        "/console/sso/",
        {
            "protocol": "oidc",
            "issuer": oidc_idp.issuer,
            "client_id": client_id,
            "client_secret": secret,
            "email_domains": "acme-corp.test",
            "default_role": "viewer",
        },
    )
    assert response.status_code == 402
    assert b"Your plan does not include sso" in response.content
    assert not SsoConnection.objects.filter(tenant=tenant_a).exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"issuer": "http://127.0.0.1:{free}/o"}, "issuer_unreachable"),
        ({"issuer": "{issuer}/other"}, "issuer_unreachable"),
        ({"issuer": "ftp://idp.example/o"}, "invalid_url"),
        ({"email_domains": "not a domain!"}, "invalid_email_domain"),
        ({"default_role": "owner"}, "invalid_role"),
        ({"client_id": " "}, "client_id_required"),
    ],
)
def test_bad_settings_get_a_clear_error(oidc_idp, sso_plan, tenant_a, change, code):
    fields = {
        "issuer": oidc_idp.issuer,
        "client_id": "jobpilot-acme",
        "client_secret": "s",
        "email_domains": "acme-corp.test",
        "default_role": "viewer",
        "require_sso": False,
    }
    fields |= {name: value.format(free=free_port(), issuer=oidc_idp.issuer) for name, value in change.items()}
    with pytest.raises(Invalid) as refused:
        sso_oidc_save(actor=owner_of(tenant_a), tenant=tenant_a, **fields)
    assert refused.value.code == code


def test_an_unreachable_issuer_is_a_422_on_the_form(sso_plan, tenant_a, client_for):
    client = client_for(tenant_a)
    client.force_login(owner_of(tenant_a))
    response = client.post(
        "/console/sso/",
        {
            "protocol": "oidc",
            "issuer": f"http://127.0.0.1:{free_port()}/o",
            "client_id": "c",
            "client_secret": "s",
            "email_domains": "acme-corp.test",
            "default_role": "viewer",
        },
    )
    assert response.status_code == 422
    assert b"Could not reach" in response.content


def test_after_a_downgrade_sso_stops_and_locks_nobody_out(
    oidc_idp, oidc_for, on_plan, tenant_a, client_for, make_member
):
    oidc_for(tenant_a, email_domains="acme-corp.test", require_sso=True)
    recruiter = make_member(tenant_a, "recruiter", email="dee@acme-corp.test")
    on_plan(tenant_a, "employer_growth")
    status, _url, body = sso_sign_in(
        client_for(tenant_a), "new@acme-corp.test", idp_origin=idp_origin_of(oidc_idp)
    )
    assert status == 403 and "not part of Acme Corp" in body
    assert not Membership.objects.filter(user__email="new@acme-corp.test").exists()
    with_password = client_for(tenant_a)
    assert with_password.login(email=recruiter.email, password=TEST_PASSWORD)
    assert with_password.get("/console/").status_code == 200  # the policy waits for the plan too


def test_jit_needs_a_free_seat(oidc_idp, oidc_for, tenant_a, client_for):
    from billing.selectors import billing_account_for_tenant
    from billing.services import billing_account_override_limits

    oidc_for(tenant_a, email_domains="acme-corp.test")
    billing_account_override_limits(
        actor="tests",
        account=billing_account_for_tenant(tenant_a),
        limits={"seats": Membership.objects.filter(tenant=tenant_a).count()},
    )
    status, _url, body = sso_sign_in(
        client_for(tenant_a), "late@acme-corp.test", idp_origin=idp_origin_of(oidc_idp)
    )
    assert status == 403 and "Every seat" in body
    assert not Membership.objects.filter(user__email="late@acme-corp.test").exists()


def test_turning_sso_off_is_audited_and_brings_passwords_back(oidc_for, tenant_a, client_for, make_member):
    oidc_for(tenant_a, email_domains="acme-corp.test", require_sso=True)
    owner = client_for(tenant_a)
    owner.force_login(owner_of(tenant_a))
    assert owner.post("/console/sso/remove/").status_code == 302
    assert not SsoConnection.objects.filter(tenant=tenant_a).exists()
    assert [entry.before["protocol"] for entry in _audit(tenant_a, "sso.remove")] == ["oidc"]
    assert owner.post("/console/sso/remove/").status_code == 404
    recruiter = make_member(tenant_a, "recruiter")
    with_password = client_for(tenant_a)
    assert with_password.login(email=recruiter.email, password=TEST_PASSWORD)
    assert with_password.get("/console/").status_code == 200


def test_a_connection_deleted_with_its_employer_takes_its_app_along(oidc_for, tenant_a):
    from allauth.socialaccount.models import SocialApp

    connection = oidc_for(tenant_a)
    app_id = connection.app_id
    SsoConnection.objects.filter(pk=connection.pk).delete()  # as a tenant's deletion cascades to it
    assert not SocialApp.objects.filter(pk=app_id).exists()
