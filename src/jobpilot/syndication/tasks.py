from jobpilot.celery import app
from jobpilot.syndication.indexing import indexing_notifications_send


@app.task(name="syndication.send_indexing_notifications", ignore_result=True)
def send_indexing_notifications() -> int:
    """Runs in the public schema (the queue's); a no-op unless GOOGLE_INDEXING_ENABLED."""
    return indexing_notifications_send()
