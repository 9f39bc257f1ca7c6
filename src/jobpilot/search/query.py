"""Web-search syntax (words, "a phrase", -excluded, this or that) to the engine's query language, with
English stop words dropped (a query of only stop words matches everything) and skill synonyms from the taxonomy
(`k8s` also finds Kubernetes). Every character the engine's language gives a meaning is reduced to words first,
so any text is a valid query."""

import re
from dataclasses import dataclass
from functools import lru_cache

from jobpilot.matching.taxonomy import normalize_skill

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "we",
        "you",
        "your",
        "our",
        "i",
        "me",
        "my",
        "he",
        "she",
        "him",
        "her",
        "them",
        "who",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "so",
        "than",
        "too",
        "very",
        "can",
        "just",
        "do",
        "does",
    ]
)


@dataclass(frozen=True)
class Parsed:
    positive: str  # the engine's syntax; "" when only exclusions (or nothing) are left
    negative: str  # excluded words and phrases, as one disjunction
    is_empty: bool  # no condition at all


def _term(words: list[str], *, phrase: bool) -> str:
    if len(words) == 1:
        return words[0]
    return '"' + " ".join(words) + '"'


def _with_synonyms(word: str) -> str:
    skill = normalize_skill(word)
    if skill is None:
        return word
    label = _WORD.findall(skill.label.lower())
    if not label or label == [word]:
        return word
    return f"({word} OR {_term(label, phrase=True)})"


@lru_cache(maxsize=4096)
def parse(text: str) -> Parsed:
    groups: list[list[str]] = []  # each group: alternatives joined by OR; groups are all required
    negative: list[str] = []
    join_next = False
    for match in _TOKEN.finditer(text or ""):
        excluded, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                join_next = bool(groups)
                continue
            excluded = "-" if bare.startswith("-") and len(bare) > 1 else ""
            words = [w.lower() for w in _WORD.findall(bare)]
            if len(words) == 1 and words[0] in STOP_WORDS and not excluded:
                continue
        else:
            words = [w.lower() for w in _WORD.findall(quoted)]
        if not words:
            continue
        term = _term(words, phrase=quoted is not None)
        if excluded:
            negative.append(term)
            join_next = False
            continue
        if len(words) == 1 and quoted is None:
            term = _with_synonyms(words[0])
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    positive = " ".join(group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups)
    return Parsed(positive=positive, negative=" ".join(negative), is_empty=not groups and not negative)
