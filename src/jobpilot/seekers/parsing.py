"""Resume parsing: an extraction-quality gate, then heuristic sectioning by headings into fields.

Pure functions over bytes/text (no database), so the API, the web and the bench share them. Every field carries a
confidence (0..1) and the source text it came from; a field that is not found is absent, never guessed — an empty
or scanned resume yields a quality verdict and no data (ADR 0020).
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from jobpilot.matching import taxonomy
from jobpilot.seekers import documents

# --- Quality gate ---------------------------------------------------------------------------------------------------

MIN_TEXT_CHARS = 80
# Share of tokens that look like words (letters, optional trailing punctuation); a broken reading order or a bad
# text layer (glyph soup, one character per line) falls well below it.
MIN_WORDLIKE_RATIO = 0.6
MAX_SHORT_LINE_RATIO = 0.5

_WORD = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.\-]*[,.;:]?$")


@dataclass
class Quality:
    status: str  # ok | empty | image_only | too_little_text | broken_reading_order
    detail: str
    chars: int
    wordlike_ratio: float

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def assess_quality(text: str, *, pages: int = 1, has_images: bool = False) -> Quality:
    stripped = text.strip()
    tokens = stripped.split()
    ratio = round(sum(bool(_WORD.match(t)) for t in tokens) / len(tokens), 2) if tokens else 0.0
    chars = len(stripped)
    if not stripped:
        if has_images:
            return Quality("image_only", "The document has no text layer (a scan or an image).", 0, 0.0)
        return Quality("empty", "The document contains no text.", 0, 0.0)
    if chars < MIN_TEXT_CHARS:
        return Quality(
            "too_little_text", "The document has too little text to read a resume from.", chars, ratio
        )
    lines = [line for line in stripped.splitlines() if line.strip()]
    short = sum(len(line.strip()) <= 2 for line in lines) / len(lines)
    if ratio < MIN_WORDLIKE_RATIO or short > MAX_SHORT_LINE_RATIO:
        return Quality(
            "broken_reading_order",
            "The text comes out in a broken order; the fields may be wrong.",
            chars,
            ratio,
        )
    return Quality("ok", "", chars, ratio)


def extract(content: bytes) -> tuple[str, Quality]:
    """Validate the file (size, type, opens) and return its text with the quality verdict."""
    kind = documents.validate_resume_bytes(content)
    text = documents.extract_resume_text(content, kind)
    has_images = False
    if kind == "pdf" and not text.strip():
        has_images = documents.pdf_has_images(content)
    return text, assess_quality(text, has_images=has_images)


# --- Parser ---------------------------------------------------------------------------------------------------------

SECTION_HEADINGS = {
    "summary": (
        "summary",
        "profile",
        "about me",
        "about",
        "objective",
        "professional summary",
        "career summary",
    ),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
    ),
    "education": ("education", "education and training", "academic background", "qualifications"),
    "skills": (
        "skills",
        "technical skills",
        "key skills",
        "core competencies",
        "competencies",
        "technologies",
    ),
}
_HEADING_LOOKUP = {h: section for section, names in SECTION_HEADINGS.items() for h in names}

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\w)(\+?\d[\d ()./\-]{7,}\d)(?!\w)")
URL = re.compile(r"(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[^\s|,]*)?")
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_DATE = r"(?:(?P<{p}m>[A-Za-z]{{3,9}})\.?\s+|(?P<{p}n>\d{{1,2}})/)?(?P<{p}y>(?:19|20)\d\d)"
DATE_RANGE = re.compile(
    _DATE.format(p="s")
    + r"\s*(?:-|–|—|to)\s*(?:"
    + _DATE.format(p="e")
    + r"|(?P<present>present|current|now|today))",
    re.IGNORECASE,
)
LOCATION = re.compile(r"^[A-Z][A-Za-z .'\-]+,\s*[A-Z][A-Za-z .'\-]+$")
DEGREE = re.compile(
    r"\b(B\.?Sc|B\.?A|BS|BA|M\.?Sc|M\.?A|MS|MBA|Ph\.?D|Bachelor|Master|Doctor|Associate|Diploma|Degree)\b",
    re.I,
)


@dataclass
class Value:
    value: object
    confidence: float
    source: str


@dataclass
class ParseResult:
    quality: Quality
    contact: dict = field(default_factory=dict)  # name/email/phone/location -> Value
    links: list = field(default_factory=list)  # Value(value={"kind", "url"})
    summary: Value | None = None
    experience: list = field(
        default_factory=list
    )  # Value(value={"title","employer","start","end","current"})
    education: list = field(default_factory=list)  # Value(value={"institution","degree","start","end"})
    skills: list = field(default_factory=list)  # Value(value={"label", "skill_id"})
    total_years_experience: Value | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["quality"]["ok"] = self.quality.ok
        return data


def _heading(line: str) -> str | None:
    key = re.sub(r"[^a-z ]", "", line.lower()).strip()
    if len(key) > 40:
        return None
    return _HEADING_LOOKUP.get(key)


def split_sections(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """(header lines before the first heading, {section: lines}). Unknown headings keep the current section."""
    header: list[str] = []
    sections: dict[str, list[str]] = {}
    current = None
    for line in lines:
        section = _heading(line)
        if section:
            current = section
            sections.setdefault(section, [])
        elif current is None:
            header.append(line)
        else:
            sections[current].append(line)
    return header, sections


def _month(name: str | None, number: str | None) -> int:
    if number:
        return max(1, min(12, int(number)))
    return MONTHS.get((name or "").lower()[:9], MONTHS.get((name or "").lower()[:3], 1))


def _date_range(match: re.Match, today: date) -> tuple[date, date, bool]:
    start = date(int(match["sy"]), _month(match["sm"], match["sn"]), 1)
    if match["present"]:
        return start, today.replace(day=1), True
    return start, date(int(match["ey"]), _month(match["em"], match["en"]), 1), False


def _split_title_employer(text: str) -> tuple[str, str]:
    for separator in (" at ", " @ ", " | ", " — ", " – ", " - ", ", "):
        if separator in text:
            title, employer = text.split(separator, 1)
            return title.strip(" ,|-–—"), employer.strip(" ,|-–—")
    return text.strip(" ,|-–—"), ""


def _experience(lines: list[str], today: date) -> list[Value]:
    """One entry per line with a date range; its title/employer are on that line or the line before it."""
    entries = []
    for index, line in enumerate(lines):
        match = DATE_RANGE.search(line)
        if not match:
            continue
        start, end, current = _date_range(match, today)
        rest = (line[: match.start()] + line[match.end() :]).strip(" ,|-–—()")
        source = line
        if not rest and index > 0 and not DATE_RANGE.search(lines[index - 1]):
            rest, source = lines[index - 1].strip(), f"{lines[index - 1]}\n{line}"
        title, employer = _split_title_employer(rest)
        confidence = 0.9 if title and employer else 0.6 if title else 0.4
        entries.append(
            Value(
                {
                    "title": title,
                    "employer": employer,
                    "start": start.isoformat()[:7],
                    "end": None if current else end.isoformat()[:7],
                    "current": current,
                    "_span": (start.toordinal(), end.toordinal()),
                },
                confidence,
                source,
            )
        )
    return entries


def total_years(entries: list[Value]) -> Value | None:
    """Years covered by the union of the experience ranges (overlapping jobs count once)."""
    spans = sorted(
        entry.value["_span"] for entry in entries if entry.value["_span"][1] >= entry.value["_span"][0]
    )
    if not spans:
        return None
    days, (cur_start, cur_end) = 0, spans[0]
    for start, end in spans[1:]:
        if start <= cur_end:
            cur_end = max(cur_end, end)
        else:
            days += cur_end - cur_start
            cur_start, cur_end = start, end
    days += cur_end - cur_start
    confidence = min(entry.confidence for entry in entries)
    return Value(round(days / 365.25, 1), round(confidence, 2), f"{len(spans)} dated positions")


def _education(lines: list[str], today: date) -> list[Value]:
    entries = []
    for line in lines:
        degree = DEGREE.search(line)
        match = DATE_RANGE.search(line)
        year = re.search(r"(?:19|20)\d\d", line)
        if not degree and not match:
            continue
        text = line
        if match:
            text = line[: match.start()] + line[match.end() :]
        elif year:
            text = line[: year.start()] + line[year.end() :]
        first, second = _split_title_employer(text.strip(" ,|-–—()"))
        degree_part, institution = (first, second) if degree and DEGREE.search(first) else (second, first)
        entries.append(
            Value(
                {
                    "degree": degree_part,
                    "institution": institution,
                    "end": (match["ey"] or None) if match else (year.group() if year else None),
                },
                0.8 if degree and institution else 0.5,
                line,
            )
        )
    return entries


def _skills(lines: list[str]) -> list[Value]:
    """The skills section's items, normalized by the taxonomy (its confidence); an item it does not know is kept
    as written with confidence 0, so the seeker sees it and decides."""
    items: list[Value] = []
    seen: set[str] = set()
    for line in lines:
        for item in re.split(r"[,;•·|]", line):
            item = item.strip(" -*\t")
            if not item or len(item) > 80:
                continue
            hits = taxonomy.extract_skills(item) or [None]
            for hit in hits:
                if hit is None:
                    label, skill_id, confidence = item, None, 0.0
                else:
                    label, skill_id, confidence = hit.skill.label, hit.skill.id, hit.confidence
                if (skill_id or label.casefold()) not in seen:
                    seen.add(skill_id or label.casefold())
                    items.append(Value({"label": label, "skill_id": skill_id}, confidence, line))
    return items


def _link_kind(url: str) -> str:
    lowered = url.lower()
    if "linkedin.com" in lowered:
        return "linkedin"
    if "github.com" in lowered:
        return "github"
    return "website"


def _contact(header: list[str], all_lines: list[str]) -> tuple[dict, list]:
    contact: dict[str, Value] = {}
    links: list[Value] = []
    scope = all_lines[:15]
    for line in scope:
        if "email" not in contact and (m := EMAIL.search(line)):
            contact["email"] = Value(m.group(), 0.95, line)
        if "phone" not in contact and (m := PHONE.search(line)):
            digits = re.sub(r"\D", "", m.group(1))
            if 8 <= len(digits) <= 15 and not DATE_RANGE.search(line):
                contact["phone"] = Value(m.group(1).strip(), 0.85, line)
        for m in URL.finditer(EMAIL.sub("", line)):
            url = m.group()
            if not re.search(r"[a-z]", url.split(".")[-1].split("/")[0], re.I) or "." not in url:
                continue
            if not (url.startswith("http") or "/" in url or url.startswith("www.")):
                continue
            full = url if url.startswith("http") else f"https://{url}"
            if all(link.value["url"] != full for link in links):
                links.append(Value({"kind": _link_kind(url), "url": full}, 0.9, line))
        if "location" not in contact:
            for part in re.split(r"[|•·]", line):
                part = part.strip()
                if LOCATION.match(part) and not EMAIL.search(part):
                    contact["location"] = Value(part, 0.6, line)
                    break
    # A name only when confident: the first header line, 2-4 capitalized words, nothing else on it.
    if header:
        first = header[0].strip()
        words = first.split()
        looks_like_name = all(re.fullmatch(r"[A-Z][a-zA-Z'’\-]+\.?", w) for w in words)
        if 2 <= len(words) <= 4 and looks_like_name and not _heading(first) and not EMAIL.search(first):
            contact["name"] = Value(first, 0.8, first)
    return contact, links


def parse_text(text: str, quality: Quality, *, today: date | None = None) -> ParseResult:
    result = ParseResult(quality=quality)
    if quality.status in {"empty", "image_only", "too_little_text"}:
        return result  # nothing to read; never invent data
    today = today or date.today()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header, sections = split_sections(lines)
    result.contact, result.links = _contact(header, lines)
    if sections.get("summary"):
        summary = " ".join(sections["summary"])
        result.summary = Value(summary, 0.8, "\n".join(sections["summary"]))
    result.experience = _experience(sections.get("experience", []), today)
    result.education = _education(sections.get("education", []), today)
    result.skills = _skills(sections.get("skills", []))
    result.total_years_experience = total_years(result.experience)
    for entry in result.experience:
        del entry.value["_span"]
    if not quality.ok:  # a broken reading order: keep what was found, but trust it less
        _scale(result, 0.5)
    return result


def _scale(result: ParseResult, factor: float) -> None:
    values = [*result.contact.values(), *result.links, *result.experience, *result.education, *result.skills]
    values += [v for v in (result.summary, result.total_years_experience) if v]
    for value in values:
        value.confidence = round(value.confidence * factor, 2)


def parse_resume(content: bytes, *, today: date | None = None) -> ParseResult:
    text, quality = extract(content)
    return parse_text(text, quality, today=today)
