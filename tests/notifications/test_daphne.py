"""End to end: daphne serving the project, channels-redis on a real Redis, clients on real websockets."""

import asyncio
import json
import time
import urllib.request

import pytest
import websockets
from channels.db import database_sync_to_async

from jobpilot.notifications.services import notify, notify_tenant_staff
from jobpilot.notifications.types import NotificationType
from tenants.models import Membership
from tests.notifications.conftest import access_token
from tests.notifications.servers import DaphneServer

pytestmark = pytest.mark.django_db(transaction=True)


def connect(server: DaphneServer, *, host="localhost", token=None, last_id=None):
    query = "&".join(
        part for part in (f"token={token}" if token else "", f"last_id={last_id}" if last_id else "") if part
    )
    return websockets.connect(server.ws_url(host, query), host="127.0.0.1", port=server.port, open_timeout=5)


async def next_notification(ws, timeout: float = 15) -> dict:
    """The next notification frame; answers the server's pings meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), max(deadline - time.monotonic(), 0.01)))
        if message["type"] == "ping":
            await ws.send(json.dumps({"type": "pong"}))
        elif message["id"] is not None:
            return message


async def assert_no_notification(ws, wait: float = 1.0) -> None:
    with pytest.raises(TimeoutError):
        message = await next_notification(ws, timeout=wait)
        pytest.fail(f"unexpected notification {message}")


def get_json(server: DaphneServer, path: str, token: str, host: str = "localhost") -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", headers={"Host": host, "Authorization": f"Bearer {token}"}
    )
    # A generous timeout: a daphne's first HTTP request loads the URLconf and every API router, which takes more
    # than 5 s on a loaded 2-core machine. What is under test is the answer, not its speed.
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback test server
        return json.loads(response.read())


async def get_json_keeping_socket_alive(ws, *args) -> dict:
    """`get_json` while a socket is open: the test server closes a socket silent for two 1-second heartbeats, and
    on a loaded machine the HTTP answer can take longer, so the client says it is alive meanwhile (any message
    counts; frames that arrive wait in the socket's buffer for `next_notification`)."""
    request = asyncio.ensure_future(asyncio.to_thread(get_json, *args))
    while not request.done():
        await ws.send(json.dumps({"type": "pong"}))
        await asyncio.wait([request], timeout=0.5)
    return request.result()


async def test_a_stage_move_reaches_the_seekers_socket_and_is_listed_unread(daphne, make_user):
    seeker = await database_sync_to_async(make_user)()
    token = access_token(seeker)
    async with connect(daphne, token=token) as ws:
        # What the applications service calls when an employer moves the seeker's application to a new stage.
        notification = await database_sync_to_async(notify)(
            recipient=seeker,
            type=NotificationType.APPLICATION_STATUS_CHANGED,
            title="Acme Corp moved your application to Interview",
            data={"url": "/applications/12/", "status": "interview"},
        )
        message = await next_notification(ws)
    assert message["id"] == notification.pk
    assert message["type"] == "application_status_changed"
    assert message["data"]["status"] == "interview"

    feed = await asyncio.to_thread(get_json, daphne, "/api/v1/notifications/?unread=true", token)
    assert [item["id"] for item in feed["results"]] == [notification.pk]
    assert feed["unread_count"] == 1


async def test_users_and_tenants_never_see_each_others_events(daphne, make_user, tenant_a, tenant_b):
    acme_recruiter, globex_recruiter, seeker = [await database_sync_to_async(make_user)() for _ in range(3)]
    await database_sync_to_async(Membership.objects.create)(user=acme_recruiter, tenant=tenant_a)
    await database_sync_to_async(Membership.objects.create)(user=globex_recruiter, tenant=tenant_b)
    async with (
        connect(daphne, host="acme.localhost", token=access_token(acme_recruiter)) as acme_ws,
        connect(daphne, host="globex.localhost", token=access_token(globex_recruiter)) as globex_ws,
        connect(daphne, token=access_token(seeker)) as seeker_ws,
    ):
        created = await database_sync_to_async(notify_tenant_staff)(
            tenant=tenant_a, type=NotificationType.APPLICATION_RECEIVED, title="New application for Welder"
        )
        own = next(n.pk for n in created if n.recipient_id == acme_recruiter.pk)
        assert (await next_notification(acme_ws))["id"] == own
        await asyncio.gather(
            assert_no_notification(acme_ws),
            assert_no_notification(globex_ws),
            assert_no_notification(seeker_ws),
        )


async def test_an_idle_socket_stays_open_and_still_receives(daphne, make_user):
    """Longer than Redis read timeouts: with channels-redis' core layer (5 s blocking pops) and redis-py 8's 5 s
    default read timeout, the server dropped idle sockets every 5 s (close 1011)."""
    seeker = await database_sync_to_async(make_user)()
    async with connect(daphne, token=access_token(seeker)) as ws:
        await assert_no_notification(ws, wait=7)
        notification = await database_sync_to_async(notify)(
            recipient=seeker, type=NotificationType.TRIAL_ENDING, title="3 days left"
        )
        assert (await next_notification(ws))["id"] == notification.pk


@pytest.mark.parametrize("credentials", ["anonymous", "expired"])
async def test_anonymous_and_expired_connections_are_closed_with_4401(daphne, make_user, credentials):
    token = (
        access_token(await database_sync_to_async(make_user)(), expired=True)
        if credentials == "expired"
        else None
    )
    async with connect(daphne, token=token) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 4401


async def test_a_client_reconnecting_with_its_last_id_gets_exactly_what_it_missed(daphne, make_user):
    seeker = await database_sync_to_async(make_user)()
    token = access_token(seeker)

    async def send(title):
        return await database_sync_to_async(notify)(
            recipient=seeker, type=NotificationType.SAVED_SEARCH_MATCH, title=title
        )

    async with connect(daphne, token=token) as ws:
        seen = await send("seen")
        assert (await next_notification(ws))["id"] == seen.pk
    missed = [await send(f"missed {n}") for n in range(3)]
    async with connect(daphne, token=token, last_id=seen.pk) as ws:
        replayed = [(await next_notification(ws))["id"] for _ in missed]
        await assert_no_notification(ws, wait=0.5)
    assert replayed == [n.pk for n in missed]


async def test_with_redis_down_the_service_call_succeeds_and_the_notification_still_arrives(
    daphne_on_own_redis, own_redis, make_user
):
    server = daphne_on_own_redis
    seeker = await database_sync_to_async(make_user)()
    token = access_token(seeker)

    async def send(title):
        return await database_sync_to_async(notify)(
            recipient=seeker, type=NotificationType.INTERVIEW_SCHEDULED, title=title
        )

    async with connect(server, token=token) as ws:
        before = await send("Before the outage")
        assert (await next_notification(ws))["id"] == before.pk

        own_redis.stop()
        started = time.monotonic()
        during = await send("During the outage")
        took = time.monotonic() - started
        # Stored and listed at once; the open socket gets it from the server's catch-up on its next heartbeat
        # (every second here), although the push itself was lost.
        feed = await get_json_keeping_socket_alive(ws, server, "/api/v1/notifications/", token)
        assert feed["results"][0]["id"] == during.pk
        assert (await next_notification(ws))["id"] == during.pk

        own_redis.start()
        after = await send("After the outage")
        assert (await next_notification(ws))["id"] == after.pk
    print(f"notify() with Redis down returned in {took * 1000:.0f} ms")

    # A client that was away through all of it catches up on reconnect with the last id it saw.
    async with connect(server, token=token, last_id=before.pk) as ws:
        assert [(await next_notification(ws))["id"] for _ in range(2)] == [during.pk, after.pk]
