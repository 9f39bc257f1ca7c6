"""/api/v1/employer/members/: the employer's team, where each member takes one seat of the plan."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from billing.entitlements import used_for
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_override_limits
from tenants.models import Membership

pytestmark = pytest.mark.django_db
MEMBERS = "/api/v1/employer/members/"


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
    assert [(m["email"], m["role"], m["invited"]) for m in body] == [(owner.email, "owner", False)]


def test_an_admin_adds_an_existing_user_who_takes_a_seat_and_is_told(
    client_for, tenant_a, make_user, django_capture_on_commit_callbacks, mailoutbox
):
    allow_seats(tenant_a)
    admin = add_member(tenant_a, make_user, Membership.Role.ADMIN)
    colleague = make_user()
    before = seats(tenant_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client_for, tenant_a, admin.user).post(
            MEMBERS, {"email": colleague.email.upper(), "role": "viewer"}, content_type="application/json"
        )

    assert response.status_code == 201
    assert response.json()["user_id"] == colleague.pk
    assert response.json()["role"] == "viewer"
    assert response.json()["invited"] is False
    assert seats(tenant_a) == before + 1
    assert mailoutbox[0].to == [colleague.email]
    assert "password" not in mailoutbox[0].body


def test_a_new_email_becomes_an_invited_user_who_is_asked_to_choose_a_password(
    owner_client, tenant_a, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            MEMBERS, {"email": "new.hire@acme.example"}, content_type="application/json"
        )

    assert response.status_code == 201
    assert response.json()["invited"] is True
    assert response.json()["role"] == "recruiter"
    user = get_user_model().objects.get(email="new.hire@acme.example")
    assert not user.has_usable_password()
    assert "https://acme.localhost/accounts/password/reset/" in mailoutbox[0].body


def test_a_team_larger_than_the_plans_seats_answers_402(owner_client, tenant_a):
    assert (
        owner_client.post(
            MEMBERS, {"email": "second@acme.example"}, content_type="application/json"
        ).status_code
        == 201
    )

    response = owner_client.post(MEMBERS, {"email": "third@acme.example"}, content_type="application/json")

    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "limit_reached"
    assert (body["metric"], body["limit"], body["used"]) == ("seats", 2, 2)
    assert body["upgrade_url"].startswith("https://acme.localhost/")
    assert not get_user_model().objects.filter(email="third@acme.example").exists()


def test_adding_someone_twice_is_a_conflict_and_takes_no_second_seat(owner_client, tenant_a, make_user):
    allow_seats(tenant_a)
    person = make_user()
    owner_client.post(MEMBERS, {"email": person.email}, content_type="application/json")
    before = seats(tenant_a)

    response = owner_client.post(MEMBERS, {"email": person.email}, content_type="application/json")

    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert seats(tenant_a) == before


def test_removing_a_member_frees_the_seat(owner_client, tenant_a, make_user):
    allow_seats(tenant_a)
    member = owner_client.post(MEMBERS, {"email": make_user().email}, content_type="application/json").json()
    before = seats(tenant_a)

    assert owner_client.delete(f"{MEMBERS}{member['id']}/").status_code == 204

    assert seats(tenant_a) == before - 1
    assert not Membership.objects.filter(pk=member["id"]).exists()
    assert owner_client.delete(f"{MEMBERS}{member['id']}/").status_code == 404


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
    invite = client.post(
        MEMBERS, {"email": "boss@acme.example", "role": "owner"}, content_type="application/json"
    )

    assert [r.status_code for r in (promote, demote, invite)] == [403, 403, 403]
    assert {r.json()["code"] for r in (promote, demote, invite)} == {"owner_required"}


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
        client.post(MEMBERS, {"email": "x@acme.example"}, content_type="application/json"),
        client.patch(f"{MEMBERS}{member.pk}/", {"role": "admin"}, content_type="application/json"),
        client.delete(f"{MEMBERS}{member.pk}/"),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403, 403]


def test_people_outside_the_team_get_not_found_and_anonymous_callers_401(client_for, tenant_a, make_user):
    assert signed_in(client_for, tenant_a, make_user()).get(MEMBERS).status_code == 404
    assert client_for(tenant_a).get(MEMBERS).status_code == 401


def test_another_employers_members_are_out_of_reach(owner_client, tenant_b, make_user):
    theirs = add_member(tenant_b, make_user, Membership.Role.VIEWER)

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
        ("post", "", {"email": "not-an-email"}, "invalid_email"),
        ("post", "", {"email": "a@acme.example", "role": "emperor"}, "validation_error"),
        ("post", "", {}, "validation_error"),
        ("patch", "abc/", {"role": "admin"}, "validation_error"),
        ("patch", "1/", {"role": "emperor"}, "validation_error"),
    ],
)
def test_bad_input_is_refused(owner_client, method, path, payload, code):
    response = getattr(owner_client, method)(f"{MEMBERS}{path}", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == code


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_invites_fill_exactly_the_free_seats(tenant_a):
    owner = tenant_a.memberships.get(role="owner").user
    account = billing_account_override_limits(
        actor=None, account=billing_account_for_tenant(tenant_a), limits={"seats": 10}
    )
    barrier = threading.Barrier(50)

    def invite(number):
        client = Client(HTTP_HOST="acme.localhost")
        client.force_login(owner)
        barrier.wait(timeout=30)
        try:
            return client.post(
                MEMBERS, {"email": f"hire{number}@acme.example"}, content_type="application/json"
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(invite, range(50)))

    assert answers.count(201) == 9  # the owner already holds one of the ten seats
    assert answers.count(402) == 41
    assert Membership.objects.filter(tenant=tenant_a).count() == 10
    assert used_for(account, Metric.SEATS) == 10
