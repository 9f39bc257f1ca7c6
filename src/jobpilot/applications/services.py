"""Writes for applications: applying (public side), the employer's pipeline (tenant side), and the two calls the
seeker's tracker makes into an employer's schema (withdrawal, account deletion).

Employer-side functions run in the schema of the request's tenant (the middleware put the connection there) and
name that tenant with `current_tenant()`, derived from the connection, never from input. Apply is the one flow
that starts on any host and enters an employer's schema: it does so only through `_in_employer_schema`.

Notifications are written inside the caller's transaction; `notify` pushes and emails only after commit, so a
rolled-back write notifies nobody.
"""

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Avg, F
from django.utils import timezone
from django_tenants.utils import tenant_context

from billing.entitlements import consume, has_feature, release
from billing.plans import Audience, Feature, Metric
from billing.selectors import billing_account_for_user
from jobpilot.applications.models import (
    Application,
    Interview,
    Note,
    PipelineStage,
    Scorecard,
    StatusChange,
)
from jobpilot.audit import services as audit
from jobpilot.calendars.invitations import interview_invitations_send_later
from jobpilot.core.errors import Conflict, Invalid, NotFound
from jobpilot.core.time_zones import format_moment
from jobpilot.jobs.models import JobPosting
from jobpilot.jobs.selectors import current_tenant
from jobpilot.marketplace.selectors import marketplace_job_get
from jobpilot.matching.selectors import application_scores
from jobpilot.notifications.services import notify, notify_tenant_staff
from jobpilot.notifications.types import NotificationType
from jobpilot.seekers.models import Resume
from jobpilot.syndication.snapshot import job_snapshot
from jobpilot.tracker.models import CLOSED_STATUSES, PublicStatus, TrackedApplication
from jobpilot.tracker.selectors import tracked_application_url
from jobpilot.tracker.services import (
    tracked_application_create_for_jobpilot_apply,
    tracked_application_record_external_apply,
    tracked_application_sync_status,
    tracked_interview_sync_from_employer,
)
from jobpilot.webhooks import payloads
from jobpilot.webhooks.events import EventType
from jobpilot.webhooks.services import webhook_event_emit, webhook_events_emit
from tenants.due_work import due_work_schedule
from tenants.models import DueWork

# A withdrawal this soon after applying gives the month's application back (docs/adr/0003-billing-plans-usage-and-stripe.md).
WITHDRAW_REFUND_WINDOW = timedelta(hours=1)
MAX_ANSWER_LENGTH = 5_000
MAX_BULK_MOVE = 200
ANONYMIZED_NAME = "Deleted candidate"

User = get_user_model()


# --- Apply ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyResult:
    """Either an application made through JobPilot (`application`, the seeker's tracker row) or, for a posting that
    takes applications on the employer's own site, the URL to go to (`apply_url`, tracker row of the click)."""

    tracked: TrackedApplication
    apply_url: str = ""
    employer_application_id: int | None = None


@contextlib.contextmanager
def _in_employer_schema(tenant):
    """Enter the schema of the employer that owns a marketplace job.

    WARNING: the one place apply crosses into an employer's schema. `tenant` must be the one recorded on the
    marketplace index row being applied to (`MarketplaceJob.tenant`), never one named by the request.
    """
    with tenant_context(tenant):
        yield


def _resume_for_apply(*, seeker, resume_id: uuid.UUID | None) -> Resume | None:
    resumes = Resume.objects.filter(owner=seeker, deleted_at__isnull=True)
    if resume_id is None:
        return resumes.filter(is_default=True).first()
    resume = resumes.filter(pk=resume_id).first()
    if resume is None:
        raise Invalid("Resume not found.", code="invalid_resume", field="resume_id")
    return resume


def _checked_answers(questions: list[dict], answers: dict[str, object]) -> list[dict]:
    """The answers as stored: one entry per question of the posting, in its order. 422 naming the question when
    a required one is unanswered, an answer does not fit its kind, or an answer is for no question."""
    known = {question["id"] for question in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise Invalid(
            f"No screening question has the id {unknown[0]!r}.",
            code="unknown_question",
            question_id=unknown[0],
        )
    stored = []
    for question in questions:
        answer = answers.get(question["id"])
        if answer in (None, "", []):
            if question.get("required"):
                raise Invalid(
                    f"Please answer the required question: {question['question']}",
                    code="answer_required",
                    question_id=question["id"],
                    question=question["question"],
                )
            continue
        stored.append(
            {
                "question_id": question["id"],
                "question": question["question"],
                "answer": _checked_answer(question, answer),
            }
        )
    return stored


def _checked_answer(question: dict, answer):
    kind = question.get("kind", "text")
    choices = question.get("choices") or []

    def bad(expected: str):
        return Invalid(
            f"The answer to {question['question']!r} must be {expected}.",
            code="invalid_answer",
            question_id=question["id"],
            question=question["question"],
        )

    if kind == "yes_no":
        if not isinstance(answer, bool):
            raise bad("true or false")
    elif kind == "number":
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            raise bad("a number")
    elif kind == "single_choice":
        if answer not in choices:
            raise bad(f"one of {choices}")
    elif kind == "multiple_choice":
        if not isinstance(answer, list) or not answer or any(item not in choices for item in answer):
            raise bad(f"a list of choices among {choices}")
        answer = list(dict.fromkeys(answer))
    elif not isinstance(answer, str) or len(answer) > MAX_ANSWER_LENGTH:
        raise bad(f"a text of at most {MAX_ANSWER_LENGTH} characters")
    return answer.strip() if isinstance(answer, str) else answer


def _accepting(posting: JobPosting, now: datetime) -> None:
    if posting.status != JobPosting.Status.PUBLISHED or (posting.closes_at and posting.closes_at <= now):
        raise Conflict("This job no longer accepts applications.", code="job_closed")


@transaction.atomic
def application_submit(
    *,
    seeker,
    host_tenant,
    job_public_id,
    resume_id: uuid.UUID | None = None,
    cover_letter: str = "",
    answers: dict | None = None,
) -> ApplyResult:
    """Apply to a live job as `seeker`. `host_tenant` is the request's tenant: on an employer's domain only its own
    jobs can be found.

    One transaction: count one `applications_per_month` (402 past the limit; the counter row stays locked until
    commit, so the limit is exact), lock the posting in its employer's schema, create the application (with the
    seeker's match score for the job), its first history row and the tracker row, bump the posting's
    `application_count`, and notify the employer's recruiters.
    A second application to the same job is 409 (`already_applied`) and counts nothing: the tracker's and the
    application's unique indexes decide under concurrency, and the conflict rolls the count back.
    """
    job = marketplace_job_get(public_id=job_public_id, tenant=host_tenant)
    job_url = f"{settings.SITE_URL}/jobs/{job.public_id}/"  # absolute: exported, emailed, imported back
    if job.apply_url:
        tracked, _ = tracked_application_record_external_apply(
            seeker=seeker,
            job_public_id=job.public_id,
            title=job.title,
            company=job.company_name,
            job_url=job.apply_url,
            location=job.location_text,
            job_snapshot=job_snapshot(job),
        )
        return ApplyResult(tracked=tracked, apply_url=job.apply_url)
    if job.tenant is None:  # an imported job without an apply link cannot take applications here
        raise Conflict("This job takes applications on the employer's site.", code="external_job")
    if TrackedApplication.objects.filter(seeker=seeker, job_public_id=job.public_id).exists():
        # Early answer only; the unique indexes below are what hold under concurrency.
        raise Conflict("You have already applied to this job.", code="already_applied")

    resume = _resume_for_apply(seeker=seeker, resume_id=resume_id)
    # Scored before any lock is taken (the seeker's embedding may be computed), stored with the application.
    [match_score] = application_scores([(seeker.pk, resume.pk if resume else None, job.public_id)])
    seeker_account = billing_account_for_user(seeker, Audience.SEEKER)
    consume(seeker_account, Metric.APPLICATIONS_PER_MONTH)
    priority = has_feature(seeker_account, Feature.PRIORITY_IN_EMPLOYER_VIEWS)
    now = timezone.now()
    with _in_employer_schema(job.tenant):
        posting = JobPosting.objects.select_for_update().filter(pk=job.posting_id).first()
        if posting is None:
            raise NotFound("No such job, or it is no longer open.", code="job_not_found")
        _accepting(posting, now)
        stored_answers = _checked_answers(posting.screening_questions, answers or {})
        stage = PipelineStage.objects.get(is_initial=True)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    job=posting,
                    stage=stage,
                    stage_entered_at=now,
                    seeker_user_id=seeker.pk,
                    name=(seeker.get_full_name() or seeker.email)[:200],
                    email=seeker.email,
                    resume_public_id=resume.pk if resume else None,
                    resume_filename=resume.original_filename if resume else "",
                    cover_letter=cover_letter,
                    answers=stored_answers,
                    priority=priority,
                    match_score=match_score,
                    source=Application.Source.MARKETPLACE
                    if host_tenant.is_public
                    else Application.Source.CAREER_SITE,
                    created_at=now,
                )
        except IntegrityError as error:
            raise Conflict("You have already applied to this job.", code="already_applied") from error
        StatusChange.objects.create(
            application=application, kind=StatusChange.Kind.APPLIED, to_stage=stage, occurred_at=now
        )
        _pipeline_changed(at=now)
        JobPosting.objects.filter(pk=posting.pk).update(application_count=F("application_count") + 1)
        tracked = tracked_application_create_for_jobpilot_apply(
            seeker=seeker,
            tenant=job.tenant,
            application_id=application.pk,
            job_public_id=job.public_id,
            title=posting.title,
            company=job.company_name,
            resume=resume,
            job_url=job_url,
            location=job.location_text,
            applied_at=now,
            job_snapshot=job_snapshot(job),
        )
        notify_tenant_staff(
            tenant=job.tenant,
            type=NotificationType.APPLICATION_RECEIVED,
            title=f"New application for {posting.title}",
            body=f"{application.name} applied.",
            data={"application_id": application.pk, "job_id": str(posting.public_id)},
        )
        webhook_event_emit(EventType.APPLICATION_RECEIVED, payloads.application_data(job.tenant, application))
    return ApplyResult(tracked=tracked, employer_application_id=application.pk)


# --- Called by the seeker's tracker, in the employer's schema --------------------------------------------------------


@transaction.atomic
def application_withdraw_by_seeker(*, application_id: int) -> Application | None:
    """The seeker withdrew (the tracker calls this in the employer's schema, inside its transaction). Records the
    withdrawal in the history; within an hour of applying the month's application is given back. Idempotent;
    None when the application is gone. Locks the application."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.withdrawn_at is not None:
        return application
    now = timezone.now()
    application.withdrawn_at = now
    application.save(update_fields=["withdrawn_at", "updated_at"])
    StatusChange.objects.create(
        application=application,
        kind=StatusChange.Kind.WITHDRAWN,
        from_stage_id=application.stage_id,
        occurred_at=now,
    )
    _pipeline_changed(at=now)
    webhook_event_emit(
        EventType.APPLICATION_WITHDRAWN,
        payloads.application_data(
            current_tenant(), Application.objects.select_related("job", "stage").get(pk=application.pk)
        ),
    )
    seeker = User.objects.filter(pk=application.seeker_user_id).first()
    if seeker is not None and now - application.created_at <= WITHDRAW_REFUND_WINDOW:
        release(
            billing_account_for_user(seeker, Audience.SEEKER),
            Metric.APPLICATIONS_PER_MONTH,
            consumed_at=application.created_at,
        )
    return application


@transaction.atomic
def application_anonymize_for_deleted_seeker(*, application_ids: list[int]) -> int:
    """The seeker deleted the account: clear the candidate's snapshot (name, email, resume, cover letter, answers,
    user id) but keep the application, its stage and history, so the employer's counts hold. Returns how many."""
    return Application.objects.filter(pk__in=application_ids, anonymized_at__isnull=True).update(
        seeker_user_id=None,
        name=ANONYMIZED_NAME,
        email="",
        resume_public_id=None,
        resume_filename="",
        cover_letter="",
        answers=[],
        anonymized_at=timezone.now(),
        updated_at=timezone.now(),
    )


# --- Stages -----------------------------------------------------------------------------------------------------------


def _stage(stage_id: int) -> PipelineStage:
    stage = PipelineStage.objects.filter(pk=stage_id).first()
    if stage is None:
        raise NotFound("Stage not found.", code="stage_not_found")
    return stage


@transaction.atomic
def pipeline_stage_create(*, actor, fields: dict) -> PipelineStage:
    if PipelineStage.objects.filter(name__iexact=fields["name"]).exists():
        raise Conflict("A stage with this name exists.", code="stage_name_taken")
    if fields.get("position") is None:
        last = PipelineStage.objects.order_by("-position").values_list("position", flat=True).first()
        fields = {**fields, "position": (last or 0) + 1}
    return PipelineStage.objects.create(**fields)


@transaction.atomic
def pipeline_stage_update(*, actor, stage_id: int, changes: dict) -> PipelineStage:
    """Rename, reorder, remap or change the rejection reasons of a stage. Making a stage initial moves the flag
    from the previous initial stage. Locks the stages."""
    list(PipelineStage.objects.select_for_update().values_list("pk", flat=True))
    stage = _stage(stage_id)
    name = changes.get("name")
    if name and PipelineStage.objects.filter(name__iexact=name).exclude(pk=stage.pk).exists():
        raise Conflict("A stage with this name exists.", code="stage_name_taken")
    if changes.get("is_initial") is False and stage.is_initial:
        raise Conflict("Make another stage initial instead.", code="initial_stage_required")
    if changes.get("is_initial"):
        PipelineStage.objects.filter(is_initial=True).exclude(pk=stage.pk).update(is_initial=False)
    for field, value in changes.items():
        setattr(stage, field, value)
    stage.save()
    return stage


@transaction.atomic
def pipeline_stage_delete(*, actor, stage_id: int) -> None:
    """Only a stage that no application is in or has been in (history refers to it), and never the initial one."""
    stage = _stage(stage_id)
    if stage.is_initial:
        raise Conflict("The initial stage cannot be deleted.", code="initial_stage_required")
    used = (
        Application.objects.filter(stage=stage).exists()
        or StatusChange.objects.filter(to_stage=stage).exists()
        or StatusChange.objects.filter(from_stage=stage).exists()
    )
    if used:
        raise Conflict("Applications have been in this stage; rename it instead.", code="stage_in_use")
    stage.delete()


# --- Moves ------------------------------------------------------------------------------------------------------------


@transaction.atomic
def applications_move(
    *, actor, application_ids: list[int], stage_id: int, reason: str = ""
) -> list[Application]:
    """Move one or many applications to a stage, all or none. Each move appends a history row and mirrors the
    stage's public status on the seeker's tracker in this transaction; a seeker whose public status changes is
    notified. Withdrawn or anonymized applications cannot move (409). Locks the applications in id order."""
    ids = sorted(set(application_ids))
    if len(ids) > MAX_BULK_MOVE:
        raise Invalid(f"Move at most {MAX_BULK_MOVE} applications at once.", code="too_many")
    stage = _stage(stage_id)
    if stage.rejection_reasons and reason not in stage.rejection_reasons:
        raise Invalid(
            f"Moving to {stage.name} needs one of the reasons: {', '.join(stage.rejection_reasons)}.",
            code="reason_required",
            field="reason",
            reasons=stage.rejection_reasons,
        )
    applications = list(
        Application.objects.select_for_update()
        .select_related("stage", "job")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    missing = sorted(set(ids) - {application.pk for application in applications})
    if missing:
        raise NotFound("Application not found.", code="application_not_found", ids=missing)
    closed = [application.pk for application in applications if not application.is_open]
    if closed:
        raise Conflict(
            "Withdrawn or anonymized applications cannot move.", code="application_closed", ids=closed
        )

    tenant = current_tenant()
    now = timezone.now()
    seekers = User.objects.in_bulk([a.seeker_user_id for a in applications if a.seeker_user_id])
    events = []
    for application in applications:
        previous = application.stage
        if previous.pk == stage.pk and application.rejection_reason == reason:
            continue
        application.stage = stage
        application.stage_entered_at = now
        application.rejection_reason = reason if stage.rejection_reasons else ""
        application.save(update_fields=["stage", "stage_entered_at", "rejection_reason", "updated_at"])
        StatusChange.objects.create(
            application=application,
            kind=StatusChange.Kind.MOVED,
            from_stage=previous,
            to_stage=stage,
            reason=application.rejection_reason,
            actor_id=getattr(actor, "pk", None),
            occurred_at=now,
        )
        audit.record(
            actor=actor,
            action="application.move",
            target=application,
            before={"stage": previous.name},
            after={"stage": stage.name, "reason": application.rejection_reason},
        )
        tracked = tracked_application_sync_status(
            tenant=tenant, application_id=application.pk, public_status=stage.public_status, occurred_at=now
        )
        data = payloads.application_data(tenant, application, previous_stage=previous)
        events.append((EventType.APPLICATION_STAGE_MOVED, data))
        outcome = _OUTCOME_EVENTS.get(stage.public_status)
        if outcome and previous.public_status != stage.public_status:
            events.append((outcome, data))
        seeker = seekers.get(application.seeker_user_id)
        if seeker is not None and tracked is not None and previous.public_status != stage.public_status:
            notify(
                recipient=seeker,
                type=NotificationType.APPLICATION_STATUS_CHANGED,
                title=f"{application.job.title} at {tenant.name}: {tracked.get_status_display()}",
                tenant=tenant,
                data={
                    "tracked_application_id": str(tracked.pk),
                    "status": tracked.status,
                    "url": tracked_application_url(tracked.pk),
                },
            )
    if events:
        _pipeline_changed(at=now)
    webhook_events_emit(events)
    return applications


def _pipeline_changed(*, at) -> None:
    """The history changed: the analytics beat rolls this employer's pipeline up again from `at`'s day (ADR 0027;
    it enters only the schemas with such a change, ADR 0010). In the transaction that wrote the history."""
    due_work_schedule(kind=DueWork.Kind.PIPELINE_ROLLUP, at=at)


# A move into a stage with one of these public statuses is also announced as its outcome.
_OUTCOME_EVENTS = {
    PublicStatus.OFFER: EventType.APPLICATION_OFFERED,
    PublicStatus.HIRED: EventType.APPLICATION_HIRED,
    PublicStatus.NOT_SELECTED: EventType.APPLICATION_REJECTED,
}


# --- Notes ------------------------------------------------------------------------------------------------------------


def _application(application_id: int, *, lock: bool = False) -> Application:
    rows = Application.objects.select_for_update() if lock else Application.objects
    application = rows.filter(pk=application_id).first()
    if application is None:
        raise NotFound("Application not found.", code="application_not_found")
    return application


def note_create(*, actor, application_id: int, body: str) -> Note:
    return Note.objects.create(application=_application(application_id), author_id=actor.pk, body=body)


def _note(*, application_id: int, note_id: int) -> Note:
    note = Note.objects.filter(pk=note_id, application_id=application_id).first()
    if note is None:
        raise NotFound("Note not found.", code="note_not_found")
    return note


def note_update(*, actor, application_id: int, note_id: int, body: str) -> Note:
    """Only the author edits a note (others add their own)."""
    note = _note(application_id=application_id, note_id=note_id)
    if note.author_id != actor.pk:
        raise Conflict("Only the author can edit a note.", code="not_the_author")
    note.body = body
    note.save(update_fields=["body", "updated_at"])
    return note


def note_delete(*, actor, application_id: int, note_id: int, may_delete_others: bool) -> None:
    note = _note(application_id=application_id, note_id=note_id)
    if note.author_id != actor.pk and not may_delete_others:
        raise Conflict("Only the author or an admin can delete a note.", code="not_the_author")
    audit.record(actor=actor, action="note.delete", target=note, before={"application_id": application_id})
    note.delete()


# --- Interviews -------------------------------------------------------------------------------------------------------


def _tell_seeker_about(interview: Interview, application: Application, tenant, headline: str) -> None:
    """Mirror the interview on the seeker's tracker (what the candidate is told only) and notify them, with a link
    to the application in their tracker."""
    tracked = tracked_interview_sync_from_employer(
        tenant=tenant,
        application_id=application.pk,
        interview_id=interview.pk,
        starts_at=interview.starts_at,
        duration_minutes=interview.duration_minutes,
        kind=interview.kind,
        title=interview.title or f"Interview for {application.job.title}",
        location=interview.location,
        meeting_url=interview.meeting_url,
        cancelled=interview.status == Interview.Status.CANCELLED,
    )
    seeker = (
        User.objects.filter(pk=application.seeker_user_id).first() if application.seeker_user_id else None
    )
    if seeker is None:
        return
    link = {"url": tracked_application_url(tracked.application_id)} if tracked is not None else {}
    notify(
        recipient=seeker,
        type=NotificationType.INTERVIEW_SCHEDULED,
        title=f"{headline}: {application.job.title} at {tenant.name}",
        body=f"Starts {format_moment(interview.starts_at, seeker.time_zone)} ({interview.duration_minutes} minutes).",
        tenant=tenant,
        data={
            "interview_id": interview.pk,
            "starts_at": interview.starts_at,
            "status": interview.status,
            **link,
        },
    )


@transaction.atomic
def interview_schedule(*, actor, application_id: int, fields: dict) -> Interview:
    """Schedule an interview, mirror it on the seeker's tracker (what the candidate is told only) and tell the
    seeker. Locks the application."""
    application = _application(application_id, lock=True)
    if not application.is_open:
        raise Conflict("This application is withdrawn or anonymized.", code="application_closed")
    interview = Interview.objects.create(application=application, created_by_id=actor.pk, **fields)
    _arm_reminders(interview)
    tenant = current_tenant()
    _tell_seeker_about(interview, application, tenant, "Interview scheduled")
    webhook_event_emit(EventType.INTERVIEW_SCHEDULED, payloads.interview_data(tenant, interview, application))
    interview_invitations_send_later(interview.pk)
    return interview


def _arm_reminders(interview: Interview) -> None:
    # The reminder beat enters this schema when the first reminder is due (ADR 0010).
    if interview.status == Interview.Status.SCHEDULED:
        due_work_schedule(
            kind=DueWork.Kind.INTERVIEW_REMINDERS, at=interview.starts_at - Interview.REMINDER_HORIZONS[-1]
        )


def _locked_interview(*, application_id: int, interview_id: int) -> Interview:
    interview = (
        Interview.objects.select_for_update()
        .select_related("application__job")
        .filter(pk=interview_id, application_id=application_id)
        .first()
    )
    if interview is None:
        raise NotFound("Interview not found.", code="interview_not_found")
    return interview


# Changes the candidate is told about; feedback and the interviewers stay internal.
_CANDIDATE_FIELDS = frozenset({"starts_at", "duration_minutes", "kind", "title", "location", "meeting_url"})


@transaction.atomic
def interview_update(*, actor, application_id: int, interview_id: int, changes: dict) -> Interview:
    """Edit an interview. A change the candidate sees is mirrored and notified; moving it re-arms the reminders.
    Locks the interview."""
    interview = _locked_interview(application_id=application_id, interview_id=interview_id)
    if interview.status == Interview.Status.CANCELLED and set(changes) & _CANDIDATE_FIELDS:
        raise Conflict("This interview was cancelled; schedule a new one.", code="interview_cancelled")
    seen_change = any(
        getattr(interview, field) != value for field, value in changes.items() if field in _CANDIDATE_FIELDS
    )
    changed = any(getattr(interview, field) != value for field, value in changes.items())
    # What a calendar shows (the interviewers' invitations carry the panel too).
    calendar_change = (
        seen_change or changes.get("interviewers", interview.interviewers) != interview.interviewers
    )
    if "starts_at" in changes and changes["starts_at"] != interview.starts_at:
        interview.reminded_24h_at = interview.reminded_1h_at = None
    for field, value in changes.items():
        setattr(interview, field, value)
    interview.save()
    _arm_reminders(interview)
    if seen_change:
        tenant = current_tenant()
        _tell_seeker_about(interview, interview.application, tenant, "Interview updated")
    if calendar_change:
        interview_invitations_send_later(interview.pk)
    if changed:
        webhook_event_emit(
            EventType.INTERVIEW_UPDATED,
            payloads.interview_data(current_tenant(), interview, interview.application),
        )
    return interview


@transaction.atomic
def interview_cancel(*, actor, application_id: int, interview_id: int) -> Interview:
    interview = _locked_interview(application_id=application_id, interview_id=interview_id)
    if interview.status == Interview.Status.CANCELLED:
        return interview
    interview.status = Interview.Status.CANCELLED
    interview.save(update_fields=["status", "updated_at"])
    tenant = current_tenant()
    _tell_seeker_about(interview, interview.application, tenant, "Interview cancelled")
    webhook_event_emit(
        EventType.INTERVIEW_CANCELLED, payloads.interview_data(tenant, interview, interview.application)
    )
    interview_invitations_send_later(interview.pk)
    return interview


# --- Scorecards -------------------------------------------------------------------------------------------------------


def _refresh_rating(application_id: int) -> None:
    average = Scorecard.objects.filter(application_id=application_id).aggregate(value=Avg("overall"))["value"]
    Application.objects.filter(pk=application_id).update(rating=average)


@transaction.atomic
def scorecard_submit(*, actor, application_id: int, fields: dict) -> Scorecard:
    """Create or replace the actor's scorecard for the application (one per reviewer) and refresh the
    application's average rating. Locks the application, so concurrent scorecards average correctly."""
    application = _application(application_id, lock=True)
    scorecard, _ = Scorecard.objects.update_or_create(
        application=application, author_id=actor.pk, defaults=fields
    )
    _refresh_rating(application.pk)
    application = Application.objects.select_related("job", "stage").get(pk=application.pk)
    webhook_event_emit(
        EventType.SCORECARD_SUBMITTED, payloads.scorecard_data(current_tenant(), scorecard, application)
    )
    return scorecard


@transaction.atomic
def scorecard_delete(*, actor, application_id: int) -> None:
    application = _application(application_id, lock=True)
    deleted, _ = Scorecard.objects.filter(application=application, author_id=actor.pk).delete()
    if not deleted:
        raise NotFound("You have no scorecard for this application.", code="scorecard_not_found")
    _refresh_rating(application.pk)


# --- Reminders --------------------------------------------------------------------------------------------------------


def interview_reminders_send(*, now: datetime | None = None) -> int:
    """Remind seekers of interviews in this schema starting within 24 hours and within 1 hour, once each.
    Each interview is claimed with a conditional UPDATE (only while its flag is unset), and the notification's
    dedupe key makes a repeat a no-op, so concurrent beats or retries never remind twice. Returns how many sent."""
    now = now or timezone.now()
    tenant = current_tenant()
    sent = 0
    upcoming = Interview.objects.filter(status=Interview.Status.SCHEDULED, starts_at__gt=now)
    windows = [
        # (flag, horizon, label): the 1-hour reminder first; it also settles a 24-hour one that never went out.
        ("reminded_1h_at", Interview.REMINDER_HORIZONS[0], "in 1 hour"),
        ("reminded_24h_at", Interview.REMINDER_HORIZONS[1], "tomorrow"),
    ]
    for flag, horizon, label in windows:
        due = upcoming.filter(**{f"{flag}__isnull": True, "starts_at__lte": now + horizon})
        for interview_id in list(due.values_list("pk", flat=True)):
            with transaction.atomic():
                claim = {flag: now}
                if flag == "reminded_1h_at":
                    claim["reminded_24h_at"] = now
                if not Interview.objects.filter(pk=interview_id, **{f"{flag}__isnull": True}).update(**claim):
                    continue
                interview = Interview.objects.select_related("application__job").get(pk=interview_id)
                application = interview.application
                seeker = User.objects.filter(pk=application.seeker_user_id).first()
                if seeker is None:
                    continue
                created = notify(
                    recipient=seeker,
                    type=NotificationType.INTERVIEW_REMINDER,
                    title=f"Interview {label}: {application.job.title} at {tenant.name}",
                    body=f"Starts {format_moment(interview.starts_at, seeker.time_zone)}.",
                    tenant=tenant,
                    data={"interview_id": interview.pk, "starts_at": interview.starts_at},
                    dedupe_key=f"interview:{tenant.pk}:{interview.pk}:{interview.starts_at.isoformat()}:{flag}",
                )
                sent += created is not None
    return sent


# Seekers are reminded of a tracked deadline this many days ahead (and on the day), once per deadline.
DEADLINE_REMINDER_DAYS = 2


def deadline_reminders_send(*, today=None) -> int:
    """Remind seekers of the deadlines in their trackers (public schema) that fall within the next
    DEADLINE_REMINDER_DAYS days, on open applications. The notification's dedupe key (row + deadline) makes each
    deadline remind once whatever how often this runs; a changed deadline reminds again. Returns how many sent."""
    today = today or timezone.localdate()
    due = (
        TrackedApplication.objects.filter(
            deadline__gte=today, deadline__lte=today + timedelta(days=DEADLINE_REMINDER_DAYS)
        )
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("seeker")
        .order_by("deadline", "pk")
    )
    sent = 0
    for tracked in due.iterator(chunk_size=500):
        days = (tracked.deadline - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        created = notify(
            recipient=tracked.seeker,
            type=NotificationType.DEADLINE_REMINDER,
            title=f"Deadline {when}: {tracked.title} at {tracked.company}",
            data={"tracked_application_id": str(tracked.pk), "deadline": tracked.deadline},
            dedupe_key=f"deadline:{tracked.pk}:{tracked.deadline.isoformat()}",
        )
        sent += created is not None
    return sent
