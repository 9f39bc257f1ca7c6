"""'Shown first to employers' (Seeker Premium): a priority candidate's application leads the employer's lists, the
API's and the console's, whatever its age; other plans' applications keep newest-first."""

from django_tenants.utils import tenant_context

from jobpilot.applications.models import Application
from tenants.models import Membership

Role = Membership.Role


def test_a_premium_seekers_application_is_listed_first_though_it_is_older(
    applied, make_user, on_plan, staff_client, tenant_a
):
    premium = make_user(first_name="Pria", last_name="Premium")
    on_plan(premium, "seeker_premium")
    _, first = applied(premium)
    _, second = applied()  # a free seeker, later
    _, third = applied()

    listed = staff_client(tenant_a, Role.VIEWER).get("/api/v1/employer/applications/").json()["results"]

    assert [row["id"] for row in listed] == [first.pk, third.pk, second.pk]
    assert [row["priority"] for row in listed] == [True, False, False]


def test_pro_and_free_seekers_are_not_priority_candidates(applied, make_user, on_plan, tenant_a):
    pro = make_user()
    on_plan(pro, "seeker_pro")
    _, from_pro = applied(pro)
    _, from_free = applied()
    assert (from_pro.priority, from_free.priority) == (False, False)


def test_the_console_board_and_applicant_list_show_priority_candidates_first_with_a_badge(
    applied, make_user, on_plan, staff_client, tenant_a, job
):
    premium = make_user(first_name="Pria", last_name="Premium")
    on_plan(premium, "seeker_premium")
    applied(premium)
    applied(make_user(first_name="Nora", last_name="Newer"))
    client = staff_client(tenant_a, Role.VIEWER)

    for url in (f"/console/jobs/{job.public_id}/pipeline/", "/console/applicants/"):
        page = client.get(url).content.decode()
        assert page.index("Pria Premium") < page.index("Nora Newer"), url
        assert ">Priority</span>" in page


def test_a_later_downgrade_keeps_the_applications_place(applied, make_user, on_plan, tenant_a):
    premium = make_user()
    on_plan(premium, "seeker_premium")
    _, application = applied(premium)
    on_plan(premium, "seeker_free")
    with tenant_context(tenant_a):
        assert Application.objects.get(pk=application.pk).priority is True
