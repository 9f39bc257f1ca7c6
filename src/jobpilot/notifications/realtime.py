"""Live delivery: channel-layer group names, the websocket frame, and the after-commit push.

A push is best effort by design. The row is the truth: a client that missed a push (socket closed, Redis down)
gets the notification when it reconnects with the last id it saw, or from the REST list.
"""

import asyncio
import concurrent.futures
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Channel-layer message type; Channels dispatches it to `NotificationConsumer.notification_push`.
PUSH_MESSAGE_TYPE = "notification.push"
# Keys of a frame's `data` that JobPilot sets; a caller's data must not use them.
RESERVED_DATA_KEYS = frozenset({"title", "body", "tenant"})
# A push never holds the caller longer than this (Redis refusing connections fails much faster).
PUSH_TIMEOUT_SECONDS = 3.0
PUSH_CONCURRENCY = 32  # groups sent to at once (each group_send is a few Redis round trips)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def tenant_staff_group(schema_name: str) -> str:
    # WARNING: only sockets of the tenant's members may join this group (see NotificationConsumer.connect).
    return f"tenant.{schema_name}.staff"


def frame(notification) -> dict:
    """The websocket message for a notification: `{"type", "id", "created_at", "data"}`."""
    tenant = notification.tenant
    return {
        "type": notification.type,
        "id": notification.id,
        "created_at": notification.created_at.isoformat(),
        "data": {
            **notification.data,
            "title": notification.title,
            "body": notification.body,
            "tenant": tenant.slug if tenant is not None else None,
        },
    }


def push_on_commit(notifications, *, staff_schema: str | None = None) -> None:
    """After the current transaction commits, push the notifications. A staff event is one publish to the
    tenant's staff group, carrying each recipient's row id (`encode_recipients`): every socket of a member of that tenant is in the
    group (on any host) and delivers its own user's row, so the fan-out costs one Redis publish, not one per
    member. Anything else goes to each recipient's `user.<id>` group. Never raises into the caller."""
    if not notifications:
        return
    if staff_schema:
        shared = {**frame(notifications[0]), "id": None}
        recipients = encode_recipients({n.recipient_id: n.id for n in notifications})
        messages = [
            (
                tenant_staff_group(staff_schema),
                {"type": PUSH_MESSAGE_TYPE, "frame": shared, "recipients": recipients},
            )
        ]
    else:
        messages = [
            (user_group(n.recipient_id), {"type": PUSH_MESSAGE_TYPE, "frame": frame(n)})
            for n in notifications
        ]
    transaction.on_commit(lambda: push(messages), robust=True)


def encode_recipients(row_ids: dict[int, int]) -> str:
    """`{user_id: row id}` as one string, `",u:r,u:r,"`. channels-redis decodes a group message once per socket in
    the group: as a dict of 1,000 entries that cost grew with the square of the staff's size (1,000 staff: ~0.7 s
    to reach the last socket); one string decodes at the cost of a copy, and `recipient_row_id` finds one user in
    it with a single C-level search."""
    return "," + "".join(f"{user_id}:{row_id}," for user_id, row_id in row_ids.items())


def recipient_row_id(recipients: str, user_id: int) -> int | None:
    needle = f",{user_id}:"
    start = recipients.find(needle)
    if start < 0:
        return None
    start += len(needle)
    return int(recipients[start : recipients.index(",", start)])


def push(messages: list[tuple[str, dict]]) -> bool:
    """Send (group, message) pairs now. Returns False, and logs, when the channel layer is unreachable."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        if isinstance(layer, InMemoryChannelLayer):  # no Redis, one process: only the server's own loop works
            async_to_sync(_send_all)(layer, messages)
        else:
            _push_loop.run(_send_all(layer, messages), timeout=PUSH_TIMEOUT_SECONDS)
    except Exception:  # noqa: BLE001 - Redis down or flaky: the rows are stored, clients replay them on reconnect
        logger.warning(
            "Live push of %d notification message(s) failed; clients will replay them",
            len(messages),
            exc_info=True,
        )
        return False
    return True


class _PushLoop:
    """One long-lived event loop per process, in a daemon thread, for channel-layer sends from sync code.

    `async_to_sync` outside an ASGI server (Celery workers, commands) runs each call on a new event loop, and
    channels-redis keeps its connection pool per loop: every push would open a new Redis connection (~10 ms instead
    of ~0.3 ms). Callers wait for their push, so one caller's pushes stay in order."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid: int | None = None

    def run(self, coroutine, *, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # a forked worker needs its own thread
                self._loop = asyncio.new_event_loop()
                self._pid = os.getpid()
                threading.Thread(
                    target=self._loop.run_forever, name="notifications-push", daemon=True
                ).start()
            return self._loop


_push_loop = _PushLoop()


async def _send_all(layer, messages) -> None:
    """Each group's messages in order (a user's notifications must arrive in the order they were created);
    different groups concurrently, so a fan-out to a tenant's whole staff is not a thousand round trips in a row."""
    by_group: dict[str, list[dict]] = {}
    for group, message in messages:
        by_group.setdefault(group, []).append(message)
    gate = asyncio.Semaphore(PUSH_CONCURRENCY)

    async def send_group(group, group_messages):
        async with gate:
            for message in group_messages:
                try:
                    await layer.group_send(group, message)
                except Exception:  # noqa: BLE001 - after a Redis restart a pooled connection may fail once
                    await layer.group_send(group, message)

    await asyncio.gather(*(send_group(group, group_messages) for group, group_messages in by_group.items()))
