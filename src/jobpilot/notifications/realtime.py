"""Live delivery: channel-layer group names, the websocket frame, and the after-commit push.

A push is best effort by design. The row is the truth: a client that missed a push (socket closed, Redis down)
gets the notification when it reconnects with the last id it saw, or from the REST list.
"""

import logging
from collections import deque

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Channel-layer message type; Channels dispatches it to `NotificationConsumer.notification_push`.
PUSH_MESSAGE_TYPE = "notification.push"
# Keys of a frame's `data` that JobPilot sets; a caller's data must not use them.
RESERVED_DATA_KEYS = frozenset({"title", "body", "tenant"})


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def tenant_staff_group(schema_name: str) -> str:
    # WARNING: only sockets of the tenant's members, opened on that tenant's own domain, may join this group.
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
    """After the current transaction commits, push each notification to its recipient's `user.<id>` group and,
    for a staff event, once more to the tenant's staff group (with the id of each recipient's own row, so a socket
    in both groups delivers it once). Never raises into the caller."""
    messages = [
        (user_group(n.recipient_id), {"type": PUSH_MESSAGE_TYPE, "frame": frame(n)}) for n in notifications
    ]
    if staff_schema and notifications:
        shared = {**frame(notifications[0]), "id": None}
        recipients = {str(n.recipient_id): n.id for n in notifications}
        messages.append(
            (
                tenant_staff_group(staff_schema),
                {"type": PUSH_MESSAGE_TYPE, "frame": shared, "recipients": recipients},
            )
        )
    if messages:
        transaction.on_commit(lambda: push(messages), robust=True)


def push(messages: list[tuple[str, dict]]) -> bool:
    """Send (group, message) pairs now. Returns False, and logs, when the channel layer is unreachable."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(_send_all)(layer, messages)
    except Exception:  # noqa: BLE001 - Redis down or flaky: the rows are stored, clients replay them on reconnect
        logger.warning(
            "Live push of %d notification message(s) failed; clients will replay them",
            len(messages),
            exc_info=True,
        )
        return False
    return True


async def _send_all(layer, messages) -> None:
    # In order: a user's notifications must reach their socket in the order they were created. One more try for
    # what is left after a failure: after a Redis restart the first command on a pooled connection fails.
    pending = deque(messages)
    for attempt in range(2):
        try:
            while pending:
                group, message = pending[0]
                await layer.group_send(group, message)
                pending.popleft()
            return
        except Exception:
            if attempt:
                raise
