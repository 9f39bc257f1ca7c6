"""A known history for rollup and dashboard tests: events written straight to the table at chosen times, and a
pipeline history written in the tenant's schema with chosen timestamps (the rollups read exactly these tables)."""

from datetime import UTC, date, datetime, timedelta

from django_tenants.utils import tenant_context

from jobpilot.analytics import services
from jobpilot.applications.models import Application, PipelineStage, StatusChange

DAY = date(2026, 10, 14)  # a Wednesday, far from the "now" of other tests


def at(day_offset: int, hour: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=UTC) + timedelta(days=day_offset)


def events(rows: list[tuple]) -> None:
    """rows: (when, kind, source, tenant_id, job_public_id, seeker_id)."""
    services.events_copy(
        [(when.isoformat(), kind, source, t, str(j), s, {}) for when, kind, source, t, j, s in rows]
    )


def pipeline(tenant, posting, moves: list[list[tuple[str, datetime]]]) -> list[int]:
    """One application per list of (stage name, when); the first entry is the application itself. Returns ids."""
    ids = []
    with tenant_context(tenant):
        stages = {stage.name: stage for stage in PipelineStage.objects.all()}
        for number, history in enumerate(moves):
            first_stage, applied_at = history[0]
            application = Application.objects.create(
                job=posting,
                stage=stages[history[-1][0]],
                name=f"Candidate {number}",
                created_at=applied_at,
            )
            StatusChange.objects.create(
                application=application, kind="applied", to_stage=stages[first_stage], occurred_at=applied_at
            )
            previous = stages[first_stage]
            for stage_name, when in history[1:]:
                StatusChange.objects.create(
                    application=application,
                    kind="moved",
                    from_stage=previous,
                    to_stage=stages[stage_name],
                    occurred_at=when,
                )
                previous = stages[stage_name]
            ids.append(application.pk)
    return ids


# App 0: applied D-2 08:00, Screening D-1 08:00, Interview D 08:00, Offer D 12:00, Hired D 18:00 (58 h to hire).
# App 1: applied D 09:00, Rejected D 11:00.   App 2: applied D 10:00, still Applied.
# App 3: applied D-1 10:00, Hired D 12:00 with no offer (26 h to hire).
KNOWN_PIPELINE = [
    [
        ("Applied", at(-2, 8)),
        ("Screening", at(-1, 8)),
        ("Interview", at(0, 8)),
        ("Offer", at(0, 12)),
        ("Hired", at(0, 18)),
    ],
    [("Applied", at(0, 9)), ("Rejected", at(0, 11))],
    [("Applied", at(0, 10))],
    [("Applied", at(-1, 10)), ("Hired", at(0, 12))],
]


def roll_up_known_days() -> None:
    for offset in (-2, -1, 0):
        services.rollup_day(day=DAY + timedelta(days=offset))
    services.rollup_week(week_start=services.week_start_of(DAY))
