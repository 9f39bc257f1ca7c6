"""Ranking jobs for a seeker: pure functions over plain values, so the API, the weekly email and
`bench/matching.py` rank with the same code.

A seeker is a `SeekerSignals` (skills with weights, titles, seniority, work arrangements, and what they did:
saved and applied jobs add their skills and titles at a lower weight, dismissed jobs push similar ones down).
A job is a `JobFeatures`. `score` gives one number in [0, 1] and the reasons behind it; `diversify` keeps a
list from being twenty copies of one title or one company. Nothing here reads or needs a protected attribute
(age, gender, ethnicity, ...): the inputs are skills, titles, seniority and the job's own fields.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from jobpilot.matching import taxonomy
from jobpilot.matching.taxonomy import Skill, normalize_skill, skill_set
from jobpilot.matching.understanding import SENIORITY_LEVELS, seniority

# Weights of the parts of a score. Skills say most; titles and the skill area (category) separate occupations
# whose skills the taxonomy knows little about; similarity is the embedding cosine when one is given.
WEIGHTS = {"skills": 0.45, "title": 0.25, "area": 0.15, "seniority": 0.05, "similarity": 0.10}
BEHAVIOUR_WEIGHT = 0.5  # skills/titles of saved and applied jobs count half as much as the seeker's own
VIEWED_WEIGHT = 0.3
DISMISSED_PENALTY = 0.35
_TITLE_NOISE = {
    "senior",
    "sr",
    "junior",
    "jr",
    "lead",
    "principal",
    "staff",
    "entry",
    "level",
    "graduate",
    "i",
    "ii",
    "iii",
    "iv",
    "the",
    "and",
    "of",
    "a",
    "an",
    "for",
    "in",
    "at",
    "to",
    "with",
    "m",
    "f",
    "d",
    "w",
}
_WORD = re.compile(r"[a-z0-9+#]+")


@cache
def get_skill(skill_id: str) -> Skill | None:
    return taxonomy.get_skill(skill_id)  # a scan of the list: called per job and skill, so remembered


def title_tokens(title: str) -> frozenset[str]:
    words = (w.removesuffix("s") if len(w) > 3 else w for w in _WORD.findall((title or "").lower()))
    return frozenset(w for w in words if w not in _TITLE_NOISE)


@dataclass(frozen=True)
class JobFeatures:
    id: int
    title: str
    company: str
    skills: frozenset[str]  # taxonomy ids named by the title, the skills field and the text
    seniority: str
    remote: str = ""
    embedding: object = field(default=None, compare=False)  # a normalized vector (numpy array), or None


@dataclass
class SeekerSignals:
    skills: dict[str, float] = field(
        default_factory=dict
    )  # taxonomy id -> weight (1.0 own, less from behaviour)
    titles: dict[frozenset[str], float] = field(default_factory=dict)  # title tokens -> weight
    seniority: str | None = None
    work_arrangements: frozenset[str] = frozenset()
    dismissed: list[JobFeatures] = field(default_factory=list)
    embedding: object = field(default=None, compare=False)  # a normalized vector (numpy array), or None

    def add_skills(self, ids, weight: float) -> None:
        for skill_id in ids:
            self.skills[skill_id] = max(self.skills.get(skill_id, 0.0), weight)

    def add_title(self, title: str, weight: float) -> None:
        tokens = title_tokens(title)
        if tokens:
            self.titles[tokens] = max(self.titles.get(tokens, 0.0), weight)

    @property
    def is_empty(self) -> bool:
        return not self.skills and not self.titles


@dataclass(frozen=True)
class Scored:
    job: JobFeatures
    score: float
    matched_skills: tuple[str, ...]  # canonical labels
    reasons: tuple[str, ...]


def skill_ids(*texts: str) -> frozenset[str]:
    ids: set[str] = set()
    for text in texts:
        ids.update(skill_set(text))
    return frozenset(ids)


def typed_skill_ids(names) -> frozenset[str]:
    """Skills typed one per item (profile, postings' skills field): the whole item first, then as free text."""
    ids: set[str] = set()
    for name in names:
        skill = normalize_skill(name)
        ids.update([skill.id] if skill else skill_set(name))
    return frozenset(ids)


def job_features(
    *, id: int, title: str, company: str, listed_skills=(), text: str = "", remote: str = "", embedding=None
) -> JobFeatures:
    return JobFeatures(
        id=id,
        title=title,
        company=company,
        skills=typed_skill_ids(listed_skills) | skill_ids(title, text),
        seniority=seniority(title, text),
        remote=remote,
        embedding=embedding,
    )


def seeker_signals(
    *,
    skills=(),
    titles=(),
    text: str = "",
    experience_years: int | None = None,
    work_arrangements=(),
    saved=(),
    applied=(),
    viewed=(),
    dismissed=(),
    embedding=None,
) -> SeekerSignals:
    """`skills`/`titles` are the seeker's own (profile, resume); `text` is the resume's text; `saved`, `applied`
    `viewed` and `dismissed` are `JobFeatures` of what the seeker did."""
    signals = SeekerSignals(
        work_arrangements=frozenset(work_arrangements),
        embedding=embedding,
    )
    signals.add_skills(typed_skill_ids(skills), 1.0)
    signals.add_skills(skill_ids(text), 0.8)
    for title in titles:
        signals.add_title(title, 1.0)
    for job in (*saved, *applied):
        signals.add_skills(job.skills, BEHAVIOUR_WEIGHT)
        signals.add_title(job.title, BEHAVIOUR_WEIGHT)
    for job in viewed:  # a look says less than a save
        signals.add_skills(job.skills, VIEWED_WEIGHT)
        signals.add_title(job.title, VIEWED_WEIGHT)
    signals.dismissed = list(dismissed)
    signals.seniority = _seeker_level(titles, experience_years)
    return signals


def _seeker_level(titles, years: int | None) -> str | None:
    for title in titles:
        level = seniority(title)
        if level != "mid":
            return level
    if years is not None:
        return "senior" if years >= 7 else "mid" if years >= 3 else "junior"
    return "mid" if titles else None


def _areas(ids) -> Counter:
    counts: Counter = Counter()
    for skill_id in ids:
        skill = get_skill(skill_id)
        if skill is not None:
            counts[skill.category] += 1
    return counts


def _cosine_counts(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _title_fit(signals: SeekerSignals, tokens: frozenset[str]) -> tuple[float, frozenset[str] | None]:
    best, best_title = 0.0, None
    for seeker_tokens, weight in signals.titles.items():
        common = len(seeker_tokens & tokens)
        if common:
            fit = weight * common / len(seeker_tokens | tokens)
            if fit > best:
                best, best_title = fit, seeker_tokens
    return best, best_title


def _dot(a, b) -> float:
    return float(np.dot(np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)))


@dataclass
class _SeekerCache:
    areas: Counter
    norm: float


def score(signals: SeekerSignals, job: JobFeatures, *, _cache: _SeekerCache | None = None) -> Scored:
    cache = _cache or _SeekerCache(
        areas=_areas(signals.skills), norm=math.sqrt(sum(w * w for w in signals.skills.values()))
    )
    matched = [s for s in job.skills if s in signals.skills]
    # Cosine between the seeker's weighted skills and the job's: rewards covering the job's skills without
    # rewarding a job for listing fifty.
    skills_fit = (
        sum(signals.skills[s] for s in matched) / (math.sqrt(len(job.skills)) * cache.norm)
        if matched
        else 0.0
    )
    title_fit, similar_title = _title_fit(signals, title_tokens(job.title))
    area_fit = _cosine_counts(cache.areas, _areas(job.skills))
    level_fit = 0.5
    if signals.seniority and job.seniority in SENIORITY_LEVELS:
        gap = abs(SENIORITY_LEVELS.index(signals.seniority) - SENIORITY_LEVELS.index(job.seniority))
        level_fit = max(0.0, 1 - gap / 2)
    has_both = signals.embedding is not None and job.embedding is not None
    similarity = max(0.0, _dot(signals.embedding, job.embedding)) if has_both else None
    weights = dict(WEIGHTS)
    if similarity is None:  # no embeddings: the other parts share its weight
        spread = weights.pop("similarity") / len(weights)
        weights = {k: v + spread for k, v in weights.items()}
    total = (
        weights["skills"] * skills_fit
        + weights["title"] * title_fit
        + weights["area"] * area_fit
        + weights["seniority"] * level_fit
        + weights.get("similarity", 0) * (similarity or 0)
    )
    if signals.work_arrangements and job.remote and job.remote not in signals.work_arrangements:
        total *= 0.8
    penalty = max((_dismissed_likeness(d, job) for d in signals.dismissed), default=0.0)
    total = max(0.0, total - DISMISSED_PENALTY * penalty)
    labels = tuple(sorted(get_skill(s).label for s in matched))
    reasons: list[str] = []
    if labels:
        shown = ", ".join(labels[:4]) + ("…" if len(labels) > 4 else "")
        reasons.append(f"{len(labels)} of the job's {len(job.skills)} skills match yours: {shown}")
    if similar_title is not None and title_fit >= 0.3:
        reasons.append("Its title is close to one you have or looked at")
    if signals.seniority and level_fit == 1.0:
        reasons.append(f"Right level for you ({job.seniority})")
    if not reasons and area_fit > 0.5:
        reasons.append("In the same field as your skills")
    return Scored(job=job, score=round(total, 4), matched_skills=labels, reasons=tuple(reasons))


def _dismissed_likeness(dismissed: JobFeatures, job: JobFeatures) -> float:
    if dismissed.id == job.id:
        return 1.0
    a, b = title_tokens(dismissed.title), title_tokens(job.title)
    title = len(a & b) / len(a | b) if a | b else 0.0
    same_company = 0.3 if dismissed.company and dismissed.company == job.company else 0.0
    return min(1.0, title + same_company)


def rank(
    signals: SeekerSignals, jobs, *, limit: int = 20, per_title: int = 3, per_company: int = 4
) -> list[Scored]:
    """The best `limit` jobs, diverse: at most `per_title` with one title and `per_company` from one company
    while others are left (the rest fill in after, so a short list is never cut)."""
    cache = _SeekerCache(
        areas=_areas(signals.skills), norm=math.sqrt(sum(w * w for w in signals.skills.values()))
    )
    scored = sorted((score(signals, job, _cache=cache) for job in jobs), key=lambda s: (-s.score, s.job.id))
    return diversify(
        [s for s in scored if s.score > 0], limit=limit, per_title=per_title, per_company=per_company
    )


def diversify(scored: list[Scored], *, limit: int, per_title: int, per_company: int) -> list[Scored]:
    picked: list[Scored] = []
    held: list[Scored] = []
    titles: Counter = Counter()
    companies: Counter = Counter()
    for item in scored:
        if len(picked) >= limit:
            break
        title_key = " ".join(_WORD.findall(item.job.title.lower()))  # the same title as written, any case
        if titles[title_key] >= per_title or companies[item.job.company] >= per_company:
            held.append(item)
            continue
        titles[title_key] += 1
        companies[item.job.company] += 1
        picked.append(item)
    return picked + held[: max(0, limit - len(picked))]


def retrieval_terms(signals: SeekerSignals, *, limit: int = 24) -> list[str]:
    """What to ask a search engine for candidates: the strongest skills' labels and the title words."""
    skills = sorted(signals.skills.items(), key=lambda kv: -kv[1])[:limit]
    terms = [get_skill(s).label for s, _ in skills if get_skill(s) is not None]
    words = sorted({w for tokens in signals.titles for w in tokens}, key=len, reverse=True)
    return terms + words[: max(0, limit - len(terms))]


def skill_labels(ids) -> list[str]:
    out = []
    for skill_id in ids:
        skill: Skill | None = get_skill(skill_id)
        if skill is not None:
            out.append(skill.label)
    return sorted(out)


def retrieval_query(terms: list[str]) -> str:
    """The engine query of a seeker's retrieval terms: any of them (phrases quoted, query syntax stripped)."""
    cleaned = (re.sub(r'["()\[\]{}:^~*!\\+-]', " ", t).strip() for t in terms)
    return " OR ".join(f'"{t}"' if " " in t else t for t in cleaned if t)
