"""`/api/v1/calendar/feed/`: the signed-in user's private calendar feed. `POST` makes it or resets it (the old URL
stops working) and answers the URL, once; `GET` says whether it is on; `DELETE` turns it off (and answers the state, off)."""

from datetime import datetime

from django.conf import settings
from ninja import Router, Schema, Status

from jobpilot.accounts.auth import user_auth
from jobpilot.calendars import services
from jobpilot.calendars.models import CalendarFeed
from jobpilot.core.openapi import schema_example

router = Router(auth=user_auth, tags=["calendar"])


class CalendarFeedOut(Schema):
    model_config = schema_example(
        {"active": True, "created_at": "2026-03-02T09:15:00Z", "last_read_at": None}
    )

    active: bool
    created_at: datetime | None
    last_read_at: datetime | None


class CalendarFeedUrlOut(Schema):
    model_config = schema_example(
        {"url": "https://jobpilot.example/calendar/3q2-7wJ0xq1k0m9T0zK1nq0b5W8yGf6u.ics"}
    )

    url: str


def feed_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/calendar/{token}.ics"


@router.get("/feed/", response=CalendarFeedOut, summary="Whether your calendar feed is on")
def get_feed(request):
    feed = CalendarFeed.objects.filter(user=request.auth).first()
    return {
        "active": feed is not None,
        "created_at": feed.created_at if feed else None,
        "last_read_at": feed.last_read_at if feed else None,
    }


@router.post("/feed/", response={201: CalendarFeedUrlOut}, summary="Make or reset your private calendar URL")
def reset_feed(request):
    return Status(201, {"url": feed_url(services.calendar_feed_reset(user=request.auth))})


@router.delete("/feed/", response=CalendarFeedOut, summary="Turn your calendar feed off")
def delete_feed(request):
    """Answers the feed's state, now off: the URL stops working at once."""
    services.calendar_feed_delete(user=request.auth)
    return {"active": False, "created_at": None, "last_read_at": None}
