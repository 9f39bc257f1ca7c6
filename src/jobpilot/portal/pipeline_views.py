"""Applying from a job page (both hosts) and the employer's pipeline in the console (tenant host).

Views stay thin: input is validated by the API's own schemas and every write goes through
`jobpilot.applications.services` (apply) or `jobpilot.seekers.services` (resume upload), so the web pages and the
API share one set of rules. Console pages use `console_page`: non-members get 404, viewers read only.
"""

import contextlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from billing.plans import Audience, Feature, Metric
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from jobpilot.analytics import capture
from jobpilot.applications import selectors, services
from jobpilot.applications.models import Interview, Scorecard
from jobpilot.applications.schemas import ApplyIn, InterviewIn, MoveIn, NoteIn, ScorecardIn
from jobpilot.core.errors import DomainError, Invalid, NotFound
from jobpilot.jobs.selectors import job_posting_get
from jobpilot.marketplace import selectors as market
from jobpilot.matching.screening import by_match, screening_matches
from jobpilot.portal.links import public_url
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.views import console_page
from jobpilot.seekers import selectors as seeker_selectors
from jobpilot.seekers.services import resume_upload
from jobpilot.tracker.selectors import tracked_application_for_job
from tenants.models import Membership
from tenants.selectors import member_list

Role = Membership.Role


def _first_error(error: ValidationError) -> str:
    item = error.errors()[0]
    where = ".".join(str(part) for part in item["loc"])
    return f"{where}: {item['msg'].removeprefix('Value error, ')}"


# --- Apply (both hosts) -------------------------------------------------------------------------------------------


def _answers_from(post, questions: list[dict]) -> dict:
    """Form fields `answer-<id>` in the shapes the apply service checks (bool, number, list, text)."""
    answers = {}
    for question in questions:
        name = f"answer-{question['id']}"
        kind = question.get("kind", "text")
        if kind == "multiple_choice":
            value = post.getlist(name)
        else:
            value = post.get(name, "").strip()
            if value and kind == "yes_no":
                value = value == "yes"
            elif value and kind == "number":
                # Not a number: kept as text, and the service answers "must be a number".
                with contextlib.suppress(ValueError):
                    value = float(value) if "." in value else int(value)
        if value not in ("", []):
            answers[question["id"]] = value
    return answers


@never_cache
@require_http_methods(["GET", "POST"])
def job_apply(request, job_id: str):
    """The apply form for a job (GET) and applying (POST). Anonymous visitors are sent to sign in and come back."""
    try:
        job = market.marketplace_job_get(public_id=job_id, tenant=request.tenant)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    detail = market.job_detail(job)
    job_url = reverse("portal:job-detail", kwargs={"job_id": job.public_id, "slug": job.slug or "job"})
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?next={reverse('portal:job-apply', args=[job.public_id])}"
        )
    if request.method == "GET" and tracked_application_for_job(
        seeker=request.user, job_public_id=job.public_id
    ):
        # Already applied: the job page says so (with the tracker link) instead of a form that would answer 409.
        messages.info(request, "You have already applied to this job.")
        return redirect(job_url)
    questions = detail["screening_questions"] or []
    tracker_url = public_url(request, reverse("portal:tracker", urlconf=settings.PUBLIC_SCHEMA_URLCONF))
    context = {
        "job": detail,
        "job_url": job_url,
        "questions": questions,
        "values": request.POST,
        "problem": None,
        "tracker_url": tracker_url,
        # Applying here counts against the seeker's monthly applications: at the limit the form is replaced by
        # the plan gate before anything is typed. (A job that takes applications elsewhere counts nothing.)
        "apply_gate": None
        if job.apply_url
        else plan_gate_for(
            request,
            account=billing_account_for_user(request.user, Audience.SEEKER),
            metric=Metric.APPLICATIONS_PER_MONTH,
        ),
    }
    status = 200
    if request.method == "GET":
        capture.record(
            "apply_started", job=job, source=capture.apply_source_of(request, job.public_id), request=request
        )
    if request.method == "POST":
        try:
            result = _submit(request, job, questions)
        except DomainError as exc:
            context["problem"], status = exc.as_dict(), exc.status
            if exc.code == "limit_reached":
                context["limit_problem"] = context["problem"]
                context["apply_gate"] = plan_gate_for(
                    request,
                    account=billing_account_for_user(request.user, Audience.SEEKER),
                    metric=Metric.APPLICATIONS_PER_MONTH,
                )
        else:
            capture.record_applied(
                request, result.tracked, source=capture.apply_source_of(request, result.tracked.job_public_id)
            )
            if result.apply_url:
                return redirect(result.apply_url)
            return render(
                request,
                "portal/apply/done.html",
                {"job": detail, "tracked": result.tracked, "tracker_url": tracker_url},
                status=201,
            )
    context["resumes"] = seeker_selectors.resume_list(seeker=request.user)
    return render(request, "portal/apply/form.html", context, status=status)


def _submit(request, job, questions):
    upload = request.FILES.get("resume_file")
    try:
        body = ApplyIn.model_validate(
            {
                "resume_id": None if upload is not None else request.POST.get("resume_id") or None,
                "cover_letter": request.POST.get("cover_letter", ""),
                "answers": _answers_from(request.POST, questions),
            }
        )
    except ValidationError as error:
        raise Invalid(_first_error(error), code="invalid_input") from error
    # Uploaded only once the form is valid; the resume then stays in the seeker's library whatever apply answers.
    resume_id = resume_upload(seeker=request.user, upload=upload).pk if upload is not None else body.resume_id
    return services.application_submit(
        seeker=request.user,
        host_tenant=request.tenant,
        job_public_id=job.public_id,
        resume_id=resume_id,
        cover_letter=body.cover_letter,
        answers=body.answers,
    )


# --- Pipeline (tenant host, console) ------------------------------------------------------------------------------


def _can_edit(request) -> bool:
    return request.membership.has_role(Role.RECRUITER)


def _require_recruiter(request) -> None:
    if not _can_edit(request):
        raise DjangoPermissionDenied("Viewers can look but not change the pipeline.")


def _application_or_404(application_id: int):
    try:
        return selectors.application_get(application_id=application_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _board_context(request, job, **focus) -> dict:
    """The columns of one job's board; `focus` names the card a move just touched (focus_id, pending, problem)."""
    applications = list(selectors.application_list().filter(job=job))
    stages = list(selectors.pipeline_stage_list())
    screening_gate = plan_gate_for(
        request, account=billing_account_for_tenant(request.tenant), feature=Feature.AI_SCREENING
    )
    sort = "match" if request.GET.get("sort") == "match" and screening_gate.open else ""
    matches = screening_matches(tenant=request.tenant, posting=job, applications=applications) if sort else {}
    if sort:  # reordered within each column; every card stays
        applications = by_match(applications, matches)
    for application in applications:
        application.match = matches.get(application.pk)
    columns = [
        {"stage": stage, "cards": [a for a in applications if a.stage_id == stage.pk]} for stage in stages
    ]
    return {
        "sort": sort,
        "screening_gate": screening_gate,
        "job": job,
        "columns": columns,
        "stages": stages,
        "total": len(applications),
        "can_edit": _can_edit(request),
        "board_url": reverse("portal:pipeline-board", args=[job.public_id]),
        "focus_id": None,
        "console_section": "pipeline",
        **focus,
    }


def _job_or_404(job_id: str):
    try:
        return job_posting_get(public_id=job_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


@console_page()
@require_GET
def pipeline_board(request, job_id: str):
    """One job's kanban: a column per stage, a card per open application with a stage select to move it."""
    return render(request, "portal/console/pipeline/board.html", _board_context(request, _job_or_404(job_id)))


@console_page()
@require_GET
def applicant_list(request):
    """Every applicant of the employer, priority candidates first then newest, searchable by name or email."""
    q = request.GET.get("q", "").strip()[:100]
    applications = selectors.application_list(q=q)[:200]
    return render(
        request,
        "portal/console/pipeline/applicants.html",
        {
            "applications": applications,
            "q": q,
            "stages": list(selectors.pipeline_stage_list()),
            "can_edit": _can_edit(request),
            "console_section": "pipeline",
        },
    )


@console_page()
@require_POST
def application_move(request, application_id: int):
    """Move a card. htmx gets the job's board back with the moved card focused (or asking for a rejection reason,
    or showing the error on it); a plain form goes back to where it came from."""
    _require_recruiter(request)
    application = _application_or_404(application_id)
    problem, pending, status = None, None, 200
    try:
        body = MoveIn.model_validate(
            {"stage_id": request.POST.get("stage_id") or 0, "reason": request.POST.get("reason", "")}
        )
        services.applications_move(
            actor=request.user, application_ids=[application.pk], stage_id=body.stage_id, reason=body.reason
        )
    except ValidationError as error:
        problem, status = _first_error(error), 422
    except DomainError as exc:
        problem, status = exc.detail, exc.status
        if exc.code == "reason_required":
            pending = next(stage for stage in selectors.pipeline_stage_list() if stage.pk == body.stage_id)
            problem = None if not body.reason else problem
    application = _application_or_404(application_id)
    if request.htmx:
        context = _board_context(
            request, application.job, focus_id=application.pk, pending=pending, problem=problem
        )
        return render(request, "portal/console/pipeline/_board.html", context, status=status)
    if problem or pending:
        messages.error(
            request, problem or f"Choose a reason for moving {application.name} to {pending.name}."
        )
    else:
        messages.success(request, f"{application.name} moved to {application.stage.name}.")
    return redirect(_safe_next(request) or reverse("portal:pipeline-application", args=[application.pk]))


def _safe_next(request) -> str:
    # Only a path on this host: a crafted `next` must not send staff elsewhere.
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else ""


@console_page()
@require_GET
def application_detail(request, application_id: int):
    return _render_detail(request, _application_or_404(application_id))


def _render_detail(request, application, *, errors: dict | None = None, status: int = 200):
    my_scorecard = None
    scorecards = list(selectors.scorecard_list(application_id=application.pk))
    for scorecard in scorecards:
        if scorecard.author_id == request.user.pk:
            my_scorecard = scorecard
    return render(
        request,
        "portal/console/pipeline/application.html",
        {
            "application": application,
            "history": selectors.application_history(application_id=application.pk),
            "notes": selectors.note_list(application_id=application.pk),
            "interviews": selectors.interview_list(application_id=application.pk),
            "scorecards": scorecards,
            "my_scorecard": my_scorecard,
            "console_section": "pipeline",
            "authors": {member.user_id: member.user for member in member_list(tenant=request.tenant)},
            "stages": list(selectors.pipeline_stage_list()),
            "can_edit": _can_edit(request),
            "errors": errors or {},
            "values": request.POST,
            "interview_kinds": Interview.Kind.choices,
            "recommendations": Scorecard.Recommendation.choices,
            "resume_url": f"/api/v1/resumes/{application.resume_public_id}/download/"
            if application.resume_public_id
            else None,
        },
        status=status,
    )


def _detail_write(request, application_id: int, section: str, write, success: str):
    """Run one write for the candidate page; errors re-render the page with the message by its section."""
    _require_recruiter(request)
    application = _application_or_404(application_id)
    try:
        write(application)
    except ValidationError as error:
        return _render_detail(request, application, errors={section: _first_error(error)}, status=422)
    except DomainError as exc:
        return _render_detail(request, application, errors={section: exc.detail}, status=exc.status)
    messages.success(request, success)
    return redirect(reverse("portal:pipeline-application", args=[application.pk]) + f"#{section}")


@console_page()
@require_POST
def note_add(request, application_id: int):
    def write(application):
        body = NoteIn.model_validate({"body": request.POST.get("body", "")})
        services.note_create(actor=request.user, application_id=application.pk, body=body.body)

    return _detail_write(request, application_id, "notes", write, "Note added.")


@console_page()
@require_POST
def interview_add(request, application_id: int):
    def write(application):
        raw = {
            name: request.POST.get(name, "").strip()
            for name in ("starts_at", "duration_minutes", "kind", "title", "location", "meeting_url")
        }
        raw = {name: value for name, value in raw.items() if value}
        if (
            "starts_at" in raw and len(raw["starts_at"]) == 16
        ):  # <input type=datetime-local> is minutes, UTC here
            raw["starts_at"] += ":00Z"
        body = InterviewIn.model_validate(raw)
        services.interview_schedule(
            actor=request.user, application_id=application.pk, fields=body.model_dump()
        )

    return _detail_write(
        request, application_id, "interviews", write, "Interview scheduled; the candidate is told."
    )


@console_page()
@require_POST
def scorecard_save(request, application_id: int):
    def write(application):
        body = ScorecardIn.model_validate(
            {
                "overall": request.POST.get("overall") or 0,
                "recommendation": request.POST.get("recommendation", ""),
                "comments": request.POST.get("comments", ""),
            }
        )
        services.scorecard_submit(actor=request.user, application_id=application.pk, fields=body.model_dump())

    return _detail_write(request, application_id, "scorecards", write, "Scorecard saved.")
