"""The notification websocket, `/ws/notifications/`.

Protocol (every frame is JSON `{"type", "id", "created_at", "data"}`):
- Auth: the session cookie (web, same origin only), or an access token as `?token=<access>` or
  `Authorization: Bearer <access>` (app clients). No valid user: the socket is accepted and closed at once with
  4401, so browsers can read the code. A token-authenticated socket is closed with 4401 when its token expires.
- Catch-up: connect with `?last_id=<id of the newest notification seen>` (preferred: the replay comes before any
  live message), or send `{"type": "resume", "last_id": N}`. Every missed notification is sent, oldest first,
  then `{"type": "replayed", "id": null, "data": {"count": n, "truncated": bool}}`; on `truncated`, send a resume
  from the newest id received.
- Notifications: `type` is a NotificationType, `id` the notification's id, `data` holds title, body, tenant (slug or
  null) and the event's own keys (e.g. `url`). Each id reaches a socket at most once.
- Heartbeat: the server sends `{"type": "ping", "id": null}` every NOTIFICATIONS_HEARTBEAT_SECONDS; the client
  answers `{"type": "pong"}` (any message counts). A socket silent for two intervals is closed with 4408. A client
  may send `{"type": "ping"}` and gets `{"type": "pong"}`. On each heartbeat the server also sends any of the
  user's notifications newer than the newest this socket has had (pushes are at most once: a Redis outage or
  restart loses them), so an open socket lags by at most one interval even then.
- Other close codes: 4400 bad input, 4403 cross-origin cookie auth, 4503 channel layer unreachable (retry later).
"""

import asyncio
import contextlib
import json
import random
import time
from collections import deque
from urllib.parse import parse_qs, urlparse

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone
from ninja_jwt.tokens import AccessToken

from jobpilot.accounts.auth import user_from_access_token
from jobpilot.core.metrics import WEBSOCKET_CONNECTIONS, WEBSOCKET_PUSHES
from jobpilot.notifications.realtime import (
    PUSH_MESSAGE_TYPE,
    frame,
    recipient_row_id,
    tenant_staff_group,
    user_group,
)
from jobpilot.notifications.selectors import newest_notification_id, notifications_since
from tenants.asgi import database_sync_to_async_in_tenant
from tenants.selectors import staff_schemas_of

CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403
CLOSE_HEARTBEAT_TIMEOUT = 4408
CLOSE_TRY_AGAIN = 4503

REPLAY_LIMIT = 500
REMEMBERED_IDS = 2048  # ids already sent on this socket, to drop the second copy (staff group + user group)


class NotificationConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.user_id = None
        self.joined_groups: list[str] = []
        self.heartbeat_task = None
        self.sent_ids: set[int] = set()
        self.sent_order: deque[int] = deque()
        self.last_heard = time.monotonic()
        self.token_expires_at: float | None = None
        self.newest_id = 0
        self.tenant = self.scope["tenant"]
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))

        # Everything is checked and the groups joined before the handshake completes, so an open socket misses
        # nothing pushed after it opened. A refusal still accepts first: browsers only see close codes after that.
        token = query.get("token", [None])[-1] or self._bearer_token()
        # One trip to the database: handshakes queue for the server's one database thread.
        user, staff_schemas, newest_id = await database_sync_to_async_in_tenant(
            self.tenant, _socket_context, token, self.scope.get("user")
        )
        if user is None:
            return await self._refuse(CLOSE_UNAUTHENTICATED)
        if token:
            self.token_expires_at = float(AccessToken(token, verify=False)["exp"])
        elif not self._same_origin():
            # A cookie-authenticated socket opened from another site's page would read this user's notifications.
            return await self._refuse(CLOSE_FORBIDDEN_ORIGIN)
        raw_last_id = query.get("last_id", [None])[-1]
        try:
            last_id = None if raw_last_id is None else _parse_id(raw_last_id)
        except ValueError:
            return await self._refuse(CLOSE_BAD_REQUEST)

        # WARNING: staff groups only of the tenants the user is a member of. A staff event is published once to
        # its tenant's group, and each socket there delivers only its own user's row (`notification_push`).
        groups = [user_group(user.pk), *(tenant_staff_group(schema) for schema in staff_schemas)]
        if not await self._join(groups):
            return await self._refuse(CLOSE_TRY_AGAIN)
        self.joined_groups = groups
        self.user_id = user.pk
        # The catch-up on each heartbeat sends what is newer than this (what the client saw, or what existed).
        self.newest_id = last_id if last_id is not None else newest_id
        await self.accept()
        WEBSOCKET_CONNECTIONS.inc()
        if last_id is not None:
            await self._replay(last_id)
        self.heartbeat_task = asyncio.ensure_future(self._heartbeat())

    async def disconnect(self, code):
        if self.user_id is not None:  # counted when it was accepted as a user's socket
            WEBSOCKET_CONNECTIONS.dec()
        if self.heartbeat_task is not None:
            self.heartbeat_task.cancel()
        # Redis gone: nothing to clean up there, the membership expires with the group.
        with contextlib.suppress(Exception):
            for group in self.joined_groups:
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        self.last_heard = time.monotonic()
        if self.user_id is None:
            return
        try:
            message = json.loads(text_data or "")
            kind = message["type"]
        except (ValueError, TypeError, KeyError):
            await self.close(code=CLOSE_BAD_REQUEST)
            return
        if kind == "ping":
            await self._send_control("pong")
        elif kind == "resume":
            try:
                last_id = _parse_id(message.get("last_id"))
            except ValueError:
                last_id = None
            if last_id is None:
                await self.close(code=CLOSE_BAD_REQUEST)
                return
            await self._replay(last_id)
        # "pong" and anything else only prove the client is alive.

    async def dispatch(self, message):
        # Channels closes stale database connections before each message: a hop to the one database thread. A
        # push touches no database, and a staff event reaches every socket at once (1,000 hops in a row, ~0.5 s).
        if message["type"] == PUSH_MESSAGE_TYPE:
            return await self.notification_push(message)
        return await super().dispatch(message)

    async def notification_push(self, message):
        """A notification from the channel layer (see realtime.push_on_commit)."""
        if self.user_id is None:
            return
        payload = message["frame"]
        # The staff group's copy: deliver this user's own row, if they are one of its recipients.
        if "recipients" in message:
            own_id = recipient_row_id(message["recipients"], self.user_id)
            if own_id is None:
                return
            payload = {**payload, "id": own_id}
        await self._deliver(payload)

    async def _refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    def _bearer_token(self) -> str | None:
        header = dict(self.scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def _same_origin(self) -> bool:
        headers = dict(self.scope.get("headers", []))
        origin = headers.get(b"origin")
        if origin is None:
            return True  # not a browser: browsers always send Origin on a websocket handshake
        host = headers.get(b"host", b"").decode("latin-1")
        return urlparse(origin.decode("latin-1")).netloc.lower() == host.lower()

    async def _join(self, groups) -> bool:
        # Two tries: after a Redis restart the first command on a pooled connection fails, the next reconnects.
        for attempt in range(2):
            try:
                for group in groups:
                    await self.channel_layer.group_add(group, self.channel_name)
            except Exception:  # noqa: BLE001 - Redis unreachable: tell the client to come back later
                if attempt:
                    return False
            else:
                return True
        return False

    async def _replay(self, last_id: int) -> None:
        frames = await database_sync_to_async_in_tenant(self.tenant, _frames_since, self.user_id, last_id)
        for payload in frames[:REPLAY_LIMIT]:
            await self._deliver(payload)
        await self._send_control(
            "replayed", {"count": min(len(frames), REPLAY_LIMIT), "truncated": len(frames) > REPLAY_LIMIT}
        )

    async def _deliver(self, payload: dict) -> None:
        notification_id = payload["id"]
        if notification_id in self.sent_ids:
            return
        self.sent_ids.add(notification_id)
        self.sent_order.append(notification_id)
        self.newest_id = max(self.newest_id, notification_id)
        if len(self.sent_order) > REMEMBERED_IDS:
            self.sent_ids.discard(self.sent_order.popleft())
        await self.send(text_data=json.dumps(payload))
        WEBSOCKET_PUSHES.inc()

    async def _send_control(self, kind: str, data: dict | None = None) -> None:
        await self.send(
            text_data=json.dumps(
                {"type": kind, "id": None, "created_at": timezone.now().isoformat(), "data": data or {}}
            )
        )

    async def _heartbeat(self) -> None:
        interval = settings.NOTIFICATIONS_HEARTBEAT_SECONDS
        # A random phase per socket: sockets opened together (after a deploy) must not all beat at once.
        await asyncio.sleep(random.uniform(0, interval))
        while True:
            if time.monotonic() - self.last_heard > 2 * interval:
                await self.close(code=CLOSE_HEARTBEAT_TIMEOUT)
                return
            if self.token_expires_at is not None and time.time() >= self.token_expires_at:
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return
            # Joining again is idempotent and keeps the membership alive across a Redis restart (which forgets
            # groups) and past channels-redis' group expiry; if Redis is down, the client reconnects and replays.
            if not await self._join(self.joined_groups):
                await self.close(code=CLOSE_TRY_AGAIN)
                return
            # Pushes are at most once (a Redis outage or restart loses them): send whatever this socket missed.
            for payload in await database_sync_to_async_in_tenant(
                self.tenant, _frames_since, self.user_id, self.newest_id
            ):
                await self._deliver(payload)
            await self._send_control("ping")
            await asyncio.sleep(interval)


def _socket_context(token, session_user):
    """The socket's user (from the access token if one was given, else the session), the schemas of the tenants
    whose staff they are, and the id of their newest notification (0 if none).
    (None, [], 0) when there is no valid, active user."""
    user = user_from_access_token(token) if token else session_user
    if user is None or not user.is_authenticated or not user.is_active:
        return None, [], 0
    return user, staff_schemas_of(user=user), newest_notification_id(user_id=user.pk)


def _frames_since(user_id: int, last_id: int) -> list[dict]:
    return [frame(n) for n in notifications_since(user_id=user_id, after_id=last_id, limit=REPLAY_LIMIT + 1)]


def _parse_id(value) -> int:
    """A notification id sent by the client: a non-negative integer (or its digits). Raises ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(value)
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number
