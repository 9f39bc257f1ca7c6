"""What the seeker's side does to the employer's copy: withdrawal (with the hour's refund) and resume access."""

import datetime

from django_tenants.utils import tenant_context

from billing.entitlements import used_for
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_user
from jobpilot.applications.models import Application
from jobpilot.tracker.models import TrackedApplication
from tenants.models import Membership

Role = Membership.Role


def used(seeker) -> int:
    return used_for(billing_account_for_user(seeker, Audience.SEEKER), Metric.APPLICATIONS_PER_MONTH)


def withdraw(api_client_for, seeker):
    tracked = TrackedApplication.objects.get(seeker=seeker)
    return api_client_for(seeker).post(f"/api/v1/applications/{tracked.pk}/withdraw/")


def test_withdrawing_within_the_hour_gives_the_application_back(applied, api_client_for, tenant_a):
    seeker, application = applied()
    assert used(seeker) == 1

    assert withdraw(api_client_for, seeker).status_code == 200

    assert used(seeker) == 0
    with tenant_context(tenant_a):
        assert Application.objects.get(pk=application.pk).withdrawn_at is not None


def test_withdrawing_later_keeps_the_application_counted(applied, api_client_for, tenant_a):
    seeker, application = applied()
    with tenant_context(tenant_a):
        Application.objects.filter(pk=application.pk).update(
            created_at=application.created_at - datetime.timedelta(minutes=61)
        )

    assert withdraw(api_client_for, seeker).status_code == 200

    assert used(seeker) == 1


def test_withdrawn_applications_leave_the_default_list_but_stay_on_request(
    applied, api_client_for, staff_client, tenant_a
):
    seeker, application = applied()
    withdraw(api_client_for, seeker)
    viewer = staff_client(tenant_a, Role.VIEWER)
    job = application.job.public_id

    assert viewer.get(f"/api/v1/employer/applications/?job={job}").json()["results"] == []
    listed = viewer.get(f"/api/v1/employer/applications/?job={job}&include_withdrawn=true").json()["results"]
    assert [row["id"] for row in listed] == [application.pk]
    assert listed[0]["withdrawn_at"] is not None


def test_the_employer_downloads_the_resume_sent_to_it_and_no_other_employer_can(
    applied, staff_client, tenant_a, tenant_b, signed_in, member
):
    _, application = applied()
    url = f"/api/v1/resumes/{application.resume_public_id}/download/"

    assert staff_client(tenant_a, Role.VIEWER).get(url).status_code == 200
    assert staff_client(tenant_b, Role.OWNER).get(url).status_code == 404
    assert signed_in(member(tenant_a, Role.ADMIN)).get(url).status_code == 404  # public domain
