from django.urls import path

from jobpilot.portal import (
    analytics_views,
    api_views,
    ats_views,
    audit_views,
    console_views,
    domain_views,
    job_views,
    pipeline_views,
    security_views,
    sso_views,
    syndication_views,
    views,
    webhook_views,
)

app_name = "portal"

urlpatterns = [
    path("", job_views.careers_home, name="careers-home"),
    path("jobs/feed/", job_views.jobs_feed, name="jobs-feed"),
    path("jobs/<str:job_id>/", job_views.job_detail, name="job-detail-short"),
    path("jobs/<str:job_id>/<slug:slug>/", job_views.job_detail, name="job-detail"),
    path("sitemap.xml", job_views.sitemap, name="sitemap"),
    path("feeds/indeed.xml", syndication_views.indeed_feed, name="feed-indeed"),
    path("feeds/linkedin.xml", syndication_views.linkedin_feed, name="feed-linkedin"),
    path("console/google-jobs/", syndication_views.google_jobs, name="console-google-jobs"),
    path("robots.txt", job_views.robots, name="robots"),
    path("auth/handoff/", views.handoff, name="handoff"),
    path("auth/to-public/<slug:destination>/", views.to_public, name="to-public"),
    path("console/", views.console_overview, name="console"),
    path("console/branding/", views.console_branding, name="console-branding"),
    path("console/branding/preview/", views.console_branding_preview, name="console-branding-preview"),
    path("console/domains/", domain_views.console_domains, name="console-domains"),
    path("console/notifications/", console_views.notifications, name="console-notifications"),
    path(
        "console/notifications/read/",
        console_views.notifications_mark_read,
        name="console-notifications-read",
    ),
    path(
        "console/domains/<int:domain_id>/verify/",
        domain_views.console_domain_verify,
        name="console-domain-verify",
    ),
    path(
        "console/domains/<int:domain_id>/remove/",
        domain_views.console_domain_remove,
        name="console-domain-remove",
    ),
    path("media/<path:path>", views.media_file, name="media"),
    # --- Pipeline and apply
    path("apply/<str:job_id>/", pipeline_views.job_apply, name="job-apply"),
    path("console/applicants/", pipeline_views.applicant_list, name="pipeline-applicants"),
    path("console/jobs/<str:job_id>/pipeline/", pipeline_views.pipeline_board, name="pipeline-board"),
    path(
        "console/applications/<int:application_id>/",
        pipeline_views.application_detail,
        name="pipeline-application",
    ),
    path(
        "console/applications/<int:application_id>/move/",
        pipeline_views.application_move,
        name="pipeline-move",
    ),
    path(
        "console/applications/<int:application_id>/notes/", pipeline_views.note_add, name="pipeline-note-add"
    ),
    path(
        "console/applications/<int:application_id>/interviews/",
        pipeline_views.interview_add,
        name="pipeline-interview-add",
    ),
    path(
        "console/applications/<int:application_id>/scorecard/",
        pipeline_views.scorecard_save,
        name="pipeline-scorecard-save",
    ),
]

# --- Console: jobs, team, billing
urlpatterns += [
    path("console/jobs/", console_views.jobs_list, name="console-jobs"),
    path("console/jobs/new/", console_views.job_new, name="console-job-new"),
    path("console/jobs/preview/", console_views.job_preview, name="console-job-preview"),
    path("console/jobs/<str:job_id>/", console_views.job_edit, name="console-job"),
    path("console/jobs/<str:job_id>/<slug:action>/", console_views.job_action, name="console-job-action"),
    path("console/company/", console_views.company_profile, name="console-company"),
    path("console/team/", console_views.team, name="console-team"),
    path("console/team/<int:membership_id>/", console_views.team_member, name="console-team-member"),
    path(
        "console/team/invitations/<int:invitation_id>/revoke/",
        console_views.team_invitation_revoke,
        name="console-team-invitation-revoke",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("console/billing/", console_views.billing, name="console-billing"),
    path("console/billing/checkout/", console_views.billing_checkout, name="console-billing-checkout"),
    path("console/billing/portal/", console_views.billing_portal, name="console-billing-portal"),
]

# --- Console: API keys
urlpatterns += [
    path("console/api-keys/", api_views.console_api_keys, name="console-api-keys"),
    path(
        "console/api-keys/<int:key_id>/revoke/",
        api_views.console_api_key_revoke,
        name="console-api-key-revoke",
    ),
]

# --- Console: ATS boards
urlpatterns += [
    path("console/ats/", ats_views.ats_connections, name="console-ats"),
    path("console/audit-log/", audit_views.audit_log, name="console-audit-log"),
    path("console/analytics/", analytics_views.console_analytics, name="console-analytics"),
    path(
        "console/ats/<int:connection_id>/<slug:action>/",
        ats_views.ats_connection_action,
        name="console-ats-action",
    ),
]

# --- Console: webhooks
urlpatterns += [
    path("console/webhooks/", webhook_views.webhooks, name="console-webhooks"),
    path("console/webhooks/<int:endpoint_id>/", webhook_views.webhook_endpoint, name="console-webhook"),
    path(
        "console/webhooks/<int:endpoint_id>/<slug:action>/",
        webhook_views.webhook_endpoint_action,
        name="console-webhook-action",
    ),
    path(
        "console/webhooks/deliveries/<int:delivery_id>/",
        webhook_views.webhook_delivery,
        name="console-webhook-delivery",
    ),
    path(
        "console/webhooks/deliveries/<int:delivery_id>/redeliver/",
        webhook_views.webhook_delivery_redeliver,
        name="console-webhook-redeliver",
    ),
]

# --- Single sign-on (ADR 0029)
urlpatterns += [
    path("auth/sso/", sso_views.sso_start, name="sso-start"),
    path("console/sso/", sso_views.console_sso, name="console-sso"),
    path("console/sso/remove/", sso_views.console_sso_remove, name="console-sso-remove"),
]

# --- Console: sign-in security (ADR 0028)
urlpatterns += [
    path("console/security/mfa/", security_views.mfa_policy, name="console-mfa"),
]
