"""/api/v1/employer/members/ and /api/v1/employer/invitations/: the employer's team, where each member takes one seat
of the plan from the moment they accept an invitation (/api/v1/invitations/accept/)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from billing.entitlements import used_for
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_override_limits
from tenants.models import Invitation, Membership
from tenants.services import invitation_send
from tests.conftest import join_team

pytestmark = pytest.mark.django_db
MEMBERS = "/api/v1/employer/members/"
INVITATIONS = "/api/v1/employer/invitations/"
ACCEPT = "/api/v1/invitations/accept/"
DECLINE = "/api/v1/invitations/decline/"


def signed_in(client_for, tenant, user) -> Client:
    client = client_for(tenant)
    client.force_login(user)
    return client


@pytest.fixture
def owner(tenant_a):
    return tenant_a.memberships.get(role="owner").user


@pytest.fixture
def owner_client(client_for, tenant_a, owner):
    return signed_in(client_for, tenant_a, owner)


def add_member(tenant, make_user, role) -> Membership:
    return Membership.objects.create(user=make_user(), tenant=tenant, role=role)


def seats(tenant) -> int:
    return used_for(billing_account_for_tenant(tenant), Metric.SEATS)


def allow_seats(tenant, count: int = 10) -> None:
    billing_account_override_limits(
        actor=None, account=billing_account_for_tenant(tenant), limits={"seats": count}
    )


def test_an_owner_sees_the_team(owner_client, owner):
    body = owner_client.get(MEMBERS).json()
    assert [(m["email"], m["role"]) for m in body] == [(owner.email, "owner")]


def invite(client, email: str, role: str = "recruiter"):
    return client.post(INVITATIONS, {"email": email, "role": role}, content_type="application/json")


def token_in(mail) -> str:
    return re.search(r"/invitations/([^/\s]+)/", mail.body).group(1)


def accept(client_for, tenant, user, token: str):
    return signed_in(client_for, tenant, user).post(ACCEPT, {"token": token}, content_type="application/json")


def test_an_invitation_takes_no_seat_and_creates_nothing_until_it_is_accepted(
    client_for, tenant_a, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    allow_seats(tenant_a)
    admin = add_member(tenant_a, make_user, Membership.Role.ADMIN)
    before = seats(tenant_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(signed_in(client_for, tenant_a, admin.user), "New.Hire@Acme.example", "viewer")

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"], body["status"]) == ("new.hire@acme.example", "viewer", "pending")
    assert body["invited_by"] == admin.user.email
    assert not get_user_model().objects.filter(email="new.hire@acme.example").exists()
    assert seats(tenant_a) == before
    assert mailoutbox[0].to == ["new.hire@acme.example"]
    assert "https://acme.localhost/invitations/" in mailoutbox[0].body
    assert "password" not in mailoutbox[0].body

    hire = make_user(email="new.hire@acme.example")
    joined = accept(client_for, tenant_a, hire, token_in(mailoutbox[0]))

    assert joined.status_code == 200
    assert (joined.json()["user_id"], joined.json()["role"]) == (hire.pk, "viewer")
    assert seats(tenant_a) == before + 1
    assert Invitation.objects.get(pk=body["id"]).status == "accepted"
    again = accept(client_for, tenant_a, hire, token_in(mailoutbox[0]))
    assert (again.status_code, again.json()["code"]) == (409, "invitation_closed")


def test_only_the_invited_address_can_accept(
    client_for, tenant_a, owner_client, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner_client, "meant.for@acme.example")
    stranger = make_user()

    response = accept(client_for, tenant_a, stranger, token_in(mailoutbox[0]))

    assert response.status_code == 403
    assert response.json()["code"] == "invitation_for_another_account"
    assert not Membership.objects.filter(user=stranger).exists()
    assert (
        client_for(tenant_a)
        .post(ACCEPT, {"token": token_in(mailoutbox[0])}, content_type="application/json")
        .status_code
        == 401
    )


def test_an_expired_invitation_cannot_be_accepted(
    client_for, tenant_a, owner_client, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite(owner_client, "late@acme.example").json()
    Invitation.objects.filter(pk=sent["id"]).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = accept(client_for, tenant_a, make_user(email="late@acme.example"), token_in(mailoutbox[0]))

    assert (response.status_code, response.json()["code"]) == (409, "invitation_expired")
    assert [i["status"] for i in owner_client.get(INVITATIONS).json()] == ["expired"]


def test_a_declined_or_revoked_invitation_is_closed_and_a_reinvite_replaces_the_old_link(
    client_for, tenant_a, owner_client, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    anonymous = client_for(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner_client, "maybe@acme.example")
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner_client, "maybe@acme.example", "admin")  # the new link replaces the first
    with django_capture_on_commit_callbacks(execute=True):
        revoked = invite(owner_client, "revoked@acme.example").json()
    first, second = token_in(mailoutbox[0]), token_in(mailoutbox[1])
    person = make_user(email="maybe@acme.example")

    assert accept(client_for, tenant_a, person, first).json()["code"] == "invitation_closed"
    assert anonymous.post(DECLINE, {"token": second}, content_type="application/json").status_code == 204
    assert accept(client_for, tenant_a, person, second).json()["code"] == "invitation_closed"
    assert owner_client.delete(f"{INVITATIONS}{revoked['id']}/").status_code == 204
    assert owner_client.delete(f"{INVITATIONS}{revoked['id']}/").status_code == 404
    assert (
        accept(client_for, tenant_a, make_user(email="revoked@acme.example"), token_in(mailoutbox[2])).json()[
            "code"
        ]
        == "invitation_closed"
    )
    assert not Membership.objects.filter(user=person).exists()


def test_inviting_when_every_seat_is_taken_answers_402_and_stores_nothing(
    client_for, owner_client, tenant_a, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            invite(owner_client, "second@acme.example").status_code == 201
        )  # Starter: 2 seats, the owner has 1
    accept(client_for, tenant_a, make_user(email="second@acme.example"), token_in(mailoutbox[0]))

    response = invite(owner_client, "third@acme.example")

    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "limit_reached"
    assert (body["metric"], body["limit"], body["used"]) == ("seats", 2, 2)
    assert body["upgrade_url"].startswith("https://acme.localhost/")
    assert not Invitation.objects.filter(email="third@acme.example").exists()


def test_inviting_a_member_is_a_conflict(owner_client, tenant_a, make_user):
    member = add_member(tenant_a, make_user, Membership.Role.VIEWER)
    response = invite(owner_client, member.user.email.upper())
    assert (response.status_code, response.json()["code"]) == (409, "already_member")


def test_removing_a_member_frees_the_seat(owner_client, tenant_a, make_user):
    allow_seats(tenant_a)
    member = join_team(tenant_a, make_user())
    before = seats(tenant_a)

    assert owner_client.delete(f"{MEMBERS}{member.pk}/").status_code == 204

    assert seats(tenant_a) == before - 1
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert owner_client.delete(f"{MEMBERS}{member.pk}/").status_code == 404


def test_an_owner_changes_a_role(owner_client, tenant_a, make_user):
    member = add_member(tenant_a, make_user, Membership.Role.VIEWER)
    response = owner_client.patch(
        f"{MEMBERS}{member.pk}/", {"role": "admin"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["role"] == "admin"


def test_only_an_owner_grants_or_takes_the_owner_role(client_for, tenant_a, make_user, owner):
    admin = add_member(tenant_a, make_user, Membership.Role.ADMIN)
    viewer = add_member(tenant_a, make_user, Membership.Role.VIEWER)
    client = signed_in(client_for, tenant_a, admin.user)

    promote = client.patch(f"{MEMBERS}{viewer.pk}/", {"role": "owner"}, content_type="application/json")
    demote = client.patch(
        f"{MEMBERS}{tenant_a.memberships.get(user=owner).pk}/",
        {"role": "viewer"},
        content_type="application/json",
    )
    owner_invite = invite(client, "boss@acme.example", "owner")

    assert [r.status_code for r in (promote, demote, owner_invite)] == [403, 403, 403]
    assert {r.json()["code"] for r in (promote, demote, owner_invite)} == {"owner_required"}


def test_the_last_owner_can_neither_step_down_nor_leave(owner_client, tenant_a, owner):
    own = tenant_a.memberships.get(user=owner)
    step_down = owner_client.patch(f"{MEMBERS}{own.pk}/", {"role": "admin"}, content_type="application/json")
    leave = owner_client.delete(f"{MEMBERS}{own.pk}/")
    assert [r.json()["code"] for r in (step_down, leave)] == ["last_owner", "last_owner"]
    assert tenant_a.memberships.get(user=owner).role == "owner"


@pytest.mark.parametrize("role", [Membership.Role.RECRUITER, Membership.Role.VIEWER])
def test_recruiters_and_viewers_cannot_manage_the_team(client_for, tenant_a, make_user, role):
    member = add_member(tenant_a, make_user, role)
    client = signed_in(client_for, tenant_a, member.user)
    answers = [
        client.get(MEMBERS),
        client.get(INVITATIONS),
        invite(client, "x@acme.example"),
        client.delete(f"{INVITATIONS}1/"),
        client.patch(f"{MEMBERS}{member.pk}/", {"role": "admin"}, content_type="application/json"),
        client.delete(f"{MEMBERS}{member.pk}/"),
    ]
    assert [a.status_code for a in answers] == [403] * 6


def test_people_outside_the_team_get_not_found_and_anonymous_callers_401(client_for, tenant_a, make_user):
    assert signed_in(client_for, tenant_a, make_user()).get(MEMBERS).status_code == 404
    assert client_for(tenant_a).get(MEMBERS).status_code == 401


def test_another_employers_members_and_invitations_are_out_of_reach(
    client_for, owner_client, tenant_b, make_user
):
    theirs = add_member(tenant_b, make_user, Membership.Role.VIEWER)
    their_invitation = invite(
        signed_in(client_for, tenant_b, tenant_b.memberships.get(role="owner").user), "t@x.example"
    )
    assert owner_client.get(INVITATIONS).json() == []
    assert owner_client.delete(f"{INVITATIONS}{their_invitation.json()['id']}/").status_code == 404
    assert Invitation.objects.get(pk=their_invitation.json()["id"]).status == "pending"

    listed = {m["id"] for m in owner_client.get(MEMBERS).json()}
    change = owner_client.patch(f"{MEMBERS}{theirs.pk}/", {"role": "admin"}, content_type="application/json")
    remove = owner_client.delete(f"{MEMBERS}{theirs.pk}/")

    assert theirs.pk not in listed
    assert [change.status_code, remove.status_code] == [404, 404]
    theirs.refresh_from_db()
    assert theirs.role == "viewer"


def test_the_team_endpoints_do_not_exist_on_the_marketplace(public_client, make_user):
    public_client.force_login(make_user())
    assert public_client.get(MEMBERS).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "payload", "code"),
    [
        ("post", INVITATIONS, {"email": "not-an-email"}, "invalid_email"),
        ("post", INVITATIONS, {"email": "a@acme.example", "role": "emperor"}, "validation_error"),
        ("post", INVITATIONS, {}, "validation_error"),
        ("delete", f"{INVITATIONS}abc/", None, "validation_error"),
        ("patch", f"{MEMBERS}abc/", {"role": "admin"}, "validation_error"),
        ("patch", f"{MEMBERS}1/", {"role": "emperor"}, "validation_error"),
        ("post", ACCEPT, {}, "validation_error"),
        ("post", DECLINE, {"token": ""}, "validation_error"),
    ],
)
def test_bad_input_is_refused(owner_client, method, path, payload, code):
    response = getattr(owner_client, method)(path, payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == code


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_acceptances_fill_exactly_the_free_seats(tenant_a):
    owner = tenant_a.memberships.get(role="owner").user
    account = billing_account_override_limits(
        actor=None, account=billing_account_for_tenant(tenant_a), limits={"seats": 10}
    )
    people = [get_user_model().objects.create_user(email=f"hire{n}@acme.example") for n in range(50)]
    tokens = [
        invitation_send(actor=owner, tenant=tenant_a, email=person.email, role="recruiter")[1]
        for person in people
    ]
    barrier = threading.Barrier(50)

    def accept_one(number):
        client = Client(HTTP_HOST="acme.localhost")
        client.force_login(people[number])
        barrier.wait(timeout=30)
        try:
            return client.post(ACCEPT, {"token": tokens[number]}, content_type="application/json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(accept_one, range(50)))

    assert answers.count(200) == 9  # the owner already holds one of the ten seats
    assert answers.count(402) == 41
    assert Membership.objects.filter(tenant=tenant_a).count() == 10
    assert used_for(account, Metric.SEATS) == 10
