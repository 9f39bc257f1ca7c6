"""Writes for the inbox: the forwarding address, the IMAP connection, storing a message with its suggestion, and
the seeker's decision on it.

WARNING: nothing here changes a tracked application except `inbox_suggestion_confirm`, which the seeker calls by
clicking; it goes through `tracker.services.tracked_application_set_status`, so the tracker's history records it.
"""

import base64
import logging
import secrets
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from jobpilot.core.errors import Conflict, NotFound
from jobpilot.inbox import crypto, imap
from jobpilot.inbox.classifier import classify
from jobpilot.inbox.matching import best_match
from jobpilot.inbox.models import Category, ForwardingAddress, ImapConnection, InboxMessage, SuggestionState
from jobpilot.inbox.parsing import ParsedMessage, parse_message
from jobpilot.inbox.selectors import inbox_require_plan
from jobpilot.notifications.services import notify
from jobpilot.notifications.types import NotificationType
from jobpilot.tracker.models import CLOSED_STATUSES, PublicStatus, TrackedApplication
from jobpilot.tracker.services import tracked_application_set_status

logger = logging.getLogger(__name__)

MATCH_CANDIDATES = 500  # the seeker's most recent applications an email is matched against

# The status each kind of mail suggests. A receipt confirms "applied": nothing to change.
SUGGESTED_STATUS = {
    Category.INTERVIEW: PublicStatus.INTERVIEWING,
    Category.REJECTION: PublicStatus.NOT_SELECTED,
    Category.OFFER: PublicStatus.OFFER,
    Category.ASSESSMENT: PublicStatus.IN_REVIEW,
}
# How far along an open application is; a suggestion only ever moves it forward (or closes it as not selected).
_PROGRESS = {
    PublicStatus.APPLIED: 0,
    PublicStatus.IN_REVIEW: 1,
    PublicStatus.INTERVIEWING: 2,
    PublicStatus.OFFER: 3,
}


def _new_token() -> str:
    # 120 random bits, lower-case base32: survives mail systems that fold the local part's case.
    return base64.b32encode(secrets.token_bytes(15)).decode().lower()


# --- the forwarding address ----------------------------------------------------------------------------------------


@transaction.atomic
def forwarding_address_enable(*, seeker) -> ForwardingAddress:
    """The seeker's address, made on first use or switched back on (same address)."""
    inbox_require_plan(seeker)
    address, created = ForwardingAddress.objects.select_for_update().get_or_create(
        user=seeker, defaults={"token": _new_token()}
    )
    if not created and not address.active:
        address.active = True
        address.save(update_fields=["active"])
    return address


@transaction.atomic
def forwarding_address_reset(*, seeker) -> ForwardingAddress:
    """A new address; the old one refuses mail from now on."""
    inbox_require_plan(seeker)
    address, _ = ForwardingAddress.objects.update_or_create(
        user=seeker, defaults={"token": _new_token(), "active": True}
    )
    return address


def forwarding_address_disable(*, seeker) -> ForwardingAddress | None:
    """Switch the address off (mail to it is refused). Allowed on any plan: turning something off is never sold."""
    ForwardingAddress.objects.filter(user=seeker).update(active=False)
    return ForwardingAddress.objects.filter(user=seeker).first()


# --- storing a message ----------------------------------------------------------------------------------------------


def _suggestion_for(category: str, application: TrackedApplication | None) -> str:
    target = SUGGESTED_STATUS.get(category)
    if target is None or application is None:
        return ""
    # JobPilot applications follow the employer's pipeline; the tracker refuses a seeker's status change there.
    if not application.is_external or application.status in CLOSED_STATUSES:
        return ""
    if target == PublicStatus.NOT_SELECTED:
        return target
    return target if _PROGRESS[target] > _PROGRESS.get(application.status, 0) else ""


def _candidates(seeker) -> list[TrackedApplication]:
    return list(
        TrackedApplication.objects.filter(seeker=seeker).order_by("-applied_on", "-created_at")[
            :MATCH_CANDIDATES
        ]
    )


def _analyse(seeker, parsed: ParsedMessage) -> dict:
    classification = classify(subject=parsed.subject, text=parsed.text)
    applications = _candidates(seeker)
    match = best_match(
        applications,
        sender=parsed.sender,
        sender_domain=parsed.sender_domain,
        subject=parsed.subject,
        text=parsed.text,
    )
    application = next((a for a in applications if match and a.pk == match.application_id), None)
    suggested = _suggestion_for(classification.category, application)
    return {
        "category": classification.category,
        "confidence": classification.confidence,
        "matched_phrases": classification.phrases,
        "application": application,
        "match_reasons": match.reasons if match else [],
        "suggested_status": suggested,
        "suggestion_state": SuggestionState.PENDING if suggested else SuggestionState.NONE,
    }


def inbox_message_receive(
    *, seeker, raw: bytes, source: str, parsed: ParsedMessage | None = None, keep_unrelated: bool = True
) -> InboxMessage | None:
    """Store one incoming message for `seeker`: classified, matched, with its suggestion, and tell the seeker
    when there is one. Returns None when the message is already stored (same Message-ID), or when it is
    unrelated to job hunting and `keep_unrelated` is off (mail read over IMAP: a personal mail is never kept)."""
    parsed = parsed or parse_message(raw)
    if (
        parsed.message_id
        and InboxMessage.objects.filter(seeker=seeker, message_id=parsed.message_id).exists()
    ):
        return None
    analysis = _analyse(seeker, parsed)
    if not keep_unrelated and analysis["category"] == Category.OTHER and analysis["application"] is None:
        return None
    try:
        with transaction.atomic():
            message = InboxMessage.objects.create(
                seeker=seeker,
                source=source,
                message_id=parsed.message_id,
                sender=parsed.sender,
                sender_domain=parsed.sender_domain,
                subject=parsed.subject,
                sent_at=parsed.sent_at,
                body_text=parsed.text,
                **analysis,
            )
            if message.suggestion_state == SuggestionState.PENDING:
                _notify_suggestion(message)
    except IntegrityError:  # the same Message-ID stored by a concurrent delivery
        return None
    return message


def _notify_suggestion(message: InboxMessage) -> None:
    application = message.application
    status = PublicStatus(message.suggested_status).label
    notify(
        recipient=message.seeker,
        type=NotificationType.INBOX_SUGGESTION,
        title=f"{application.company}: mark as {status}?",
        body=f"An email ({message.get_category_display().lower()}) suggests {application.title} is now {status}.",
        data={"url": "/inbox/", "message_id": str(message.pk), "application_id": str(application.pk)},
        dedupe_key=f"inbox-suggestion:{message.pk}",
    )


def forwarded_message_deliver(*, seeker_id: int, raw: bytes) -> InboxMessage | None:
    """The SMTP receiver's one call, after it accepted the recipient."""
    from django.contrib.auth import get_user_model

    seeker = get_user_model().objects.filter(pk=seeker_id, is_active=True).first()
    if seeker is None:
        return None
    message = inbox_message_receive(seeker=seeker, raw=raw, source=InboxMessage.Source.FORWARDED)
    ForwardingAddress.objects.filter(user=seeker).update(last_received_at=timezone.now())
    return message


# --- the seeker's decision ------------------------------------------------------------------------------------------


def _locked_pending(*, seeker, message_id: uuid.UUID) -> InboxMessage:
    message = (
        InboxMessage.objects.select_for_update()
        .filter(pk=message_id, seeker=seeker)
        .select_related(None)
        .first()
    )
    if message is None:
        raise NotFound("Message not found.")
    if message.suggestion_state != SuggestionState.PENDING:
        raise Conflict(
            f"This suggestion is already {message.get_suggestion_state_display().lower()}.",
            code="suggestion_decided",
            state=message.suggestion_state,
        )
    return message


@transaction.atomic
def inbox_suggestion_confirm(*, seeker, message_id: uuid.UUID) -> InboxMessage:
    """Apply the suggested status to the matched application (through the tracker, which records the history).
    Holds the message's row lock: of a confirm and a dismiss racing, the second sees the first's decision (409)."""
    inbox_require_plan(seeker)
    message = _locked_pending(seeker=seeker, message_id=message_id)
    application = (
        TrackedApplication.objects.select_for_update()
        .filter(pk=message.application_id, seeker=seeker)
        .first()
        if message.application_id
        else None
    )
    if application is None:
        raise Conflict("The application this suggestion was for has been deleted.", code="application_gone")
    # The application may have moved since the mail came (withdrawn, or already further along): a suggestion
    # that would now move it backwards or reopen it is refused rather than applied.
    if _suggestion_for(message.category, application) != message.suggested_status:
        raise Conflict(
            f"The application is now {application.get_status_display()}; this suggestion no longer applies.",
            code="suggestion_outdated",
        )
    tracked_application_set_status(
        seeker=seeker, application_id=message.application_id, status=message.suggested_status
    )
    message.suggestion_state = SuggestionState.CONFIRMED
    message.decided_at = timezone.now()
    message.save(update_fields=["suggestion_state", "decided_at"])
    return message


@transaction.atomic
def inbox_suggestion_dismiss(*, seeker, message_id: uuid.UUID) -> InboxMessage:
    inbox_require_plan(seeker)
    message = _locked_pending(seeker=seeker, message_id=message_id)
    message.suggestion_state = SuggestionState.DISMISSED
    message.decided_at = timezone.now()
    message.save(update_fields=["suggestion_state", "decided_at"])
    return message


def inbox_message_delete(*, seeker, message_id: uuid.UUID) -> None:
    deleted, _ = InboxMessage.objects.filter(pk=message_id, seeker=seeker).delete()
    if not deleted:
        raise NotFound("Message not found.")


# --- the IMAP connection --------------------------------------------------------------------------------------------


def imap_connection_save(*, seeker, fields: dict, test: bool = True) -> ImapConnection:
    """Create or replace the seeker's connection. The connection is tried first (`imap.check`, 422 with a clear
    code when the server cannot be reached, refuses the login or lacks the mailbox), so a saved connection is
    one that worked. A new server or mailbox starts reading afresh."""
    inbox_require_plan(seeker)
    password = fields.pop("password")
    if test:
        imap.check(password=password, **fields)
    with transaction.atomic():
        existing = ImapConnection.objects.select_for_update().filter(user=seeker).first()
        same_mailbox = existing is not None and all(
            getattr(existing, key) == fields[key] for key in ("host", "port", "username", "mailbox")
        )
        connection = existing or ImapConnection(user=seeker)
        for key, value in fields.items():
            setattr(connection, key, value)
        connection.password_encrypted = crypto.encrypt(password)
        connection.active = True
        connection.last_error = ""
        if not same_mailbox:
            connection.uid_validity = None
            connection.last_uid = 0
        connection.save()
    return connection


def imap_connection_test(*, seeker) -> None:
    inbox_require_plan(seeker)
    connection = ImapConnection.objects.filter(user=seeker).first()
    if connection is None:
        raise NotFound("No IMAP connection.")
    imap.check(
        host=connection.host,
        port=connection.port,
        security=connection.security,
        username=connection.username,
        mailbox=connection.mailbox,
        password=crypto.decrypt(connection.password_encrypted),
    )


def imap_connection_delete(*, seeker) -> None:
    ImapConnection.objects.filter(user=seeker).delete()


def imap_connection_poll(*, connection_id: int) -> int:
    """Read what arrived since the last poll and store the job-related messages; returns how many were stored.

    The connection's row is locked (SKIP LOCKED: a poll already running wins) for the whole read, and the new
    `last_uid` is saved in the same transaction as the messages, so a message is never stored twice nor lost
    between two polls. A failing server is noted on the connection (`last_error`) for the seeker to see."""
    with transaction.atomic():
        connection = (
            ImapConnection.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=connection_id, active=True, user__is_active=True)
            .first()
        )
        if connection is None:
            return 0
        from jobpilot.inbox.selectors import inbox_has_plan

        if not inbox_has_plan(connection.user):
            return 0
        now = timezone.now()
        try:
            fetched = imap.fetch_new(
                host=connection.host,
                port=connection.port,
                security=connection.security,
                username=connection.username,
                password=crypto.decrypt(connection.password_encrypted),
                mailbox=connection.mailbox,
                uid_validity=connection.uid_validity,
                last_uid=connection.last_uid,
            )
        except (imap.ImapProblem, crypto.SecretUnreadable) as error:
            logger.info("IMAP poll of connection %s failed: %s", connection.pk, error)
            connection.last_error = str(error)[:300]
            connection.last_polled_at = now
            connection.save(update_fields=["last_error", "last_polled_at", "updated_at"])
            return 0
        stored = 0
        for _uid, raw in fetched.messages:
            if inbox_message_receive(
                seeker=connection.user, raw=raw, source=InboxMessage.Source.IMAP, keep_unrelated=False
            ):
                stored += 1
        connection.uid_validity = fetched.uid_validity
        connection.last_uid = fetched.last_uid
        connection.last_polled_at = now
        connection.last_error = ""
        connection.save(
            update_fields=["uid_validity", "last_uid", "last_polled_at", "last_error", "updated_at"]
        )
        return stored
