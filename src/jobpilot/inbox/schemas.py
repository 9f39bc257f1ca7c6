"""Shapes of the inbox API (`/api/v1/inbox/`)."""

import uuid
from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema, field_validator

from jobpilot.core.openapi import schema_example
from jobpilot.inbox.models import Category, ImapConnection, InboxMessage, SuggestionState
from jobpilot.inbox.selectors import forwarding_email
from jobpilot.tracker.models import PublicStatus

# Written out, not shared components: component names are class names, and other apps have a Source and a Status.
MessageSource = Annotated[
    InboxMessage.Source, WithJsonSchema({"type": "string", "enum": InboxMessage.Source.values})
]
ImapSecurity = Annotated[
    ImapConnection.Security, WithJsonSchema({"type": "string", "enum": ImapConnection.Security.values})
]
MessageCategory = Annotated[Category, WithJsonSchema({"type": "string", "enum": Category.values})]
InboxSuggestionState = Annotated[
    SuggestionState, WithJsonSchema({"type": "string", "enum": SuggestionState.values})
]
SuggestedStatus = Annotated[
    str, WithJsonSchema({"type": "string", "enum": ["", *PublicStatus.values], "description": "'' = none"})
]


class ForwardingAddressOut(Schema):
    model_config = schema_example(
        {
            "email": "k3v7qj2mxw4p5c6zab7dfgh2@inbox.jobpilot.example",
            "active": True,
            "created_at": "2026-03-02T09:15:00Z",
            "last_received_at": "2026-03-04T17:02:11Z",
        }
    )

    email: str | None
    active: bool
    created_at: datetime | None
    last_received_at: datetime | None

    @staticmethod
    def from_address(address) -> dict:
        if address is None:
            return {"email": None, "active": False, "created_at": None, "last_received_at": None}
        return {
            "email": forwarding_email(address),
            "active": address.active,
            "created_at": address.created_at,
            "last_received_at": address.last_received_at,
        }


class ImapConnectionIn(Schema):
    model_config = schema_example(
        {
            "host": "imap.gmail.com",
            "port": 993,
            "security": "ssl",
            "username": "sam.seeker@gmail.com",
            "password": "abcd efgh ijkl mnop",
            "mailbox": "INBOX",
        }
    )

    host: str = Field(..., min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.-]+$")
    port: int = Field(993, ge=1, le=65535)
    security: ImapSecurity = ImapConnection.Security.SSL
    username: str = Field(..., min_length=1, max_length=254)
    password: str = Field(..., min_length=1, max_length=500)
    mailbox: str = Field("INBOX", min_length=1, max_length=200)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        return value.strip().lower().rstrip(".")

    @field_validator("username", "password", "mailbox")
    @classmethod
    def _no_line_breaks(cls, value: str) -> str:
        if any(ch in value for ch in "\r\n\x00"):
            raise ValueError("must be one line")
        return value


class ImapConnectionOut(Schema):
    model_config = schema_example(
        {
            "host": "imap.gmail.com",
            "port": 993,
            "security": "ssl",
            "username": "sam.seeker@gmail.com",
            "mailbox": "INBOX",
            "active": True,
            "last_polled_at": "2026-03-04T17:05:00Z",
            "last_error": "",
        }
    )

    host: str
    port: int
    security: ImapSecurity
    username: str
    mailbox: str
    active: bool
    last_polled_at: datetime | None
    last_error: str


class ImapTestOut(Schema):
    model_config = schema_example({"ok": True})

    ok: bool


class ImapStateOut(Schema):
    model_config = schema_example({"connected": False})

    connected: bool


class MatchedApplicationOut(Schema):
    id: uuid.UUID
    company: str
    title: str
    status: PublicStatus


_MESSAGE_EXAMPLE = {
    "id": "8d1e2f4a-6b3c-4d5e-9f70-1a2b3c4d5e6f",
    "source": "forwarded",
    "sender": "Hooli Recruiting <no-reply@greenhouse.io>",
    "subject": "Interview invitation: Senior Platform Engineer",
    "sent_at": "2026-03-04T16:58:00Z",
    "received_at": "2026-03-04T17:02:11Z",
    "category": "interview",
    "category_label": "Interview invitation",
    "confidence": 0.82,
    "matched_phrases": ["invite you to an interview", "your availability"],
    "application": {
        "id": "3f9a2c4e-1b7d-4e8a-9c61-5d2e8f7a0b13",
        "company": "Hooli",
        "title": "Senior Platform Engineer",
        "status": "applied",
    },
    "match_reasons": ["the subject names Hooli", "it names the role, Senior Platform Engineer"],
    "suggested_status": "interviewing",
    "suggestion_state": "pending",
    "decided_at": None,
}


MESSAGE_PAGE_EXAMPLE = {
    "results": [_MESSAGE_EXAMPLE],
    "pagination": {"page": 1, "limit": 20, "total": 1, "pages": 1},
}


class InboxMessageOut(Schema):
    model_config = schema_example(_MESSAGE_EXAMPLE)

    id: uuid.UUID
    source: MessageSource
    sender: str
    subject: str
    sent_at: datetime | None
    received_at: datetime
    category: MessageCategory
    category_label: str
    confidence: float
    matched_phrases: list[str]
    application: MatchedApplicationOut | None
    match_reasons: list[str]
    suggested_status: SuggestedStatus
    suggestion_state: InboxSuggestionState
    decided_at: datetime | None

    @staticmethod
    def resolve_category_label(obj) -> str:
        return Category(obj.category).label


class InboxMessageDetailOut(InboxMessageOut):
    model_config = schema_example(
        {**_MESSAGE_EXAMPLE, "body_text": "Hi Sam, we would like to invite you to..."}
    )

    body_text: str


class MessageFilters(Schema):
    state: InboxSuggestionState | None = None
