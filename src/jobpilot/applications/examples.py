"""Examples of the apply endpoint and the employer's pipeline for the OpenAPI document, shaped from real answers.

One story: Dana Reyes (application 42) applied to Acme Robotics' "Senior Backend Engineer" job and sits in the
default pipeline's Screening stage; the ids match `PATH_PARAMETER_EXAMPLES` (stage 6 is the default pipeline's
"Rejected", interview 11, note 19)."""

JOB_ID = "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10"
OTHER_JOB_ID = "7c2e9d4a-1f3b-4a6e-8d5c-9b0a2e4f6c18"
RESUME_ID = "3f2a9c1e-5b7d-4e8a-9c61-0d4e2b7f8a15"
TRACKED_APPLICATION_ID = "c81d4e2f-6a3b-4f1c-9e7d-5b2a0c9f8e31"

REJECTION_REASONS = [
    "Not enough experience",
    "Skills do not match",
    "Position filled",
    "Candidate not responsive",
    "Other",
]

# --- Apply ------------------------------------------------------------------------------------------------------------

APPLY_IN = {
    "resume_id": RESUME_ID,
    "cover_letter": "I have built event-driven Python backends for six years and would love to work on your fleet "
    "telemetry.",
    "answers": {"years": 6, "visa": False},
}

APPLIED = {"tracked_application_id": TRACKED_APPLICATION_ID, "status": "applied", "apply_url": None}

# A job that takes applications on the employer's site: the click is tracked (once; a repeat answers the same row).
APPLIED_EXTERNALLY = {
    "tracked_application_id": "5e7f1a2b-3c4d-4e8f-a9b0-c1d2e3f4a5b6",
    "status": "applied",
    "apply_url": "https://careers.acme-robotics.example/apply/backend",
}

# --- Stages -----------------------------------------------------------------------------------------------------------

DEFAULT_STAGES = [
    {"id": 1, "name": "Applied", "position": 0, "public_status": "applied", "is_initial": True},
    {"id": 2, "name": "Screening", "position": 1, "public_status": "in_review", "is_initial": False},
    {"id": 3, "name": "Interview", "position": 2, "public_status": "interviewing", "is_initial": False},
    {"id": 4, "name": "Offer", "position": 3, "public_status": "offer", "is_initial": False},
    {"id": 5, "name": "Hired", "position": 4, "public_status": "hired", "is_initial": False},
    {"id": 6, "name": "Rejected", "position": 5, "public_status": "not_selected", "is_initial": False},
]
_COUNTS = {1: 6, 2: 3, 3: 2, 4: 0, 5: 0, 6: 1}

STAGES = [
    {
        **stage,
        "rejection_reasons": REJECTION_REASONS if stage["id"] == 6 else [],
        "application_count": _COUNTS[stage["id"]],
    }
    for stage in DEFAULT_STAGES
]

STAGE_IN = {
    "name": "Technical interview",
    "public_status": "interviewing",
    "position": 3,
    "rejection_reasons": [],
}

STAGE_CREATED = {
    "id": 7,
    "name": "Technical interview",
    "position": 3,
    "public_status": "interviewing",
    "is_initial": False,
    "rejection_reasons": [],
    "application_count": 0,
}

STAGE_PATCH = {"rejection_reasons": [*REJECTION_REASONS[:3], "Salary expectations", *REJECTION_REASONS[3:]]}

STAGE = {**STAGES[5], "rejection_reasons": STAGE_PATCH["rejection_reasons"]}

# --- Applications -----------------------------------------------------------------------------------------------------

_APPLIED_STAGE = {"id": 1, "name": "Applied", "public_status": "applied"}
_SCREENING = {"id": 2, "name": "Screening", "public_status": "in_review"}
_REJECTED = {"id": 6, "name": "Rejected", "public_status": "not_selected"}

APPLICATION = {
    "id": 42,
    "job_id": JOB_ID,
    "job_title": "Senior Backend Engineer",
    "stage": _SCREENING,
    "stage_entered_at": "2026-11-20T10:15:00Z",
    "rejection_reason": "",
    "name": "Dana Reyes",
    "email": "dana.reyes@example.com",
    "resume_id": RESUME_ID,
    "resume_filename": "dana-reyes-cv.pdf",
    "source": "marketplace",
    "priority": False,
    "rating": 4.0,
    "withdrawn_at": None,
    "anonymized_at": None,
    "created_at": "2026-11-18T08:30:00Z",
}

_OTHER_APPLICATION = {
    **APPLICATION,
    "id": 43,
    "stage": _APPLIED_STAGE,
    "stage_entered_at": "2026-11-19T16:40:00Z",
    "name": "Sam Okafor",
    "email": "sam.okafor@example.com",
    "resume_id": "9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e",
    "resume_filename": "sam_okafor_resume.pdf",
    "source": "career_site",
    "rating": None,
    "created_at": "2026-11-19T16:40:00Z",
}

APPLICATION_PAGE = {
    "results": [_OTHER_APPLICATION, APPLICATION],
    "pagination": {"page": 1, "limit": 2, "total": 12, "pages": 6},
}

MOVE_IN = {"stage_id": 2, "reason": ""}

BULK_MOVE_IN = {"application_ids": [42, 43], "stage_id": 6, "reason": "Position filled"}

MOVED = {
    "moved": [
        {
            **application,
            "stage": _REJECTED,
            "stage_entered_at": "2026-11-22T09:00:00Z",
            "rejection_reason": "Position filled",
        }
        for application in (APPLICATION, _OTHER_APPLICATION)
    ]
}

HISTORY_ENTRY = {
    "kind": "moved",
    "from_stage": _APPLIED_STAGE,
    "to_stage": _SCREENING,
    "reason": "",
    "actor_id": 12,
    "occurred_at": "2026-11-20T10:15:00Z",
}

APPLICATION_DETAIL = {
    **APPLICATION,
    "cover_letter": APPLY_IN["cover_letter"],
    "answers": [
        {"question_id": "years", "question": "Years of Python?", "answer": 6},
        {"question_id": "visa", "question": "Do you need a visa?", "answer": False},
    ],
    "history": [
        {
            "kind": "applied",
            "from_stage": None,
            "to_stage": _APPLIED_STAGE,
            "reason": "",
            "actor_id": None,
            "occurred_at": "2026-11-18T08:30:00Z",
        },
        HISTORY_ENTRY,
    ],
    "resume_download_url": f"/api/v1/resumes/{RESUME_ID}/download/",
}

# --- Notes, interviews, scorecards ------------------------------------------------------------------------------------

NOTE_IN = {"body": "Strong async Python; asked good questions about on-call. Worth a technical interview."}

NOTE = {
    "id": 19,
    "author_id": 12,
    "body": NOTE_IN["body"],
    "created_at": "2026-11-20T10:20:00Z",
    "updated_at": "2026-11-20T10:20:00Z",
}

INTERVIEW_IN = {
    "starts_at": "2026-11-25T14:00:00Z",
    "duration_minutes": 45,
    "kind": "video",
    "title": "Technical interview",
    "interviewers": ["Priya Natarajan", "Tom Becker"],
    "location": "",
    "meeting_url": "https://meet.example.com/acme-backend-42",
}

INTERVIEW = {"id": 11, **INTERVIEW_IN, "feedback": "", "status": "scheduled"}

INTERVIEW_PATCH = {"starts_at": "2026-11-26T15:00:00Z"}

INTERVIEW_MOVED = {**INTERVIEW, **INTERVIEW_PATCH}

INTERVIEW_CANCELLED = {**INTERVIEW, "status": "cancelled"}

SCORECARD_IN = {
    "overall": 4,
    "ratings": {"Python": 5, "System design": 4, "Communication": 4},
    "recommendation": "yes",
    "comments": "Solid on async I/O and testing; less experience with Kubernetes.",
}

SCORECARD = {
    "id": 8,
    "author_id": 12,
    **SCORECARD_IN,
    "created_at": "2026-11-25T15:10:00Z",
    "updated_at": "2026-11-25T15:10:00Z",
}

# --- Dashboard --------------------------------------------------------------------------------------------------------

# Per stage: stays (every entry into the stage, the current ones included), average and longest hours.
_STAYS = {
    1: (12, 30.5, 96.0),
    2: (5, 41.25, 120.0),
    3: (2, 18.0, 26.5),
    4: (0, None, None),
    5: (0, None, None),
    6: (1, 52.0, 52.0),
}

DASHBOARD = {
    "total": 12,
    "stages": [
        {
            "id": stage["id"],
            "name": stage["name"],
            "position": stage["position"],
            "public_status": stage["public_status"],
            "applications": _COUNTS[stage["id"]],
            "stays": stays,
            "average_hours_in_stage": average,
            "longest_hours_in_stage": longest,
        }
        for stage in DEFAULT_STAGES
        for stays, average, longest in [_STAYS[stage["id"]]]
    ],
    "jobs": [
        {
            "job_id": JOB_ID,
            "title": "Senior Backend Engineer",
            "status": "published",
            "total": 9,
            "by_stage": [
                {"stage_id": 1, "count": 4},
                {"stage_id": 2, "count": 3},
                {"stage_id": 3, "count": 2},
            ],
        },
        {
            "job_id": OTHER_JOB_ID,
            "title": "Product Designer",
            "status": "closed",
            "total": 3,
            "by_stage": [{"stage_id": 1, "count": 2}, {"stage_id": 6, "count": 1}],
        },
    ],
}
