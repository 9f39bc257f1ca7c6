"""Screening: a job's applicants in order of match, with the explanation, for the employer's pipeline board.

It orders; it never hides, rejects or moves anyone (every applicant stays on the board in their stage, and
only a person moves them). It reads only what the candidate sent for this job, the resume's text and the cover
letter, and the posting's own text: never the name, email, photo, age, gender, nationality or any other
protected attribute, and never the seeker's other data. A plan feature of employers (`Feature.AI_SCREENING`).
"""

from __future__ import annotations

from dataclasses import dataclass

from billing.entitlements import require_feature
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.jobs.html import html_to_text
from jobpilot.matching import recommend
from jobpilot.seekers.models import Resume

RESUME_CHARS = 20_000


@dataclass(frozen=True)
class ScreeningMatch:
    percent: int
    matched_skills: list[str]
    missing_skills: list[str]
    reasons: list[str]


def screening_matches(*, tenant, posting, applications) -> dict[int, ScreeningMatch]:
    """{application id: its match} for applications of one posting (402 without the plan feature).

    WARNING: isolation. The caller passes applications read in `tenant`'s schema (the pipeline's selectors);
    resumes are read only by the ids those applications carry."""
    require_feature(billing_account_for_tenant(tenant), Feature.AI_SCREENING)
    job = recommend.job_features(
        id=posting.pk,
        title=posting.title,
        company="",
        listed_skills=posting.skills,
        text=f"{html_to_text(posting.description)}\n{html_to_text(posting.requirements)}",
        remote=posting.remote,
    )
    resume_ids = [a.resume_public_id for a in applications if a.resume_public_id]
    texts = dict(Resume.objects.filter(pk__in=resume_ids).values_list("pk", "text"))
    out = {}
    for application in applications:
        text = f"{texts.get(application.resume_public_id, '')[:RESUME_CHARS]}\n{application.cover_letter}"
        scored = recommend.score(recommend.seeker_signals(text=text), job)
        matched = set(scored.matched_skills)
        out[application.pk] = ScreeningMatch(
            percent=round(100 * scored.score),
            matched_skills=list(scored.matched_skills),
            missing_skills=[s for s in recommend.skill_labels(job.skills) if s not in matched],
            reasons=list(scored.reasons),
        )
    return out


def by_match(applications, matches: dict[int, ScreeningMatch]) -> list:
    """Every application, best match first (ties: earlier application first). Nobody is dropped."""
    return sorted(
        applications, key=lambda a: (-matches[a.pk].percent if a.pk in matches else 1, a.created_at)
    )
