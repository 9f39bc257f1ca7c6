"""OpenAPI examples of the webhooks API (checked against their schemas by tests/api/test_openapi.py)."""

ENDPOINT_IN = {
    "url": "https://hooks.example.com/jobpilot",
    "description": "Our HRIS",
    "event_types": ["application.received", "interview.scheduled"],
    "is_active": True,
}
ENDPOINT = {
    "id": 3,
    "url": "https://hooks.example.com/jobpilot",
    "description": "Our HRIS",
    "event_types": ["application.received", "interview.scheduled"],
    "is_active": True,
    "secret_hint": "…x9Qw",
    "previous_secret_expires_at": None,
    "created_at": "2026-03-02T09:15:00Z",
    "updated_at": "2026-03-02T09:15:00Z",
}
ENDPOINT_CREATED = {**ENDPOINT, "secret": "whsec_example-only-not-a-real-secret-00000000000"}
ENDPOINT_PATCH = {"is_active": False}
ROTATE_IN = {"previous_secret_valid_hours": 24}
SECRET_ROTATED = {
    "secret": "whsec_example-only-not-a-real-secret-11111111111",
    "previous_secret_expires_at": "2026-03-03T09:15:00Z",
}
DELIVERY = {
    "id": 812,
    "endpoint_id": 3,
    "event_id": "7d1f0c2e-4b5a-4e8f-9a31-0c6d2e8b7f14",
    "event_type": "application.received",
    "status": "pending",
    "attempt_count": 2,
    "next_attempt_at": "2026-03-02T09:19:00Z",
    "last_attempt_at": "2026-03-02T09:17:00Z",
    "last_response_status": 503,
    "last_error": "The receiver answered 503.",
    "created_at": "2026-03-02T09:16:00Z",
}
DELIVERY_PAGE = {"results": [DELIVERY], "pagination": {"page": 1, "limit": 20, "total": 1, "pages": 1}}
DELIVERY_DETAIL = {
    **DELIVERY,
    "body": '{"id": "7d1f0c2e-4b5a-4e8f-9a31-0c6d2e8b7f14", "type": "application.received", "data": {}}',
    "attempts": [
        {
            "number": 1,
            "reason": "first",
            "started_at": "2026-03-02T09:16:00Z",
            "duration_ms": 212,
            "response_status": 503,
            "response_body": "Service Unavailable",
            "error": "",
            "succeeded": False,
        },
        {
            "number": 2,
            "reason": "retry",
            "started_at": "2026-03-02T09:17:00Z",
            "duration_ms": 198,
            "response_status": 503,
            "response_body": "Service Unavailable",
            "error": "",
            "succeeded": False,
        },
    ],
}
EVENT_TYPES = [{"type": "application.received", "description": "A candidate applied"}]
