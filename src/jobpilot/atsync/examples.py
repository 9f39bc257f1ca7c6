"""OpenAPI examples of the ATS connections API (validated against their schemas by tests/api/test_openapi.py)."""

CONNECTION_IN = {"kind": "greenhouse", "board": "acme", "enabled": True}
CONNECTION_PATCH = {"enabled": False}
CONNECTION = {
    "id": 2,
    "kind": "greenhouse",
    "board": "acme",
    "board_url": "https://boards-api.greenhouse.io/v1/boards/acme",
    "enabled": True,
    "healthy": True,
    "last_sync_at": "2026-12-07T02:30:00Z",
    "last_success_at": "2026-12-07T02:30:00Z",
    "last_status": "success",
    "last_counts": {"fetched": 12, "new": 2, "updated": 1, "unchanged": 8, "held": 1, "closed": 0},
    "last_problems": [],
    "last_error": "",
    "consecutive_failures": 0,
    "postings": {"published": 10, "draft": 1, "closed": 3},
    "created_at": "2026-12-01T09:00:00Z",
}
