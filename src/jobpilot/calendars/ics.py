"""iCalendar (RFC 5545) documents, made with the `icalendar` library.

An interview keeps one UID for its life (`interview_uid`); every change raises its SEQUENCE, which is the row's
`updated_at` in whole seconds since 2024 (increasing, as RFC 5545 asks, and a small integer, without a counter
column; two changes within one second share a SEQUENCE). A calendar that already has
the event replaces it; a cancelled interview is sent with STATUS:CANCELLED (and METHOD:CANCEL in an invitation)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import icalendar
from django.conf import settings

PRODID = "-//JobPilot//Interview calendars//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    summary: str
    starts_at: datetime | None = None
    duration_minutes: int = 60
    all_day: date | None = None  # a deadline: a whole day instead of a time
    location: str = ""
    url: str = ""
    description: str = ""
    cancelled: bool = False
    attendees: list[str] = field(default_factory=list)  # email addresses


def interview_uid(tenant_id: int, interview_id: int) -> str:
    return f"interview-{tenant_id}-{interview_id}@{settings.BASE_DOMAIN}"


SEQUENCE_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z: keeps SEQUENCE far below iCalendar's 2**31 limit


def sequence_of(updated_at: datetime) -> int:
    return max(0, int(updated_at.timestamp()) - SEQUENCE_EPOCH)


def _vevent(event: Event, stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.summary)
    if event.all_day:
        vevent.add("dtstart", event.all_day)
        vevent.add("dtend", event.all_day + timedelta(days=1))
    else:
        vevent.add("dtstart", event.starts_at)
        vevent.add("dtend", event.starts_at + timedelta(minutes=event.duration_minutes))
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.description:
        vevent.add("description", event.description)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    for email in event.attendees:
        vevent.add("attendee", f"mailto:{email}")
    return vevent


def calendar(events: list[Event], *, name: str, method: str | None = None, now: datetime) -> bytes:
    """A VCALENDAR. `method`: "REQUEST"/"CANCEL" for an invitation attached to an email; none for a feed."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(_vevent(event, now))
    return cal.to_ical()
