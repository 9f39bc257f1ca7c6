"""Email status ingestion for seekers (public schema, beside the tracker): a seeker's forwarding address, an
optional read-only IMAP connection, the messages that came in and the status change each one suggests.

Nothing here changes the tracker: a suggestion waits for the seeker's click (`inbox.services`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from jobpilot.tracker.models import PublicStatus


class ForwardingAddress(models.Model):
    """`<token>@<INBOX_DOMAIN>`: mail sent there is the seeker's. The token is the whole secret (it is shown to
    the seeker, so stored as is); resetting replaces it, and the old address refuses mail at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forwarding_address"
    )
    token = models.CharField(max_length=40, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_received_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Forwarding address of {self.user_id}"


class ImapConnection(models.Model):
    """A mailbox the poller reads (EXAMINE, BODY.PEEK: never a flag or a deletion). `last_uid` is the highest
    UID already read under `uid_validity`; a new UIDVALIDITY means the server renumbered, so reading restarts
    from the messages that arrived after the connection was made."""

    class Security(models.TextChoices):
        SSL = "ssl", "TLS (IMAPS, usually port 993)"
        STARTTLS = "starttls", "STARTTLS (usually port 143)"
        PLAIN = "plain", "No encryption (test servers only)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imap_connection"
    )
    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=8, choices=Security.choices, default=Security.SSL)
    username = models.CharField(max_length=254)
    password_encrypted = models.TextField()  # Fernet token (inbox.crypto); never the password itself
    mailbox = models.CharField(max_length=200, default="INBOX")
    active = models.BooleanField(default=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"IMAP {self.username}@{self.host}"


class Category(models.TextChoices):
    INTERVIEW = "interview", "Interview invitation"
    REJECTION = "rejection", "Rejection"
    OFFER = "offer", "Offer"
    ASSESSMENT = "assessment", "Assessment"
    RECEIPT = "receipt", "Confirmation of receipt"
    OTHER = "other", "Other"


class SuggestionState(models.TextChoices):
    NONE = "none", "No suggestion"
    PENDING = "pending", "Waiting for you"
    CONFIRMED = "confirmed", "Applied"
    DISMISSED = "dismissed", "Dismissed"


class InboxMessage(models.Model):
    class Source(models.TextChoices):
        FORWARDED = "forwarded", "Forwarded"
        IMAP = "imap", "IMAP"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages"
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    message_id = models.CharField(max_length=300, blank=True)  # the Message-ID header, for dedupe
    sender = models.CharField(max_length=300, blank=True)
    sender_domain = models.CharField(max_length=253, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    body_text = models.TextField(blank=True)

    category = models.CharField(max_length=12, choices=Category.choices, default=Category.OTHER)
    confidence = models.FloatField(default=0.0)
    matched_phrases = models.JSONField(default=list, blank=True)
    application = models.ForeignKey(
        "tracker.TrackedApplication", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    match_reasons = models.JSONField(default=list, blank=True)
    suggested_status = models.CharField(max_length=16, choices=PublicStatus.choices, blank=True)
    suggestion_state = models.CharField(
        max_length=10, choices=SuggestionState.choices, default=SuggestionState.NONE
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["seeker", "-received_at"], name="inbox_message_seeker_recent")]
        constraints = [
            # The same message forwarded twice, or forwarded and also read over IMAP, is stored once.
            models.UniqueConstraint(
                fields=["seeker", "message_id"], condition=~Q(message_id=""), name="inbox_message_unique_id"
            ),
            models.CheckConstraint(
                condition=Q(suggestion_state="none") | ~Q(suggested_status=""),
                name="inbox_suggestion_has_status",
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.subject[:60]}"
