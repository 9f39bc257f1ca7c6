"""Routes served on every host: the public marketplace domain and each employer's domain."""

from django.urls import include, path

from jobpilot.api_v1 import api
from jobpilot.core import health

urlpatterns = [
    path("health/", health.liveness, name="health"),
    path("health/ready/", health.readiness, name="health-ready"),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
]
