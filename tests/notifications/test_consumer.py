"""/ws/notifications/ through the project's ASGI stack (Channels' WebsocketCommunicator, Redis channel layer)."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.db import transaction
from ninja_jwt.tokens import AccessToken

from jobpilot.notifications import consumers
from jobpilot.notifications.models import Notification, NotificationPreference
from jobpilot.notifications.services import notification_mark_read, notify, notify_tenant_staff
from jobpilot.notifications.types import NotificationType
from tenants.models import Membership
from tests.notifications.conftest import (
    access_token,
    assert_silent,
    close_code,
    communicator,
    open_socket,
    receive,
    receive_notifications,
    session_cookie,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def _user(make_user):
    return await database_sync_to_async(make_user)()


@database_sync_to_async
def _notify(user, title="Your application moved to Interview", **kwargs):
    kwargs.setdefault("type", NotificationType.APPLICATION_STATUS_CHANGED)
    return notify(recipient=user, title=title, **kwargs)


@database_sync_to_async
def _notify_staff(tenant, title="New application"):
    return notify_tenant_staff(tenant=tenant, type=NotificationType.APPLICATION_RECEIVED, title=title)


@database_sync_to_async
def _join(user, tenant, role=Membership.Role.RECRUITER):
    Membership.objects.create(user=user, tenant=tenant, role=role)


async def test_a_notification_reaches_the_recipients_open_socket(make_user, public_tenant):
    seeker = await _user(make_user)
    socket = await open_socket(token=access_token(seeker))
    notification = await _notify(seeker, data={"url": "/applications/5/"})

    [message] = await receive_notifications(socket, 1)
    assert message == {
        "type": "application_status_changed",
        "id": notification.pk,
        "created_at": notification.created_at.isoformat(),
        "data": {"url": "/applications/5/", "title": notification.title, "body": "", "tenant": None},
    }
    await socket.disconnect()


async def test_nothing_is_pushed_before_the_transaction_commits(make_user, public_tenant):
    seeker = await _user(make_user)
    socket = await open_socket(token=access_token(seeker))

    @database_sync_to_async
    def notify_and_wait_inside_the_transaction():
        with transaction.atomic():
            created = notify(recipient=seeker, type=NotificationType.INTERVIEW_SCHEDULED, title="Monday")
            async_to_sync(assert_silent)(socket)
        return created

    notification = await notify_and_wait_inside_the_transaction()
    [message] = await receive_notifications(socket, 1)
    assert message["id"] == notification.pk
    await socket.disconnect()


async def test_a_session_cookie_authenticates_a_same_origin_socket(make_user, public_tenant):
    seeker = await _user(make_user)
    cookie = await database_sync_to_async(session_cookie)(seeker)
    socket = await open_socket(cookie=cookie, origin="http://localhost:8000")
    notification = await _notify(seeker)
    assert (await receive_notifications(socket, 1))[0]["id"] == notification.pk
    await socket.disconnect()


async def test_a_cookie_socket_opened_from_another_site_is_refused(make_user, public_tenant):
    cookie = await database_sync_to_async(session_cookie)(await _user(make_user))
    socket = communicator(cookie=cookie, origin="https://evil.example")
    await socket.connect()
    assert await close_code(socket) == 4403


async def test_a_bearer_header_authenticates_an_app_client(make_user, public_tenant):
    from channels.testing import WebsocketCommunicator

    from jobpilot.asgi import application

    seeker = await _user(make_user)
    socket = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[(b"host", b"localhost"), (b"authorization", f"Bearer {access_token(seeker)}".encode())],
    )
    connected, _ = await socket.connect()
    assert connected
    notification = await _notify(seeker)
    assert (await receive_notifications(socket, 1))[0]["id"] == notification.pk
    await socket.disconnect()


@pytest.mark.parametrize("credentials", ["anonymous", "expired", "garbage"])
async def test_unauthenticated_sockets_are_closed_with_4401(make_user, public_tenant, credentials):
    token = {
        "anonymous": None,
        "expired": access_token(await _user(make_user), expired=True),
        "garbage": "not-a-token",
    }[credentials]
    socket = communicator(token=token)
    await socket.connect()
    assert await close_code(socket) == 4401


async def test_a_token_socket_is_closed_with_4401_when_its_token_expires(make_user, public_tenant, settings):
    settings.NOTIFICATIONS_HEARTBEAT_SECONDS = 0.2
    token = AccessToken.for_user(await _user(make_user))
    token.set_exp(lifetime=timedelta(seconds=1))
    socket = await open_socket(token=str(token))
    while (message := await socket.receive_output(timeout=4))["type"] == "websocket.send":
        await socket.send_json_to({"type": "pong"})
    assert message["code"] == 4401


async def test_a_user_never_receives_another_users_notifications(make_user, public_tenant):
    alice, bob = await _user(make_user), await _user(make_user)
    alice_socket = await open_socket(token=access_token(alice))
    bob_socket = await open_socket(token=access_token(bob))
    await _notify(bob, title="For Bob")
    assert (await receive_notifications(bob_socket, 1))[0]["data"]["title"] == "For Bob"
    await assert_silent(alice_socket)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_staff_get_their_own_tenants_events_and_never_another_tenants(make_user, tenant_a, tenant_b):
    acme_recruiter, globex_recruiter = await _user(make_user), await _user(make_user)
    await _join(acme_recruiter, tenant_a)
    await _join(globex_recruiter, tenant_b)
    acme_socket = await open_socket(tenant=tenant_a, token=access_token(acme_recruiter))
    globex_socket = await open_socket(tenant=tenant_b, token=access_token(globex_recruiter))
    # A member of Acme connected on Globex's domain is in Acme's staff group (not Globex's).
    acme_on_globex = await open_socket(tenant=tenant_b, token=access_token(acme_recruiter))

    created = await _notify_staff(tenant_a, title="New application for Welder")
    own = next(n for n in created if n.recipient_id == acme_recruiter.pk)

    [message] = await receive_notifications(acme_socket, 1)
    assert message["id"] == own.pk and message["data"]["tenant"] == "acme"
    await assert_silent(acme_socket)  # in both the staff group and its user group, delivered once
    await assert_silent(globex_socket)
    # Still the user's own notification, through their user group, wherever they are connected.
    assert [m["id"] for m in await receive_notifications(acme_on_globex, 1)] == [own.pk]
    for socket in (acme_socket, globex_socket, acme_on_globex):
        await socket.disconnect()


async def test_the_staff_group_only_delivers_to_the_events_recipients(make_user, tenant_a):
    viewer = await _user(make_user)
    await _join(viewer, tenant_a, role=Membership.Role.VIEWER)
    socket = await open_socket(tenant=tenant_a, token=access_token(viewer))
    await _notify_staff(tenant_a)  # recruiters and up
    await assert_silent(socket)
    await socket.disconnect()


async def test_reconnecting_with_the_last_id_replays_exactly_the_missed_ones(make_user, public_tenant):
    seeker = await _user(make_user)
    token = access_token(seeker)
    socket = await open_socket(token=token)
    seen = await _notify(seeker, title="seen")
    assert (await receive_notifications(socket, 1))[0]["id"] == seen.pk
    await socket.disconnect()

    missed = [await _notify(seeker, title=f"missed {number}") for number in range(3)]
    await _notify(await _user(make_user), title="someone else's")
    await database_sync_to_async(notification_mark_read)(
        actor=seeker, ids=[missed[1].pk]
    )  # read, still missed

    socket = await open_socket(token=token, query=f"last_id={seen.pk}")
    frames = await receive_notifications(socket, 3)
    assert [f["id"] for f in frames] == [n.pk for n in missed]
    done = await receive(socket)
    assert (done["type"], done["data"]) == ("replayed", {"count": 3, "truncated": False})
    later = await _notify(seeker, title="live again")
    assert (await receive_notifications(socket, 1))[0]["id"] == later.pk
    await assert_silent(socket)
    await socket.disconnect()


async def test_resume_as_the_first_message_replays_the_missed_ones(make_user, public_tenant):
    seeker = await _user(make_user)
    seen = await _notify(seeker, title="seen")
    missed = await _notify(seeker, title="missed")
    socket = await open_socket(token=access_token(seeker))
    await socket.send_json_to({"type": "resume", "last_id": seen.pk})
    assert [f["id"] for f in await receive_notifications(socket, 1)] == [missed.pk]
    assert (await receive(socket))["type"] == "replayed"
    await socket.disconnect()


async def test_a_notification_during_the_replay_is_delivered_once(make_user, public_tenant):
    seeker = await _user(make_user)
    first = await _notify(seeker, title="first")
    socket = await open_socket(token=access_token(seeker))
    live = await _notify(seeker, title="live")  # pushed to this socket and also after `first` in the replay
    await socket.send_json_to({"type": "resume", "last_id": first.pk - 1})
    frames = await receive_notifications(socket, 2)
    assert sorted(f["id"] for f in frames) == [first.pk, live.pk]
    await assert_silent(socket)
    await socket.disconnect()


async def test_a_long_replay_comes_in_pages_the_client_resumes(make_user, public_tenant, monkeypatch):
    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 2)
    seeker = await _user(make_user)
    seen = await _notify(seeker, title="seen")
    missed = [await _notify(seeker, title=f"missed {n}") for n in range(3)]
    socket = await open_socket(token=access_token(seeker), query=f"last_id={seen.pk}")
    first_page = await receive_notifications(socket, 2)
    assert (await receive(socket))["data"] == {"count": 2, "truncated": True}
    await socket.send_json_to({"type": "resume", "last_id": first_page[-1]["id"]})
    second_page = await receive_notifications(socket, 1)
    assert (await receive(socket))["data"] == {"count": 1, "truncated": False}
    assert [f["id"] for f in first_page + second_page] == [n.pk for n in missed]
    await socket.disconnect()


@pytest.mark.parametrize("query", ["last_id=-1", "last_id=abc"])
async def test_a_bad_last_id_closes_with_4400(make_user, public_tenant, query):
    socket = communicator(token=access_token(await _user(make_user)), query=query)
    await socket.connect()
    assert await close_code(socket) == 4400


@pytest.mark.parametrize("message", ["not json", '{"no": "type"}', '{"type": "resume", "last_id": true}'])
async def test_a_bad_client_message_closes_with_4400(make_user, public_tenant, message):
    socket = await open_socket(token=access_token(await _user(make_user)))
    await socket.send_to(text_data=message)
    assert await close_code(socket) == 4400


async def test_a_client_ping_gets_a_pong(make_user, public_tenant):
    socket = await open_socket(token=access_token(await _user(make_user)))
    await socket.send_json_to({"type": "ping"})
    pong = await receive(socket)
    assert (pong["type"], pong["id"]) == ("pong", None)
    await socket.disconnect()


async def test_the_server_pings_and_reaps_a_silent_socket(make_user, public_tenant, settings):
    settings.NOTIFICATIONS_HEARTBEAT_SECONDS = 0.2
    socket = await open_socket(token=access_token(await _user(make_user)))
    assert (await receive(socket))["type"] == "ping"
    assert await close_code(socket) == 4408


async def test_a_socket_that_answers_pings_stays_open(make_user, public_tenant, settings):
    settings.NOTIFICATIONS_HEARTBEAT_SECONDS = 0.2
    socket = await open_socket(token=access_token(await _user(make_user)))
    for _ in range(5):
        assert (await receive(socket))["type"] == "ping"
        await socket.send_json_to({"type": "pong"})
    await socket.send_json_to({"type": "ping"})
    while (message := await receive(socket))["type"] == "ping":
        pass
    assert message["type"] == "pong"
    await socket.disconnect()


async def _frames_while_answering_pings(socket, beats: int) -> list[dict]:
    """The notification frames that arrive during the next `beats` heartbeats (each ping is answered)."""
    frames = []
    while beats:
        message = await receive(socket)
        if message["type"] == "ping":
            beats -= 1
            await socket.send_json_to({"type": "pong"})
        elif message["id"] is not None:
            frames.append(message)
    return frames


async def test_a_lost_push_reaches_the_open_socket_at_the_next_heartbeat(make_user, public_tenant, settings):
    settings.NOTIFICATIONS_HEARTBEAT_SECONDS = 0.2
    seeker = await _user(make_user)
    earlier = await _notify(seeker, title="before the socket opened")
    socket = await open_socket(token=access_token(seeker))
    # A row whose push never went out, as when Redis is down at commit.
    lost = await database_sync_to_async(Notification.objects.create)(
        recipient=seeker, type=NotificationType.INTERVIEW_SCHEDULED, title="push lost"
    )
    frames = await _frames_while_answering_pings(socket, beats=3)
    assert [f["id"] for f in frames] == [lost.pk]  # not `earlier`: the client has that from the feed
    assert earlier.pk < lost.pk
    await socket.disconnect()


async def test_switching_the_in_app_channel_off_stops_the_push(make_user, public_tenant):
    seeker = await _user(make_user)
    await database_sync_to_async(NotificationPreference.objects.create)(
        user=seeker, type=NotificationType.APPLICATION_STATUS_CHANGED, in_app=False, email="instant"
    )
    socket = await open_socket(token=access_token(seeker))
    await _notify(seeker, type=NotificationType.APPLICATION_STATUS_CHANGED)
    await assert_silent(socket)
    other = await _notify(seeker, type=NotificationType.INTERVIEW_SCHEDULED)
    assert (await receive_notifications(socket, 1))[0]["id"] == other.pk
    await socket.disconnect()


async def test_many_notifications_arrive_in_order(make_user, public_tenant):
    seeker = await _user(make_user)
    socket = await open_socket(token=access_token(seeker))

    @database_sync_to_async
    def burst():
        with transaction.atomic():
            return [
                notify(recipient=seeker, type=NotificationType.SAVED_SEARCH_MATCH, title=str(n))
                for n in range(20)
            ]

    created = await burst()
    frames = await receive_notifications(socket, 20)
    assert [f["id"] for f in frames] == [n.pk for n in created]
    await asyncio.sleep(0)
    await socket.disconnect()
