"""/api/v1/notifications/: the signed-in user's notification feed, read state and channel preferences."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from pydantic import StrictBool, model_validator

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import schema_example
from jobpilot.notifications import selectors, services
from jobpilot.notifications.examples import (
    FEED_EXAMPLE,
    MARK_READ_IN_EXAMPLE,
    MARK_READ_OUT_EXAMPLE,
    PREFERENCES_IN_EXAMPLE,
    PREFERENCES_OUT_EXAMPLE,
)
from jobpilot.notifications.types import EmailDelivery, NotificationType

router = Router(auth=user_auth, tags=["notifications"])

MARK_READ_MAX_IDS = 500


class NotificationOut(Schema):
    id: int
    type: str
    title: str
    body: str
    tenant: str | None = Field(None, description="Slug of the employer the event belongs to, if any.")
    data: dict = Field(description="Event details, e.g. `url` to open.")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_tenant(notification) -> str | None:
        return notification.tenant.slug if notification.tenant_id else None


class PaginationOut(Schema):
    page: int
    limit: int
    total: int
    pages: int
    has_next: bool


class FeedOut(Schema):
    model_config = schema_example(FEED_EXAMPLE)

    results: list[NotificationOut]
    pagination: PaginationOut
    unread_count: int


class FeedQuery(Schema):
    unread: bool = Field(False, description="Only unread notifications.")
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(20, ge=1, le=100)


class MarkReadIn(Schema):
    model_config = schema_example(MARK_READ_IN_EXAMPLE)

    ids: list[int] | None = Field(None, min_length=1, max_length=MARK_READ_MAX_IDS)
    all: StrictBool = False

    @model_validator(mode="after")
    def ids_or_all(self):
        if (self.ids is None) != self.all:
            raise ValueError("Give either ids or all=true.")
        return self


class MarkReadOut(Schema):
    model_config = schema_example(MARK_READ_OUT_EXAMPLE)

    marked: int
    unread_count: int


class PreferenceOut(Schema):
    type: NotificationType
    label: str
    in_app: bool = Field(description="Shown in the app and pushed over the websocket.")
    email: EmailDelivery
    is_default: bool


class PreferencesOut(Schema):
    model_config = schema_example(PREFERENCES_OUT_EXAMPLE)

    preferences: list[PreferenceOut]


class PreferenceIn(Schema):
    type: NotificationType
    in_app: bool
    email: EmailDelivery


class PreferencesIn(Schema):
    model_config = schema_example(PREFERENCES_IN_EXAMPLE)

    preferences: list[PreferenceIn] = Field(min_length=1, max_length=len(NotificationType))


@router.get("/", response=FeedOut, summary="My notifications")
def notification_list(request, filters: Query[FeedQuery]):
    feed = selectors.notification_feed(user=request.auth, unread_only=filters.unread)
    total = feed.count()
    offset = (filters.page - 1) * filters.limit
    return {
        "results": list(feed[offset : offset + filters.limit]),
        "pagination": {
            "page": filters.page,
            "limit": filters.limit,
            "total": total,
            "pages": -(-total // filters.limit),
            "has_next": offset + filters.limit < total,
        },
        "unread_count": total if filters.unread else selectors.notification_unread_count(user=request.auth),
    }


@router.post("/mark-read/", response=MarkReadOut, summary="Mark notifications read (some ids, or all)")
def notification_mark_read(request, payload: MarkReadIn):
    marked = services.notification_mark_read(actor=request.auth, ids=payload.ids, all=payload.all)
    return {"marked": marked, "unread_count": selectors.notification_unread_count(user=request.auth)}


@router.get("/preferences/", response=PreferencesOut, summary="My notification channels per type")
def notification_preferences(request):
    return {"preferences": selectors.notification_preferences(user=request.auth)}


@router.put(
    "/preferences/", response=PreferencesOut, summary="Change my notification channels for some types"
)
def notification_preferences_update(request, payload: PreferencesIn):
    services.notification_preferences_update(
        actor=request.auth, changes=[change.dict() for change in payload.preferences]
    )
    return {"preferences": selectors.notification_preferences(user=request.auth)}
