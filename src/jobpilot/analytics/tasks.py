"""Beat tasks: move the captured events (this process's outbox, then the Redis list) into PostgreSQL every few
seconds; keep monthly partitions ahead and drop expired ones daily. All in the public schema."""

from jobpilot.analytics import services
from jobpilot.celery import app


@app.task(name="analytics.flush_events", ignore_result=True)
def flush_events() -> int:
    return services.events_flush_from_redis()


@app.task(name="analytics.maintain_partitions", ignore_result=True)
def maintain_partitions() -> dict:
    return {
        "created": services.event_partitions_ensure(),
        "dropped": services.event_partitions_drop_expired(),
        "rollup_rows_dropped": services.rollups_drop_expired(),
    }


@app.task(name="analytics.rollup", ignore_result=True)
def rollup(day: str | None = None) -> list[str]:
    """Every 15 minutes: yesterday and today, and their weeks. `day` (ISO) re-runs that one day and its week."""
    if day is None:
        return [d.isoformat() for d in services.rollups_refresh()]
    from datetime import date

    one = date.fromisoformat(day)
    services.rollup_day(day=one)
    services.rollup_week(week_start=services.week_start_of(one))
    return [day]
