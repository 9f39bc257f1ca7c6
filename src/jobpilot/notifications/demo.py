"""Demo notifications for `manage.py seed_demo`: a few for the demo seeker and the employers' staff. Idempotent
(each has a dedupe key)."""

from jobpilot.notifications.services import notify, notify_tenant_staff
from jobpilot.notifications.types import NotificationType


def seed_notifications(*, employers, seeker) -> None:
    acme = employers[0]
    notify(
        recipient=seeker,
        type=NotificationType.APPLICATION_STATUS_CHANGED,
        title=f"{acme.name} moved your application to Interview",
        body="Your application for Robotics Technician is now at the interview stage.",
        tenant=acme,
        data={"status": "interview"},
        dedupe_key="demo:status",
    )
    notify(
        recipient=seeker,
        type=NotificationType.SAVED_SEARCH_MATCH,
        title="3 new jobs match your search “remote python”",
        dedupe_key="demo:saved-search",
    )
    for employer in employers:
        notify_tenant_staff(
            tenant=employer,
            type=NotificationType.APPLICATION_RECEIVED,
            title="New application from Sam Seeker",
            dedupe_key="demo:application-received",
        )
