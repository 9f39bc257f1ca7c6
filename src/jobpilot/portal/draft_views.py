"""Drafts for a job on the public host (`/drafts/<job_id>/`): a cover letter and interview-preparation questions
made from the job and the seeker's profile, behind the plan gate. Views parse, call one service, render."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_user
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.drafts import services
from jobpilot.marketplace.selectors import marketplace_job_get
from jobpilot.portal.seeker_views import seeker_page
from jobpilot.portal.selectors import plan_gate_for


@seeker_page
@require_http_methods(["GET", "POST"])
def job_drafts(request, job_id: str):
    try:
        job = marketplace_job_get(public_id=job_id, tenant=request.tenant)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    account = billing_account_for_user(request.user, Audience.SEEKER)
    gate = plan_gate_for(request, account=account, feature=Feature.AI_RECOMMENDATIONS)
    context = {"job": job, "gate": gate, "letter": None, "questions": None, "refused": None}
    status = 200
    if request.method == "POST":
        try:
            context["letter"] = services.draft_make(
                seeker=request.user, job_id=job.public_id, kind="cover_letter", tenant=request.tenant
            )
            context["questions"] = services.draft_make(
                seeker=request.user, job_id=job.public_id, kind="interview_questions", tenant=request.tenant
            )
        except DomainError as exc:
            context["refused"], status = exc, exc.status
    return render(request, "portal/seeker/drafts.html", context, status=status)
