"""Beat: read every active IMAP connection, one task per connection (one slow server delays no other; a
duplicate task is harmless, the poll locks its connection with SKIP LOCKED)."""

from jobpilot.celery import app
from jobpilot.inbox.models import ImapConnection


@app.task(name="inbox.poll_imap", ignore_result=True)
def poll_imap() -> int:
    ids = list(ImapConnection.objects.filter(active=True, user__is_active=True).values_list("pk", flat=True))
    for connection_id in ids:
        poll_imap_connection.delay(connection_id)
    return len(ids)


@app.task(name="inbox.poll_imap_connection", ignore_result=True, soft_time_limit=180)
def poll_imap_connection(connection_id: int) -> int:
    from jobpilot.inbox.services import imap_connection_poll

    return imap_connection_poll(connection_id=connection_id)
