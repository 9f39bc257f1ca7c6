"""Writes for the seeker's tracker.

Seeker-facing writes (`tracked_application_*`, `tracked_interview_*`) take the seeker and only ever touch that
seeker's rows. The apply flow and the employer's pipeline call three functions:

- `tracked_application_create_for_jobpilot_apply` inside the apply transaction,
- `tracked_application_sync_status` when the employer moves an application to a stage,
- `tracked_interview_sync_from_employer` when the employer schedules, moves or cancels an interview,

and account deletion calls `tracked_applications_anonymize_employer_copies`, the one place that reaches into the
employers' schemas on the seeker's behalf.

Every change of status goes through `_change_status`, which writes the append-only history row.
"""

import uuid
from collections import defaultdict
from datetime import datetime

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from jobpilot.accounts.services import user_lock
from jobpilot.core.errors import Conflict, Invalid, NotFound
from jobpilot.tracker import csv_io
from jobpilot.tracker.models import (
    CLOSED_STATUSES,
    INTERVIEW_OR_LATER,
    OFFER_OR_LATER,
    RESPONDED_STATUSES,
    PublicStatus,
    TrackedApplication,
    TrackedApplicationEvent,
    TrackedInterview,
)

Actor = TrackedApplicationEvent.Actor
Kind = TrackedApplicationEvent.Kind

MAX_TRACKED_APPLICATIONS = 10_000
# What the seeker may edit on an application made through JobPilot: their own notes, not the employer's posting.
JOBPILOT_EDITABLE_FIELDS = frozenset({"notes", "contacts", "deadline"})


def _ensure_room(seeker, adding: int = 1) -> None:
    if TrackedApplication.objects.filter(seeker=seeker).count() + adding > MAX_TRACKED_APPLICATIONS:
        raise Conflict(
            f"The tracker holds at most {MAX_TRACKED_APPLICATIONS} applications.", code="tracker_full"
        )


def _progress_flags(status: str) -> dict:
    """Funnel flags implied by being in `status` (reaching an offer counts as having passed the interviews)."""
    return {
        "responded": status in RESPONDED_STATUSES,
        "reached_interview": status in INTERVIEW_OR_LATER,
        "reached_offer": status in OFFER_OR_LATER,
    }


def _change_status(application: TrackedApplication, status: str, *, actor: str, at: datetime) -> bool:
    """Move a locked application to `status`, keep the funnel flags, append the history row. False if unchanged.

    Call while holding a SELECT ... FOR UPDATE lock on `application`.
    """
    if application.status == status:
        return False
    previous = application.status
    flags = _progress_flags(status)
    if flags["responded"] and not application.responded and previous == PublicStatus.APPLIED:
        application.first_response_at = at
    application.responded = application.responded or flags["responded"]
    application.reached_interview = application.reached_interview or flags["reached_interview"]
    application.reached_offer = application.reached_offer or flags["reached_offer"]
    application.status = status
    application.status_changed_at = at
    application.save(
        update_fields=[
            "status",
            "status_changed_at",
            "responded",
            "first_response_at",
            "reached_interview",
            "reached_offer",
            "updated_at",
        ]
    )
    TrackedApplicationEvent.objects.create(
        application=application,
        seeker_id=application.seeker_id,
        kind=Kind.STATUS_CHANGED,
        actor=actor,
        from_status=previous,
        to_status=status,
        occurred_at=at,
    )
    return True


def _created_event(application: TrackedApplication, *, actor: str, at: datetime) -> TrackedApplicationEvent:
    return TrackedApplicationEvent(
        application=application,
        seeker_id=application.seeker_id,
        kind=Kind.CREATED,
        actor=actor,
        to_status=application.status,
        occurred_at=at,
    )


def _locked_application(*, seeker, application_id: uuid.UUID) -> TrackedApplication:
    application = (
        TrackedApplication.objects.select_for_update().filter(pk=application_id, seeker=seeker).first()
    )
    if application is None:
        raise NotFound("Application not found.")
    return application


def _check_salary_range(salary_min: int | None, salary_max: int | None) -> None:
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise Invalid(
            "salary_min must not exceed salary_max.", code="invalid_salary_range", field="salary_min"
        )


# --- External applications (the seeker's own records) ----------------------------------------------------------------


def _build_external(seeker, fields: dict, now: datetime) -> TrackedApplication:
    return TrackedApplication(
        seeker=seeker,
        source=TrackedApplication.Source.EXTERNAL,
        status_changed_at=now,
        **fields,
        **_progress_flags(fields.get("status", PublicStatus.APPLIED)),
    )


@transaction.atomic
def tracked_application_create_external(*, seeker, fields: dict) -> TrackedApplication:
    """Track an application made outside JobPilot. `fields` are validated `ExternalApplicationIn` fields.
    Holds the seeker lock for the row cap."""
    _check_salary_range(fields.get("salary_min"), fields.get("salary_max"))
    user_lock(seeker)
    _ensure_room(seeker)
    now = timezone.now()
    application = _build_external(seeker, fields, now)
    application.save()
    _created_event(application, actor=Actor.SEEKER, at=now).save()
    return application


@transaction.atomic
def tracked_application_update(*, seeker, application_id: uuid.UUID, changes: dict) -> TrackedApplication:
    """Edit the seeker's own fields. Status has its own call; JobPilot applications only take
    JOBPILOT_EDITABLE_FIELDS. Locks the row."""
    application = _locked_application(seeker=seeker, application_id=application_id)
    if not application.is_external:
        refused = sorted(set(changes) - JOBPILOT_EDITABLE_FIELDS)
        if refused:
            raise Conflict(
                "This application was made through JobPilot: only notes, contacts and deadline can be edited.",
                code="managed_by_employer",
                fields=refused,
            )
    _check_salary_range(
        changes.get("salary_min", application.salary_min), changes.get("salary_max", application.salary_max)
    )
    for field, value in changes.items():
        setattr(application, field, value)
    application.save()
    return application


@transaction.atomic
def tracked_application_set_status(*, seeker, application_id: uuid.UUID, status: str) -> TrackedApplication:
    """Quick status update of an external application (JobPilot applications follow the employer). Locks the row."""
    application = _locked_application(seeker=seeker, application_id=application_id)
    if not application.is_external:
        raise Conflict(
            "The employer updates the status of applications made through JobPilot. You can withdraw instead.",
            code="managed_by_employer",
        )
    _change_status(application, status, actor=Actor.SEEKER, at=timezone.now())
    return application


@transaction.atomic
def tracked_application_withdraw(*, seeker, application_id: uuid.UUID) -> TrackedApplication:
    """Withdraw an open application. For one made through JobPilot the employer's copy is withdrawn in the same
    transaction (all schemas share one database). Locks the row."""
    application = _locked_application(seeker=seeker, application_id=application_id)
    if application.status in CLOSED_STATUSES:
        raise Conflict(
            f"This application is already closed ({PublicStatus(application.status).label}).",
            code="application_closed",
        )
    _change_status(application, PublicStatus.WITHDRAWN, actor=Actor.SEEKER, at=timezone.now())
    if application.tenant_id is not None and application.tenant_application_id is not None:
        _employer_application_withdraw(application)
    return application


@transaction.atomic
def tracked_application_delete(*, seeker, application_id: uuid.UUID) -> None:
    """Remove an external application and its history. JobPilot applications stay (withdraw them instead): the
    row is the seeker's link to the employer's copy."""
    application = _locked_application(seeker=seeker, application_id=application_id)
    if not application.is_external:
        raise Conflict(
            "Applications made through JobPilot cannot be deleted from the tracker. Withdraw it instead.",
            code="managed_by_employer",
        )
    application.delete()


# --- Interviews the seeker adds to external applications ------------------------------------------------------------


def _interview_event(interview: TrackedInterview, kind: str, actor: str) -> None:
    TrackedApplicationEvent.objects.create(
        application_id=interview.application_id,
        seeker_id=interview.seeker_id,
        kind=kind,
        actor=actor,
        data={
            "interview_id": str(interview.id),
            "starts_at": interview.starts_at.isoformat(),
            "kind": interview.kind,
        },
    )


@transaction.atomic
def tracked_interview_create(*, seeker, application_id: uuid.UUID, fields: dict) -> TrackedInterview:
    """Add an interview to an external application (the employer's pipeline adds those of JobPilot ones)."""
    application = _locked_application(seeker=seeker, application_id=application_id)
    if not application.is_external:
        raise Conflict(
            "Interviews of applications made through JobPilot come from the employer.",
            code="managed_by_employer",
        )
    interview = TrackedInterview.objects.create(application=application, seeker=seeker, **fields)
    _interview_event(interview, Kind.INTERVIEW_SCHEDULED, Actor.SEEKER)
    return interview


def _locked_own_interview(*, seeker, application_id: uuid.UUID, interview_id: uuid.UUID) -> TrackedInterview:
    # The application first, then the interview: the order every write of an application's rows locks in, so an
    # interview edit and the application's deletion queue up instead of deadlocking.
    _locked_application(seeker=seeker, application_id=application_id)
    interview = (
        TrackedInterview.objects.select_for_update()
        .filter(pk=interview_id, application_id=application_id, seeker=seeker)
        .first()
    )
    if interview is None:
        raise NotFound("Interview not found.")
    if interview.from_employer:
        raise Conflict("The employer manages this interview.", code="managed_by_employer")
    return interview


@transaction.atomic
def tracked_interview_update(
    *, seeker, application_id: uuid.UUID, interview_id: uuid.UUID, changes: dict
) -> TrackedInterview:
    """Edit an interview the seeker added (the employer's come from the pipeline). Locks the interview."""
    interview = _locked_own_interview(seeker=seeker, application_id=application_id, interview_id=interview_id)
    for field, value in changes.items():
        setattr(interview, field, value)
    interview.save()
    cancelled = changes.get("status") == TrackedInterview.Status.CANCELLED
    _interview_event(
        interview, Kind.INTERVIEW_CANCELLED if cancelled else Kind.INTERVIEW_UPDATED, Actor.SEEKER
    )
    return interview


@transaction.atomic
def tracked_interview_delete(*, seeker, application_id: uuid.UUID, interview_id: uuid.UUID) -> None:
    interview = _locked_own_interview(seeker=seeker, application_id=application_id, interview_id=interview_id)
    _interview_event(interview, Kind.INTERVIEW_CANCELLED, Actor.SEEKER)
    interview.delete()


# --- Called by the apply flow and the employer's pipeline ------------------------------------------------------------


def tracked_application_create_for_jobpilot_apply(
    *,
    seeker,
    tenant,
    application_id: int,
    job_public_id: uuid.UUID,
    title: str,
    company: str,
    resume=None,
    job_url: str = "",
    location: str = "",
    applied_at: datetime | None = None,
    job_snapshot: dict | None = None,
) -> TrackedApplication:
    """The seeker's tracker row for an application just created in `tenant`'s schema (call it inside the apply
    transaction, after creating the employer's row). Raises Conflict(code="already_applied") when the seeker
    already has a tracker row for this job: the unique index decides, so concurrent double applies produce one.

    `tenant` must be the tenant whose schema holds `application_id` (the apply request's `request.tenant` or the
    posting's tenant); `resume`, when given, must belong to `seeker`.

    WARNING: (tenant, resume) on this row lets that tenant's members download the resume. Never pass a tenant the
    seeker did not apply to.
    """
    if resume is not None and (resume.owner_id != seeker.pk or resume.deleted_at is not None):
        raise Invalid("Resume not found.", code="invalid_resume", field="resume")
    at = applied_at or timezone.now()
    application = TrackedApplication(
        seeker=seeker,
        source=TrackedApplication.Source.JOBPILOT,
        tenant=tenant,
        tenant_application_id=application_id,
        job_public_id=job_public_id,
        resume=resume,
        company=company[:200],
        title=title[:200],
        job_url=job_url[:500],
        location=location[:200],
        status=PublicStatus.APPLIED,
        applied_on=timezone.localdate(at),
        status_changed_at=at,
        job_snapshot=job_snapshot or {},
    )
    try:
        with transaction.atomic():  # a savepoint, so the caller's transaction survives the Conflict
            user_lock(seeker)
            _ensure_room(seeker)
            application.save(force_insert=True)
            _created_event(application, actor=Actor.SEEKER, at=at).save()
    except IntegrityError as error:
        raise Conflict("You have already applied to this job.", code="already_applied") from error
    return application


def tracked_application_record_external_apply(
    *,
    seeker,
    job_public_id: uuid.UUID,
    title: str,
    company: str,
    job_url: str = "",
    location: str = "",
    job_snapshot: dict | None = None,
) -> tuple[TrackedApplication, bool]:
    """For a marketplace posting whose employer takes applications on its own site: the click becomes an external
    tracker row, once per job. Returns (row, created)."""
    existing = TrackedApplication.objects.filter(seeker=seeker, job_public_id=job_public_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            user_lock(seeker)
            _ensure_room(seeker)
            now = timezone.now()
            application = _build_external(
                seeker,
                {
                    "company": company[:200],
                    "title": title[:200],
                    "job_url": job_url[:500],
                    "location": location[:200],
                },
                now,
            )
            application.job_public_id = job_public_id
            application.job_snapshot = job_snapshot or {}
            application.save(force_insert=True)
            _created_event(application, actor=Actor.SEEKER, at=now).save()
    except IntegrityError:  # a concurrent click won
        return TrackedApplication.objects.get(seeker=seeker, job_public_id=job_public_id), False
    return application, True


def _employer_application(*, tenant, application_id: int):
    # WARNING: tenant-side ids repeat across schemas; a row is identified by (tenant, id), never by the id alone.
    return TrackedApplication.objects.select_for_update().filter(
        tenant=tenant, tenant_application_id=application_id
    )


@transaction.atomic
def tracked_application_sync_status(
    *, tenant, application_id: int, public_status: str, occurred_at: datetime | None = None
) -> TrackedApplication | None:
    """Mirror an employer's stage move on the seeker's tracker (call it in the same transaction as the move).
    `public_status` is the PublicStatus the stage maps to. Locks the tracker row.

    Returns None when there is no tracker row (the seeker deleted the account) and ignores moves of a withdrawn
    application: the seeker's withdrawal stands.
    """
    status = PublicStatus(public_status)
    application = _employer_application(tenant=tenant, application_id=application_id).first()
    if application is None or application.status == PublicStatus.WITHDRAWN:
        return application
    _change_status(application, status, actor=Actor.EMPLOYER, at=occurred_at or timezone.now())
    return application


@transaction.atomic
def tracked_interview_sync_from_employer(
    *,
    tenant,
    application_id: int,
    interview_id: int,
    starts_at: datetime,
    duration_minutes: int,
    kind: str = TrackedInterview.Kind.VIDEO,
    title: str = "",
    location: str = "",
    meeting_url: str = "",
    cancelled: bool = False,
) -> TrackedInterview | None:
    """Mirror an interview the employer scheduled, moved or cancelled, with only what the candidate is told
    (there is no parameter for feedback, scorecards or internal notes). Idempotent per `interview_id`.
    Returns None when there is no tracker row for the application."""
    application = _employer_application(tenant=tenant, application_id=application_id).first()
    if application is None:
        return None
    values = {
        "kind": TrackedInterview.Kind(kind),
        "title": title[:200],
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "location": location[:300],
        "meeting_url": meeting_url[:500],
        "status": TrackedInterview.Status.CANCELLED if cancelled else TrackedInterview.Status.SCHEDULED,
    }
    interview, created = TrackedInterview.objects.select_for_update().update_or_create(
        application=application,
        employer_interview_id=interview_id,
        defaults=values,
        create_defaults={**values, "seeker_id": application.seeker_id},
    )
    kind_of_event = (
        Kind.INTERVIEW_CANCELLED
        if cancelled
        else Kind.INTERVIEW_SCHEDULED
        if created
        else Kind.INTERVIEW_UPDATED
    )
    _interview_event(interview, kind_of_event, Actor.EMPLOYER)
    return interview


# --- CSV import -------------------------------------------------------------------------------------------------------


def tracked_applications_import_csv(*, seeker, content: bytes) -> tuple[int, int]:
    """Import external applications from a CSV file (the export's columns), all or none: any invalid row makes
    it a 422 listing every row's errors. Rows whose `id` is already one of the seeker's applications are skipped,
    so re-importing an export changes nothing. Employer links are never imported. Returns (created, skipped)."""
    rows, errors = csv_io.parse_tracker_csv(content)
    if errors:
        raise Invalid(
            f"{len({error['row'] for error in errors})} row(s) of the file are not valid; nothing was imported.",
            code="invalid_rows",
            errors=errors,
        )
    return _import_rows(seeker=seeker, rows=rows)


@transaction.atomic
def _import_rows(*, seeker, rows: list[tuple[uuid.UUID | None, dict]]) -> tuple[int, int]:
    """Holds the seeker lock, so the row cap and the skip-known-ids check hold under concurrent imports."""
    user_lock(seeker)
    file_ids = [row_id for row_id, _ in rows if row_id is not None]
    known = set(
        TrackedApplication.objects.filter(seeker=seeker, pk__in=file_ids).values_list("pk", flat=True)
    )
    fresh, seen = [], set()
    for row_id, fields in rows:
        if row_id in known or (row_id is not None and row_id in seen):
            continue
        seen.add(row_id)
        fresh.append(fields)
    _ensure_room(seeker, adding=len(fresh))
    now = timezone.now()
    applications = TrackedApplication.objects.bulk_create(
        _build_external(seeker, fields, now) for fields in fresh
    )
    TrackedApplicationEvent.objects.bulk_create(
        _created_event(application, actor=Actor.IMPORT, at=now) for application in applications
    )
    return len(applications), len(rows) - len(fresh)


# --- Privacy ----------------------------------------------------------------------------------------------------------


def _employer_copies(*, seeker) -> dict:
    """{tenant: [tenant-side application ids]} of everything the seeker sent through JobPilot."""
    copies: dict = defaultdict(list)
    rows = TrackedApplication.objects.filter(
        seeker=seeker, tenant__isnull=False, tenant_application_id__isnull=False
    ).select_related("tenant")
    for row in rows.order_by("tenant_id", "tenant_application_id"):
        copies[row.tenant].append(row.tenant_application_id)
    return dict(copies)


def tracked_applications_anonymize_employer_copies(*, seeker) -> int:
    """Have every employer the seeker applied to anonymize its copy of the applications (name, email, resume,
    answers go; the application stays, so the employer's counts hold). Call inside the account-deletion
    transaction, before the tracker rows go. Returns how many employer applications were handed over.

    WARNING: the one place that enters employers' schemas on a seeker's behalf. Each call runs in the schema of the
    tenant recorded on the seeker's own tracker rows, with only the ids recorded there.
    """
    copies = _employer_copies(seeker=seeker)
    # Employer copies exist only once the pipeline app (jobpilot.applications) is installed.
    if not copies or not apps.is_installed("jobpilot.applications"):
        return 0
    from jobpilot.applications.services import application_anonymize_for_deleted_seeker

    for tenant, application_ids in copies.items():
        with schema_context(tenant.schema_name):
            application_anonymize_for_deleted_seeker(application_ids=application_ids)
    return sum(len(ids) for ids in copies.values())


def _employer_application_withdraw(application: TrackedApplication) -> None:
    """Withdraw the employer's copy of a JobPilot application, in its tenant's schema (same transaction).

    WARNING: enters the schema of the tenant recorded on the seeker's own tracker row, for that one id only.
    """
    if not apps.is_installed("jobpilot.applications"):
        return
    from jobpilot.applications.services import application_withdraw_by_seeker

    with schema_context(application.tenant.schema_name):
        application_withdraw_by_seeker(application_id=application.tenant_application_id)


@transaction.atomic
def tracker_erase_for_seeker(*, seeker) -> None:
    """Account deletion: anonymize the employers' copies, then delete the seeker's tracker (history and interviews
    cascade)."""
    tracked_applications_anonymize_employer_copies(seeker=seeker)
    TrackedApplication.objects.filter(seeker=seeker).delete()
