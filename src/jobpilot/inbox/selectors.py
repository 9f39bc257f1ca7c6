"""Reads for the inbox. Every read takes the seeker and returns only that seeker's rows."""

import uuid

from django.conf import settings
from django.db.models import QuerySet

from billing.entitlements import has_feature, require_feature
from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_user
from jobpilot.core.errors import NotFound
from jobpilot.inbox.models import ForwardingAddress, ImapConnection, InboxMessage


def inbox_require_plan(seeker) -> None:
    """402 `feature_not_in_plan` unless the seeker's plan includes email ingestion."""
    require_feature(billing_account_for_user(seeker, Audience.SEEKER), Feature.EMAIL_INGESTION)


def inbox_has_plan(seeker) -> bool:
    return has_feature(billing_account_for_user(seeker, Audience.SEEKER), Feature.EMAIL_INGESTION)


def forwarding_email(address: ForwardingAddress) -> str:
    return f"{address.token}@{settings.INBOX_DOMAIN}"


def forwarding_address_get(*, seeker) -> ForwardingAddress | None:
    return ForwardingAddress.objects.filter(user=seeker).first()


def recipient_seeker_id(recipient: str) -> int | None:
    """The seeker a forwarding address delivers to, or None: unknown token, another domain, switched off, an
    inactive account, or a plan without the feature (mail then bounces instead of piling up unseen)."""
    local, _, domain = recipient.strip().strip("<>").rpartition("@")
    if not local or domain.lower() != settings.INBOX_DOMAIN or len(local) > 64:
        return None
    address = (
        ForwardingAddress.objects.select_related("user")
        .filter(token=local.lower(), active=True, user__is_active=True)
        .first()
    )
    if address is None or not inbox_has_plan(address.user):
        return None
    return address.user_id


def imap_connection_get(*, seeker) -> ImapConnection | None:
    return ImapConnection.objects.filter(user=seeker).first()


def inbox_message_list(*, seeker, state: str | None = None) -> QuerySet[InboxMessage]:
    messages = InboxMessage.objects.filter(seeker=seeker).select_related("application")
    if state:
        messages = messages.filter(suggestion_state=state)
    return messages


def inbox_message_get(*, seeker, message_id: uuid.UUID) -> InboxMessage:
    message = inbox_message_list(seeker=seeker).filter(pk=message_id).first()
    if message is None:
        raise NotFound("Message not found.")
    return message


def inbox_pending_count(*, seeker) -> int:
    return InboxMessage.objects.filter(seeker=seeker, suggestion_state="pending").count()


def inbox_export_data(*, seeker) -> dict:
    """The seeker's inbox for the privacy export: the address, the mailbox connection (never its password) and
    every stored message with its suggestion."""
    address = forwarding_address_get(seeker=seeker)
    connection = imap_connection_get(seeker=seeker)
    return {
        "forwarding_address": (
            {"email": forwarding_email(address), "active": address.active, "created_at": address.created_at}
            if address
            else None
        ),
        "imap_connection": (
            {
                "host": connection.host,
                "port": connection.port,
                "username": connection.username,
                "mailbox": connection.mailbox,
                "last_polled_at": connection.last_polled_at,
            }
            if connection
            else None
        ),
        "messages": list(
            InboxMessage.objects.filter(seeker=seeker)
            .order_by("received_at")
            .values(
                "id",
                "source",
                "sender",
                "subject",
                "sent_at",
                "received_at",
                "body_text",
                "category",
                "application_id",
                "suggested_status",
                "suggestion_state",
                "decided_at",
            )
        ),
    }
