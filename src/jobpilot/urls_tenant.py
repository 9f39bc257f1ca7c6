"""URLconf of an employer's domain: its careers portal and console."""

from jobpilot.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [*common_urlpatterns]
