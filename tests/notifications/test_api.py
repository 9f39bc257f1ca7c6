"""/api/v1/notifications/: the feed, mark-read and preferences, by bearer token or session."""

import pytest
from django.test import Client

from jobpilot.notifications.models import NotificationPreference
from jobpilot.notifications.services import notify
from jobpilot.notifications.types import NotificationType
from tests.conftest import host_of
from tests.notifications.conftest import access_token

pytestmark = pytest.mark.django_db

FEED = "/api/v1/notifications/"
MARK_READ = "/api/v1/notifications/mark-read/"
PREFERENCES = "/api/v1/notifications/preferences/"


@pytest.fixture
def api_for(public_tenant):
    """`api_for(user, tenant=None)`: a client sending the user's bearer token to that tenant's (or the public) host."""

    def make(user, tenant=None) -> Client:
        return Client(HTTP_HOST=host_of(tenant), HTTP_AUTHORIZATION=f"Bearer {access_token(user)}")

    return make


def _notify(user, title="Moved to Interview", **kwargs):
    return notify(recipient=user, type=NotificationType.APPLICATION_STATUS_CHANGED, title=title, **kwargs)


def test_the_feed_lists_my_notifications_newest_first_with_the_unread_count(api_for, make_user, tenant_a):
    seeker = make_user()
    older = _notify(seeker, title="Applied", data={"url": "/applications/1/"})
    newer = _notify(seeker, title="Interview", tenant=tenant_a)
    body = api_for(seeker).get(FEED).json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    assert body["unread_count"] == 2
    assert body["results"][0]["tenant"] == "acme"
    assert body["results"][1]["data"] == {"url": "/applications/1/"}
    assert body["results"][1]["read_at"] is None
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 2, "pages": 1, "has_next": False}


def test_the_feed_filters_unread_and_paginates(api_for, make_user):
    seeker = make_user()
    items = [_notify(seeker, title=f"n{number}") for number in range(5)]
    api = api_for(seeker)
    api.post(MARK_READ, {"ids": [items[0].pk]}, content_type="application/json")

    unread = api.get(FEED, {"unread": "true", "limit": 2, "page": 2}).json()
    assert [item["title"] for item in unread["results"]] == ["n2", "n1"]
    assert unread["pagination"]["total"] == 4 and unread["pagination"]["has_next"] is False
    assert unread["unread_count"] == 4


def test_the_feed_never_shows_another_users_notifications(api_for, make_user, tenant_a):
    alice, bob = make_user(), make_user()
    _notify(bob, title="Bob's news")
    for tenant in (None, tenant_a):
        body = api_for(alice, tenant).get(FEED).json()
        assert body["results"] == [] and body["unread_count"] == 0


def test_email_only_notifications_stay_out_of_the_feed(api_for, make_user):
    seeker = make_user()
    NotificationPreference.objects.create(
        user=seeker, type=NotificationType.APPLICATION_STATUS_CHANGED, in_app=False, email="instant"
    )
    _notify(seeker)
    assert api_for(seeker).get(FEED).json()["results"] == []


def test_the_feed_needs_authentication(public_client):
    response = public_client.get(FEED)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_feed_works_with_the_session_cookie(make_user, public_tenant):
    seeker = make_user()
    _notify(seeker)
    client = Client(HTTP_HOST="localhost")
    client.force_login(seeker)
    assert client.get(FEED).json()["unread_count"] == 1


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 101}, {"page": 0}, {"unread": "maybe"}])
def test_the_feed_refuses_bad_paging(api_for, make_user, query):
    response = api_for(make_user()).get(FEED, query)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_mark_read_by_ids_answers_the_new_unread_count(api_for, make_user):
    seeker = make_user()
    first, second = _notify(seeker), _notify(seeker)
    response = api_for(seeker).post(MARK_READ, {"ids": [first.pk]}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread_count": 1}
    second.refresh_from_db()
    assert second.read_at is None


def test_mark_all_read(api_for, make_user):
    seeker = make_user()
    _notify(seeker), _notify(seeker)
    response = api_for(seeker).post(MARK_READ, {"all": True}, content_type="application/json")
    assert response.json() == {"marked": 2, "unread_count": 0}


def test_mark_read_cannot_touch_another_users_notifications(api_for, make_user):
    alice, bob = make_user(), make_user()
    bobs = _notify(bob)
    response = api_for(alice).post(MARK_READ, {"ids": [bobs.pk]}, content_type="application/json")
    assert response.json() == {"marked": 0, "unread_count": 0}
    bobs.refresh_from_db()
    assert bobs.read_at is None


@pytest.mark.parametrize(
    "payload",
    [{}, {"ids": []}, {"ids": [1], "all": True}, {"ids": ["x"]}, {"ids": list(range(501))}, {"all": "yes"}],
)
def test_mark_read_refuses_bad_input(api_for, make_user, payload):
    response = api_for(make_user()).post(MARK_READ, payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_mark_read_needs_authentication(public_client):
    assert public_client.post(MARK_READ, {"all": True}, content_type="application/json").status_code == 401


def test_preferences_start_from_each_types_default(api_for, make_user):
    body = api_for(make_user()).get(PREFERENCES).json()
    by_type = {row["type"]: row for row in body["preferences"]}
    assert set(by_type) == {t.value for t in NotificationType}
    assert by_type["saved_search_match"] == {
        "type": "saved_search_match",
        "label": "New jobs for a saved search",
        "in_app": True,
        "email": "daily",
        "is_default": True,
    }


def test_put_preferences_switches_channels_and_answers_them_all(api_for, make_user):
    user = make_user()
    response = api_for(user).put(
        PREFERENCES,
        {"preferences": [{"type": "interview_scheduled", "in_app": False, "email": "daily"}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = {row["type"]: row for row in response.json()["preferences"]}
    assert rows["interview_scheduled"]["in_app"] is False
    assert rows["interview_scheduled"]["email"] == "daily"
    assert rows["interview_scheduled"]["is_default"] is False
    assert rows["trial_ending"]["is_default"] is True
    assert api_for(user).get(PREFERENCES).json()["preferences"] == response.json()["preferences"]


def test_preferences_are_per_user(api_for, make_user):
    alice, bob = make_user(), make_user()
    api_for(alice).put(
        PREFERENCES,
        {"preferences": [{"type": "trial_ending", "in_app": False, "email": "off"}]},
        content_type="application/json",
    )
    rows = {row["type"]: row for row in api_for(bob).get(PREFERENCES).json()["preferences"]}
    assert rows["trial_ending"]["is_default"] is True


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"preferences": []},
        {"preferences": [{"type": "coffee_ready", "in_app": True, "email": "off"}]},
        {"preferences": [{"type": "trial_ending", "in_app": True, "email": "weekly"}]},
        {"preferences": [{"type": "trial_ending", "email": "off"}]},
    ],
)
def test_put_preferences_refuses_bad_input(api_for, make_user, payload):
    response = api_for(make_user()).put(PREFERENCES, payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_put_preferences_refuses_a_type_twice(api_for, make_user):
    change = {"type": "trial_ending", "in_app": True, "email": "off"}
    response = api_for(make_user()).put(
        PREFERENCES, {"preferences": [change, change]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate_type"


def test_preferences_need_authentication(public_client):
    assert public_client.get(PREFERENCES).status_code == 401
    assert public_client.put(PREFERENCES, {}, content_type="application/json").status_code == 401
