"""Examples of the analytics answers in the OpenAPI document (each is checked against its schema in tests)."""

TOTALS = {
    "impressions": 4210,
    "views": 612,
    "saves": 48,
    "apply_started": 97,
    "applies": 71,
    "alert_clicks": 12,
    "recommendation_clicks": 9,
}

JOB_PERFORMANCE = {
    "since": "2026-11-07",
    "until": "2026-12-06",
    "granularity": "week",
    "totals": TOTALS,
    "jobs": [
        {
            "job_id": "3f6b1c9e-8d2a-4e57-9a41-0c2d7f5e9b18",
            "title": "Senior Backend Engineer",
            "impressions": 2950,
            "views": 401,
            "applies": 52,
            "saves": 31,
            "view_to_apply_rate": 0.13,
            "hires": 1,
        }
    ],
    "applicants_by_source": [
        {"source": "marketplace", "applies": 44, "views": 380},
        {"source": "careers_site", "applies": 27, "views": 232},
    ],
    "funnel": [
        {
            "stage_id": 1,
            "name": "Applied",
            "public_status": "applied",
            "reached": 71,
            "conversion_from_previous": None,
        },
        {
            "stage_id": 2,
            "name": "Screen",
            "public_status": "in_review",
            "reached": 24,
            "conversion_from_previous": 0.34,
        },
        {
            "stage_id": 4,
            "name": "Offer",
            "public_status": "offer",
            "reached": 2,
            "conversion_from_previous": 0.08,
        },
    ],
    "time_in_stage": [
        {"stage_id": 1, "name": "Applied", "stays_ended": 58, "average_hours": 41.5},
        {"stage_id": 2, "name": "Screen", "stays_ended": 20, "average_hours": 96.0},
    ],
    "hires": 1,
    "average_days_to_hire": 23.4,
    "offers": {"made": 2, "accepted": 1, "acceptance_rate": 0.5},
    "trend": [
        {"period_start": "2026-11-23", "views": 210, "applies": 25, "hires": 0},
        {"period_start": "2026-11-30", "views": 188, "applies": 19, "hires": 1},
    ],
}

JOB_PERFORMANCE_CSV = (
    "job_id,title,impressions,views,applies,view_to_apply_rate,saves,hires\r\n"
    "3f6b1c9e-8d2a-4e57-9a41-0c2d7f5e9b18,Senior Backend Engineer,2950,401,52,0.13,31,1\r\n"
)

USER_BEHAVIOR = {
    "since": "2026-11-07",
    "until": "2026-12-06",
    "granularity": "week",
    "activity": {**TOTALS, "impressions": 0, "views": 64, "applies": 9},
    "applications": 9,
    "responses": 4,
    "response_rate": 0.44,
    "interviews": 2,
    "interviews_per_application": 0.22,
    "offers": 1,
    "average_days_to_first_response": 5.5,
    "funnel_by_source": [
        {
            "key": "marketplace",
            "applications": 6,
            "responses": 3,
            "interviews": 2,
            "offers": 1,
            "response_rate": 0.5,
        },
        {
            "key": "external",
            "applications": 3,
            "responses": 1,
            "interviews": 0,
            "offers": 0,
            "response_rate": 0.33,
        },
    ],
    "funnel_by_job_type": [
        {
            "key": "full_time",
            "applications": 8,
            "responses": 4,
            "interviews": 2,
            "offers": 1,
            "response_rate": 0.5,
        }
    ],
    "trend": [{"period_start": "2026-11-30", "views": 22, "saves": 3, "applications": 4}],
}

PLATFORM = {
    "mrr_cents": 1845000,
    "arr_cents": 22140000,
    "mrr_by_audience_cents": {"employer": 1290000, "seeker": 255000, "api": 300000},
    "paying_accounts": 214,
    "churn": {"window_days": 30, "churned": 6, "rate": 0.028},
    "trial_conversion": {"trials_ended": 40, "converted": 17, "rate": 0.425},
    "plan_mix": [
        {"audience": "employer", "plan": "employer_growth", "accounts": 61},
        {"audience": "seeker", "plan": "seeker_pro", "accounts": 120},
    ],
    "active": {
        "window_days": 30,
        "as_of": "2026-12-06",
        "employers": 88,
        "seekers": 1904,
        "api_customers": 12,
    },
    "api_usage": [{"account_id": 31, "email": "data@feeds.example", "requests": 182340, "days_active": 6}],
}

MATCHING_METRICS = {
    "since": "2026-11-07",
    "until": "2026-12-06",
    "recommendations": {
        "recommendation": {"impressions": 1200, "views": 180, "applies": 27, "ctr": 0.15, "apply_rate": 0.15},
        "other": {"impressions": 48000, "views": 2400, "applies": 192, "ctr": 0.05, "apply_rate": 0.08},
    },
    "score_distribution": [
        {"bucket": bucket, "applicants": applicants, "hires": hires}
        for bucket, applicants, hires in [
            ("0-9", 0, 0),
            ("10-19", 1, 0),
            ("20-29", 2, 0),
            ("30-39", 4, 0),
            ("40-49", 6, 0),
            ("50-59", 9, 1),
            ("60-69", 12, 1),
            ("70-79", 8, 2),
            ("80-89", 5, 1),
            ("90-100", 2, 1),
            ("unscored", 3, 0),
        ]
    ],
}
