from celery import shared_task

from jobpilot.api import services


@shared_task(name="api.report_meter_events", autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def api_report_meter_events() -> dict:
    """Write what is due to Stripe's meter, then send everything unsent. Safe to retry at any point."""
    return {"prepared": services.meter_reports_prepare(), "sent": services.meter_reports_send()}
