"""Due work: when each employer's schema next has periodic work of a kind (`tenants.models.DueWork`), so beats
enter only the schemas whose time has come (ADR 0010). Its own module because the services that create such work
(webhooks, postings, interviews, ATS boards) are imported by `tenants.services`.

- `due_work_schedule`: called by those services in the transaction that creates the work.
- `tenants_with_due_work`: the beat's list of schemas to enter.
- `due_work_settle`: called by the beat in a schema once its due work is done.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import connection, transaction

from tenants.models import DueWork, Tenant
from tenants.selectors import employer_tenants


def due_work_schedule(*, kind: DueWork.Kind, at: datetime) -> None:
    """Work of `kind` falls due at `at` in the current employer's schema: keep the earliest time. Call it in the
    transaction that creates the work; the upsert's row lock orders it with a beat settling the same row."""
    with connection.cursor() as cursor:
        cursor.execute(
            # By schema name: in a task the connection knows only its schema (tenant-schemas-celery).
            "INSERT INTO tenants_duework (tenant_id, kind, due_at) "
            "SELECT id, %s, %s FROM tenants_tenant WHERE schema_name = %s "
            "ON CONFLICT (tenant_id, kind) DO UPDATE SET due_at = LEAST(tenants_duework.due_at, EXCLUDED.due_at)",
            [DueWork.Kind(kind).value, at, connection.schema_name],
        )


def due_work_settle(*, kind: DueWork.Kind, next_due: Callable[[], datetime | None]) -> None:
    """A beat did the current schema's due work of `kind`: record when the next is due (`next_due()`, read from
    the schema), or forget the schema when nothing is left. The row is locked before `next_due` reads, so work
    created meanwhile is either seen by it or moves the time earlier after this commits."""
    with transaction.atomic():
        row = (
            DueWork.objects.select_for_update(of=("self",))
            .filter(tenant__schema_name=connection.schema_name, kind=kind)
            .first()
        )
        if row is None:
            return
        at = next_due()
        if at is None:
            row.delete()
        else:
            DueWork.objects.filter(pk=row.pk).update(due_at=at)


def tenants_with_due_work(*, kind: DueWork.Kind, now: datetime):
    """Active employers whose work of `kind` is due (for the beats; see `DueWork`)."""
    return (
        employer_tenants()
        .filter(status=Tenant.Status.ACTIVE, due_work__kind=kind, due_work__due_at__lte=now)
        .order_by("pk")
    )
