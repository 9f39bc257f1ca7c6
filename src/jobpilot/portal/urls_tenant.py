from django.urls import path

from jobpilot.portal import job_views, views

app_name = "portal"

urlpatterns = [
    path("", job_views.careers_home, name="careers-home"),
    path("jobs/feed/", job_views.jobs_feed, name="jobs-feed"),
    path("jobs/<str:job_id>/", job_views.job_detail, name="job-detail-short"),
    path("jobs/<str:job_id>/<slug:slug>/", job_views.job_detail, name="job-detail"),
    path("sitemap.xml", job_views.sitemap, name="sitemap"),
    path("robots.txt", job_views.robots, name="robots"),
    path("auth/handoff/", views.handoff, name="handoff"),
    path("console/", views.console_overview, name="console"),
    path("console/branding/", views.console_branding, name="console-branding"),
    path("console/branding/preview/", views.console_branding_preview, name="console-branding-preview"),
    path("media/<path:path>", views.media_file, name="media"),
]
