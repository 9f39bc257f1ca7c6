"""URLconf of an employer's domain: its careers portal and console."""

from django.urls import include, path

from billing.urls import tenant_urlpatterns as billing_urlpatterns
from jobpilot.urls_common import handler404, handler500  # noqa: F401 - Django reads them here
from jobpilot.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [
    *common_urlpatterns,
    path("billing/", include(billing_urlpatterns)),
    path("", include("jobpilot.portal.urls_tenant")),
]
