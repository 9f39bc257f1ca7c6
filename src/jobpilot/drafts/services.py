"""Drafts for a seeker and a listed job: a cover letter and interview-preparation questions. Gated by the
seeker's plan (`Feature.AI_RECOMMENDATIONS`, 402 with the upgrade link), made by the configured generator
(`generators.configured_generator`), with the local one as the fallback when a provider fails. Nothing is stored:
a draft is the seeker's to copy and edit."""

import logging

from billing.entitlements import has_feature, require_feature
from billing.plans import Audience, Feature
from billing.selectors import billing_account_for_user
from jobpilot.drafts.generators import (
    DraftContext,
    GeneratorUnavailable,
    LocalGenerator,
    configured_generator,
)
from jobpilot.marketplace.selectors import marketplace_job_get
from jobpilot.matching.understanding import understand_job
from jobpilot.seekers.selectors import seeker_profile_get

logger = logging.getLogger(__name__)

KINDS = ("cover_letter", "interview_questions")


def drafts_have_plan(seeker) -> bool:
    return has_feature(billing_account_for_user(seeker, Audience.SEEKER), Feature.AI_RECOMMENDATIONS)


def draft_context(*, seeker, job) -> DraftContext:
    """The posting as `understand_job` reads it, and this seeker's own profile (nobody else's)."""
    understood = understand_job(title=job.title, description=job.body_text, listed_skills=job.skills)
    profile = seeker_profile_get(seeker=seeker)
    saved = profile.pk is not None and not profile._state.adding
    return DraftContext(
        job_title=job.title,
        company=job.company_name,
        location=job.location_text,
        seniority=understood.seniority,
        required_skills=[skill.label for skill in understood.required_skills],
        nice_to_have_skills=[skill.label for skill in understood.nice_to_have_skills],
        responsibilities=understood.summary.get("responsibilities", []),
        requirements=understood.summary.get("requirements", []),
        seeker_name=seeker.get_full_name().strip(),
        headline=profile.headline,
        summary=profile.bio,
        seeker_skills=[skill.name for skill in profile.skills.all()] if saved else [],
        experience_years=profile.experience_years,
    )


def draft_make(*, seeker, job_id, kind: str, tenant=None) -> dict:
    """A draft of `kind` for the live job `job_id` (on an employer's host, one of that employer's jobs)."""
    require_feature(billing_account_for_user(seeker, Audience.SEEKER), Feature.AI_RECOMMENDATIONS)
    job = marketplace_job_get(public_id=job_id, tenant=tenant)
    context = draft_context(seeker=seeker, job=job)
    generator = configured_generator()
    try:
        text = getattr(generator, kind)(context)
    except GeneratorUnavailable as error:
        logger.warning("Draft provider %s failed (%s); the local generator answered", generator.name, error)
        generator = LocalGenerator()
        text = getattr(generator, kind)(context)
    return {
        "job_id": job.public_id,
        "job_title": job.title,
        "company": job.company_name,
        "generator": generator.name,
        "matched_skills": context.matched_skills,
        "missing_skills": context.missing_skills,
        kind: text,
    }
