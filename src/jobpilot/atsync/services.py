"""Every change to an employer's ATS board connections, and their syncs.

- Connections (`ats_connection_*`): admins and owners (the API and console check the role), on plans with
  `Feature.ATS_SYNC` (402 otherwise; disconnecting is allowed on any plan).
- A sync (`ats_connection_sync`, from the Celery task): the ingest adapter of the board's kind fetches it and
  `ingest.normalize` turns each item into a `Listing` (no second parser), which is mapped to `JobPostingIn` and
  validated like a typed posting, then written through `jobs.services` only: create + publish (the plan's
  active-postings limit is consumed there, exactly as for a typed posting; a job that does not fit stays a draft),
  update when the item's content hash changed, nothing when it did not. Only a complete, successful fetch closes
  the postings whose jobs left the board. Each item is its own transaction.

Everything runs in the employer's schema (the request's tenant, or the task's). Runs of one connection never
overlap: a session-level PostgreSQL advisory lock keyed by the schema and the connection id.
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db import connection as db
from django.utils import timezone
from pydantic import ValidationError

from billing.entitlements import has_feature, require_feature
from billing.errors import LimitReached
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.atsync.models import AtsConnection, AtsKind
from jobpilot.core.errors import Conflict, DomainError, Invalid, NotFound
from jobpilot.ingest.adapters import adapter
from jobpilot.ingest.fetch import Http
from jobpilot.ingest.normalize import Listing, Reject, normalize
from jobpilot.ingest.records import FetchFailed, Rejected
from jobpilot.jobs import services as jobs
from jobpilot.jobs.models import CompanyProfile, JobPosting
from jobpilot.jobs.schemas import MAX_SALARY, JobPostingIn
from jobpilot.jobs.selectors import current_tenant
from jobpilot.notifications.types import NotificationType
from tenants.due_work import due_work_schedule
from tenants.models import DueWork, Membership

logger = logging.getLogger(__name__)

SYNC_LOCK_NAMESPACE = 0x4154  # "AT": pg_try_advisory_lock(namespace, hashtext(schema:id)) while a sync runs
MAX_RECORDED_PROBLEMS = 50
# Greenhouse board tokens, Lever site names, Ashby job board names: letters, digits, dots, dashes, underscores.
BOARD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
Status = JobPosting.Status
SyncStatus = AtsConnection.SyncStatus
# Reopened by a sync when the job is (back) on the board; a posting an admin closed by hand stays closed.
REOPENABLE = (JobPosting.ClosedReason.SOURCE, JobPosting.ClosedReason.EXPIRED)


# --- connections --------------------------------------------------------------------------------------------------


def _require_plan() -> None:
    # WARNING: billing. ATS sync is a plan feature (402 feature_not_in_plan).
    require_feature(billing_account_for_tenant(current_tenant()), Feature.ATS_SYNC)


def board_clean(*, kind: str, board: str) -> str:
    """The board's token / site / name, or Invalid. A pasted board URL (`https://boards.greenhouse.io/acme`,
    `https://jobs.lever.co/acme`, `https://jobs.ashbyhq.com/Acme`) gives its last path segment."""
    if kind not in AtsKind.values:
        raise Invalid(
            f"Unknown ATS {kind!r}; one of: {', '.join(AtsKind.values)}.", code="unknown_kind", field="kind"
        )
    board = (board or "").strip()
    if "/" in board:
        board = _board_from_url(board)
    if not board:
        raise Invalid("Enter the board's name or token.", code="board_required", field="board")
    if not BOARD_RE.match(board) or ".." in board:
        raise Invalid(
            "A board name has only letters, digits, dots, dashes and underscores (up to 100).",
            code="invalid_board",
            field="board",
        )
    return board


# Path words of the boards' public pages and APIs that come before the board's own name.
_URL_PATH_WORDS = frozenset({"v0", "v1", "boards", "postings", "posting-api", "job-board", "embed"})


def _board_from_url(value: str) -> str:
    """`boards.greenhouse.io/acme/jobs/1`, `https://jobs.lever.co/acme`, `jobs.ashbyhq.com/Acme`: the board's
    name, the first path segment after the API's own words. Anything else comes back as it was (and is refused)."""
    parts = urlsplit(value if "://" in value else f"https://{value}")
    if parts.scheme not in ("http", "https") or "." not in parts.netloc:
        return value  # has a "/": refused as a board name
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(segment in (".", "..") for segment in segments):
        return value  # has a "/": refused as a board name
    names = [segment for segment in segments if segment.lower() not in _URL_PATH_WORDS]
    return names[0] if names else ""


def board_url(connection: AtsConnection) -> str:
    """The board's API URL: the kind's configured base and the board, never a URL the employer typed."""
    return settings.ATS_BOARD_BASE_URLS[connection.kind].rstrip("/") + "/" + quote(connection.board, safe="")


def _locked_connection(connection_id: int) -> AtsConnection:
    found = AtsConnection.objects.select_for_update().filter(pk=connection_id).first()
    if found is None:
        raise NotFound("No such ATS connection.", code="ats_connection_not_found")
    return found


@transaction.atomic
def ats_connection_create(*, actor, kind: str, board: str, enabled: bool = True) -> AtsConnection:
    """Connect a board; its first sync is queued after commit."""
    _require_plan()
    board = board_clean(kind=kind, board=board)
    # Serializes creations of this employer (two admins at once) so that the count below holds.
    CompanyProfile.objects.select_for_update().filter(pk=CompanyProfile.SINGLETON_ID).first()
    if AtsConnection.objects.filter(kind=kind, board__iexact=board).exists():
        raise Conflict("This board is connected already.", code="ats_connection_exists", field="board")
    if AtsConnection.objects.count() >= settings.ATS_MAX_CONNECTIONS:
        raise Conflict(
            f"An employer can connect at most {settings.ATS_MAX_CONNECTIONS} boards.",
            code="too_many_connections",
        )
    try:
        with transaction.atomic():
            created = AtsConnection.objects.create(
                kind=kind, board=board, enabled=enabled, created_by_id=getattr(actor, "pk", None)
            )
    except IntegrityError as error:  # the same board connected at the same moment by another admin
        raise Conflict(
            "This board is connected already.", code="ats_connection_exists", field="board"
        ) from error
    if enabled:
        _queue_sync_on_commit(created.pk)
    return created


@transaction.atomic
def ats_connection_update(*, actor, connection_id: int, enabled: bool) -> AtsConnection:
    """Turn syncing on (a sync is queued) or off (the postings stay as they are). Locks the connection."""
    if enabled:
        _require_plan()
    found = _locked_connection(connection_id)
    found.enabled = enabled
    found.save(update_fields=["enabled"])
    if enabled:
        _queue_sync_on_commit(found.pk)
    return found


def ats_connection_delete(*, actor, connection_id: int) -> int:
    """Disconnect: its published postings are closed (nobody keeps them true any more) and all its postings
    become the employer's own (editable, `source` kept as history). Allowed on any plan. Returns how many
    postings were closed. 409 while a sync of it is under way (try again when it is done)."""
    found = AtsConnection.objects.filter(pk=connection_id).first()
    if found is None:
        raise NotFound("No such ATS connection.", code="ats_connection_not_found")
    with _sync_lock(found.pk):
        closed = 0
        with transaction.atomic():
            found = _locked_connection(connection_id)
            for posting in JobPosting.objects.filter(ats_connection_id=found.pk, status=Status.PUBLISHED):
                jobs.job_posting_close(actor=actor, posting=posting, reason=JobPosting.ClosedReason.SOURCE)
                closed += 1
            jobs.job_postings_detach_from_source(ats_connection_id=found.pk)
            found.delete()
    return closed


def ats_connection_sync_request(*, actor, connection_id: int) -> AtsConnection:
    """'Sync now': queue a sync of the connection (after commit). 409 while syncing is switched off."""
    _require_plan()
    found = AtsConnection.objects.filter(pk=connection_id).first()
    if found is None:
        raise NotFound("No such ATS connection.", code="ats_connection_not_found")
    if not found.enabled:
        raise Conflict(
            "Syncing is switched off for this board; switch it on first.", code="ats_sync_disabled"
        )
    _queue_sync_on_commit(found.pk)
    return found


def _queue_sync_on_commit(connection_id: int) -> None:
    from jobpilot.atsync.tasks import sync_connection  # the tasks module imports this one

    # The task runs in the schema it is sent from: this employer's. The beat syncs the boards again from then on.
    transaction.on_commit(lambda: sync_connection.delay(connection_id))
    due_work_schedule(kind=DueWork.Kind.ATS_SYNC, at=timezone.now() + sync_interval())


def sync_interval() -> timedelta:
    return timedelta(minutes=settings.ATS_SYNC_EVERY_MINUTES)


def ats_connections_enabled() -> list[int]:
    return list(AtsConnection.objects.filter(enabled=True).order_by("pk").values_list("pk", flat=True))


# --- a sync -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Board:
    """What an ingest adapter reads of its source: the URL and the company name."""

    url: str
    company_name: str
    kind: str


class _sync_lock:  # noqa: N801 - used as a context manager
    """The connection's run lock (session-level advisory lock; released at exit, or when the session ends), or
    Conflict at once when another session holds it. Keyed by schema and id: connection ids repeat across
    employers' schemas (a hash collision between two employers only makes one of them wait for the next tick)."""

    def __init__(self, connection_id: int):
        self.key = f"{db.schema_name}:{connection_id}"

    def __enter__(self):
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [SYNC_LOCK_NAMESPACE, self.key])
            if not cursor.fetchone()[0]:
                raise Conflict(
                    "This board is being synced right now; try again in a minute.", code="ats_sync_running"
                )
        return self

    def __exit__(self, *exc):
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [SYNC_LOCK_NAMESPACE, self.key])


def ats_connection_sync(*, connection_id: int, http: Http | None = None) -> AtsConnection:
    """Sync the connection once; records the result on it. Never raises for anything the board sends; raises
    Conflict when a sync of it is under way, NotFound when it is gone."""
    with _sync_lock(connection_id):
        found = AtsConnection.objects.filter(pk=connection_id).first()
        if found is None:
            raise NotFound("No such ATS connection.", code="ats_connection_not_found")
        if not has_feature(billing_account_for_tenant(current_tenant()), Feature.ATS_SYNC):
            AtsConnection.objects.filter(pk=found.pk).update(
                last_sync_at=timezone.now(),
                last_status=SyncStatus.SKIPPED,
                last_error="Your plan no longer includes ATS sync; your synced jobs stay as they are.",
            )
            found.refresh_from_db()
            return found
        return _sync(found, http=http)


def _posting_data(listing: Listing) -> dict:
    """A board's item as `JobPostingIn`, validated like a typed posting (ValidationError otherwise)."""
    salary_min, salary_max = listing.salary_min, listing.salary_max
    if (salary_min is not None and salary_min > MAX_SALARY) or (
        salary_max is not None and salary_max > MAX_SALARY
    ):
        salary_min = salary_max = None
    has_salary = salary_min is not None or salary_max is not None
    return JobPostingIn.model_validate(
        {
            "title": listing.title,
            "description": listing.description_html,
            "department": listing.department[:100],
            "job_type": listing.job_type,
            "tags": [tag[:40] for tag in listing.tags][:20],
            "city": listing.city[:100],
            "region": listing.region[:100],
            "country": listing.country,
            "remote": listing.remote,
            "applicant_countries": listing.applicant_countries,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "salary_currency": (listing.salary_currency if has_salary else "") or "USD",
            "salary_period": (listing.salary_period if has_salary else "") or "year",
            "apply_url": listing.apply_url or listing.url,
        }
    ).model_dump()


def _board_fields(data: dict) -> dict:
    return {field: data[field] for field in JobPosting.ATS_OWNED_FIELDS}


def _try_publish(posting: JobPosting, problem) -> str:
    """Publish (or re-open) a synced posting; "published", "held" (the plan's limit: it stays a draft) or
    "not_publishable" (it lacks what a published job needs)."""
    try:
        jobs.job_posting_publish(actor=None, posting=posting)
    except LimitReached:
        return "held"
    except Invalid as error:
        problem(posting.external_id, posting.title, error.detail)
        return "not_publishable"
    return "published"


def _sync(found: AtsConnection, *, http: Http | None) -> AtsConnection:
    started = timezone.now()
    counts: Counter = Counter()
    reasons: Counter = Counter()
    problems: list[dict] = []

    def problem(ref: str, title: str, reason: str) -> None:
        reasons[reason.split(":", 1)[0][:80]] += 1
        if len(problems) < MAX_RECORDED_PROBLEMS:
            problems.append({"ref": str(ref)[:150], "title": str(title)[:200], "reason": str(reason)[:500]})

    def reject(ref: str, title: str, reason: str) -> None:
        counts["rejected"] += 1
        problem(ref, title, reason)

    profile = CompanyProfile.objects.filter(pk=CompanyProfile.SINGLETON_ID).first()
    board = _Board(url=board_url(found), company_name=profile.name if profile else "", kind=found.kind)
    known = {
        posting.external_id: posting for posting in JobPosting.objects.filter(ats_connection_id=found.pk)
    }
    seen: set[str] = set()
    renew_before = started + timedelta(days=settings.JOB_POSTING_DEFAULT_DAYS / 2)
    status, error = SyncStatus.SUCCESS, ""
    http = http or Http()
    try:
        for position, item in enumerate(adapter(found.kind).fetch(board, http), start=1):
            counts["fetched"] += 1
            if isinstance(item, Rejected):
                reject(item.ref or f"#{position}", "", item.reason)
                continue
            try:
                listing = normalize(item, default_company=board.company_name, now=started)
                data = _posting_data(listing)
            except Reject as rejected:
                reject(item.external_id or f"#{position}", item.title, str(rejected))
                continue
            except ValidationError as invalid:
                first = invalid.errors()[0]
                field = ".".join(str(part) for part in first["loc"])
                reject(item.external_id or f"#{position}", item.title, f"{field}: {first['msg']}")
                continue
            if listing.external_id in seen:
                reject(listing.external_id, listing.title, "repeated id on the board")
                continue
            seen.add(listing.external_id)
            try:
                with transaction.atomic():
                    outcome = _sync_item(
                        found,
                        listing=listing,
                        data=data,
                        posting=known.get(listing.external_id),
                        renew_before=renew_before,
                        problem=problem,
                    )
            except DomainError as refused:
                reject(listing.external_id, listing.title, refused.detail)
                continue
            except Exception as failure:  # noqa: BLE001 - one item's failure must not stop the sync
                logger.exception(
                    "ATS connection %s: item %s could not be saved", found.pk, listing.external_id
                )
                reject(
                    listing.external_id, listing.title, f"could not be saved: {failure.__class__.__name__}"
                )
                continue
            counts[outcome] += 1
    except FetchFailed as failure:
        status, error = (SyncStatus.PARTIAL if counts["fetched"] else SyncStatus.FAILED), str(failure)
    except Exception as failure:  # noqa: BLE001 - an adapter bug fails this board's sync, not the worker
        logger.exception("ATS connection %s: the adapter failed", found.pk)
        status = SyncStatus.PARTIAL if counts["fetched"] else SyncStatus.FAILED
        error = f"{failure.__class__.__name__}: {failure}"
    finally:
        http.close()

    if status == SyncStatus.SUCCESS:
        # WARNING: only a complete, successful fetch says a job left the board.
        for external_id, posting in known.items():
            if external_id in seen:
                continue
            try:
                if posting.status == Status.PUBLISHED:
                    jobs.job_posting_close(actor=None, posting=posting, reason=JobPosting.ClosedReason.SOURCE)
                    counts["closed"] += 1
                elif posting.status == Status.DRAFT:
                    jobs.job_posting_archive(actor=None, posting=posting)  # never listed; put away
                    counts["closed"] += 1
            except DomainError as refused:
                problem(external_id, posting.title, refused.detail)
    return _record(found, status=status, error=error, counts=counts, reasons=reasons, problems=problems)


def _sync_item(found, *, listing, data, posting, renew_before, problem) -> str:
    """Write one board item (in the caller's transaction). Returns the outcome counted on the sync."""
    content_hash = listing.content_hash()
    if posting is None:
        posting = jobs.job_posting_create(
            actor=None,
            data=data,
            origin={
                "source": found.kind,
                "ats_connection_id": found.pk,
                "external_id": listing.external_id,
                "external_hash": content_hash,
            },
        )
        outcome = _try_publish(posting, problem)
        return "new" if outcome == "published" else outcome
    if posting.status == Status.ARCHIVED:
        return "unchanged"  # put away by the employer (or gone once and archived): left alone
    if posting.external_hash != content_hash:
        posting = jobs.job_posting_update(
            actor=None,
            posting=posting,
            changes={**_board_fields(data), "external_hash": content_hash},
            from_source=True,
        )
        changed = "updated"
    else:
        changed = "unchanged"
    if posting.status == Status.DRAFT or (
        posting.status == Status.CLOSED and posting.closed_reason in REOPENABLE
    ):
        was = posting.status
        outcome = _try_publish(posting, problem)
        if outcome == "published":
            return "reopened" if was == Status.CLOSED else "new"
        return outcome
    if posting.status == Status.PUBLISHED and posting.expires_at and posting.expires_at < renew_before:
        # Still on the board: keep it listed (a write about once a listing period, not on every sync).
        jobs.job_posting_update(
            actor=None,
            posting=posting,
            changes={"expires_at": timezone.now() + timedelta(days=settings.JOB_POSTING_DEFAULT_DAYS)},
            from_source=True,
        )
        return "renewed" if changed == "unchanged" else changed
    return changed


def _record(found, *, status, error, counts, reasons, problems) -> AtsConnection:
    now = timezone.now()
    if reasons:
        counts["reasons"] = dict(reasons)
    fields = {
        "last_sync_at": now,
        "last_status": status,
        "last_counts": dict(counts),
        "last_problems": problems,
        "last_error": error[:2000],
    }
    if status == SyncStatus.SUCCESS:
        fields.update(last_success_at=now, consecutive_failures=0, healthy=True)
    else:
        failures = found.consecutive_failures + 1
        fields.update(
            consecutive_failures=failures, healthy=failures < settings.ATS_SYNC_UNHEALTHY_AFTER_FAILURES
        )
    AtsConnection.objects.filter(pk=found.pk).update(**fields)
    was_healthy = found.healthy
    for name, value in fields.items():
        setattr(found, name, value)
    if was_healthy and not found.healthy:
        _tell_admins(found, started=now)
    return found


def _tell_admins(found: AtsConnection, *, started) -> None:
    """The board became unhealthy: its admins and owners hear it once per episode (in-app and by email)."""
    from jobpilot.notifications.services import notify_tenant_staff

    try:
        notify_tenant_staff(
            tenant=current_tenant(),
            type=NotificationType.ATS_SYNC_FAILED,
            title=f"Your {found.get_kind_display()} board {found.board} cannot be synced",
            body=(
                f"The last {found.consecutive_failures} syncs failed: {found.last_error[:300]} "
                "Your synced jobs stay as they were until the board can be read again."
            ),
            data={"url": "/console/ats/", "ats_connection_id": found.pk},
            minimum_role=Membership.Role.ADMIN,
            dedupe_key=f"ats_sync_failed:{found.pk}:{started:%Y%m%d%H%M%S}",
        )
    except Exception:  # noqa: BLE001 - telling must not fail the sync
        logger.warning("Could not tell the admins about ATS connection %s", found.pk, exc_info=True)
