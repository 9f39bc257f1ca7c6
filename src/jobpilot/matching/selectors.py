"""Reads of the matching app: job summaries and match scores (ADR 0024).

Every job is found through `marketplace.selectors.marketplace_job_get` (live listings only, scoped to the host's
employer), every resume through `seekers.selectors.resume_get` (the caller's own): a draft or closed posting, another
employer's job on an employer's domain or another seeker's resume is a 404, never a score.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid
from functools import lru_cache

from django.core.cache import cache

from billing.entitlements import has_feature, require_feature
from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_user
from jobpilot.core.errors import NotFound
from jobpilot.jobs.models import ANNUAL_FACTOR
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.marketplace.selectors import _live, marketplace_job_get  # _live: the one "still open"
from jobpilot.matching import embeddings
from jobpilot.matching.models import JobUnderstanding
from jobpilot.matching.scoring import JobSignals, SeekerSignals, match_score
from jobpilot.matching.services import job_understanding_refresh
from jobpilot.matching.taxonomy import extract_skills, get_skill, normalize_skill
from jobpilot.seekers.models import Resume, ResumeParse
from jobpilot.seekers.selectors import resume_get, seeker_profile_get

SEEKER_EMBEDDING_TTL = 7 * 24 * 3600  # keyed by the text's hash: a changed profile is a new key
RESUME_TEXT_CHARS = 20_000
BATCH_TTL = 3600
_WORDS = re.compile(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*", re.UNICODE)


# --- plan gate ----------------------------------------------------------------------------------------------------


def match_require_plan(user) -> None:
    """402 `feature_not_in_plan` (with `upgrade_url`) unless the user's seeker plan includes AI recommendations."""
    require_feature(billing_account_for_user(user, Audience.SEEKER), Feature.AI_RECOMMENDATIONS)


def match_has_plan(user) -> bool:
    return has_feature(billing_account_for_user(user, Audience.SEEKER), Feature.AI_RECOMMENDATIONS)


# --- summaries ----------------------------------------------------------------------------------------------------


def _labels(ids: list[str]) -> list[dict]:
    return [{"id": i, "label": s.label if (s := get_skill(i)) else i} for i in ids]


def understanding_out(job: MarketplaceJob, understanding: JobUnderstanding) -> dict:
    return {
        "id": job.public_id,
        "title": job.title,
        "required_skills": _labels(understanding.required_skills),
        "nice_to_have_skills": _labels(understanding.nice_to_have_skills),
        "seniority": understanding.seniority,
        "summary": understanding.summary,
        "understood_at": understanding.understood_at,
    }


def job_summary_get(*, public_id, tenant) -> dict:
    """The stored understanding of a live job; a job listed seconds ago whose task has not run yet is understood
    here, once (the same write the task makes)."""
    job = marketplace_job_get(public_id=public_id, tenant=tenant)
    return understanding_out(job, _understanding_of(job))


def _understanding_of(job: MarketplaceJob) -> JobUnderstanding:
    understanding = JobUnderstanding.objects.filter(job=job).first()
    if understanding is None:
        job_understanding_refresh(public_ids=[job.public_id])
        understanding = JobUnderstanding.objects.filter(job=job).first()
    if understanding is None:  # withdrawn between our read and the write
        raise NotFound("No such job, or it is no longer open.", code="job_not_found")
    return understanding


def batch_key(batch_id) -> str:
    return f"matching:batch:{batch_id}"


def _live_jobs(public_ids, tenant) -> dict:
    jobs = MarketplaceJob.objects.filter(public_id__in=public_ids)
    if tenant is not None and not tenant.is_public:  # WARNING: an employer's host sees only its own jobs
        jobs = jobs.filter(tenant_id=tenant.pk)
    live = jobs.filter(_live()).select_related("understanding")
    return {job.public_id: job for job in live}


def job_summaries(*, public_ids: list[uuid.UUID], tenant) -> tuple[dict, list, list]:
    """(live jobs by id, results for those understood, ids not found). Two queries whatever the count."""
    jobs = _live_jobs(public_ids, tenant)
    results = []
    for job in jobs.values():
        understanding = getattr(job, "understanding", None)
        if understanding is not None:
            results.append(understanding_out(job, understanding))
    not_found = [i for i in public_ids if i not in jobs]
    return jobs, results, not_found


def batch_progress(*, user, batch_id: uuid.UUID, tenant) -> dict:
    """A batch's progress and, with it, every summary ready so far. Only the user who started it can read it."""
    state = cache.get(batch_key(batch_id))
    if state is None or state["owner"] != user.pk:
        raise NotFound("No such batch, or it has expired.", code="batch_not_found")
    done = min(cache.get(f"{batch_key(batch_id)}:done", 0), state["total"])
    _, results, _ = job_summaries(public_ids=[uuid.UUID(i) for i in state["ids"]], tenant=tenant)
    return {
        "batch_id": batch_id,
        "status": "done" if done >= state["total"] else "pending",
        "done": done,
        "total": state["total"],
        "results": results,
        "not_found": state["not_found"],
    }


# --- scores -------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _place_keys(text: str) -> frozenset[str]:
    """Lower-cased words of a typed location plus the country codes they name ("Berlin, Germany" -> berlin,
    germany, de), to meet `MarketplaceJob.location_keys`."""
    import pycountry

    keys = set()
    for part in re.split(r"[,/;|]", text or ""):
        part = part.strip().lower()
        if not part:
            continue
        keys.add(part)
        keys.update(m.group(0) for m in _WORDS.finditer(part))
        with contextlib.suppress(LookupError):  # not a country's name or code
            keys.add(pycountry.countries.lookup(part).alpha_2.lower())
    return frozenset(keys)


def _seeker_embedding(text: str):
    if not text.strip():
        return None
    key = "matching:seeker-embedding:" + hashlib.sha256(f"{embeddings.MODEL}\x1d{text}".encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None:
        return embeddings.from_bytes(stored)
    vector = embeddings.encode_one(text)
    cache.set(key, embeddings.to_bytes(vector), SEEKER_EMBEDDING_TTL)
    return vector


def seeker_signals(*, seeker, resume_id: uuid.UUID | None = None) -> SeekerSignals:
    """What the score knows of the seeker: the profile, plus a resume (the one named, which must be the caller's
    own, else the default one). Reads at most four rows; the embedding is cached by its text."""
    profile = seeker_profile_get(seeker=seeker)
    resume = (
        resume_get(seeker=seeker, resume_id=resume_id)
        if resume_id
        else Resume.objects.filter(owner=seeker, is_default=True, deleted_at__isnull=True).first()
    )
    skill_ids = set()
    typed = [skill.name for skill in profile.skills.all()] if profile.pk else []
    for name in typed:
        if (skill := normalize_skill(name)) is not None:
            skill_ids.add(skill.id)
    resume_text = (resume.text if resume else "")[:RESUME_TEXT_CHARS]
    skill_ids.update(hit.skill.id for hit in extract_skills(resume_text))
    years = profile.experience_years
    if years is None and resume is not None:
        parse = ResumeParse.objects.filter(resume=resume).order_by("-created_at").only("result").first()
        value = ((parse.result or {}).get("total_years_experience") or {}) if parse else {}
        years = round(value["value"]) if isinstance(value.get("value"), int | float) else None
    salary = None
    if profile.salary_expectation:
        salary = profile.salary_expectation * ANNUAL_FACTOR.get(profile.salary_period, 1)
    # Headline and skills first, as a job's title and skills lead its embedded text.
    parts = [
        profile.headline,
        f"Skills: {', '.join(typed)}." if typed else "",
        profile.bio,
        resume_text[:1500],
    ]
    text = "\n".join(part for part in parts if part.strip())
    return SeekerSignals(
        skill_ids=skill_ids,
        years=years,
        location_keys=set(_place_keys(profile.location)),
        salary_annual=salary,
        salary_currency=profile.salary_currency,
        embedding=_seeker_embedding(text),
    )


def _job_signals(job: MarketplaceJob, understanding: JobUnderstanding) -> JobSignals:
    return JobSignals(
        required_skills=understanding.required_skills,
        nice_to_have_skills=understanding.nice_to_have_skills,
        seniority=understanding.seniority,
        remote=job.remote,
        location_keys=job.location_keys,
        country=job.country,
        salary_annual_max=job.salary_annual_max,
        salary_currency=job.salary_currency,
        embedding=embeddings.from_bytes(understanding.embedding),
    )


def match_score_get(*, seeker, job_id, resume_id: uuid.UUID | None = None, tenant) -> dict:
    """The seeker's match with one live job, gated by the plan (402). Checks the plan first, so an unplanned
    caller learns nothing about which jobs or resumes exist."""
    match_require_plan(seeker)
    job = marketplace_job_get(public_id=job_id, tenant=tenant)
    understanding = _understanding_of(job)
    signals = seeker_signals(seeker=seeker, resume_id=resume_id)
    return {
        "job_id": job.public_id,
        "resume_id": resume_id,
        **match_score(signals, _job_signals(job, understanding)),
    }


def match_scores_for_jobs(*, seeker, public_ids) -> dict:
    """{public_id: score result} for a page of cards: one query for the jobs and their understandings together,
    one read of the seeker. Jobs not understood yet have no entry (their card shows none). The caller checks the
    plan (`match_has_plan`); the ids come from a listing the caller already scoped to its host."""
    public_ids = list(public_ids)
    if not public_ids:
        return {}
    understood = list(
        JobUnderstanding.objects.filter(job__public_id__in=public_ids)
        .select_related("job")
        .only(
            "required_skills",
            "nice_to_have_skills",
            "seniority",
            "embedding",
            "job__public_id",
            "job__remote",
            "job__location_keys",
            "job__country",
            "job__salary_annual_max",
            "job__salary_currency",
        )
    )
    if not understood:
        return {}
    signals = seeker_signals(seeker=seeker)
    return {u.job.public_id: match_score(signals, _job_signals(u.job, u)) for u in understood}


def application_scores(applications: list[tuple]) -> list[int | None]:
    """Match scores (0-100) of applications `(seeker_user_id, resume_public_id, job_public_id)`: the stored
    understanding of the job and the resume sent (else the profile and default resume). Apply stores each one on
    its application; the analytics rollup calls this only for applications stored without one. None where no
    score can be made: the job has no understanding (gone from the marketplace, or not understood yet), the
    seeker's account is gone, or nothing is known of them (no skills, no text)."""
    from django.contrib.auth import get_user_model

    if not applications:
        return []
    understood = {
        u.job.public_id: u
        for u in JobUnderstanding.objects.filter(
            job__public_id__in={a[2] for a in applications}
        ).select_related("job")
    }
    users = get_user_model().objects.in_bulk({a[0] for a in applications if a[0] is not None})
    scores = []
    for seeker_id, resume_id, job_id in applications:
        understanding, seeker = understood.get(job_id), users.get(seeker_id)
        if understanding is None or seeker is None:
            scores.append(None)
            continue
        try:
            signals = seeker_signals(seeker=seeker, resume_id=resume_id)
        except NotFound:  # the resume sent was deleted since: the profile and default resume
            signals = seeker_signals(seeker=seeker)
        if not signals.skill_ids and signals.embedding is None:
            scores.append(None)
            continue
        scores.append(match_score(signals, _job_signals(understanding.job, understanding))["score"])
    return scores
