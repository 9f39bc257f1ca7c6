"""The skills taxonomy: one canonical label per skill, its synonyms, and a normalizer and extractor over them.

The data is `data/skills.csv` (id, label, category, alt_labels separated by "|"), written for JobPilot (see
docs/adr/0019-matching.md). It is loaded once per process; every lookup is in memory.

Matching rules, so "C" does not fire inside "C++" and "js" does not fire inside "Node.js":
- a term matches only when not glued to a word character (or "+", "#", "." joining it to another token);
- at one position the longest term wins (the alternation is ordered longest first);
- short terms (three characters or fewer, letters/digits only: "Go", "R", "RN", "js") are case sensitive in free
  text, as written or in capitals, so the word "go" or "rn" in a sentence is not a skill. Typed skills
  (`normalize_skill`) are whole strings and compare case-insensitively.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_PATH = Path(__file__).parent / "data" / "skills.csv"


@dataclass(frozen=True)
class Skill:
    id: str
    label: str
    category: str


@dataclass(frozen=True)
class SkillHit:
    skill: Skill
    matched_text: str
    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class _Taxonomy:
    skills: tuple[Skill, ...]
    by_key: dict[str, Skill]  # normalized label or alternative label -> skill
    pattern: re.Pattern
    terms: tuple[tuple[Skill, str, bool], ...]  # group index - 1 -> (skill, term, is_label)


def _key(text: str) -> str:
    return re.sub(r"[\s\-_]+", " ", text.strip().strip(",;:").strip()).lower()


def _is_short(term: str) -> bool:
    return len(term) <= 3 and term.isalnum()


def _term_regex(term: str) -> str:
    # spaces and hyphens inside a term are interchangeable ("full stack" / "full-stack")
    def flexible(t: str) -> str:
        return r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", t))

    if _is_short(term):
        return f"(?:{re.escape(term)}|{re.escape(term.upper())})"
    return f"(?i:{flexible(term)})"


@cache
def _taxonomy() -> _Taxonomy:
    skills: list[Skill] = []
    by_key: dict[str, Skill] = {}
    terms: list[tuple[Skill, str, bool]] = []
    with DATA_PATH.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            skill = Skill(id=row["id"], label=row["label"], category=row["category"])
            skills.append(skill)
            alts = [a for a in row["alt_labels"].split("|") if a]
            for term, is_label in [(skill.label, True), *((a, False) for a in alts)]:
                by_key.setdefault(_key(term), skill)
                terms.append((skill, term, is_label))
    terms.sort(key=lambda t: len(t[1]), reverse=True)
    alternation = "|".join(f"({_term_regex(term)})" for _, term, _ in terms)
    pattern = re.compile(rf"(?<![\w.+#@/])(?:{alternation})(?![\w+#])(?!\.\w)")
    return _Taxonomy(skills=tuple(skills), by_key=by_key, pattern=pattern, terms=tuple(terms))


def all_skills() -> tuple[Skill, ...]:
    return _taxonomy().skills


def get_skill(skill_id: str) -> Skill | None:
    return next((s for s in _taxonomy().skills if s.id == skill_id), None)


def normalize_skill(text: str) -> Skill | None:
    """The taxonomy skill a typed string names ("k8s", "Kubernetes", " reactjs "), or None."""
    if not text or not text.strip():
        return None
    return _taxonomy().by_key.get(_key(text))


def normalize_label(text: str) -> str:
    """What to store for a typed skill: the canonical label when known, otherwise the text as typed (trimmed)."""
    skill = normalize_skill(text)
    return skill.label if skill else " ".join(text.split())


def extract_skills(text: str) -> list[SkillHit]:
    """Every taxonomy skill mentioned in free text, in order of appearance (repeats included)."""
    if not text:
        return []
    tax = _taxonomy()
    hits: list[SkillHit] = []
    for match in tax.pattern.finditer(text):
        skill, term, is_label = tax.terms[match.lastindex - 1]
        matched = match.group(0)
        if _is_short(term) and len(term) <= 2 or skill.label in {"Go", "C", "R"}:
            confidence = 0.6  # short tokens are the likeliest to be something else
        elif is_label:
            confidence = 1.0 if matched == skill.label else 0.95
        else:
            confidence = 0.85
        hits.append(SkillHit(skill=skill, matched_text=matched, start=match.start(), end=match.end(),
                             confidence=confidence))
    return hits


def skill_set(text: str) -> dict[str, Skill]:
    """Distinct skills mentioned in text, by id, first mention first."""
    found: dict[str, Skill] = {}
    for hit in extract_skills(text):
        found.setdefault(hit.skill.id, hit.skill)
    return found
