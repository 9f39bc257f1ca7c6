"""Writes for notifications. Other apps wire an event with one call:

    notify(recipient=user, type=NotificationType.INTERVIEW_SCHEDULED, title="...", data={"url": "..."})
    notify_tenant_staff(tenant=request.tenant, type=NotificationType.APPLICATION_RECEIVED, title="...")

Both may run inside the caller's transaction (in any schema): rows are written there, and the websocket push and the
email task leave only after commit. Neither fails the caller when Redis is down.
"""

import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from jobpilot.calendars.invitations import attachment_for_notification
from jobpilot.core.errors import Invalid
from jobpilot.notifications.models import Notification, NotificationPreference
from jobpilot.notifications.realtime import RESERVED_DATA_KEYS, push_on_commit
from jobpilot.notifications.selectors import preferences_for
from jobpilot.notifications.types import EmailDelivery, NotificationType
from tenants.models import ROLE_RANK, Membership

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length
DEDUPE_CONSTRAINT = "notif_unique_dedupe_key"
DIGEST_MAX_ITEMS = 50


def notify(
    *,
    recipient,
    type: NotificationType | str,
    title: str,
    body: str = "",
    data: dict | None = None,
    tenant=None,
    dedupe_key: str = "",
) -> Notification | None:
    """Notify one user, on the channels they chose for this type. Returns the stored row, or None when the user has
    switched the type off everywhere or a row with the same `dedupe_key` already exists for them.

    `data` must be JSON-serialisable (dates, UUIDs and decimals become strings); keys `title`, `body` and `tenant`
    are reserved. `tenant` is the employer the event belongs to, if any. `dedupe_key` makes a repeated call (a beat
    reminder, a usage threshold) a no-op, also under concurrency (unique constraint)."""
    created = _notify_users(
        user_ids=[recipient.pk],
        type=type,
        title=title,
        body=body,
        data=data,
        tenant=tenant,
        dedupe_key=dedupe_key,
    )
    return created[0] if created else None


def notify_tenant_staff(
    *,
    tenant,
    type: NotificationType | str,
    title: str,
    body: str = "",
    data: dict | None = None,
    minimum_role: Membership.Role = Membership.Role.RECRUITER,
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify every member of `tenant` holding at least `minimum_role`: one row per member (each has its own read
    state and preferences), pushed to each member's `user.<id>` group and to the tenant's staff group.

    WARNING: `tenant` must be the tenant the event happened in (`request.tenant`, or the task's schema), never one
    taken from a request parameter: its staff are who receive the event."""
    roles = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[minimum_role]]
    user_ids = list(
        Membership.objects.filter(tenant=tenant, role__in=roles, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return _notify_users(
        user_ids=user_ids,
        type=type,
        title=title,
        body=body,
        data=data,
        tenant=tenant,
        dedupe_key=dedupe_key,
        staff_schema=tenant.schema_name,
    )


def _notify_users(
    *, user_ids, type, title, body, data, tenant, dedupe_key, staff_schema=None
) -> list[Notification]:
    type = NotificationType(type)
    data = _clean_data(data)
    title = _truncate(title.strip(), TITLE_MAX_LENGTH)
    preferences = preferences_for(user_ids=user_ids, type=type)
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=user_id,
            tenant=tenant,
            type=type,
            title=title,
            body=body,
            data=data,
            dedupe_key=dedupe_key,
            in_app=preferences[user_id].in_app,
            email=preferences[user_id].email,
            created_at=now,
        )
        for user_id in user_ids
        if preferences[user_id].in_app or preferences[user_id].email != EmailDelivery.OFF
    ]
    if not rows:
        return []
    with transaction.atomic():
        created = (
            [row for row in rows if _insert_once(row)]
            if dedupe_key
            else Notification.objects.bulk_create(rows)
        )
    push_on_commit([n for n in created if n.in_app], staff_schema=staff_schema)
    _email_on_commit([n.id for n in created if n.email == EmailDelivery.INSTANT])
    return created


def _insert_once(row: Notification) -> bool:
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not break the caller's transaction
            row.save(force_insert=True)
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) != DEDUPE_CONSTRAINT:
            raise
        return False
    return True


def _clean_data(data: dict | None) -> dict:
    # A JSON round trip now, so an unserialisable payload fails in the caller's code, not in the push after commit.
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    if not isinstance(data, dict):
        raise TypeError("notification data must be a dict")
    if reserved := RESERVED_DATA_KEYS & data.keys():
        raise ValueError(f"notification data must not use the reserved keys {sorted(reserved)}")
    return data


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _email_on_commit(notification_ids: list[int]) -> None:
    if not notification_ids:
        return

    def enqueue():
        from jobpilot.notifications.tasks import send_notification_email

        for notification_id in notification_ids:
            try:
                # No publish retries: with the broker down the sweeper task sends it later.
                send_notification_email.apply_async((notification_id,), retry=False)
            except Exception:  # noqa: BLE001 - a broker outage must not fail the caller's request
                logger.warning(
                    "Could not enqueue email for notification %s; the sweeper will send it",
                    notification_id,
                    exc_info=True,
                )

    transaction.on_commit(enqueue, robust=True)


# --- Reading state ----------------------------------------------------------------------------------------------


def notification_mark_read(*, actor, ids: Iterable[int] | None = None, all: bool = False) -> int:
    """Mark the actor's notifications read: the given ids, or every unread one. Ids that are not the actor's are
    ignored (never an error, so ids of other users do not even reveal that they exist). Returns how many changed.
    One conditional UPDATE: concurrent calls never count a notification twice."""
    if all == (ids is not None):
        raise Invalid("Give either ids or all=true.", code="ids_or_all")
    # WARNING: the recipient filter is what keeps one user from touching another's notifications.
    unread = Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True)
    if not all:
        unread = unread.filter(id__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_preferences_update(*, actor, changes: list[dict]) -> None:
    """Set the actor's channels for some types: each change is `{"type", "in_app", "email"}`. One upsert per type
    (INSERT ... ON CONFLICT on the unique (user, type)), so concurrent updates never duplicate a row."""
    types = [change["type"] for change in changes]
    if len(types) != len(set(types)):
        raise Invalid("Each type may appear only once.", code="duplicate_type", field="preferences")
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(
                user=actor,
                type=NotificationType(change["type"]),
                in_app=change["in_app"],
                email=EmailDelivery(change["email"]),
            )
            for change in changes
        ],
        update_conflicts=True,
        unique_fields=["user", "type"],
        update_fields=["in_app", "email", "updated_at"],
    )


# --- Email --------------------------------------------------------------------------------------------------------


def notification_email_send(*, notification_id: int) -> bool:
    """Email one instant notification, once. Holds the row's lock (SELECT ... FOR UPDATE SKIP LOCKED) while sending,
    so the task and the sweeper never both send it; a failed send rolls back and leaves it pending for a retry.
    Returns whether this call sent it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email=EmailDelivery.INSTANT, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        if notification.recipient.is_active:
            message = EmailMessage(
                subject=notification.title,
                body=render_to_string("notifications/email/notification.txt", _email_context(notification)),
                to=[notification.recipient.email],
            )
            attachment = attachment_for_notification(notification)  # an interview's .ics
            if attachment:
                message.attach(*attachment)
            message.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_digest_send(*, user_id: int) -> int:
    """Send a user's daily digest: their pending daily notifications that are still unread (ones read in-app since
    are settled without an email). Locks the rows (FOR UPDATE SKIP LOCKED) so two beat runs never send them twice.
    Returns how many the email listed."""
    user = get_user_model().objects.get(pk=user_id)
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_id, email=EmailDelivery.DAILY, emailed_at__isnull=True)
            .order_by("id")[:DIGEST_MAX_ITEMS]
        )
        unread = [n for n in pending if n.read_at is None] if user.is_active else []
        if unread:
            send_mail(
                subject=f"Your JobPilot digest: {len(unread)} new notification{'s' if len(unread) != 1 else ''}",
                message=render_to_string(
                    "notifications/email/digest.txt",
                    {
                        "user": user,
                        "items": [_email_context(n) for n in unread],
                        "site_url": settings.SITE_URL,
                    },
                ),
                from_email=None,
                recipient_list=[user.email],
            )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(unread)


def _email_context(notification: Notification) -> dict:
    url = notification.data.get("url") or ""
    if url.startswith("/"):
        url = settings.SITE_URL.rstrip("/") + url
    # `links`: items of the notification with their own link (text, absolute URL), listed in place of the body.
    links = notification.data.get("links") or []
    return {"notification": notification, "url": url, "links": links, "site_url": settings.SITE_URL}
