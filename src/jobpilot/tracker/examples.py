"""Examples of the tracker and dashboard for the OpenAPI document: the shapes the endpoints answer, for the seeker of
seekers/examples.py (Dana Reyes), on 2026-11-22. Two applications: one tracked by hand (Acme Robotics, with an
interview) and one made through JobPilot (Globex, with the default resume)."""

from jobpilot.core.openapi import PATH_PARAMETER_EXAMPLES
from jobpilot.seekers.examples import RESUME_ID

APPLICATION_ID = PATH_PARAMETER_EXAMPLES[("application_id", "uuid")]
JOBPILOT_APPLICATION_ID = "a6d0c2b8-5e4f-4d1a-b37c-9e8f2a1d6c54"
INTERVIEW_ID = PATH_PARAMETER_EXAMPLES[("interview_id", "uuid")]
JOB_PUBLIC_ID = PATH_PARAMETER_EXAMPLES[("job_id", "string")]

CONTACT = {"name": "Lee Park", "email": "lee.park@example.com", "phone": "", "role": "Recruiter"}

EXTERNAL_APPLICATION_IN = {
    "company": "Acme Robotics",
    "title": "Backend Engineer",
    "job_url": "https://careers.acme-robotics.example/jobs/backend-engineer",
    "location": "Berlin, DE",
    "status": "applied",
    "applied_on": "2026-11-10",
    "deadline": None,
    "salary_min": 70000,
    "salary_max": 85000,
    "salary_currency": "EUR",
    "notes": "Referred by Lee Park.",
    "contacts": [{"name": "Lee Park", "email": "lee.park@example.com", "role": "Recruiter"}],
}

# What POST /api/v1/applications/ answers for EXTERNAL_APPLICATION_IN.
APPLICATION_CREATED = {
    "id": APPLICATION_ID,
    "source": "external",
    "company": "Acme Robotics",
    "title": "Backend Engineer",
    "job_url": "https://careers.acme-robotics.example/jobs/backend-engineer",
    "location": "Berlin, DE",
    "status": "applied",
    "status_label": "Applied",
    "applied_on": "2026-11-10",
    "deadline": None,
    "salary_min": 70000,
    "salary_max": 85000,
    "salary_currency": "EUR",
    "notes": "Referred by Lee Park.",
    "contacts": [CONTACT],
    "job_public_id": None,
    "resume_id": None,
    "status_changed_at": "2026-11-10T09:30:02.117Z",
    "created_at": "2026-11-10T09:30:02.117Z",
    "updated_at": "2026-11-10T09:30:02.117Z",
}

# The same application a week later: interviewing, with a deadline and a note added (TRACKED_APPLICATION_PATCH).
APPLICATION = {
    **APPLICATION_CREATED,
    "status": "interviewing",
    "status_label": "Interviewing",
    "deadline": "2026-11-30",
    "notes": "Referred by Lee Park. Send the take-home exercise by the 30th.",
    "status_changed_at": "2026-11-18T16:05:12.348Z",
    "updated_at": "2026-11-19T08:41:27.530Z",
}

TRACKED_APPLICATION_PATCH = {
    "deadline": "2026-11-30",
    "notes": "Referred by Lee Park. Send the take-home exercise by the 30th.",
}

JOBPILOT_APPLICATION = {
    "id": JOBPILOT_APPLICATION_ID,
    "source": "jobpilot",
    "company": "Globex",
    "title": "Platform Engineer",
    "job_url": f"/jobs/{JOB_PUBLIC_ID}/",
    "location": "Hamburg, DE",
    "status": "in_review",
    "status_label": "In review",
    "applied_on": "2026-11-16",
    "deadline": None,
    "salary_min": None,
    "salary_max": None,
    "salary_currency": "",
    "notes": "",
    "contacts": [],
    "job_public_id": JOB_PUBLIC_ID,
    "resume_id": RESUME_ID,
    "status_changed_at": "2026-11-20T11:42:05.610Z",
    "created_at": "2026-11-16T19:03:48.275Z",
    "updated_at": "2026-11-20T11:42:05.610Z",
}

JOBPILOT_APPLICATION_WITHDRAWN = {
    **JOBPILOT_APPLICATION,
    "status": "withdrawn",
    "status_label": "Withdrawn",
    "status_changed_at": "2026-11-22T09:20:31.904Z",
    "updated_at": "2026-11-22T09:20:31.904Z",
}

APPLICATION_PAGE = {
    "results": [JOBPILOT_APPLICATION, APPLICATION],
    "pagination": {"page": 1, "limit": 20, "total": 2, "pages": 1},
}

INTERVIEW_IN = {
    "kind": "video",
    "title": "Technical interview",
    "starts_at": "2026-11-26T14:00:00Z",
    "duration_minutes": 60,
    "location": "",
    "meeting_url": "https://meet.example.com/acme-dana-reyes",
}

INTERVIEW = {
    "id": INTERVIEW_ID,
    "application_id": APPLICATION_ID,
    "kind": "video",
    "title": "Technical interview",
    "starts_at": "2026-11-26T14:00:00Z",
    "duration_minutes": 60,
    "location": "",
    "meeting_url": "https://meet.example.com/acme-dana-reyes",
    "status": "scheduled",
    "from_employer": False,
}

INTERVIEW_PATCH = {"starts_at": "2026-11-27T10:00:00Z", "duration_minutes": 90}

INTERVIEW_MOVED = {**INTERVIEW, **INTERVIEW_PATCH}

APPLICATION_DETAIL = {
    **APPLICATION,
    "history": [
        {
            "kind": "created",
            "actor": "seeker",
            "from_status": None,
            "to_status": "applied",
            "occurred_at": "2026-11-10T09:30:02.117Z",
        },
        {
            "kind": "status_changed",
            "actor": "seeker",
            "from_status": "applied",
            "to_status": "interviewing",
            "occurred_at": "2026-11-18T16:05:12.348Z",
        },
        {
            "kind": "interview_scheduled",
            "actor": "seeker",
            "from_status": None,
            "to_status": None,
            "occurred_at": "2026-11-18T16:07:40.902Z",
        },
    ],
    "interviews": [INTERVIEW],
}

# The export's columns (csv_io.COLUMNS), one row per application, oldest first; `contacts` is a JSON list.
TRACKER_CSV = (
    "id,source,company,title,job_url,location,status,applied_on,deadline,salary_min,salary_max,"
    "salary_currency,notes,contacts\r\n"
    f"{APPLICATION_ID},external,Acme Robotics,Backend Engineer,"
    'https://careers.acme-robotics.example/jobs/backend-engineer,"Berlin, DE",interviewing,2026-11-10,'
    "2026-11-30,70000,85000,EUR,Referred by Lee Park. Send the take-home exercise by the 30th.,"
    '"[{""name"": ""Lee Park"", ""role"": ""Recruiter"", ""email"": ""lee.park@example.com"", ""phone"": """"}]"'
    "\r\n"
    f"{JOBPILOT_APPLICATION_ID},jobpilot,Globex,Platform Engineer,/jobs/{JOB_PUBLIC_ID}/,"
    '"Hamburg, DE",in_review,2026-11-16,,,,,,\r\n'
)

IMPORT_FORM = {"file": "jobpilot-applications-2026-11-22.csv"}

IMPORT_RESULT = {"created": 12, "skipped": 2}

# 9 applications: 2 closed (not selected, withdrawn before any answer), 2 reached an interview, 1 an offer.
DASHBOARD_STATS = {
    "total": 9,
    "active": 7,
    "by_status": {
        "applied": 3,
        "in_review": 2,
        "interviewing": 1,
        "offer": 1,
        "hired": 0,
        "not_selected": 1,
        "withdrawn": 1,
    },
    "funnel": {
        "applied": 9,
        "interviewing": 2,
        "offer": 1,
        "applied_to_interview_rate": 0.2222,
        "interview_to_offer_rate": 0.5,
    },
    "response_rate": 0.625,
    "average_days_to_first_response": 6.4,
    "applications_per_week": [
        {"week_start": "2026-10-26", "count": 1},
        {"week_start": "2026-11-02", "count": 3},
        {"week_start": "2026-11-09", "count": 2},
        {"week_start": "2026-11-16", "count": 3},
    ],
}

ACTIVITY = {
    "id": 318,
    "kind": "status_changed",
    "actor": "employer",
    "application_id": JOBPILOT_APPLICATION_ID,
    "company": "Globex",
    "title": "Platform Engineer",
    "from_status": "applied",
    "to_status": "in_review",
    "data": {},
    "occurred_at": "2026-11-20T11:42:05.610Z",
}

ACTIVITY_PAGE = {
    "previous": None,
    "next": "https://jobpilot.example/api/v1/dashboard/recent-activity/"
    "?cursor=cD0yMDI2LTExLTE4KzE2JTNBMDUlM0ExMi4zNDgxMjMlMkIwMCUzQTAw&page_size=3",
    "results": [
        ACTIVITY,
        {
            "id": 311,
            "kind": "interview_scheduled",
            "actor": "seeker",
            "application_id": APPLICATION_ID,
            "company": "Acme Robotics",
            "title": "Backend Engineer",
            "from_status": None,
            "to_status": None,
            "data": {"interview_id": INTERVIEW_ID, "starts_at": "2026-11-26T14:00:00+00:00", "kind": "video"},
            "occurred_at": "2026-11-18T16:07:40.902Z",
        },
        {
            "id": 310,
            "kind": "status_changed",
            "actor": "seeker",
            "application_id": APPLICATION_ID,
            "company": "Acme Robotics",
            "title": "Backend Engineer",
            "from_status": "applied",
            "to_status": "interviewing",
            "data": {},
            "occurred_at": "2026-11-18T16:05:12.348Z",
        },
    ],
}

UPCOMING = {
    "days": 14,
    "items": [
        {
            "type": "interview",
            "at": "2026-11-26T14:00:00Z",
            "on": "2026-11-26",
            "application_id": APPLICATION_ID,
            "company": "Acme Robotics",
            "title": "Backend Engineer",
            "interview": INTERVIEW,
        },
        {
            "type": "deadline",
            "at": None,
            "on": "2026-11-30",
            "application_id": APPLICATION_ID,
            "company": "Acme Robotics",
            "title": "Backend Engineer",
            "interview": None,
        },
    ],
}
