"""The console's audit log page: admins and owners see and export it (CSV with the same filters), recruiters are
refused, bad dates are a 422, and one employer's entries never show on another's console."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.audit import services as audit
from tenants.models import Membership

pytestmark = pytest.mark.django_db
PAGE = "/console/audit-log/"
Role = Membership.Role


@pytest.fixture
def signed_in_member(member, client_for):
    def make(tenant, role=Role.ADMIN):
        client = client_for(tenant)
        client.force_login(member(tenant, role))
        return client

    return make


def test_an_admin_sees_the_log_and_exports_it_filtered(tenant_a, signed_in_member):
    with tenant_context(tenant_a):
        audit.record(actor=None, action="job.publish", target_type="jobposting", target_id=7)
        audit.record(actor=None, action="member.invite")
    client = signed_in_member(tenant_a)
    page = client.get(PAGE)
    assert page.status_code == 200 and b"job.publish" in page.content and b"member.invite" in page.content
    export = client.get(PAGE, {"action": "job.", "format": "csv"})
    assert export.status_code == 200 and export["Content-Type"] == "text/csv"
    lines = b"".join(export.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("created_at,actor_email") and len(lines) == 2 and "job.publish" in lines[1]
    # The export itself is audited.
    assert b"audit_log.export" in client.get(PAGE).content


def test_a_recruiter_is_refused(tenant_a, signed_in_member):
    assert signed_in_member(tenant_a, Role.RECRUITER).get(PAGE).status_code == 403


def test_a_bad_date_is_a_422(tenant_a, signed_in_member):
    assert signed_in_member(tenant_a).get(PAGE, {"since": "not-a-day"}).status_code == 422


def test_another_employers_entries_do_not_show(tenant_a, tenant_b, signed_in_member):
    with tenant_context(tenant_a):
        audit.record(actor=None, action="domain.add")
    assert b"domain.add" not in signed_in_member(tenant_b).get(PAGE).content
