"""Writes for API customers: keys, per-request accounting, the marketplace's change log and metered overage."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from billing import stripe_gateway
from billing.entitlements import consume, limit_for, overage_allowed, period_key, require_feature
from billing.models import BillingAccount, UsageCounter
from billing.plans import Feature, Metric
from jobpilot.api.keys import SHOWN_PREFIX_LENGTH, key_generate, key_hash
from jobpilot.api.models import (
    JOB_CHANGES_CHANNEL,
    TENANT_ONLY_SCOPES,
    ApiKey,
    ApiUsage,
    JobChange,
    MeterReport,
)
from jobpilot.api.selectors import api_key_forget, api_key_remember
from jobpilot.audit import services as audit
from jobpilot.core.errors import Invalid

MAX_KEYS_PER_OWNER = 20
LAST_USED_RESOLUTION = timedelta(minutes=1)


# --- keys ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def api_key_create(
    *,
    actor,
    account: BillingAccount,
    owner: dict,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key for `owner` (`{"user": u}` or `{"tenant": t}`), paid by `account`. Returns the key and its
    secret, which is never available again.

    Locks the account row, so the per-owner cap holds when two creations race."""
    require_feature(account, Feature.API_ACCESS)
    scopes = sorted(set(scopes))
    if "tenant" not in owner and TENANT_ONLY_SCOPES & set(scopes):
        raise Invalid("Only an employer's keys can read applications.", code="scope_not_allowed")
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid("The expiry must be in the future.", code="expiry_in_past")
    BillingAccount.objects.select_for_update().filter(pk=account.pk).first()
    live = ApiKey.objects.filter(**owner, revoked_at__isnull=True)
    if live.count() >= MAX_KEYS_PER_OWNER:
        raise Invalid(
            f"You can keep up to {MAX_KEYS_PER_OWNER} keys. Revoke one first.", code="api_key_limit"
        )
    secret = key_generate()
    key = ApiKey.objects.create(
        **owner,
        account=account,
        created_by=actor,
        name=name,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        secret_hash=key_hash(secret),
        scopes=scopes,
        expires_at=expires_at,
    )
    if key.tenant_id:
        audit.record(
            actor=actor,
            action="api_key.create",
            target=key,
            after={"name": name, "scopes": scopes},
            tenant=key.tenant,
        )
    return key, secret


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor=None) -> ApiKey:
    """Revoke a key at once (the next request with it is a 401). Revoking again keeps the first time."""
    revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked and key.tenant_id:
        audit.record(
            actor=actor, action="api_key.revoke", target=key, before={"name": key.name}, tenant=key.tenant
        )
    key.refresh_from_db(fields=["revoked_at"])
    # After commit: a cache refill between the delete and the commit would bring the unrevoked key back.
    transaction.on_commit(functools.partial(api_key_forget, key=key))
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Record that the key was used, at most once per `LAST_USED_RESOLUTION`: a conditional UPDATE skipped
    entirely while the loaded value is fresh, so a busy key costs no write per request."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=key.pk).exclude(last_used_at__gte=now - LAST_USED_RESOLUTION).update(
        last_used_at=now
    )
    key.last_used_at = now
    api_key_remember(key=key)  # the cached copy too, or every check would see it stale and write again


# --- per request --------------------------------------------------------------------------------------------------


@transaction.atomic
def api_request_consume(*, key: ApiKey, endpoint: str) -> None:
    """Count one request of `key` to `endpoint`: against the daily quota of the key's plan (402 past it on
    plans without overage; counted past it, and metered, on plans with overage) and in the key's usage. Employer
    keys have no daily quota (their plan's rate limit applies).

    One short transaction, committed without waiting for the WAL flush: a crash can lose the last few
    milliseconds of counts (never bill more than was used), and a request does not pay for an fsync.
    WARNING: bills the key's own account. The quota counter row is locked until this transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
    if key.tenant_id is None:
        consume(key.account, Metric.API_REQUESTS_PER_DAY)
    api_usage_record(key=key, endpoint=endpoint, throttled=False)


_USAGE_SQL = f"""
    INSERT INTO public.{ApiUsage._meta.db_table} AS u (key_id, day, endpoint, requests, throttled)
    VALUES (%(key)s, %(day)s, %(endpoint)s, %(requests)s, %(throttled)s)
    ON CONFLICT (key_id, day, endpoint) DO UPDATE
        SET requests = u.requests + EXCLUDED.requests, throttled = u.throttled + EXCLUDED.throttled
"""  # noqa: S608 - the only interpolation is our own table name


def api_usage_record(*, key: ApiKey, endpoint: str, throttled: bool) -> None:
    """Count one request of `key` to `endpoint` for today (UTC); `throttled`: it was refused with 429."""
    params = {
        "key": key.pk,
        "day": timezone.now().date(),
        "endpoint": endpoint[:200],
        "requests": 0 if throttled else 1,
        "throttled": 1 if throttled else 0,
    }
    with connection.cursor() as cursor:
        cursor.execute(_USAGE_SQL, params)


# --- the marketplace's change log ---------------------------------------------------------------------------------


CHANGE_LOG_LOCK = (0x4A43, 0)  # "JC": pg_advisory_xact_lock key of the change log


def job_changes_record(*, tenant_id: int | None, public_ids, kind: JobChange.Kind) -> None:
    """Log changes of index rows for the changes feed. Call in the transaction that changed the index, after
    the employer's index lock.

    Takes the change log's lock, held to commit: change-log rows then commit in id order, which is what makes
    the feed's cursor exact. It serializes index writes of all employers from this point to their commit
    (they are short, and rare next to reads)."""
    rows = [JobChange(tenant_id=tenant_id, job_public_id=public_id, kind=kind) for public_id in public_ids]
    if not rows:
        return
    with connection.cursor() as cursor:
        # The notification reaches every host's search follower at commit (`jobpilot.search.follower`).
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s), pg_notify(%s, '')", [*CHANGE_LOG_LOCK, JOB_CHANGES_CHANNEL]
        )
    JobChange.objects.bulk_create(rows)


# --- metered overage ----------------------------------------------------------------------------------------------


def meter_reports_prepare(*, now: datetime | None = None) -> int:
    """For each account on a plan with metered API overage, write a `MeterReport` for the overage of today and
    yesterday (UTC) not yet reported. Returns how many were written.

    Each account is handled in its own transaction holding its row lock, so two runs cannot both write the same
    overage; the identifier (account, day, running total) is unique, a second guard."""
    now = now or timezone.now()
    periods = [period_key(Metric.API_REQUESTS_PER_DAY, now - timedelta(days=back)) for back in (1, 0)]
    counters = UsageCounter.objects.filter(metric=Metric.API_REQUESTS_PER_DAY.value, period__in=periods)
    written = 0
    for account_id, period in counters.values_list("account_id", "period").order_by("account_id", "period"):
        with transaction.atomic():
            account = BillingAccount.objects.select_for_update().get(pk=account_id)
            if not overage_allowed(account, Metric.API_REQUESTS_PER_DAY) or not account.stripe_customer_id:
                continue
            limit = limit_for(account, Metric.API_REQUESTS_PER_DAY) or 0
            used = UsageCounter.objects.get(
                account=account, metric=Metric.API_REQUESTS_PER_DAY.value, period=period
            ).used
            reported = (
                MeterReport.objects.filter(account=account, period=period).aggregate(v=Sum("value"))["v"] or 0
            )
            overage = max(0, used - limit)
            if overage > reported:
                MeterReport.objects.create(
                    account=account,
                    period=period,
                    value=overage - reported,
                    identifier=f"jp-api-{account.pk}-{period}-{overage}",
                )
                written += 1
    return written


def meter_reports_send(*, batch_size: int = 100) -> int:
    """Send unsent `MeterReport`s to Stripe in batches and mark them sent. Returns how many were sent.

    Rows are locked (SKIP LOCKED) while being sent, so two workers never send the same row at once; a row whose
    sending failed or whose mark did not commit stays unsent and goes again with the same identifier, which
    Stripe counts once."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                MeterReport.objects.select_for_update(skip_locked=True)
                .select_related("account")
                .filter(sent_at__isnull=True)
                .order_by("id")[:batch_size]
            )
            if not batch:
                return sent
            stripe_gateway.report_meter_events(
                events=[
                    {
                        "identifier": report.identifier,
                        "customer_id": report.account.stripe_customer_id,
                        "value": report.value,
                        "timestamp": report.created_at,
                    }
                    for report in batch
                ]
            )
            MeterReport.objects.filter(pk__in=[report.pk for report in batch]).update(sent_at=timezone.now())
            sent += len(batch)
