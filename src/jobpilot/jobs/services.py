"""Every change to an employer's postings and company profile. All of it runs in the employer's schema (the
request's host, or `tenant_context` in tasks and commands), and every change that affects what the public sees
updates the marketplace index in the same transaction (`marketplace_job_sync`).

Status flow: draft -> published -> closed -> (published again | archived); drafts and closed postings can be
archived; deletion is for postings nobody has applied to yet.
"""

import csv
import io
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import slugify
from django_tenants.utils import tenant_context
from pydantic import ValidationError

from billing.entitlements import consume, release
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from jobpilot.audit import services as audit
from jobpilot.core.errors import Conflict, Invalid
from jobpilot.jobs.html import html_to_text, sanitize_html
from jobpilot.jobs.models import CompanyProfile, JobPosting, RemoteOption
from jobpilot.jobs.schemas import JobPostingIn
from jobpilot.jobs.selectors import current_tenant, job_postings_due_to_close
from jobpilot.marketplace.services import (
    marketplace_company_sync,
    marketplace_job_sync,
    marketplace_job_withdraw,
)
from jobpilot.syndication.indexing import job_indexing_notify
from jobpilot.webhooks import payloads
from jobpilot.webhooks.events import EventType
from jobpilot.webhooks.services import webhook_event_emit

Status = JobPosting.Status
HTML_FIELDS = ("description", "requirements", "benefits")
CSV_LIST_SEPARATOR = ";"


def _locked(posting: JobPosting) -> JobPosting:
    """The posting re-read under a row lock: every status change starts here, so two changes of one posting
    (two admins, or an admin and the expiry sweep) apply one after the other, each to the current state."""
    return JobPosting.objects.select_for_update().get(pk=posting.pk)


def _employer_account():
    """The billing account of the employer whose schema this runs in (postings have no tenant column)."""
    return billing_account_for_tenant(current_tenant())


def _clean(data: dict) -> dict:
    for field in HTML_FIELDS:
        if field in data:
            data[field] = sanitize_html(data[field])
    return data


def _check_salary(posting: JobPosting) -> None:
    if (
        posting.salary_min is not None
        and posting.salary_max is not None
        and posting.salary_min > posting.salary_max
    ):
        raise Invalid("The minimum salary is above the maximum.", code="salary_range", field="salary_max")


def _check_publishable(posting: JobPosting, *, now: datetime) -> None:
    """What a job needs before the public sees it."""
    if not html_to_text(posting.description):
        raise Invalid(
            "A published job needs a description.", code="description_required", field="description"
        )
    if posting.remote != RemoteOption.REMOTE and not posting.country:
        raise Invalid(
            "An on-site or hybrid job needs a location (at least a country).",
            code="location_required",
            field="country",
        )
    if posting.remote == RemoteOption.REMOTE and not (posting.applicant_countries or posting.country):
        # Search engines (Google for Jobs) list a remote job only with the countries applicants may live in.
        raise Invalid(
            "A remote job needs the countries applicants may live in (or a country).",
            code="applicant_countries_required",
            field="applicant_countries",
        )
    if posting.application_deadline and posting.application_deadline < now.date():
        raise Invalid(
            "The application deadline has passed.", code="deadline_passed", field="application_deadline"
        )
    if posting.expires_at and posting.expires_at > now + timedelta(days=settings.JOB_POSTING_MAX_DAYS):
        raise Invalid(
            f"A job can be listed for at most {settings.JOB_POSTING_MAX_DAYS} days.",
            code="expiry_too_far",
            field="expires_at",
        )


def _save_new(posting: JobPosting) -> JobPosting:
    """Insert with a unique slug: the title's, or the title's with a short random suffix when taken. The unique
    constraint settles a race between two creations of the same title (the loser retries with a suffix)."""
    base = slugify(posting.title)[:70].strip("-") or "job"
    for attempt in range(5):
        taken = attempt > 0 or JobPosting.objects.filter(slug=base).exists()
        posting.slug = f"{base}-{secrets.token_hex(3)}" if taken else base
        try:
            with transaction.atomic():
                posting.save()
            return posting
        except IntegrityError:
            if JobPosting.objects.filter(slug=posting.slug).exists():
                continue
            raise
    raise Conflict("Could not find a free address for this job; change its title.", code="slug_taken")


# --- postings -----------------------------------------------------------------------------------------------------


SOURCE_FIELDS = ("source", "ats_connection_id", "external_id", "external_hash")


@transaction.atomic
def job_posting_create(*, actor, data: dict, origin: dict | None = None) -> JobPosting:
    """A new draft. `data` is a validated `JobPostingIn` as a dict. `origin` marks a posting synced from a
    connected ATS board (`SOURCE_FIELDS`; only `jobpilot.atsync` passes it)."""
    origin = {field: value for field, value in (origin or {}).items() if field in SOURCE_FIELDS}
    posting = JobPosting(
        **_clean(dict(data)), **origin, status=Status.DRAFT, created_by_id=actor.pk if actor else None
    )
    _check_salary(posting)
    if posting.expires_at and posting.expires_at <= timezone.now():
        raise Invalid("The expiry must be in the future.", code="expiry_past", field="expires_at")
    return _save_new(posting)


def _check_not_ats_owned(posting: JobPosting, changes: dict) -> None:
    """A synced posting's board-owned fields change on the board, not here (the next sync would undo it)."""
    for field in JobPosting.ATS_OWNED_FIELDS:
        if field in changes and changes[field] != getattr(posting, field):
            raise Conflict(
                f"This job is synced from your {posting.source.title()} board: change its {field.replace('_', ' ')} "
                "there.",
                code="ats_owned_field",
                field=field,
            )


@transaction.atomic
def job_posting_update(*, actor, posting: JobPosting, changes: dict, from_source: bool = False) -> JobPosting:
    """Change some fields. A published posting must stay publishable, and its listing changes with it.
    `from_source`: the change comes from the posting's ATS board (`jobpilot.atsync`), which alone may change
    the fields it owns (and the posting's `external_hash`).

    Locks the posting; an archived posting cannot be changed."""
    posting = _locked(posting)
    if posting.status == Status.ARCHIVED:
        raise Conflict("An archived job cannot be changed; duplicate it instead.", code="job_archived")
    changes = _clean(dict(changes))
    if from_source:
        changes = {field: value for field, value in changes.items() if field != "ats_connection_id"}
    else:
        changes = {field: value for field, value in changes.items() if field not in SOURCE_FIELDS}
        if posting.is_synced:
            _check_not_ats_owned(posting, changes)
    now = timezone.now()
    if changes.get("expires_at") and changes["expires_at"] <= now:
        raise Invalid("The expiry must be in the future.", code="expiry_past", field="expires_at")
    if "slug" in changes and JobPosting.objects.filter(slug=changes["slug"]).exclude(pk=posting.pk).exists():
        raise Conflict("Another job already uses this address.", code="slug_taken", field="slug")
    for field, value in changes.items():
        setattr(posting, field, value)
    _check_salary(posting)
    if posting.status == Status.PUBLISHED:
        _check_publishable(posting, now=now)
    try:
        with transaction.atomic():
            posting.save()
    except IntegrityError as error:  # another posting took the slug after the check above
        raise Conflict("Another job already uses this address.", code="slug_taken", field="slug") from error
    marketplace_job_sync(posting=posting)
    if posting.status == Status.PUBLISHED:
        job_indexing_notify(posting)
    return posting


@transaction.atomic
def job_posting_publish(*, actor, posting: JobPosting) -> JobPosting:
    """List a draft (or re-list a closed posting) on the portal and the marketplace, searchable as soon as this
    commits. Without a future expiry, it gets the default listing period.

    Locks the posting."""
    posting = _locked(posting)
    if posting.status not in (Status.DRAFT, Status.CLOSED):
        raise Conflict(f"A {posting.status} job cannot be published.", code="invalid_status")
    now = timezone.now()
    if posting.expires_at is None or posting.expires_at <= now:
        posting.expires_at = now + timedelta(days=settings.JOB_POSTING_DEFAULT_DAYS)
    _check_publishable(posting, now=now)
    # WARNING: billing. The plan's active-postings limit holds here (402 when reached), in this transaction.
    consume(_employer_account(), Metric.ACTIVE_POSTINGS)
    posting.status = Status.PUBLISHED
    posting.published_at = now
    posting.closed_at = None
    posting.closed_reason = ""
    posting.save()
    marketplace_job_sync(posting=posting)
    webhook_event_emit(EventType.JOB_PUBLISHED, {"job": payloads.job_data(current_tenant(), posting)})
    job_indexing_notify(posting, new=True)
    audit.record(actor=actor, action="job.publish", target=posting, after={"title": posting.title})
    return posting


@transaction.atomic
def job_posting_close(
    *, actor, posting: JobPosting, reason: JobPosting.ClosedReason = JobPosting.ClosedReason.MANUAL
) -> JobPosting:
    """Stop taking applications: the job leaves search at once. Locks the posting."""
    posting = _locked(posting)
    if posting.status != Status.PUBLISHED:
        raise Conflict(f"A {posting.status} job cannot be closed.", code="invalid_status")
    _close(posting, reason=reason, now=timezone.now())
    release(_employer_account(), Metric.ACTIVE_POSTINGS)
    audit.record(actor=actor, action="job.close", target=posting, after={"reason": reason})
    return posting


def _close(posting: JobPosting, *, reason: JobPosting.ClosedReason, now: datetime) -> None:
    """Close a locked, published posting. The caller gives its active-postings units back (once per batch)."""
    posting.status = Status.CLOSED
    posting.closed_reason = reason
    posting.closed_at = now
    posting.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    marketplace_job_sync(posting=posting)
    expired = reason == JobPosting.ClosedReason.EXPIRED
    job_indexing_notify(posting, removed=True)
    webhook_event_emit(
        EventType.JOB_EXPIRED if expired else EventType.JOB_CLOSED,
        {"job": payloads.job_data(current_tenant(), posting)},
    )


@transaction.atomic
def job_posting_archive(*, actor, posting: JobPosting) -> JobPosting:
    """Put a posting away for good (it stays readable for its applicants' history). Locks the posting."""
    posting = _locked(posting)
    if posting.status == Status.ARCHIVED:
        raise Conflict("This job is already archived.", code="invalid_status")
    was_published = posting.is_published
    posting.status = Status.ARCHIVED
    posting.closed_at = posting.closed_at or timezone.now()
    posting.save(update_fields=["status", "closed_at", "updated_at"])
    marketplace_job_sync(posting=posting)
    if was_published:
        release(_employer_account(), Metric.ACTIVE_POSTINGS)
        webhook_event_emit(EventType.JOB_CLOSED, {"job": payloads.job_data(current_tenant(), posting)})
        job_indexing_notify(posting, removed=True)
    return posting


@transaction.atomic
def job_posting_duplicate(*, actor, posting: JobPosting) -> JobPosting:
    """A new draft with the same content, expiry and application deadline (not its status, publication dates or
    counts). An expiry or deadline already past is left out: the copy is for a new round of hiring."""
    copy = JobPosting(
        **{field: getattr(posting, field) for field in _CONTENT_FIELDS},
        status=Status.DRAFT,
        created_by_id=actor.pk if actor else None,
    )
    now = timezone.now()
    if copy.expires_at and copy.expires_at <= now:
        copy.expires_at = None
    if copy.application_deadline and copy.application_deadline < now.date():
        copy.application_deadline = None
    return _save_new(copy)


_CONTENT_FIELDS = [
    field.name
    for field in JobPosting._meta.concrete_fields
    if field.name
    not in {
        "id",
        "public_id",
        *SOURCE_FIELDS,  # a copy is the employer's own posting, not the board's
        "slug",
        "status",
        "closed_reason",
        "view_count",
        "application_count",
        "created_by_id",
        "published_at",
        "closed_at",
        "created_at",
        "updated_at",
    }
]


@transaction.atomic
def job_posting_delete(*, actor, posting: JobPosting) -> None:
    """Delete a posting nobody has applied to; with applicants it must be archived instead, so that their
    applications keep their job. Locks the posting."""
    posting = _locked(posting)
    if posting.application_count:
        raise Conflict("People have applied to this job; archive it instead.", code="job_has_applications")
    marketplace_job_withdraw(posting_id=posting.pk)
    audit.record(actor=actor, action="job.delete", target=posting, before={"title": posting.title})
    try:
        posting.delete()
    except (ProtectedError, RestrictedError) as error:
        raise Conflict(
            "People have applied to this job; archive it instead.", code="job_has_applications"
        ) from error
    if posting.is_published:
        release(_employer_account(), Metric.ACTIVE_POSTINGS)
        job_indexing_notify(posting, removed=True)


@transaction.atomic
def job_postings_expire(*, now: datetime | None = None) -> int:
    """Close this employer's published postings that are past their expiry or application deadline. Returns how
    many were closed.

    Locks them with SKIP LOCKED: a posting an employer is editing right now is left for the next sweep."""
    now = now or timezone.now()
    due = list(job_postings_due_to_close(now=now).select_for_update(skip_locked=True))
    for posting in due:
        _close(posting, reason=JobPosting.ClosedReason.EXPIRED, now=now)
    if due:
        release(_employer_account(), Metric.ACTIVE_POSTINGS, len(due))  # one account lookup for the sweep
    return len(due)


def job_posting_count_view(*, posting_id: int) -> None:
    """Count a view of the job's page. One atomic increment; no lock held beyond the statement."""
    JobPosting.objects.filter(pk=posting_id).update(view_count=F("view_count") + 1)


@transaction.atomic
def job_postings_detach_from_source(*, ats_connection_id: int) -> int:
    """The board is disconnected: its postings become the employer's own (editable; `source` and `external_id`
    stay as history). Returns how many."""
    return JobPosting.objects.filter(ats_connection_id=ats_connection_id).update(
        ats_connection_id=None, updated_at=timezone.now()
    )


# --- CSV import ---------------------------------------------------------------------------------------------------

CSV_COLUMNS = frozenset(JobPostingIn.model_fields) - {"screening_questions"}
CSV_LIST_COLUMNS = frozenset({"tags", "skills", "applicant_countries"})


@transaction.atomic
def job_postings_import_csv(*, actor, content: bytes) -> list[JobPosting]:
    """Create drafts from a CSV file (a header row naming `JobPostingIn` fields; lists separated by `;`).

    All or nothing: when any row is invalid nothing is created, and the error lists every problem by row (the
    file's line number) and field, so the file can be fixed and sent again without creating duplicates."""
    rows = _read_csv(content)
    errors, valid = [], []
    for line, row in rows:
        try:
            data = JobPostingIn.model_validate(row).model_dump()
        except ValidationError as error:
            errors += [
                {
                    "row": line,
                    "field": ".".join(str(p) for p in problem["loc"]) or None,
                    "message": problem["msg"],
                }
                for problem in error.errors()
            ]
            continue
        if (
            data["salary_min"] is not None
            and data["salary_max"] is not None
            and data["salary_min"] > data["salary_max"]
        ):
            errors.append(
                {"row": line, "field": "salary_max", "message": "The minimum salary is above the maximum."}
            )
            continue
        if data["expires_at"] and data["expires_at"] <= timezone.now():
            errors.append(
                {"row": line, "field": "expires_at", "message": "The expiry must be in the future."}
            )
            continue
        valid.append(data)
    if errors:
        failed = len({error["row"] for error in errors})
        raise Invalid(
            f"{failed} of {len(rows)} rows have errors; nothing was imported.",
            code="import_invalid",
            errors=errors,
        )
    return [job_posting_create(actor=actor, data=data) for data in valid]


def _read_csv(content: bytes) -> list[tuple[int, dict]]:
    if len(content) > settings.JOB_IMPORT_MAX_BYTES:
        raise Invalid(
            f"The file is larger than {settings.JOB_IMPORT_MAX_BYTES // 1024} KB.",
            code="file_too_large",
            field="file",
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid("The file must be UTF-8 encoded CSV.", code="invalid_encoding", field="file") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if "title" not in header:
        raise Invalid(
            "The first row must name the columns, including `title`.", code="missing_header", field="file"
        )
    unknown = sorted(set(header) - CSV_COLUMNS)
    if unknown:
        raise Invalid(f"Unknown columns: {', '.join(unknown)}.", code="unknown_columns", field="file")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if len(rows) >= settings.JOB_IMPORT_MAX_ROWS:
                raise Invalid(
                    f"At most {settings.JOB_IMPORT_MAX_ROWS} jobs per file.",
                    code="too_many_rows",
                    field="file",
                )
            if None in row:
                raise Invalid(
                    f"Line {reader.line_num} has more values than there are columns.",
                    code="malformed_csv",
                    field="file",
                )
            values = {name: value.strip() for name, value in row.items() if value and value.strip()}
            if values:
                rows.append((reader.line_num, _csv_values(values)))
    except csv.Error as error:
        raise Invalid(f"The file is not valid CSV: {error}.", code="malformed_csv", field="file") from error
    if not rows:
        raise Invalid("The file has no jobs in it.", code="empty_file", field="file")
    return rows


def _csv_values(values: dict) -> dict:
    for name in CSV_LIST_COLUMNS & values.keys():
        values[name] = [item.strip() for item in values[name].split(CSV_LIST_SEPARATOR)]
    return values


# --- company profile ----------------------------------------------------------------------------------------------


@transaction.atomic
def company_profile_update(*, actor, data: dict) -> CompanyProfile:
    """Save how the employer presents itself; its listings on the marketplace show the change at once."""
    data = dict(data)
    data["about"] = sanitize_html(data.get("about", ""))
    before = CompanyProfile.objects.select_for_update().filter(pk=CompanyProfile.SINGLETON_ID).first()
    profile, _ = CompanyProfile.objects.update_or_create(pk=CompanyProfile.SINGLETON_ID, defaults=data)
    if before is None or before.time_zone != profile.time_zone:
        # Deadline days now end at another midnight: open postings (and their listings) move with them.
        for posting in JobPosting.objects.select_for_update().filter(
            application_deadline__isnull=False, status__in=[Status.DRAFT, Status.PUBLISHED]
        ):
            posting.save(update_fields=["application_deadline"])
            marketplace_job_sync(posting=posting)
    marketplace_company_sync(profile=profile)
    return profile


def job_posting_count_view_later(*, tenant, posting_id: int) -> None:
    """Count a view of a listed job off the request path, in its employer's schema (a page view never waits on
    a posting's row lock)."""
    from jobpilot.jobs.tasks import count_job_view  # the tasks module imports this one

    # WARNING: the task runs in the schema it is sent from; send it from the job's own employer's schema.
    with tenant_context(tenant):
        count_job_view.delay(posting_id)
