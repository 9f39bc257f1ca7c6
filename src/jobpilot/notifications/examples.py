"""Examples of the notification API for the OpenAPI document: a seeker's feed (shaped like the notifications the
pipeline, the interview scheduler and saved-search alerts send), and their channel preferences (read from the
type registry, so every type and default is a real one)."""

from jobpilot.notifications.types import TYPE_DEFAULTS, EmailDelivery, NotificationType

FEED_EXAMPLE = {
    "results": [
        {
            "id": 131,
            "type": "interview_scheduled",
            "title": "Interview scheduled: Robotics Technician at Acme Robotics",
            "body": "Starts Thu 26 Nov 2026, 15:00 CET (45 minutes).",
            "tenant": "acme",
            "data": {"interview_id": 11, "starts_at": "2026-11-26T14:00:00Z", "status": "scheduled"},
            "created_at": "2026-11-21T16:40:00Z",
            "read_at": None,
        },
        {
            "id": 130,
            "type": "saved_search_match",
            "title": "New job for “remote python”: Backend Engineer",
            "body": "Acme Robotics · Berlin, DE",
            "tenant": None,
            "data": {
                "url": "https://jobpilot.example/jobs/0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10/backend-engineer/",
                "job_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
                "saved_search_id": 4,
            },
            "created_at": "2026-11-21T09:05:00Z",
            "read_at": None,
        },
        {
            "id": 127,
            "type": "application_status_changed",
            "title": "Robotics Technician at Acme Robotics: Interviewing",
            "body": "",
            "tenant": "acme",
            "data": {
                "tracked_application_id": "9c2e7a41-5b8d-4f0e-a6c3-1d2b3e4f5a60",
                "status": "interviewing",
            },
            "created_at": "2026-11-20T11:30:00Z",
            "read_at": "2026-11-20T12:02:00Z",
        },
    ],
    "pagination": {"page": 1, "limit": 20, "total": 3, "pages": 1, "has_next": False},
    "unread_count": 2,
}

MARK_READ_IN_EXAMPLE = {"ids": [131, 130]}
MARK_READ_OUT_EXAMPLE = {"marked": 2, "unread_count": 0}

PREFERENCES_IN_EXAMPLE = {"preferences": [{"type": "saved_search_match", "in_app": True, "email": "off"}]}


def _preference(type: NotificationType, chosen: tuple[bool, EmailDelivery] | None = None) -> dict:
    in_app, email = chosen or (TYPE_DEFAULTS[type].in_app, TYPE_DEFAULTS[type].email)
    return {
        "type": type.value,
        "label": type.label,
        "in_app": in_app,
        "email": email.value,
        "is_default": chosen is None,
    }


# Every type, in the registry's order, after the change above (the others keep their defaults).
PREFERENCES_OUT_EXAMPLE = {
    "preferences": [
        _preference(type, (True, EmailDelivery.OFF) if type == NotificationType.SAVED_SEARCH_MATCH else None)
        for type in NotificationType
    ]
}
