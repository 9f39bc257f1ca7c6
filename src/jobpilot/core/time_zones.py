"""Time zones people and employers choose (IANA names): one list for every form and schema, the zone to use when
none was chosen or the name is unknown, how a moment is written for a reader, and the middleware that shows each
page in its reader's zone (their profile's, else the browser's, which also becomes the profile's default)."""

from datetime import datetime
from functools import cache
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.contrib.auth import get_user_model
from django.utils import timezone
from pydantic import AfterValidator, StringConstraints

BROWSER_ZONE_COOKIE = "tz"  # set by base.html from Intl.DateTimeFormat


@cache
def time_zone_names() -> list[str]:
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def zone_or_utc(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _known(name: str) -> str:
    if name not in time_zone_names():
        raise ValueError("Unknown time zone: use an IANA name such as Europe/Berlin or America/New_York.")
    return name


TimeZoneName = Annotated[str, StringConstraints(max_length=64, strip_whitespace=True), AfterValidator(_known)]


def format_moment(moment: datetime, zone_name: str | None) -> str:
    """ "Wed 9 Dec 2026, 05:45 CET": the moment on the reader's clock, with the zone's abbreviation."""
    local = moment.astimezone(zone_or_utc(zone_name))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


class ReaderTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(("/api/", "/static/", "/media/")):
            return self.get_response(request)  # JSON carries offsets; only pages are written on a clock
        user = getattr(request, "user", None)
        chosen = user.time_zone if user is not None and user.is_authenticated else ""
        browser = request.COOKIES.get(BROWSER_ZONE_COOKIE, "")
        browser = browser if browser in time_zone_names() else ""
        if not chosen and browser and user is not None and user.is_authenticated:
            # The browser's zone is the default until the person picks one (emails and notifications use it).
            get_user_model().objects.filter(pk=user.pk, time_zone="").update(time_zone=browser)
            user.time_zone = browser
        name = chosen or browser
        if name:
            timezone.activate(zone_or_utc(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
