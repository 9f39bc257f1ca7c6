"""Personio XML feed: `https://{company}.jobs.personio.de/xml` (`?language=en`). `<workzag-jobs>` holds one
`<position>` per job: `id`, `subcompany`, `office`, `department`, `name`, `jobDescriptions` (named sections with
HTML in CDATA), `employmentType`, `schedule`, `seniority`, `keywords`, `createdAt`. It has no salary and no apply
URL: the job's page is `https://{host}/job/{id}` on the feed's host."""

from urllib.parse import urlsplit

from jobpilot.ingest.adapters import board_name
from jobpilot.ingest.adapters._xml import child_text, iter_elements
from jobpilot.ingest.records import RawJob

KIND = "personio"
LABEL = "Personio XML feed"


def parse_position(position, *, company: str, origin: str) -> RawJob:
    sections = []
    for description in position.iterfind("jobDescriptions/jobDescription"):
        name, value = child_text(description, "name"), child_text(description, "value")
        if value:
            sections.append((f"<h3>{name}</h3>" if name else "") + value)
    external_id = child_text(position, "id")
    schedule, employment = child_text(position, "schedule"), child_text(position, "employmentType")
    keywords = [word.strip() for word in child_text(position, "keywords").split(",") if word.strip()]
    return RawJob(
        external_id=external_id,
        title=child_text(position, "name"),
        url=f"{origin}/job/{external_id}" if external_id else "",
        company=child_text(position, "subcompany") or company,
        department=child_text(position, "department"),
        location=child_text(position, "office"),
        # "permanent" + "part-time" is part-time; "intern" + "full-time" is an internship.
        employment_type=employment
        if employment in ("intern", "trainee", "freelance", "temporary")
        else schedule,
        description_html="".join(sections),
        posted_at=child_text(position, "createdAt"),
        tags=keywords,
    )


def fetch(source, http):
    parts = urlsplit(source.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    company = source.company_name or board_name(origin).split(".")[0].title()
    with http.get_file(source.url, conditional=True) as feed:
        for position in iter_elements(feed, "position", url=source.url):
            yield parse_position(position, company=company, origin=origin)
