"""Fixtures for applying and the employer's pipeline: published postings, seekers who applied, staff clients."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.applications.models import Application, PipelineStage
from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401, F811
from tests.seeker_factories import upload_resume

QUESTIONS = [
    {"id": "years", "question": "Years of Python?", "kind": "number", "required": True},
    {"id": "visa", "question": "Do you need a visa?", "kind": "yes_no", "required": False},
]


@pytest.fixture
def job(make_posting, tenant_a):  # noqa: F811
    return make_posting(tenant_a, screening_questions=QUESTIONS)


@pytest.fixture
def apply_to(api_client_for):
    """`apply_to(seeker, posting, tenant=None, **body)`: POST the apply endpoint as the seeker (public domain by
    default); answers the required question unless `answers` is given."""

    def apply(seeker, posting, tenant=None, **body):
        body.setdefault("answers", {"years": 5})
        return api_client_for(seeker, tenant).post(
            f"/api/v1/jobs/{posting.public_id}/apply/", body, content_type="application/json"
        )

    return apply


@pytest.fixture
def applied(apply_to, job, tenant_a, make_user, media_root):
    """`applied(seeker=None)`: a seeker (new by default, with a resume) who applied to `job`; returns
    (seeker, employer Application)."""

    def make(seeker=None, posting=None):
        seeker = seeker or make_user(first_name="Ada", last_name="Lovelace")
        upload_resume(seeker)
        posting = posting or job
        response = apply_to(seeker, posting)
        assert response.status_code == 201, response.json()
        with tenant_context(tenant_a):
            return seeker, Application.objects.select_related("stage", "job").get(
                job__public_id=posting.public_id, seeker_user_id=seeker.pk
            )

    return make


def stage_named(tenant, name: str) -> PipelineStage:
    with tenant_context(tenant):
        return PipelineStage.objects.get(name=name)
