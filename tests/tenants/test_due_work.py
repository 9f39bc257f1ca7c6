"""Due work: the beats enter only the schemas whose periodic work has come due, and work created while a beat
settles a schema is never forgotten."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.due_work import due_work_schedule, due_work_settle, tenants_with_due_work
from tenants.models import DueWork, Tenant

pytestmark = pytest.mark.django_db
Kind = DueWork.Kind


def _due(kind=Kind.POSTING_EXPIRY) -> dict[str, object]:
    return dict(DueWork.objects.filter(kind=kind).values_list("tenant__slug", "due_at"))


def test_the_earliest_time_is_kept_and_only_due_active_employers_are_listed(tenant_a, tenant_b):
    now = timezone.now()
    with tenant_context(tenant_a):
        due_work_schedule(kind=Kind.WEBHOOK_DELIVERIES, at=now + timedelta(minutes=10))
        due_work_schedule(kind=Kind.WEBHOOK_DELIVERIES, at=now - timedelta(minutes=1))
        due_work_schedule(kind=Kind.WEBHOOK_DELIVERIES, at=now + timedelta(hours=1))  # later: ignored
    with tenant_context(tenant_b):
        due_work_schedule(kind=Kind.WEBHOOK_DELIVERIES, at=now + timedelta(minutes=10))

    assert _due(Kind.WEBHOOK_DELIVERIES) == {
        tenant_a.slug: now - timedelta(minutes=1),
        tenant_b.slug: now + timedelta(minutes=10),
    }
    assert list(tenants_with_due_work(kind=Kind.WEBHOOK_DELIVERIES, now=now)) == [tenant_a]
    assert list(tenants_with_due_work(kind=Kind.POSTING_EXPIRY, now=now)) == []

    Tenant.objects.filter(pk=tenant_a.pk).update(status=Tenant.Status.SUSPENDED)
    assert list(tenants_with_due_work(kind=Kind.WEBHOOK_DELIVERIES, now=now)) == []


@pytest.mark.django_db(transaction=True)
def test_work_created_while_a_beat_settles_the_schema_is_not_forgotten(tenant_a):
    now = timezone.now()
    with tenant_context(tenant_a):
        due_work_schedule(kind=Kind.WEBHOOK_DELIVERIES, at=now)
    settling, scheduled = threading.Event(), threading.Event()
    errors = []

    def beat():
        def next_due():
            settling.set()
            scheduled.wait(timeout=2)  # the other session's upsert waits on this row lock meanwhile
            return now + timedelta(hours=1)  # what the beat read: nothing sooner

        try:
            with tenant_context(tenant_a):
                due_work_settle(kind=Kind.WEBHOOK_DELIVERIES, next_due=next_due)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    def service():
        try:
            settling.wait(timeout=5)
            with tenant_context(tenant_a):
                scheduled.set()
                due_work_schedule(kind=Kind.WEBHOOK_DELIVERIES, at=now + timedelta(minutes=1))
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat), threading.Thread(target=service)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert _due(Kind.WEBHOOK_DELIVERIES) == {tenant_a.slug: now + timedelta(minutes=1)}


def test_a_schema_with_nothing_left_is_forgotten(tenant_a):
    with tenant_context(tenant_a):
        due_work_schedule(kind=Kind.INTERVIEW_REMINDERS, at=timezone.now())
        due_work_settle(kind=Kind.INTERVIEW_REMINDERS, next_due=lambda: None)
    assert _due(Kind.INTERVIEW_REMINDERS) == {}
