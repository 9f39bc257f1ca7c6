"""One normalizer for every source: a `RawJob` in the source's words into a `Listing` in the marketplace's
vocabulary, or `Reject` with the reason. Nothing here knows a source's format."""

import email.utils
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from jobpilot.ingest.geo import fold, parse_location
from jobpilot.ingest.records import RawJob
from jobpilot.ingest.salary import AbsurdSalary, normalize_salary
from jobpilot.jobs.html import sanitize_html
from jobpilot.jobs.models import JobType, RemoteOption

MAX_DESCRIPTION_CHARS = 100_000


class Reject(ValueError):
    """The item cannot be listed; the message is the reason recorded on the run."""


@dataclass
class Listing:
    external_id: str
    group_id: str
    title: str
    company_name: str
    department: str
    job_type: str
    remote: str
    city: str
    region: str
    country: str
    location_text: str
    applicant_countries: list[str]
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    salary_period: str
    description_html: str
    url: str
    apply_url: str
    posted_at: datetime
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was dropped on the way (not part of the content)

    def content_hash(self) -> str:
        data = dict(vars(self))  # shallow: the fields are flat (asdict deep-copies, for nothing)
        data.pop("notes")
        encoded = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.blake2b(encoded, digest_size=20).hexdigest()


# --- titles -------------------------------------------------------------------------------------------------------

_SHOUTING_RE = re.compile(
    r"^\W*(?:urgent(?:ly)?|immediate(?:ly)?|hiring now|now hiring|we'?re hiring|asap|new|hot job|dringend|"
    r"sofort)\b\W*|\W*\b(?:urgent|asap|immediate start|hiring now|dringend)\W*$",
    re.IGNORECASE,
)
_GENDER_RE = re.compile(r"\s*[(\[]\s*(?:[mwfdxhai*]\s*[/|,]\s*){1,3}[mwfdxhai*]\s*[)\]]", re.IGNORECASE)
_REPEATED_PUNCTUATION_RE = re.compile(r"([!?*.])\1+")
_SEPARATED_TAIL_RE = re.compile(
    r"^(?P<head>.+?)\s*(?:\s[-–—|@]\s*|\s*[|]\s*|,\s+|\s+in\s+)(?P<tail>[^-–—|@,]+)$"
)
_BRACKETED_TAIL_RE = re.compile(r"^(?P<head>.+?)\s*[(\[](?P<tail>[^()\[\]]+)[)\]]\s*$")
_SPACE_RE = re.compile(r"\s+")


def _is_place(text: str) -> bool:
    place = parse_location(text)
    return bool(place.city or place.country or place.region or place.remote != RemoteOption.ONSITE)


def clean_title(title: str) -> str:
    """The role alone: no "URGENT!!", no "(m/w/d)", no location glued on ("- Berlin", "(Remote)", "| London")."""
    return split_title(title)[0]


def split_title(title: str) -> tuple[str, str]:
    """(the cleaned title, the location that was glued onto it or "")."""
    glued = ""
    title = _SPACE_RE.sub(" ", html.unescape(title or "")).strip()
    title = _GENDER_RE.sub("", title)
    previous = None
    while previous != title:
        previous = title
        title = _SHOUTING_RE.sub("", title).strip()
        for pattern in (_BRACKETED_TAIL_RE, _SEPARATED_TAIL_RE):
            match = pattern.match(title)
            if match and _is_place(match.group("tail")) and len(match.group("head")) >= 3:
                title, glued = match.group("head").strip(), glued or match.group("tail").strip()
    title = _REPEATED_PUNCTUATION_RE.sub(r"\1", title).strip(" -–—|:!*")
    if title.isupper() and len(title) > 5:
        title = " ".join(word if len(word) <= 3 else word.capitalize() for word in title.split())
    return title[:200], glued


# --- employment type ----------------------------------------------------------------------------------------------

_JOB_TYPES = [
    (JobType.INTERNSHIP, r"intern|praktik|stage|trainee|werkstudent|working student|apprentice|ausbildung"),
    (JobType.TEMPORARY, r"temp|seasonal|befristet|fixed[- ]term|cdd|saison"),
    (JobType.CONTRACT, r"contract|freelanc|consultant|1099|self[- ]employed|interim|auftrag"),
    (JobType.PART_TIME, r"part[- ]?time|teilzeit|mini[- ]?job|temps partiel|half[- ]time|parttime"),
    (JobType.FULL_TIME, r"full[- ]?time|permanent|regular|vollzeit|festanstellung|unbefristet|cdi|salaried"),
]


def employment_type(*words: str, title: str = "") -> str:
    """The first of the words that names a type; full-time when none does (what most postings are). A title
    that names an internship ("Werkstudent", "Intern") wins over a part- or full-time schedule."""
    if re.search(_JOB_TYPES[0][1], (title or "").lower()):
        return JobType.INTERNSHIP
    for word in words:
        lowered = (word or "").lower()
        if not lowered:
            continue
        for job_type, pattern in _JOB_TYPES:
            if re.search(pattern, lowered):
                return job_type
    return JobType.FULL_TIME


# --- dates --------------------------------------------------------------------------------------------------------


def parse_date(value) -> datetime | None:
    """ISO 8601 (with or without zone), RFC 2822, "2023-01-01 10:00:00 UTC", epoch seconds or milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        parsed = datetime.fromtimestamp(number / 1000 if number > 1e11 else number, tz=UTC)
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text.replace(" UTC", "+00:00").replace("Z", "+00:00"))
        except ValueError:
            try:
                parsed = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --- the listing --------------------------------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])


def _checked_url(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 500:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value


def description_html(value: str) -> str:
    """Sanitized HTML. Some sources (Greenhouse) send it entity-escaped: "&lt;p&gt;" is unescaped first."""
    value = value or ""
    if "&lt;" in value and "<" not in value.replace("&lt;", ""):
        value = html.unescape(value)
    return sanitize_html(value[: MAX_DESCRIPTION_CHARS * 2])[:MAX_DESCRIPTION_CHARS]


def _plain(value: str, length: int) -> str:
    """Text of a field that should hold no markup: tags dropped, scripts and styles with their content."""
    value = value or ""
    if "<" in value or "&" in value:
        value = nh3.clean(html.unescape(value), tags=set(), clean_content_tags={"script", "style"})
        value = html.unescape(value)
    return _SPACE_RE.sub(" ", value).strip()[:length]


def normalize(raw: RawJob, *, default_company: str = "", now: datetime | None = None) -> Listing:
    now = now or timezone.now()
    external_id = _plain(str(raw.external_id or ""), 150)
    if not external_id:
        raise Reject("no id")
    title, glued_location = split_title(_plain(raw.title, 400))
    if not title:
        raise Reject("no title")
    url = _checked_url(raw.url) or _checked_url(raw.apply_url)
    if not url:
        raise Reject("no valid http(s) URL of the posting")
    company = _plain(raw.company, 200) or default_company
    if not company:
        raise Reject("no company")

    location = _plain(raw.location, 250)
    if not location and not (raw.city or raw.country):
        location = glued_location  # "QA Engineer - Oslo" in a feed that has no location field
    place = parse_location(location, workplace=_workplace(raw.workplace))
    city = _plain(raw.city, 100) or place.city
    region = _plain(raw.region, 100) or place.region
    country = _country_code(raw.country) or place.country
    if raw.workplace and not location:
        place.remote = _workplace(raw.workplace) or place.remote
    remote = place.remote
    applicant_countries = [code for code in (_country_code(c) for c in raw.applicant_countries) if code]
    applicant_countries = applicant_countries or place.applicant_countries
    if remote == RemoteOption.ONSITE:
        applicant_countries = []

    notes = []
    try:
        salary = normalize_salary(
            minimum=raw.salary_min,
            maximum=raw.salary_max,
            currency=raw.salary_currency,
            period=raw.salary_period,
            text=_plain(raw.salary_text, 300),
            country=country,
        )
    except AbsurdSalary as error:
        salary = None
        notes.append(f"salary dropped: {error}")

    posted_at = parse_date(raw.posted_at) or parse_date(raw.updated_at) or now
    posted_at = min(posted_at, now)  # a date in the future is a clock or data error, not a promise

    location_text = location or ", ".join(part for part in (city, region, country) if part)
    if not location_text and remote == RemoteOption.REMOTE:
        location_text = "Remote"
    return Listing(
        external_id=external_id,
        group_id=_plain(str(raw.group_id or ""), 150),
        title=title,
        company_name=company,
        department=_plain(raw.department, 100),
        job_type=employment_type(raw.employment_type, title=raw.title),
        remote=remote,
        city=city,
        region=region,
        country=country,
        location_text=location_text[:250],
        applicant_countries=applicant_countries,
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary else "",
        salary_period=salary.period if salary else "",
        description_html=description_html(raw.description_html),
        url=url,
        apply_url=_checked_url(raw.apply_url) or url,
        posted_at=posted_at,
        tags=[tag for tag in (_plain(t, 40) for t in raw.tags) if tag][:20],
        notes=notes,
    )


def _workplace(value: str) -> str:
    key = fold(value or "").replace("-", "").replace("_", "").replace(" ", "")
    if key in {"remote", "fullyremote", "telecommute", "remoteok"}:
        return RemoteOption.REMOTE
    if key in {"hybrid"}:
        return RemoteOption.HYBRID
    if key in {"onsite", "office", "inoffice", "inperson"}:
        return RemoteOption.ONSITE
    return ""


def _country_code(value: str) -> str:
    from jobpilot.ingest.geo import _country

    return _country(value) if value else ""
