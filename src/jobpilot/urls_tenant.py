"""URLconf of an employer's domain: its careers portal and console."""

from django.urls import include, path

from jobpilot.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [*common_urlpatterns, path("", include("jobpilot.portal.urls_tenant"))]
