from django.urls import path

from jobpilot.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.careers_home, name="careers-home"),
    path("auth/handoff/", views.handoff, name="handoff"),
    path("console/", views.console_overview, name="console"),
    path("console/branding/", views.console_branding, name="console-branding"),
    path("console/branding/preview/", views.console_branding_preview, name="console-branding-preview"),
    path("media/<path:path>", views.media_file, name="media"),
]
