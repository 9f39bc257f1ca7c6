"""Reads for API customers: keys, their usage, the changes feed and an employer's own postings and
applicants."""

from __future__ import annotations

import base64
import binascii
import hmac
import pickle
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django_tenants.utils import tenant_context

from billing.entitlements import limit_for, overage_allowed, used_for
from billing.models import BillingAccount
from billing.plans import Metric
from jobpilot.api.keys import key_hash
from jobpilot.api.models import ApiKey, ApiUsage, JobChange
from jobpilot.api.ratelimit import redis_client
from jobpilot.core.errors import Invalid

KEY_CACHE_SECONDS = 60


def _key_cache_name(digest: str) -> str:
    return f"apikey:{digest}"


# The key cache talks to Redis with the rate limiter's client when there is Redis (one round trip, no client
# built per call); the process's Django cache otherwise.
def _cache_get(name: str) -> ApiKey | None:
    if settings.REDIS_URL:
        raw = redis_client().get(name)
        return pickle.loads(raw) if raw is not None else None  # noqa: S301 - our own objects, our own Redis
    return cache.get(name)


def _cache_set(name: str, key: ApiKey) -> None:
    if settings.REDIS_URL:
        redis_client().set(name, pickle.dumps(key), ex=KEY_CACHE_SECONDS)
    else:
        cache.set(name, key, KEY_CACHE_SECONDS)


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The live key whose secret this is (not revoked, not expired), with its account; None otherwise.

    Served from the cache (Redis in production) for up to `KEY_CACHE_SECONDS`: a key check is then one cache
    read, not a query. Revoking a key deletes its entry after commit (`api_key_revoke`), so revocation is
    immediate on every process; a plan change reaches a cached key's limits within the minute."""
    digest = key_hash(secret)
    key = _cache_get(_key_cache_name(digest))
    if key is None:
        key = ApiKey.objects.select_related("account").filter(secret_hash=digest).first()
        if key is None:
            return None
        _cache_set(_key_cache_name(digest), key)
    # The lookup is by hash, so its timing says nothing about the secret; compare anyway.
    if not hmac.compare_digest(key.secret_hash, digest):
        return None
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= timezone.now()):
        return None
    return key


def api_key_remember(*, key: ApiKey) -> None:
    """Put a key's current state in the cache (its last-used time moved, so the next check sees that)."""
    _cache_set(_key_cache_name(key.secret_hash), key)


def api_key_forget(*, key: ApiKey) -> None:
    """Drop a key from the cache (it was revoked or changed)."""
    if settings.REDIS_URL:
        redis_client().delete(_key_cache_name(key.secret_hash))
    else:
        cache.delete(_key_cache_name(key.secret_hash))


def api_key_list(*, owner: dict) -> QuerySet[ApiKey]:
    """Keys of one owner: `{"user": user}` (an API customer) or `{"tenant": tenant}` (an employer)."""
    return ApiKey.objects.filter(**owner).order_by("-created_at", "-id")


def api_key_get(*, owner: dict, key_id: int) -> ApiKey:
    from jobpilot.core.errors import NotFound

    key = api_key_list(owner=owner).filter(pk=key_id).first()
    if key is None:
        raise NotFound("No such API key.", code="api_key_not_found")
    return key


def api_usage_report(*, owner: dict, account: BillingAccount | None, today: date | None = None) -> dict:
    """Requests of the owner's keys today and this month, per endpoint and per key, with 429 counts, and the
    daily quota of the plan (user keys)."""
    today = today or timezone.now().date()
    usage = ApiUsage.objects.filter(**{f"key__{name}": value for name, value in owner.items()})
    month = usage.filter(day__gte=today.replace(day=1), day__lte=today)
    totals = {"requests": Sum("requests"), "throttled": Sum("throttled")}

    def summed(rows) -> dict:
        sums = rows.aggregate(**totals)
        return {"requests": sums["requests"] or 0, "throttled": sums["throttled"] or 0}

    quota = None
    if account is not None and owner.get("user") is not None:
        limit = limit_for(account, Metric.API_REQUESTS_PER_DAY)
        used = used_for(account, Metric.API_REQUESTS_PER_DAY)
        quota = {
            "limit": limit,
            "used": used,
            "overage_allowed": overage_allowed(account, Metric.API_REQUESTS_PER_DAY),
            "overage": max(0, used - limit) if limit is not None else 0,
            "requests_per_minute": limit_for(account, Metric.API_REQUESTS_PER_MINUTE),
        }
    return {
        "day": today,
        "today": summed(usage.filter(day=today)),
        "this_month": summed(month),
        "endpoints": list(month.values("endpoint").annotate(**totals).order_by("-requests", "endpoint")),
        "keys": [
            {
                "key_id": row["key"],
                "prefix": row["key__prefix"],
                "requests": row["requests"],
                "throttled": row["throttled"],
            }
            for row in month.values("key", "key__prefix").annotate(**totals).order_by("key")
        ],
        "quota": quota,
    }


# --- the changes feed ---------------------------------------------------------------------------------------------


def encode_cursor(change_id: int) -> str:
    return base64.urlsafe_b64encode(f"c{change_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("c"):
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid("The cursor is not one this feed gave out.", code="invalid_cursor") from None


def job_changes(*, tenant_id: int | None, since: str | None, limit: int) -> dict:
    """The next `limit` changes after cursor `since` (from the start without one), oldest first, and the cursor
    to ask with next time (the same one when nothing is new). Exact because the log commits in id order (see
    `JobChange`).

    WARNING: `tenant_id` is the host's tenant (None on the public domain: every employer and imported jobs)."""
    changes = JobChange.objects.all()
    if tenant_id is not None:
        changes = changes.filter(tenant_id=tenant_id)
    if since:
        changes = changes.filter(id__gt=decode_cursor(since))
    rows = list(changes.order_by("id").values("id", "job_public_id", "kind", "at")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "results": [
            {"id": row["job_public_id"], "change": row["kind"], "changed_at": row["at"]} for row in rows
        ],
        "next_cursor": encode_cursor(rows[-1]["id"]) if rows else (since or ""),
        "has_more": has_more,
    }


def tenant_postings(*, tenant, status: str | None, limit: int, offset: int) -> dict:
    """The employer's own postings, any status, newest change first.

    WARNING: `tenant` must be the key's tenant, which the middleware has checked is the host's tenant."""
    from jobpilot.jobs.selectors import job_posting_list

    with tenant_context(tenant):
        postings = job_posting_list(status=status)
        total = postings.count()
        results = [
            {
                "id": posting.public_id,
                "title": posting.title,
                "status": posting.status,
                "department": posting.department,
                "job_type": posting.job_type,
                "remote": posting.remote,
                "location": ", ".join(p for p in (posting.city, posting.region, posting.country) if p),
                "published_at": posting.published_at,
                "updated_at": posting.updated_at,
            }
            for posting in postings[offset : offset + limit]
        ]
    return {"results": results, "total": total}


def tenant_applications(
    *, tenant, job_id: str | None, stage_id: int | None, include_withdrawn: bool, limit: int, offset: int
) -> dict:
    """The employer's applications, newest first, in the shape of public ATS APIs (Greenhouse's names). The
    candidate's snapshot, stage and answers only: internal notes, interviews and scorecards never leave here.

    WARNING: `tenant` must be the key's tenant, which the middleware has checked is the host's tenant; every
    read below runs in that tenant's schema and no other."""
    from jobpilot.applications.selectors import application_list

    with tenant_context(tenant):
        applications = application_list(
            job_id=job_id, stage_id=stage_id, include_withdrawn=include_withdrawn
        ).order_by("-created_at", "-id")
        total = applications.count()
        results = [_application_out(a) for a in applications[offset : offset + limit]]
    return {"results": results, "total": total}


def _application_out(application) -> dict:
    return {
        "id": application.pk,
        "candidate": {"name": application.name, "email": application.email},
        "jobs": [{"id": application.job.public_id, "name": application.job.title}],
        "current_stage": {"id": application.stage_id, "name": application.stage.name},
        "status": "withdrawn" if application.withdrawn_at else application.stage.public_status,
        "rejection_reason": application.rejection_reason,
        "source": application.source,
        "rating": float(application.rating) if application.rating is not None else None,
        "has_resume": application.resume_public_id is not None,
        "answers": [
            {"question": str(item.get("question", "")), "answer": str(item.get("answer", ""))}
            for item in application.answers
        ],
        "applied_at": application.created_at,
        "last_activity_at": application.updated_at,
        "withdrawn_at": application.withdrawn_at,
    }


def access_key_owner(request) -> tuple[dict, BillingAccount]:
    """Whose keys the signed-in caller manages here, and the account that pays for them: on the public domain
    the caller's own (API audience); on an employer's domain the employer's, for its admins and owners.

    WARNING: the employer is `request.tenant` (the host), never a parameter."""
    from billing.plans import Audience
    from billing.selectors import billing_account_for_tenant, billing_account_for_user
    from tenants.models import Membership
    from tenants.permissions import require_member

    if request.tenant.is_public:
        return {"user": request.auth}, billing_account_for_user(request.auth, Audience.API)
    require_member(request, Membership.Role.ADMIN)
    return {"tenant": request.tenant}, billing_account_for_tenant(request.tenant)
