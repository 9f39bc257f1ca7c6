"""The match score: 0-100 and the reasons for it, from what is known of a seeker and a job (ADR 0024).

Pure: selectors gather the inputs (one seeker, many jobs), this weighs them. Each part gives a fit in [0, 1];
the score is their weighted mean. A part the job or the seeker says nothing about is "unknown" and counts as a
half fit, so missing data neither sinks nor lifts a score; a job that lists no skills gives the skills' weight to
semantic similarity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jobpilot.matching.taxonomy import get_skill
from jobpilot.matching.understanding import SENIORITY_LEVELS

WEIGHTS = {"skills": 40, "semantic": 25, "seniority": 15, "location": 10, "salary": 10}
NICE_TO_HAVE_WEIGHT = 0.5  # a nice-to-have skill counts half a required one
# all-MiniLM-L6-v2 cosine between a profile and a job: ~0.1 unrelated, ~0.6+ the same work; mapped to 0..1.
SEMANTIC_FLOOR, SEMANTIC_CEILING = 0.15, 0.65
SALARY_TOLERANCE = 0.3  # a job paying 70% of the expectation or less has no salary fit
UNKNOWN = 0.5

# Years of experience at which a seeker reaches each level of `understanding.SENIORITY_LEVELS`.
_LEVEL_YEARS = (("executive", 12), ("lead", 8), ("senior", 5), ("mid", 2), ("junior", 0))


def level_for_years(years: int | None) -> str | None:
    if years is None:
        return None
    return next(level for level, least in _LEVEL_YEARS if years >= least)


@dataclass
class SeekerSignals:
    skill_ids: set[str] = field(default_factory=set)
    years: int | None = None
    location_keys: set[str] = field(default_factory=set)  # lower-cased city/region words and country codes
    salary_annual: int | None = None
    salary_currency: str = ""
    embedding: np.ndarray | None = None


@dataclass
class JobSignals:
    required_skills: list[str]
    nice_to_have_skills: list[str]
    seniority: str
    remote: str
    location_keys: list[str]
    country: str
    salary_annual_max: int | None
    salary_currency: str
    embedding: np.ndarray | None


def _skill(skill_id: str, required: bool) -> dict:
    skill = get_skill(skill_id)
    return {"id": skill_id, "label": skill.label if skill else skill_id, "required": required}


def _skills(seeker: SeekerSignals, job: JobSignals) -> tuple[float | None, dict]:
    required, nice = job.required_skills, job.nice_to_have_skills
    matched = [_skill(s, True) for s in required if s in seeker.skill_ids]
    matched += [_skill(s, False) for s in nice if s in seeker.skill_ids]
    missing = [_skill(s, True) for s in required if s not in seeker.skill_ids]
    missing += [_skill(s, False) for s in nice if s not in seeker.skill_ids]
    total = len(required) + NICE_TO_HAVE_WEIGHT * len(nice)
    got = sum(1 if m["required"] else NICE_TO_HAVE_WEIGHT for m in matched)
    detail = {
        "matched": matched,
        "missing": missing,
        "matched_count": len(matched),
        "total": len(required) + len(nice),
    }
    return (got / total if total else None), detail


def _semantic(seeker: SeekerSignals, job: JobSignals) -> tuple[float | None, dict]:
    if seeker.embedding is None or job.embedding is None:
        return None, {"similarity": None}
    similarity = float(np.dot(seeker.embedding, job.embedding))  # both unit length
    fit = (similarity - SEMANTIC_FLOOR) / (SEMANTIC_CEILING - SEMANTIC_FLOOR)
    return min(1.0, max(0.0, fit)), {"similarity": round(similarity, 3)}


def _seniority(seeker: SeekerSignals, job: JobSignals) -> tuple[float, dict]:
    level = level_for_years(seeker.years)
    detail = {"job": job.seniority, "seeker": level, "years": seeker.years}
    if level is None or job.seniority not in SENIORITY_LEVELS:
        return UNKNOWN, {**detail, "fit": "unknown"}
    gap = SENIORITY_LEVELS.index(level) - SENIORITY_LEVELS.index(job.seniority)
    if gap == 0:
        return 1.0, {**detail, "fit": "match"}
    fit = 0.5 if abs(gap) == 1 else 0.0
    return fit, {**detail, "fit": "above" if gap > 0 else "below"}


def _location(seeker: SeekerSignals, job: JobSignals) -> tuple[float, dict]:
    if job.remote == "remote":
        return 1.0, {"fit": "remote", "job": job.remote}
    if not seeker.location_keys:
        return UNKNOWN, {"fit": "unknown", "job": job.remote}
    places = {key for key in job.location_keys if key != job.country.lower()}
    if places & seeker.location_keys:
        return 1.0, {"fit": "same_city", "job": job.remote}
    if job.country and job.country.lower() in seeker.location_keys:
        # Same country: a hybrid job's office days may be a commute; on-site most likely a move.
        return (0.6 if job.remote == "hybrid" else 0.4), {"fit": "same_country", "job": job.remote}
    return 0.0, {"fit": "elsewhere", "job": job.remote}


def _salary(seeker: SeekerSignals, job: JobSignals) -> tuple[float, dict]:
    detail = {
        "job_annual_max": job.salary_annual_max,
        "expected_annual": seeker.salary_annual,
        "currency": job.salary_currency or seeker.salary_currency,
    }
    if not seeker.salary_annual or not job.salary_annual_max:
        return UNKNOWN, {**detail, "fit": "unknown"}
    if seeker.salary_currency and job.salary_currency and seeker.salary_currency != job.salary_currency:
        return UNKNOWN, {**detail, "fit": "other_currency"}
    ratio = job.salary_annual_max / seeker.salary_annual
    if ratio >= 1:
        return 1.0, {**detail, "fit": "meets"}
    return max(0.0, (ratio - (1 - SALARY_TOLERANCE)) / SALARY_TOLERANCE), {**detail, "fit": "below"}


def match_score(seeker: SeekerSignals, job: JobSignals) -> dict:
    """{"score": 0-100, "skills": {...}, "semantic": {...}, "seniority": {...}, "location": {...},
    "salary": {...}}; each part carries its `fit` (0-1, rounded) and `weight`."""
    skills_fit, skills = _skills(seeker, job)
    semantic_fit, semantic = _semantic(seeker, job)
    weights = dict(WEIGHTS)
    if skills_fit is None:  # the job names no skill: let the text speak for it
        weights["semantic"] += weights.pop("skills")
    if semantic_fit is None:
        semantic_fit = UNKNOWN
    parts = {
        "skills": (skills_fit, skills),
        "semantic": (semantic_fit, semantic),
        "seniority": _seniority(seeker, job),
        "location": _location(seeker, job),
        "salary": _salary(seeker, job),
    }
    total = sum(weights[name] * fit for name, (fit, _) in parts.items() if name in weights)
    result: dict = {"score": round(100 * total / sum(weights.values()))}
    for name, (fit, detail) in parts.items():
        result[name] = {
            **detail,
            "score": None if fit is None else round(fit, 3),
            "weight": weights.get(name, 0),
        }
    return result
