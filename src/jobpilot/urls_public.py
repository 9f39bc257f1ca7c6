"""URLconf of the public domain (BASE_DOMAIN): the marketplace, seekers' app, billing webhooks."""

from django.urls import include, path

from billing.urls import public_urlpatterns as billing_urlpatterns
from jobpilot.calendars.views import calendar_feed
from jobpilot.urls_common import handler404, handler500  # noqa: F401 - Django reads them here
from jobpilot.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [
    *common_urlpatterns,
    path("billing/", include(billing_urlpatterns)),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("", include("jobpilot.portal.urls_public")),
]
