# ruff: noqa: F811 - pytest fixtures imported from the applications and jobs test packages
"""Screening on the pipeline board: applicants sorted by match with the explanation, on plans that include it;
nobody hidden; another employer's staff see nothing; the starter plan sees the gate and the usual order."""

import pytest
from django_tenants.utils import tenant_context

from billing.plans import Audience
from jobpilot.core.errors import DomainError
from jobpilot.matching.screening import screening_matches
from jobpilot.seekers.models import Resume
from tenants.models import Membership
from tests.applications.conftest import apply_to  # noqa: F401
from tests.jobs.conftest import member, signed_in, staff_client  # noqa: F401

pytestmark = pytest.mark.django_db
Role = Membership.Role
PYTHON = "Backend engineer. Skills: Python, Django, PostgreSQL, Docker, REST APIs. 6 years building APIs."
NURSE = "Registered Nurse, ICU. BLS, ACLS, medication administration and patient care."


@pytest.fixture
def backend_job(make_posting, tenant_a):
    return make_posting(
        tenant_a,
        title="Backend Engineer",
        skills=["Python", "Django", "PostgreSQL"],
        description="<p>You will build REST APIs in Python and Django on PostgreSQL. Docker is a plus.</p>",
    )


@pytest.fixture
def two_applicants(apply_to, backend_job, make_user, media_root):
    """A nurse applies first, then a backend engineer; returns their employer-side names in that order."""
    from tests.seeker_factories import upload_resume

    names = []
    for first, text in (("Nora", NURSE), ("Bea", PYTHON)):
        seeker = make_user(first_name=first, last_name="Applicant")
        resume = upload_resume(seeker)
        Resume.objects.filter(pk=resume.pk).update(text=text, text_status=Resume.TextStatus.READY)
        response = apply_to(seeker, backend_job, resume_id=str(resume.pk), answers={})
        assert response.status_code == 201, response.json()
        names.append(f"{first} Applicant")
    return names


def _board(posting, sort=""):
    return f"/console/jobs/{posting.public_id}/pipeline/" + (f"?sort={sort}" if sort else "")


def test_a_growth_employer_sorts_applicants_by_match_with_the_explanation_and_hides_nobody(
    staff_client, tenant_a, on_plan, backend_job, two_applicants
):
    on_plan(tenant_a, "employer_growth", Audience.EMPLOYER)
    page = staff_client(tenant_a, Role.VIEWER).get(_board(backend_job, "match")).content.decode()
    nurse, engineer = two_applicants
    assert nurse in page and engineer in page  # both still on the board
    assert page.index(engineer) < page.index(nurse)
    assert "Sorted by match" in page and "Match " in page and "Python" in page
    assert "never hides, rejects or moves anyone" in page and "protected attribute" in page


def test_the_starter_plan_sees_the_gate_and_the_usual_order(
    staff_client, tenant_a, backend_job, two_applicants
):
    page = staff_client(tenant_a, Role.VIEWER).get(_board(backend_job, "match")).content.decode()
    nurse, engineer = two_applicants
    assert 'data-plan-gate="' in page and "sorting applicants by match" in page
    assert 'class="small screening-match"' not in page
    assert nurse in page and engineer in page
    with tenant_context(tenant_a), pytest.raises(DomainError) as refused:
        screening_matches(tenant=tenant_a, posting=backend_job, applications=[])
    assert refused.value.status == 402


def test_another_employers_staff_cannot_sort_this_board(
    staff_client, tenant_a, tenant_b, on_plan, backend_job, two_applicants
):
    on_plan(tenant_b, "employer_growth", Audience.EMPLOYER)
    assert staff_client(tenant_b, Role.OWNER).get(_board(backend_job, "match")).status_code == 404


def test_an_unknown_sort_is_the_usual_order(staff_client, tenant_a, on_plan, backend_job, two_applicants):
    on_plan(tenant_a, "employer_growth", Audience.EMPLOYER)
    response = staff_client(tenant_a, Role.VIEWER).get(_board(backend_job, "'; drop table"))
    assert response.status_code == 200 and 'class="small screening-match"' not in response.content.decode()
