"""The employer's audit log: the services write one entry per audited action (with who and from where), the
database refuses to alter or delete entries (except the retention pruning), and `/api/v1/employer/audit-log/` is
for the host's owners and admins only, with clear 4xx for bad filters."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.audit import services as audit
from jobpilot.audit.models import AuditEntry
from jobpilot.jobs import services as jobs
from tenants.models import Membership
from tenants.services import membership_change_role

pytestmark = pytest.mark.django_db
BASE = "/api/v1/employer/audit-log/"
Role = Membership.Role


def _actions(tenant) -> list[str]:
    with tenant_context(tenant):
        return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_publishing_closing_and_deleting_a_job_each_write_one_entry(tenant_a, make_posting, member):
    owner = member(tenant_a, Role.OWNER)
    posting = make_posting(tenant_a, status="draft")
    with tenant_context(tenant_a):
        posting = jobs.job_posting_publish(actor=owner, posting=posting)
        posting = jobs.job_posting_close(actor=owner, posting=posting)
        jobs.job_posting_delete(actor=owner, posting=posting)
        entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["job.publish", "job.close", "job.delete"]
    assert {e.actor_email for e in entries} == {owner.email}
    assert {(e.target_type, e.target_id) for e in entries} == {("jobposting", str(posting.pk))}


def test_a_role_change_records_before_and_after(tenant_a, member):
    owner = member(tenant_a, Role.OWNER)
    recruiter = member(tenant_a, Role.RECRUITER)
    membership = Membership.objects.get(user=recruiter, tenant=tenant_a)
    membership_change_role(actor=owner, tenant=tenant_a, membership_id=membership.pk, role=Role.ADMIN)
    with tenant_context(tenant_a):
        entry = AuditEntry.objects.get(action="member.role_change")
    assert (entry.before, entry.after) == ({"role": "recruiter"}, {"role": "admin"})


def test_an_entry_carries_the_callers_address_and_user_agent(tenant_a, member, api_client_for, make_posting):
    admin = member(tenant_a, Role.ADMIN)
    posting = make_posting(tenant_a, status="published")
    client = api_client_for(admin, tenant_a)
    response = client.post(
        f"/api/v1/employer/jobs/{posting.public_id}/close/",
        HTTP_USER_AGENT="audit-test/1.0",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 200, response.content
    with tenant_context(tenant_a):
        entry = AuditEntry.objects.get(action="job.close")
    assert (entry.actor_user_id, entry.ip, entry.user_agent) == (admin.pk, "10.1.2.3", "audit-test/1.0")


def test_an_action_rolled_back_leaves_no_entry(tenant_a, make_posting):
    posting = make_posting(tenant_a, status="draft")
    with tenant_context(tenant_a), pytest.raises(RuntimeError), transaction.atomic():
        jobs.job_posting_publish(actor=None, posting=posting)
        raise RuntimeError
    assert "job.publish" not in _actions(tenant_a)


def test_the_database_refuses_to_update_or_delete_an_entry(tenant_a):
    with tenant_context(tenant_a):
        entry = audit.record(actor=None, action="job.publish", target_type="jobposting", target_id=1)
        for change in (
            lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="job.close"),
            lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
            lambda: connection.cursor().execute("DELETE FROM audit_auditentry"),
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                change()
        assert AuditEntry.objects.filter(pk=entry.pk, action="job.publish").exists()


def test_pruning_deletes_only_entries_past_the_retention(tenant_a):
    with tenant_context(tenant_a):
        old = audit.record(actor=None, action="job.publish")
        new = audit.record(actor=None, action="job.close")
        # created_at cannot be backdated (no UPDATE): prune as if a month had passed.
        assert audit.audit_entries_prune(retention_days=30, now=timezone.now() + timedelta(days=31)) >= 2
        assert not AuditEntry.objects.filter(pk__in=[old.pk, new.pk]).exists()
        kept = audit.record(actor=None, action="job.delete")
        assert audit.audit_entries_prune(retention_days=30) == 0
        assert AuditEntry.objects.filter(pk=kept.pk).exists()
        # The permission ended with the pruning's transaction.
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=kept.pk).delete()


# --- API -----------------------------------------------------------------------------------------------------


def test_an_admin_lists_the_log_newest_first_and_filters_it(tenant_a, member, api_client_for, make_posting):
    admin = member(tenant_a, Role.ADMIN)
    with tenant_context(tenant_a):
        audit.record(actor=admin, action="job.publish", target_type="jobposting", target_id=1)
        audit.record(actor=None, action="member.invite")
    client = api_client_for(admin, tenant_a)
    body = client.get(BASE).json()
    assert [e["action"] for e in body["results"]] == ["member.invite", "job.publish"]
    assert body["pagination"]["total"] == 2
    assert [e["action"] for e in client.get(BASE, {"action": "job."}).json()["results"]] == ["job.publish"]
    assert [e["action"] for e in client.get(BASE, {"actor": admin.email}).json()["results"]] == [
        "job.publish"
    ]
    today = timezone.localdate().isoformat()
    assert client.get(BASE, {"since": today, "until": today}).json()["pagination"]["total"] == 2
    assert client.get(BASE, {"until": "2000-01-01"}).json()["pagination"]["total"] == 0
    paged = client.get(BASE, {"limit": 1, "page": 2}).json()
    assert [e["action"] for e in paged["results"]] == ["job.publish"] and paged["pagination"]["pages"] == 2


def test_one_employers_log_is_invisible_on_anothers_domain(tenant_a, tenant_b, member, api_client_for):
    with tenant_context(tenant_a):
        audit.record(actor=None, action="job.publish")
    admin_b = member(tenant_b, Role.ADMIN)
    assert api_client_for(admin_b, tenant_b).get(BASE).json()["results"] == []
    # An admin of B asking on A's domain is not a member there: 404.
    assert api_client_for(admin_b, tenant_a).get(BASE).status_code == 404


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.VIEWER])
def test_recruiters_and_viewers_are_refused(tenant_a, member, api_client_for, role):
    response = api_client_for(member(tenant_a, role), tenant_a).get(BASE)
    assert response.status_code == 403 and response.json()["code"] == "role_required"


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"until": "2026-13-01"},
        {"since": "2026-02-02", "until": "2026-02-01"},
        {"page": 0},
    ],
)
def test_bad_filters_are_a_422(tenant_a, member, api_client_for, params):
    response = api_client_for(member(tenant_a, Role.ADMIN), tenant_a).get(BASE, params)
    assert response.status_code == 422, response.content
    assert "detail" in response.json()


# --- Plans: changes, retention, the platform's own log -----------------------------------------------------------


def test_a_plan_assignment_is_in_the_employers_log_and_the_platforms(tenant_a, on_plan):
    from jobpilot.audit.platform.models import PlatformAuditEntry

    on_plan(tenant_a, "employer_growth")
    with tenant_context(tenant_a):
        entry = AuditEntry.objects.get(action="billing.plan_change")
    assert entry.after == {"plan": "employer_growth"}
    staff = PlatformAuditEntry.objects.filter(action="billing.assign_plan").latest("id")
    assert (staff.actor, staff.after) == ("tests", {"plan": "employer_growth"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PlatformAuditEntry.objects.filter(pk=staff.pk).delete()


def test_the_daily_pruning_keeps_what_the_plan_retains(tenant_a, on_plan):
    from jobpilot.audit.tasks import prune_all

    on_plan(tenant_a, "employer_enterprise")
    with tenant_context(tenant_a):
        kept = audit.record(actor=None, action="job.publish")
    prune_all()
    with tenant_context(tenant_a):
        assert AuditEntry.objects.filter(pk=kept.pk).exists()
