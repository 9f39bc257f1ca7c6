"""Examples of `/api/v1/auth/` for the OpenAPI document: the shapes the endpoints answer, for the seeker of
seekers/examples.py (Dana Reyes, account 128). The tokens are well-formed JWTs with this account's claims, signed
with a throwaway key: they open nothing."""

from jobpilot.seekers import examples as seeker_examples
from jobpilot.tracker import examples as tracker_examples

EMAIL = "dana.reyes@example.com"
PASSWORD = "plum-Harbor-42-lantern"

# Issued on 2026-11-22 at 09:00 UTC (access: 15 minutes, refresh: 30 days)...
ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk1MzM4OTAwLCJpYXQiOjE3OTUzMzgw"
    "MDAsImp0aSI6IjNiOGYwZTZjMmQ5YTRmMTdhNWMxZThiMjdkNGY2YTkwIiwidXNlcl9pZCI6MTI4fQ.PnRNmJ_N6StAmRPW_S_yefvv8TjxTSk"
    "MW4wMNSUWBZ8"
)
REFRESH_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MTc5NzkzMDAwMCwiaWF0IjoxNzk1MzM4"
    "MDAwLCJqdGkiOiI5ZTJkN2M0YjFhOGY0ZTNjOWI2ZDVhMmYwZTdjMWI4NCIsInVzZXJfaWQiOjEyOH0.A4CVaeJc_r-dNdEZmnjOTXuD3kaqgP"
    "f7cLbxjvfaf10"
)
# ...and the pair that refreshing REFRESH_TOKEN at 09:14 gives (the old refresh token is then spent).
ROTATED_ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk1MzM5NzQwLCJpYXQiOjE3OTUzMzg4"
    "NDAsImp0aSI6ImM3MWE1ZTA5ZjNiMjRkOGU4NmEwZDRmMmI5ZTVjMzE3IiwidXNlcl9pZCI6MTI4fQ.M1NvOWk0djPzm3nvukUEgFFvsWh8cDG"
    "vqEebSKuGNdw"
)
ROTATED_REFRESH_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MTc5NzkzMDg0MCwiaWF0IjoxNzk1MzM4"
    "ODQwLCJqdGkiOiI1ZjQwYjhkMmU2MWM0YTk3YjNlOGYxYzZkMGEyOWU3NSIsInVzZXJfaWQiOjEyOH0.qKivVx1f0Ha0o2KaiFYahePbeCShCU"
    "K0DTdqE5A6PBw"
)

REGISTER_IN = {"email": EMAIL, "password": PASSWORD, "first_name": "Dana", "last_name": "Reyes"}
LOGIN_IN = {"email": EMAIL, "password": PASSWORD}

USER = {
    "id": 128,
    "email": EMAIL,
    "first_name": "Dana",
    "last_name": "Reyes",
    "display_name": "Dana Reyes",
    "email_verified": True,
    "time_zone": "Europe/Berlin",
}

TOKENS = {
    "access_token": ACCESS_TOKEN,
    "refresh_token": REFRESH_TOKEN,
    "token_type": "Bearer",
    "expires_in": 900,
}

ROTATED_TOKENS = {**TOKENS, "access_token": ROTATED_ACCESS_TOKEN, "refresh_token": ROTATED_REFRESH_TOKEN}

LOGIN = {**TOKENS, "user": USER}

# A new account has not confirmed its email yet; where the site requires that first, the tokens are null and
# `email_verification_required` is true.
REGISTER = {**TOKENS, "user": {**USER, "email_verified": False}, "email_verification_required": False}

PROFILE = {
    **USER,
    "date_joined": "2026-11-02T08:15:30.512204+00:00",
    "seeker": seeker_examples.SEEKER_PROFILE,
}

PROFILE_PATCH = {"first_name": "Dana", "seeker": seeker_examples.SEEKER_PROFILE_PATCH}

_EXPORTED_APPLICATION = tracker_examples.APPLICATION_DETAIL
# The export's interviews carry no ids: the tracker's interview without them.
_EXPORTED_INTERVIEW = {
    key: value
    for key, value in tracker_examples.INTERVIEW.items()
    if key not in {"id", "application_id", "from_employer"}
}

# GET /api/v1/auth/export/ (format_version 1), shortened to one resume and one application.
DATA_EXPORT = {
    "format_version": 1,
    "exported_at": "2026-11-22T09:31:07.118Z",
    "account": {
        "id": 128,
        "email": EMAIL,
        "first_name": "Dana",
        "last_name": "Reyes",
        "date_joined": "2026-11-02T08:15:30.512Z",
        "last_login": "2026-11-22T09:00:00.204Z",
    },
    "email_addresses": [{"email": EMAIL, "primary": True, "verified": True}],
    "memberships": [],
    "profile": {
        **{key: value for key, value in seeker_examples.SEEKER_PROFILE.items() if key != "skills"},
        "created_at": "2026-11-02T08:15:30.530Z",
        "updated_at": "2026-11-19T20:12:09.781Z",
        "skills": seeker_examples.SEEKER_PROFILE["skills"],
    },
    "resumes": [
        {
            "id": seeker_examples.RESUME_ID,
            "title": "Dana Reyes CV",
            "original_filename": "Dana Reyes CV.pdf",
            "kind": "pdf",
            "size": 48213,
            "sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
            "is_default": True,
            "created_at": "2026-11-03T10:12:44.201Z",
            "deleted_at": None,
            "text": seeker_examples.RESUME_DETAIL["text"],
        }
    ],
    "applications": [
        {
            "id": tracker_examples.APPLICATION_ID,
            "source": "external",
            "tenant_application_id": None,
            "job_public_id": None,
            "company": "Acme Robotics",
            "title": "Backend Engineer",
            "job_url": _EXPORTED_APPLICATION["job_url"],
            "location": "Berlin, DE",
            "status": "interviewing",
            "applied_on": "2026-11-10",
            "deadline": "2026-11-30",
            "salary_min": 70000,
            "salary_max": 85000,
            "salary_currency": "EUR",
            "notes": _EXPORTED_APPLICATION["notes"],
            "contacts": [
                {"name": "Lee Park", "role": "Recruiter", "email": "lee.park@example.com", "phone": ""}
            ],
            "status_changed_at": "2026-11-18T16:05:12.348Z",
            "responded": True,
            "first_response_at": "2026-11-18T16:05:12.348Z",
            "reached_interview": True,
            "reached_offer": False,
            "created_at": "2026-11-10T09:30:02.117Z",
            "updated_at": "2026-11-19T08:41:27.530Z",
            "employer": None,
            "resume_id": None,
            "history": [
                {
                    "kind": "created",
                    "actor": "seeker",
                    "from_status": "",
                    "to_status": "applied",
                    "data": {},
                    "occurred_at": "2026-11-10T09:30:02.117Z",
                },
                {
                    "kind": "status_changed",
                    "actor": "seeker",
                    "from_status": "applied",
                    "to_status": "interviewing",
                    "data": {},
                    "occurred_at": "2026-11-18T16:05:12.348Z",
                },
                {
                    "kind": "interview_scheduled",
                    "actor": "seeker",
                    "from_status": "",
                    "to_status": "",
                    "data": {
                        "kind": "video",
                        "starts_at": "2026-11-26T14:00:00+00:00",
                        "interview_id": tracker_examples.INTERVIEW_ID,
                    },
                    "occurred_at": "2026-11-18T16:07:40.902Z",
                },
            ],
            "interviews": [_EXPORTED_INTERVIEW],
        }
    ],
    "saved_jobs": [
        {
            "job_public_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
            "title": "Senior Backend Engineer",
            "company_name": "Acme Corp",
            "tenant__name": "Acme Corp",
            "created_at": "2026-11-12T18:20:41.006Z",
        }
    ],
    "saved_searches": [
        {
            "name": "Remote Python",
            "q": "python",
            "filters": {"remote": ["remote"]},
            "frequency": "daily",
            "tenant__name": None,
            "last_alerted_at": "2026-11-22T07:00:03.512Z",
            "created_at": "2026-11-04T11:02:19.733Z",
        }
    ],
    "notification_preferences": [
        {"type": "saved_search_match", "in_app": True, "email": "daily", "is_default": False}
    ],
}

# What the export holds, for readers and for the example's check (it is not a named schema).
DATA_EXPORT_SCHEMA = {
    "type": "object",
    "required": [
        "format_version",
        "exported_at",
        "account",
        "email_addresses",
        "memberships",
        "profile",
        "resumes",
        "applications",
        "saved_jobs",
        "saved_searches",
        "notification_preferences",
    ],
    "properties": {
        "format_version": {"type": "integer"},
        "exported_at": {"type": "string", "format": "date-time"},
        "account": {"type": "object"},
        "email_addresses": {"type": "array", "items": {"type": "object"}},
        "memberships": {
            "type": "array",
            "items": {"type": "object"},
            "description": "Employer staff roles: `tenant__name`, `role`, `created_at`.",
        },
        "profile": {"type": ["object", "null"]},
        "resumes": {"type": "array", "items": {"type": "object"}},
        "applications": {
            "type": "array",
            "items": {"type": "object"},
            "description": "The tracker, each with its `history` and `interviews`.",
        },
        "saved_jobs": {"type": "array", "items": {"type": "object"}},
        "saved_searches": {
            "type": "array",
            "items": {"type": "object"},
            "description": "Each with its query, filters and alert frequency; `tenant__name` is the careers site "
            "it was saved on (null: the marketplace).",
        },
        "notification_preferences": {
            "type": "array",
            "items": {"type": "object"},
            "description": "Every notification type with its channels (`is_default`: never changed).",
        },
        "inbox": {
            "type": "object",
            "description": "The inbox: `forwarding_address`, `imap_connection` (never its password), `messages`.",
        },
        "activity_events": {
            "type": "array",
            "items": {"type": "object"},
            "description": "The seeker's analytics events (`occurred_at`, `kind`, `source`, `job_public_id`, `utm`); "
            "impressions are never tied to a person.",
        },
    },
}
