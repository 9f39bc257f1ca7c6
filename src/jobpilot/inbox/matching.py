"""Which tracked application an email is about: company name, job title and the sender's domain against the
job's URL. Evidence is scored; the best application wins only with company evidence (a title alone matches too
many jobs) and only when no other application scores the same (two roles at one company and a mail naming
neither: no guess). An unmatched message is kept without a suggestion.

Applicant tracking systems send for many employers from one domain (Greenhouse, Lever, Workday...): their domain
says nothing about the company, but the job URL on the same ATS names the employer in its path or sub-domain
(boards.greenhouse.io/<company>/..., jobs.lever.co/<company>/..., <company>.wd5.myworkdayjobs.com).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MIN_SCORE = 3.0

ATS_DOMAINS = frozenset(
    {
        "greenhouse.io",
        "greenhouse-mail.io",
        "lever.co",
        "myworkday.com",
        "myworkdayjobs.com",
        "workday.com",
        "smartrecruiters.com",
        "smartrecruitersmail.com",
        "ashbyhq.com",
        "personio.de",
        "personio.com",
        "recruitee.com",
        "teamtailor.com",
        "teamtailor-mail.com",
        "workable.com",
        "workablemail.com",
        "icims.com",
        "successfactors.com",
        "successfactors.eu",
        "jobvite.com",
        "bamboohr.com",
        "breezy.hr",
        "join.com",
        "softgarden.io",
        "softgarden.de",
        "taleo.net",
        "oraclecloud.com",
        "rippling.com",
        "linkedin.com",
        "indeed.com",
        "stepstone.de",
        "xing.com",
    }
)
# Sub-domains of an ATS that are the ATS's own, not an employer's.
_ATS_HOST_WORDS = frozenset(
    {"boards", "job-boards", "jobs", "apply", "careers", "app", "www", "hire", "us", "eu"}
)
_LEGAL_SUFFIXES = re.compile(
    r"\b(inc|llc|ltd|limited|gmbh|ag|se|kg|co|corp|corporation|company|plc|sa|sas|bv|nv|oy|ab|as|srl|"
    r"gmbh & co\.? kg|group|holding|holdings|technologies|technology|labs)\b\.?",
)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu"})
_STOP_TITLE_WORDS = frozenset(
    {"senior", "junior", "lead", "staff", "the", "and", "of", "for", "m/w/d", "w/m/d"}
)


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", text).split())


def registrable_domain(host: str) -> str:
    labels = [label for label in host.lower().strip(".").split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def company_key(company: str) -> str:
    """ "Hooli, Inc." -> "hooli"; "Deutsche Bahn AG" -> "deutsche bahn"."""
    return " ".join(_LEGAL_SUFFIXES.sub(" ", _fold(company)).split())


def _ats_company_slug(url: str) -> str:
    """The employer's name in a job URL on an ATS, folded ("acme corp" from .../acme-corp/jobs/1), or ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if registrable_domain(host) not in ATS_DOMAINS:
        return ""
    sub = host.split(".")[0]
    if (
        sub not in _ATS_HOST_WORDS
        and not sub.startswith("wd")
        and sub != registrable_domain(host).split(".")[0]
    ):
        return _fold(sub.replace("-", " "))
    segments = [segment for segment in parts.path.split("/") if segment]
    return _fold(segments[0].replace("-", " ")) if segments else ""


@dataclass
class Candidate:
    application_id: object
    score: float = 0.0
    company_evidence: bool = False
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, reason: str, *, company: bool = False):
        self.score += points
        self.reasons.append(reason)
        self.company_evidence = self.company_evidence or company


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", haystack) is not None


def score_application(application, *, sender: str, sender_domain: str, subject: str, text: str) -> Candidate:
    candidate = Candidate(application_id=application.pk)
    sender_f, subject_f, body_f = _fold(sender), _fold(subject), _fold(text[:20_000])
    key = company_key(application.company)
    squashed_key = key.replace(" ", "")
    sender_site = registrable_domain(sender_domain) if sender_domain else ""
    sender_is_ats = sender_site in ATS_DOMAINS
    job_host = (urlsplit(application.job_url).hostname or "") if application.job_url else ""
    job_site = registrable_domain(job_host) if job_host else ""

    if sender_site and not sender_is_ats:
        if job_site and sender_site == job_site and job_site not in ATS_DOMAINS:
            candidate.add(5, f"sent from {sender_site}, the job's site", company=True)
        elif squashed_key and len(squashed_key) >= 3 and sender_site.split(".")[0] == squashed_key:
            candidate.add(4, f"sent from {sender_site}", company=True)
    if sender_is_ats and application.job_url:
        slug = _ats_company_slug(application.job_url)
        sender_parts = _fold(sender_domain.replace(".", " ")) + " " + sender_f
        if slug and (_contains(sender_parts, slug) or _contains(subject_f, slug) or _contains(body_f, slug)):
            candidate.add(3, f"the {sender_site} job link names {slug}", company=True)
    if key and len(key) >= 2:
        if _contains(subject_f, key):
            candidate.add(3, f"the subject names {application.company}", company=True)
        elif _contains(sender_f, key):
            candidate.add(3, f"the sender names {application.company}", company=True)
        elif _contains(body_f, key):
            candidate.add(2, f"the message names {application.company}", company=True)
    title = _fold(application.title)
    if title and (_contains(subject_f, title) or _contains(body_f, title)):
        candidate.add(2, f"it names the role, {application.title}")
    else:
        words = [word for word in title.split() if len(word) > 2 and word not in _STOP_TITLE_WORDS]
        if len(words) >= 2 and sum(_contains(subject_f + " " + body_f, word) for word in words) >= max(
            2, round(len(words) * 2 / 3)
        ):
            candidate.add(1, f"it mentions most of the role's words ({application.title})")
    return candidate


def best_match(applications, *, sender: str, sender_domain: str, subject: str, text: str) -> Candidate | None:
    scored = [
        score_application(a, sender=sender, sender_domain=sender_domain, subject=subject, text=text)
        for a in applications
    ]
    eligible = sorted(
        (c for c in scored if c.company_evidence and c.score >= MIN_SCORE),
        key=lambda c: c.score,
        reverse=True,
    )
    if not eligible:
        return None
    if len(eligible) > 1 and eligible[1].score == eligible[0].score:
        return None  # two applications fit equally well: the seeker decides, not us
    return eligible[0]
