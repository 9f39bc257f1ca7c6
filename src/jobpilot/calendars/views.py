"""`GET /calendar/<token>.ics` (public host): the feed a calendar app subscribes to. No session: the secret token
is the credential; an unknown or reset token is 404."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from jobpilot.calendars import ics, selectors, services
from jobpilot.core.errors import NotFound


@require_GET
def calendar_feed(request, token: str):
    try:
        feed = selectors.calendar_feed_owner(token=token)
    except NotFound as exc:
        raise Http404 from exc
    services.calendar_feed_mark_read(feed=feed)
    body = ics.calendar(
        selectors.calendar_feed_events(user=feed.user), name="JobPilot interviews", now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
