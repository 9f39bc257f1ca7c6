from django.urls import path

from jobpilot.portal import api_views, job_views, pipeline_views, seeker_views, syndication_views, views

app_name = "portal"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("pricing/", job_views.pricing, name="pricing"),
    path("jobs/", job_views.marketplace_search, name="marketplace"),
    path("jobs/<str:job_id>/", job_views.job_detail, name="job-detail-short"),
    path("jobs/<str:job_id>/<slug:slug>/", job_views.job_detail, name="job-detail"),
    path("saved/", job_views.saved_jobs, name="saved-jobs"),
    path("saved/<str:job_id>/", job_views.job_save, name="job-save"),
    path("saved-searches/", job_views.saved_searches, name="saved-searches"),
    path("saved-searches/<int:saved_search_id>/", job_views.saved_search_update, name="saved-search-update"),
    path("tracker/", seeker_views.tracker, name="tracker"),
    path("tracker/new/", seeker_views.tracker_new, name="tracker-new"),
    path("tracker/import/", seeker_views.tracker_import, name="tracker-import"),
    path("tracker/<uuid:application_id>/status/", seeker_views.tracker_status, name="tracker-status"),
    path("dashboard/", seeker_views.dashboard, name="dashboard"),
    path("notifications/", seeker_views.notifications, name="notifications"),
    path("notifications/read/", seeker_views.notifications_mark_read, name="notifications-read"),
    path("account/billing/", seeker_views.billing, name="billing"),
    path("account/api/", api_views.api_keys, name="api-keys"),
    path("account/api/keys/<int:key_id>/revoke/", api_views.api_key_revoke, name="api-key-revoke"),
    path("account/billing/checkout/", seeker_views.billing_checkout, name="billing-checkout"),
    path("account/billing/portal/", seeker_views.billing_portal, name="billing-portal"),
    path("account/profile/", seeker_views.profile, name="profile"),
    path("account/resumes/", seeker_views.resume_add, name="resume-add"),
    path("account/resumes/<uuid:resume_id>/", seeker_views.resume_change, name="resume-change"),
    path("sitemap.xml", job_views.sitemap, name="sitemap"),
    path("feeds/indeed.xml", syndication_views.indeed_feed, name="feed-indeed"),
    path("feeds/linkedin.xml", syndication_views.linkedin_feed, name="feed-linkedin"),
    path("robots.txt", job_views.robots, name="robots"),
    path("employers/signup/", views.employer_signup, name="employer-signup"),
    path("employers/signup/address/", views.employer_address_check, name="employer-address-check"),
    path("employers/<slug:slug>/console/", views.employer_console_open, name="employer-console-open"),
    path("auth/continue/", views.continue_to_employer, name="continue-to-employer"),
    path("auth/handoff/", views.handoff, name="handoff"),
    path("media/<path:path>", views.media_file, name="media"),
    # --- Pipeline and apply
    path("apply/<str:job_id>/", pipeline_views.job_apply, name="job-apply"),
]
