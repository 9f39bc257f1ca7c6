"""Demo data for the pipeline (seed_demo): the demo seeker applies to one job of each demo employer; at the first
employer the application moves to Interview and an interview is scheduled, so both sides show a live pipeline."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications.models import PipelineStage
from jobpilot.applications.services import application_submit, applications_move, interview_schedule
from jobpilot.jobs.models import JobPosting
from tenants.services import ensure_public_tenant


def seed_applications_demo(*, employers, seeker) -> None:
    """Idempotent: does nothing once the demo seeker has applied through JobPilot."""
    if seeker.tracked_applications.filter(source="jobpilot").exists():
        return
    public = ensure_public_tenant()
    for number, tenant in enumerate(employers):
        with tenant_context(tenant):
            posting = next(
                (
                    posting
                    for posting in JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED, apply_url="")
                    if not any(question.get("required") for question in posting.screening_questions)
                ),
                None,
            )
        if posting is None:
            continue
        result = application_submit(
            seeker=seeker,
            host_tenant=public,
            job_public_id=posting.public_id,
            cover_letter="I have built Django services for six years and would love to talk.",
        )
        if number:
            continue
        owner = tenant.memberships.get(role="owner").user
        with tenant_context(tenant):
            interview_stage = PipelineStage.objects.get(name="Interview")
            applications_move(
                actor=owner, application_ids=[result.employer_application_id], stage_id=interview_stage.pk
            )
            interview_schedule(
                actor=owner,
                application_id=result.employer_application_id,
                fields={
                    "starts_at": timezone.now() + timedelta(days=3),
                    "duration_minutes": 45,
                    "title": "Technical interview",
                    "meeting_url": "https://meet.example.com/demo",
                    "interviewers": ["Hiring manager"],
                },
            )
