"""Helpers for notification tests: access tokens, session cookies and websocket connections through the real
ASGI stack (tenant middleware, auth middleware, routing)."""

import asyncio
import json
from datetime import timedelta

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from ninja_jwt.tokens import AccessToken

from jobpilot.asgi import application
from tests.conftest import host_of
from tests.notifications.servers import DaphneServer, RedisServer

WS_PATH = "/ws/notifications/"


def access_token(user, *, expired: bool = False) -> str:
    token = AccessToken.for_user(user)
    if expired:
        token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def session_cookie(user, tenant=None) -> str:
    client = Client(HTTP_HOST=host_of(tenant))
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def communicator(
    *,
    tenant=None,
    token: str | None = None,
    cookie: str | None = None,
    origin: str | None = None,
    query: str = "",
) -> WebsocketCommunicator:
    host = host_of(tenant)
    params = [f"token={token}"] if token else []
    if query:
        params.append(query)
    headers = [(b"host", f"{host}:8000".encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if origin:
        headers.append((b"origin", origin.encode()))
    path = WS_PATH + ("?" + "&".join(params) if params else "")
    return WebsocketCommunicator(application, path, headers=headers)


async def open_socket(**kwargs) -> WebsocketCommunicator:
    socket = communicator(**kwargs)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def receive(socket: WebsocketCommunicator, timeout: float = 3) -> dict:
    return json.loads(await socket.receive_from(timeout=timeout))


async def receive_notifications(socket: WebsocketCommunicator, count: int, timeout: float = 3) -> list[dict]:
    """The next `count` notification frames (control frames such as ping are skipped)."""
    frames = []
    while len(frames) < count:
        message = await receive(socket, timeout)
        if message["id"] is not None:
            frames.append(message)
    return frames


async def close_code(socket: WebsocketCommunicator, timeout: float = 3) -> int:
    """The code the server closed the socket with (after any frames it sent first)."""
    while True:
        output = await socket.receive_output(timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


async def assert_silent(socket: WebsocketCommunicator, wait: float = 0.3) -> None:
    """No notification reaches this socket within `wait` seconds."""
    await asyncio.sleep(wait)
    while not await socket.receive_nothing(timeout=0.05):
        message = await receive(socket)
        assert message["id"] is None, f"unexpected notification {message}"


@pytest.fixture
def daphne(public_tenant, settings):
    """daphne on the suite's Redis (the same channel layer this test process pushes to)."""
    server = DaphneServer(settings.REDIS_URL)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(settings):
    """A Redis this test may stop; this process's channel layer points at it."""
    redis = RedisServer()
    redis.start()
    layer = settings.CHANNEL_LAYERS["default"]
    [host] = layer["CONFIG"]["hosts"]
    settings.CHANNEL_LAYERS = {
        "default": {**layer, "CONFIG": {**layer["CONFIG"], "hosts": [{**host, "address": redis.url}]}}
    }
    yield redis
    redis.stop()


@pytest.fixture
def daphne_on_own_redis(public_tenant, own_redis):
    server = DaphneServer(own_redis.url)
    server.start()
    yield server
    server.stop()
