"""Routes served on every host: the public marketplace domain and each employer's domain."""

from django.urls import include, path

from jobpilot.api_v1 import api
from jobpilot.api_v2 import api as api_v2
from jobpilot.core import health
from jobpilot.core.metrics import metrics_view

# Both root URLconfs (public and tenant) take these from here.
handler404 = "jobpilot.core.error_views.not_found"
handler500 = "jobpilot.core.error_views.server_error"

urlpatterns = [
    path("health/", health.liveness, name="health"),
    path("health/ready/", health.readiness, name="health-ready"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("api/v2/", api_v2.urls),
    path("accounts/", include("allauth.urls")),
]
