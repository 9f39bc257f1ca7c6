"""Recommendations for a seeker (reads): what they are (profile, resume) and did (saved, applied, viewed,
dismissed) becomes `recommend.SeekerSignals`; candidates come from the search engine; `recommend.rank` orders
them. Bounded work at any marketplace size:

- one engine query (the seeker's strongest skills and title words, OR'd) returns at most `CANDIDATES` ids, the
  engine's top by BM25 over an index that answers in milliseconds at a million jobs;
- one PostgreSQL query reads those rows by primary key (and re-checks that they are live);
- behaviour reads are the newest `BEHAVIOUR_LIMIT` rows of each kind;
- the answer is cached per seeker for `CACHE_SECONDS`, under a key that changes as soon as the profile, a
  resume, a save, an application or a dismissal changes (one small query), so "warm" costs a cache read and
  a liveness check.

Never returned: jobs the seeker applied to or dismissed. Nothing protected (age, gender, nationality, ...) is
read: the inputs are skills, titles, seniority words, years of experience and work arrangements.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from billing.entitlements import require_feature
from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_user
from jobpilot.marketplace.models import DismissedJob, MarketplaceJob, SavedJob
from jobpilot.marketplace.selectors import _live, _scope, card
from jobpilot.matching import embeddings, recommend
from jobpilot.matching.models import JobUnderstanding
from jobpilot.matching.selectors import seeker_signals as score_seeker_signals
from jobpilot.search.backend import Page, SearchFilters
from jobpilot.seekers.models import Resume, ResumeParse, SeekerProfile
from jobpilot.tracker.models import TrackedApplication

CANDIDATES = 100  # the engine's largest page
BEHAVIOUR_LIMIT = 30
VIEWED_DAYS = 30
CACHE_SECONDS = 600
TEXT_CHARS = 1500  # of a job's text read for skills: the requirements are near the top
RESUME_CHARS = 20_000


def recommended_job_url(job: dict, *, absolute: bool = False) -> str:
    """The one link to a recommended job (its page on the marketplace, `utm_source=recommendation`), so the click
    is recorded as a view and a `recommendation_click` with source `recommendation` (`analytics.capture`), and
    the apply it leads to keeps that source. `absolute` for emails."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse(
        "portal:job-detail",
        kwargs={"job_id": job["id"], "slug": job["slug"] or "job"},
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
    )
    url = f"{path}?utm_source=recommendation"
    return settings.SITE_URL.rstrip("/") + url if absolute else url


@dataclass(frozen=True)
class Recommendation:
    job: dict  # the search card
    score: float
    reason: str
    reasons: list[str]
    matched_skills: list[str]

    @property
    def url(self) -> str:
        return recommended_job_url(self.job)


def _features(row: MarketplaceJob) -> recommend.JobFeatures:
    """From the stored understanding (skills, seniority, embedding: `matching.services`, after publish/import)
    when there is one; a job listed seconds ago is read from its text instead."""
    understood = getattr(row, "understanding", None) if _has_understanding(row) else None
    if understood is not None:
        return recommend.JobFeatures(
            id=row.pk,
            title=row.title,
            company=row.company_name,
            skills=frozenset(understood.required_skills)
            | frozenset(understood.nice_to_have_skills)
            | recommend.typed_skill_ids(row.skills),
            seniority=understood.seniority,
            remote=row.remote,
            embedding=embeddings.from_bytes(understood.embedding),
        )
    return recommend.job_features(
        id=row.pk,
        title=row.title,
        company=row.company_name,
        listed_skills=row.skills,
        text=f"{row.summary}\n{row.body_text[:TEXT_CHARS]}",
        remote=row.remote,
    )


def _has_understanding(row) -> bool:
    try:
        return row.understanding is not None
    except JobUnderstanding.DoesNotExist:
        return False


def _rows(public_ids) -> dict:
    ids = list(public_ids)
    if not ids:
        return {}
    jobs = MarketplaceJob.objects.filter(_live(), public_id__in=ids).select_related("understanding")
    return {r.public_id: r for r in jobs}


def _viewed_ids(seeker) -> list:
    # analytics_event has a partial index on seeker_id; the time bound keeps the scan to recent partitions.
    from jobpilot.analytics.models import Event

    since = timezone.now() - timedelta(days=VIEWED_DAYS)
    return list(
        Event.objects.filter(seeker_id=seeker.pk, kind=Event.Kind.VIEW, occurred_at__gte=since)
        .order_by("-occurred_at")
        .values_list("job_public_id", flat=True)[: BEHAVIOUR_LIMIT * 3]
    )


def _parsed_titles(seeker) -> list[str]:
    parse = ResumeParse.objects.filter(owner=seeker).order_by("-created_at").only("result").first()
    titles = []
    for entry in (
        (parse.result.get("experience") or [])[:5] if parse and isinstance(parse.result, dict) else []
    ):
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, dict) and value.get("title"):
            titles.append(str(value["title"]))
    return titles


def seeker_signals_for(seeker) -> tuple[recommend.SeekerSignals, set]:
    """The seeker's signals, and the public ids never to recommend (applied to or dismissed)."""
    profile = SeekerProfile.objects.filter(user=seeker).prefetch_related("skills").first()
    resume = (
        Resume.objects.filter(owner=seeker, deleted_at__isnull=True, text_status=Resume.TextStatus.READY)
        .order_by("-is_default", "-created_at")
        .only("text")
        .first()
    )
    saved = list(
        SavedJob.objects.filter(user=seeker)
        .order_by("-created_at")
        .values_list("job_public_id", "title")[:BEHAVIOUR_LIMIT]
    )
    applied = list(
        TrackedApplication.objects.filter(seeker=seeker)
        .order_by("-created_at")
        .values_list("job_public_id", "title", "company")[: BEHAVIOUR_LIMIT * 10]
    )
    dismissed = list(
        DismissedJob.objects.filter(user=seeker).values_list("job_public_id", "title", "company_name")
    )
    viewed = [v for v in dict.fromkeys(_viewed_ids(seeker)) if v][:BEHAVIOUR_LIMIT]
    rows = _rows({p for p, *_ in saved + applied[:BEHAVIOUR_LIMIT] + dismissed if p} | set(viewed))

    def feats(public_id, title, company=""):
        row = rows.get(public_id)
        if row is not None:
            return _features(row)
        return recommend.job_features(id=0, title=title, company=company)

    titles = [profile.headline] if profile and profile.headline else []
    titles += _parsed_titles(seeker)
    signals = recommend.seeker_signals(
        skills=[s.name for s in profile.skills.all()] if profile else [],
        titles=titles,
        text=(resume.text[:RESUME_CHARS] if resume else ""),
        experience_years=profile.experience_years if profile else None,
        work_arrangements=(profile.work_arrangements if profile else []),
        saved=[feats(p, t) for p, t in saved],
        applied=[feats(p, t, c) for p, t, c in applied[:BEHAVIOUR_LIMIT]],
        viewed=[_features(rows[v]) for v in viewed if v in rows],
        dismissed=[feats(p, t, c) for p, t, c in dismissed],
        # The match score's own reading of the seeker: one embedding, cached by its text.
        embedding=score_seeker_signals(seeker=seeker).embedding,
    )
    excluded = {p for p, *_ in applied if p} | {p for p, *_ in dismissed}
    return signals, excluded


def _fingerprint(seeker) -> str:
    """Changes whenever an input of the ranking does (new rows, a profile edit, a deleted dismissal)."""
    tables = {
        "profile": SeekerProfile._meta.db_table,
        "resume": Resume._meta.db_table,
        "saved": SavedJob._meta.db_table,
        "dismissed": DismissedJob._meta.db_table,
        "tracked": TrackedApplication._meta.db_table,
    }
    sql = f"""
        SELECT (SELECT updated_at FROM {tables["profile"]} WHERE user_id = %(u)s),
               (SELECT count(*) || '-' || max(created_at) FROM {tables["resume"]}
                 WHERE owner_id = %(u)s AND deleted_at IS NULL AND text_status = 'ready'),
               (SELECT count(*) || '-' || max(created_at) FROM {tables["saved"]} WHERE user_id = %(u)s),
               (SELECT count(*) || '-' || max(created_at) FROM {tables["dismissed"]} WHERE user_id = %(u)s),
               (SELECT count(*) || '-' || max(updated_at) FROM {tables["tracked"]} WHERE seeker_id = %(u)s)
    """  # noqa: S608 - table names from the models, the user id is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, {"u": seeker.pk})
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


def _engine():
    from jobpilot.search.index import backend

    engine = backend()
    engine.refresh()  # the reader reloads only when told: see what the indexer committed
    return engine


def _ranked(seeker, scope: int | None, limit: int) -> list[tuple]:
    signals, excluded = seeker_signals_for(seeker)
    if signals.is_empty:
        return []
    found = _engine().search(
        SearchFilters(tenant_id=scope, text=recommend.retrieval_query(recommend.retrieval_terms(signals))),
        Page(limit=CANDIDATES),
    )
    rows = {
        r.pk: r
        for r in MarketplaceJob.objects.filter(_live(), pk__in=found.row_ids).exclude(
            public_id__in=list(excluded)
        )
    }
    ranked = recommend.rank(signals, [_features(r) for r in rows.values()], limit=limit)
    return [(rows[s.job.id].public_id, s.score, list(s.reasons), list(s.matched_skills)) for s in ranked]


def recommendation_list(*, seeker, tenant=None, limit: int = 20) -> list[Recommendation]:
    """The seeker's recommendations, best first (402 without `Feature.AI_RECOMMENDATIONS` in their plan).

    `tenant`: the host's tenant (on an employer's domain only its jobs). WARNING: isolation. The cache key is
    the seeker's own id and the scope; everything read about the seeker is filtered by that id."""
    require_feature(billing_account_for_user(seeker, Audience.SEEKER), Feature.AI_RECOMMENDATIONS)
    scope = _scope(tenant)
    key = f"recommendations:v1:{seeker.pk}:{scope}:{limit}:{_fingerprint(seeker)}"
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranked(seeker, scope, limit)
        cache.set(key, ranked, CACHE_SECONDS)
    live = _rows(p for p, *_ in ranked)  # a job that closed since the answer was cached is left out
    return [
        Recommendation(
            job=card(live[p]),
            score=score,
            reason=reasons[0] if reasons else "",
            reasons=reasons,
            matched_skills=matched,
        )
        for p, score, reasons, matched in ranked
        if p in live
    ]
