"""One text-generation interface for the seeker's drafts (a cover letter, interview-preparation questions), and its
two implementations: `LocalGenerator` (the default; deterministic, made from the job's understanding and the
profile, no network) and `OpenAICompatibleGenerator` (an OpenAI-compatible chat-completions endpoint, off unless
`DRAFTS_PROVIDER=openai` and its `DRAFTS_OPENAI_*` settings are set). ADR 0026.

Neither invents facts about the seeker: the local one writes only what the profile and the posting say, and the
prompt sent to a provider tells it the same and carries only those facts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

MAX_QUESTIONS = 10


@dataclass
class DraftContext:
    """What a draft may use: the posting as understood, and the seeker's own profile."""

    job_title: str
    company: str
    location: str = ""
    seniority: str = "mid"
    required_skills: list[str] = field(default_factory=list)
    nice_to_have_skills: list[str] = field(default_factory=list)
    responsibilities: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    seeker_name: str = ""
    headline: str = ""
    summary: str = ""
    seeker_skills: list[str] = field(default_factory=list)
    experience_years: int | None = None

    @property
    def matched_skills(self) -> list[str]:
        mine = {skill.casefold() for skill in self.seeker_skills}
        return [
            skill for skill in self.required_skills + self.nice_to_have_skills if skill.casefold() in mine
        ]

    @property
    def missing_skills(self) -> list[str]:
        mine = {skill.casefold() for skill in self.seeker_skills}
        return [skill for skill in self.required_skills if skill.casefold() not in mine]


class GeneratorUnavailable(Exception):
    """The provider could not answer (network, status, shape); the caller falls back to the local generator."""


class TextGenerator:
    name = "base"

    def cover_letter(self, context: DraftContext) -> str:
        raise NotImplementedError

    def interview_questions(self, context: DraftContext) -> list[str]:
        raise NotImplementedError


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


_YOU_WILL = re.compile(r"^(?:in this role,?\s*)?(?:you will|you'll|you)\s+", re.I)


def _duty(sentence: str) -> str:
    """A responsibility sentence as a short quote: "You will build X." -> "build X"."""
    return _YOU_WILL.sub("", sentence.strip()).rstrip(".")


class LocalGenerator(TextGenerator):
    """Templates filled from the context: the same input always gives the same text."""

    name = "local"

    def cover_letter(self, context: DraftContext) -> str:
        matched, missing = context.matched_skills, context.missing_skills
        opening = f"I am writing to apply for the {context.job_title} position at {context.company}"
        if context.location:
            opening += f" ({context.location})"
        paragraphs = [f"Dear {context.company} hiring team,", opening + "."]
        about = []
        if context.headline:
            about.append(f"My current role: {context.headline}")
        if context.experience_years:
            about.append(f"I bring {context.experience_years} years of professional experience")
        if about:
            paragraphs.append(". ".join(about) + ".")
        if matched:
            paragraphs.append(
                f"Your posting asks for {_join(matched[:6])}, and these are skills I use in my work."
            )
        if context.responsibilities:
            duty = _duty(context.responsibilities[0])
            paragraphs.append(
                f"You describe the role as “{duty}”: that is the kind of work I want to do next."
            )
        if missing:
            paragraphs.append(
                f"I am also keen to deepen my experience with {_join(missing[:3])}, which the role calls for."
            )
        if context.summary:
            first = re.split(r"(?<=[.!?])\s+", context.summary.strip())[0]
            paragraphs.append(f"In short: {first.rstrip('.')}.")
        paragraphs.append(
            "I would welcome the chance to talk about how I can help your team. Thank you for your time and "
            "consideration."
        )
        paragraphs.append(f"Kind regards,\n{context.seeker_name}" if context.seeker_name else "Kind regards")
        return "\n\n".join(paragraphs)

    def interview_questions(self, context: DraftContext) -> list[str]:
        questions = [f"Why do you want to work as a {context.job_title} at {context.company}?"]
        for skill in context.matched_skills[:3]:
            questions.append(
                f"Tell us about a project where you used {skill}. What was hard, and what did you do?"
            )
        for skill in context.missing_skills[:2]:
            questions.append(f"This role needs {skill}. How would you get up to speed with it?")
        for responsibility in context.responsibilities[:2]:
            questions.append(f"The role includes: “{_duty(responsibility)}”. How have you done this before?")
        for requirement in context.requirements[:1]:
            questions.append(
                f"The posting asks: “{requirement.rstrip('.')}”. How does your background meet it?"
            )
        if context.seniority in ("senior", "lead", "executive"):
            questions.append(
                "Describe a technical or team decision you led and how you brought others along."
            )
        else:
            questions.append("Describe a time you learned something new quickly to deliver on a deadline.")
        questions.append("What questions do you have for us about the team and the role?")
        return list(dict.fromkeys(questions))[:MAX_QUESTIONS]


SYSTEM_PROMPT = (
    "You help a job seeker prepare an application. Use only the facts given about the job and the seeker; never "
    "invent employers, degrees, projects or numbers. Write in plain text, no markdown."
)


def _facts(context: DraftContext) -> str:
    lines = [
        f"Job: {context.job_title} at {context.company}"
        + (f" ({context.location})" if context.location else ""),
        f"Seniority: {context.seniority}",
        f"Required skills: {', '.join(context.required_skills) or 'not stated'}",
        f"Nice to have: {', '.join(context.nice_to_have_skills) or 'none stated'}",
        f"Responsibilities: {' '.join(context.responsibilities) or 'not stated'}",
        f"Requirements: {' '.join(context.requirements) or 'not stated'}",
        f"Seeker name: {context.seeker_name or 'not given'}",
        f"Seeker headline: {context.headline or 'not given'}",
        f"Seeker years of experience: {context.experience_years if context.experience_years is not None else 'not given'}",
        f"Seeker skills: {', '.join(context.seeker_skills) or 'none listed'}",
        f"Seeker summary: {context.summary or 'not given'}",
    ]
    return "\n".join(lines)


class OpenAICompatibleGenerator(TextGenerator):
    """`POST {base_url}/chat/completions` with a bearer key; the first choice's message is the draft."""

    name = "openai"

    def __init__(self, *, base_url: str, api_key: str, model: str, timeout: float = 20.0, transport=None):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.transport = transport

    def _complete(self, instruction: str, context: DraftContext, max_tokens: int) -> str:
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"{instruction}\n\n{_facts(context)}"},
            ],
            "temperature": 0.3,
            "max_tokens": max_tokens,
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.Client(
                timeout=self.timeout, transport=self.transport, follow_redirects=False
            ) as client:
                response = client.post(f"{self.base_url}/chat/completions", json=body, headers=headers)
            response.raise_for_status()
            text = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
            raise GeneratorUnavailable(str(error) or type(error).__name__) from error
        if not isinstance(text, str) or not text.strip():
            raise GeneratorUnavailable("the provider answered with no text")
        return text.strip()

    def cover_letter(self, context: DraftContext) -> str:
        return self._complete("Write a cover letter of at most 250 words for this job.", context, 600)

    def interview_questions(self, context: DraftContext) -> list[str]:
        text = self._complete(
            f"List {MAX_QUESTIONS} interview questions the seeker should prepare for, one per line.",
            context,
            500,
        )
        questions = [re.sub(r"^\s*(?:\d+[.)]|[-*•])\s*", "", line).strip() for line in text.splitlines()]
        questions = [question for question in questions if question]
        if not questions:
            raise GeneratorUnavailable("the provider answered with no questions")
        return questions[:MAX_QUESTIONS]


def configured_generator() -> TextGenerator:
    """The generator the settings choose: `DRAFTS_PROVIDER` is "local" (default) or "openai"."""
    if settings.DRAFTS_PROVIDER == "openai" and settings.DRAFTS_OPENAI_BASE_URL:
        return OpenAICompatibleGenerator(
            base_url=settings.DRAFTS_OPENAI_BASE_URL,
            api_key=settings.DRAFTS_OPENAI_API_KEY,
            model=settings.DRAFTS_OPENAI_MODEL,
            timeout=settings.DRAFTS_OPENAI_TIMEOUT,
        )
    return LocalGenerator()
