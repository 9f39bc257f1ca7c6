"""SmartRecruiters Posting API: `https://api.smartrecruiters.com/v1/companies/{company}/postings`.

The list is offset-paged (`offset`, `limit` up to 100; `totalFound`) and holds no description: each posting's
`jobAd.sections` and its `applyUrl` / `postingUrl` come from `GET {url}/{id}`. `location.country` is a lower-case
ISO code; `location.remote` / `location.hybrid` are booleans; `typeOfEmployment.label` says the type."""

from django.conf import settings

from jobpilot.ingest.adapters import text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "smartrecruiters"
LABEL = "SmartRecruiters postings"
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def _description(detail: dict) -> str:
    sections = (
        ((detail.get("jobAd") or {}).get("sections") or {}) if isinstance(detail.get("jobAd"), dict) else {}
    )
    parts = []
    for name in SECTIONS:
        section = sections.get(name)
        if isinstance(section, dict) and text(section.get("text")):
            title = text(section.get("title"))
            parts.append((f"<h3>{title}</h3>" if title else "") + text(section.get("text")))
    return "".join(parts)


def parse_posting(posting: dict, detail: dict, *, company: str) -> RawJob:
    location = posting.get("location") if isinstance(posting.get("location"), dict) else {}
    workplace = "remote" if location.get("remote") else "hybrid" if location.get("hybrid") else ""
    employment = posting.get("typeOfEmployment") if isinstance(posting.get("typeOfEmployment"), dict) else {}
    department = posting.get("department") if isinstance(posting.get("department"), dict) else {}
    posting_company = posting.get("company") if isinstance(posting.get("company"), dict) else {}
    identifier = text(posting_company.get("identifier"))
    page = text(detail.get("postingUrl")) or (
        f"https://jobs.smartrecruiters.com/{identifier}/{text(posting.get('id'))}" if identifier else ""
    )
    return RawJob(
        external_id=text(posting.get("id")),
        group_id=text(posting.get("refNumber")),
        title=text(posting.get("name")),
        url=page,
        apply_url=text(detail.get("applyUrl")),
        company=text(posting_company.get("name")) or company,
        department=text(department.get("label")),
        location=text(location.get("fullLocation")),
        city=text(location.get("city")),
        region=text(location.get("region")),
        country=text(location.get("country")),
        workplace=workplace,
        employment_type=text(employment.get("label")) or text(employment.get("id")),
        description_html=_description(detail),
        posted_at=posting.get("releasedDate"),
    )


def fetch(source, http):
    base = source.url.rstrip("/")
    limit = min(settings.INGEST_PAGE_SIZE, 100)
    offset = 0
    for _page in range(settings.INGEST_MAX_PAGES):
        answer = http.get_json(base, {"offset": offset, "limit": limit})
        if not isinstance(answer, dict) or not isinstance(answer.get("content"), list):
            raise FetchFailed(f"{base}: no `content` list in the answer")
        postings = answer["content"]
        for position, posting in enumerate(postings, start=offset + 1):
            if not isinstance(posting, dict) or not posting.get("id"):
                yield Rejected(f"#{position}", "not a posting object with an id")
                continue
            detail = http.get_json(f"{base}/{posting['id']}")
            yield parse_posting(
                posting,
                detail if isinstance(detail, dict) else {},
                company=source.company_name,
            )
        offset += len(postings)
        total = answer.get("totalFound")
        if not postings or (isinstance(total, int) and offset >= total) or len(postings) < limit:
            return
    raise FetchFailed(f"{base}: more than {settings.INGEST_MAX_PAGES} pages")
