"""Understanding a job from its text: required vs nice-to-have skills, seniority, and an extractive summary.

Pure functions over plain text (HTML already stripped), so publish, import and tests all call the same code.
Extractive on purpose: every summary sentence is one the employer wrote, nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobpilot.matching.taxonomy import Skill, extract_skills

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|\s*[•·]\s*")
_NICE = re.compile(r"\b(nice to have|nice-to-have|bonus|a plus|preferred|desirable|ideally|would be great)\b", re.I)
_PAY = re.compile(r"([$€£]\s?\d|\b\d{2,3}k\b|\bsalary\b|\bper (hour|year|annum)\b|\bcompensation\b|\bpay\b)", re.I)
_BENEFITS = re.compile(r"\b(benefits?|pension|401k|health insurance|dental|vacation|paid time off|pto|bonus"
                       r"|equity|stock options|parental leave|remote stipend|wellness)\b", re.I)
_REQUIREMENTS = re.compile(r"\b(experience|years|degree|required|must|proficien\w*|knowledge of|familiar\w*"
                           r"|certif\w*|licen[cs]\w*|qualifications?)\b", re.I)
_RESPONSIBILITIES = re.compile(r"\b(you will|you'll|responsib\w*|build|design|develop|lead|manage|own|maintain"
                               r"|care for|support|deliver|work with|collaborate)\b", re.I)

SENIORITY_LEVELS = ("intern", "junior", "mid", "senior", "lead", "executive")
_SENIORITY = [
    ("executive", re.compile(r"\b(chief|cto|cfo|ceo|vp|vice president|head of|director)\b", re.I)),
    ("lead", re.compile(r"\b(lead|principal|staff|manager)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?)\b", re.I)),
    ("junior", re.compile(r"\b(junior|jr\.?|entry[- ]level|graduate)\b", re.I)),
    ("intern", re.compile(r"\b(intern|internship|trainee|apprentice)\b", re.I)),
]
_YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:-\s*\d{1,2}\s*)?years?", re.I)


@dataclass
class JobUnderstanding:
    required_skills: list[Skill] = field(default_factory=list)
    nice_to_have_skills: list[Skill] = field(default_factory=list)
    seniority: str = "mid"
    summary: dict[str, list[str]] = field(default_factory=dict)  # responsibilities/requirements/benefits/pay


def sentences(text: str) -> list[str]:
    return [s.strip(" -*\t") for s in _SENTENCE.split(text or "") if len(s.strip(" -*\t")) > 3]


def seniority(title: str, text: str = "") -> str:
    for level, pattern in _SENIORITY:
        if pattern.search(title or ""):
            return level
    years = [int(y) for y in _YEARS.findall(text or "")]
    if years:
        most = max(years)
        return "senior" if most >= 5 else "mid" if most >= 2 else "junior"
    return "mid"


def understand_job(*, title: str, description: str, listed_skills: list[str] = ()) -> JobUnderstanding:
    """Skills in a sentence that says "nice to have"/"a plus"/... are nice-to-have; the rest (and those the
    employer listed as skills) are required. Each summary bucket keeps at most three sentences, in text order."""
    required: dict[str, Skill] = {}
    nice: dict[str, Skill] = {}
    summary: dict[str, list[str]] = {"responsibilities": [], "requirements": [], "benefits": [], "pay": []}
    for listed in listed_skills:
        for hit in extract_skills(listed)[:1]:
            required.setdefault(hit.skill.id, hit.skill)
    for sentence in sentences(description):
        if not (_PAY.search(sentence) or _BENEFITS.search(sentence)):  # "health insurance" is not a skill asked for
            bucket = nice if _NICE.search(sentence) else required
            for hit in extract_skills(sentence):
                bucket.setdefault(hit.skill.id, hit.skill)
        for name, pattern in (("pay", _PAY), ("benefits", _BENEFITS), ("requirements", _REQUIREMENTS),
                              ("responsibilities", _RESPONSIBILITIES)):
            if pattern.search(sentence):
                if len(summary[name]) < 3:
                    summary[name].append(sentence)
                break
    for skill_id in required:
        nice.pop(skill_id, None)  # required anywhere wins
    return JobUnderstanding(required_skills=list(required.values()), nice_to_have_skills=list(nice.values()),
                            seniority=seniority(title, description), summary=summary)
