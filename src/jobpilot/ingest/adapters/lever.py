"""Lever Postings API: `https://api.lever.co/v0/postings/{site}` (`?mode=json`, paged with `skip` / `limit`).

Dates are epoch milliseconds (`createdAt`); the description is `description` (HTML) plus `lists` (each a
heading and `<li>` items) plus `additional`; `workplaceType` is on-site / remote / hybrid / unspecified;
`salaryRange` has an `interval` such as "per-year-salary". Lever does not name the company: the source does."""

from django.conf import settings

from jobpilot.ingest.adapters import board_name, text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "lever"
LABEL = "Lever postings"


def _description(posting: dict) -> str:
    parts = [text(posting.get("description"))]
    for entry in posting.get("lists") or []:
        if isinstance(entry, dict):
            parts.append(f"<h3>{text(entry.get('text'))}</h3><ul>{text(entry.get('content'))}</ul>")
    parts.append(text(posting.get("additional")))
    return "".join(parts)


def parse_posting(posting: dict, *, company: str) -> RawJob:
    categories = posting.get("categories") if isinstance(posting.get("categories"), dict) else {}
    salary = posting.get("salaryRange") if isinstance(posting.get("salaryRange"), dict) else {}
    workplace = text(posting.get("workplaceType"))
    return RawJob(
        external_id=text(posting.get("id")),
        title=text(posting.get("text")),
        url=text(posting.get("hostedUrl")),
        apply_url=text(posting.get("applyUrl")),
        company=company,
        department=text(categories.get("department")) or text(categories.get("team")),
        location=text(categories.get("location")),
        country=text(posting.get("country")),
        workplace="" if workplace == "unspecified" else workplace,
        employment_type=text(categories.get("commitment")),
        salary_min=salary.get("min") if isinstance(salary.get("min"), int | float) else None,
        salary_max=salary.get("max") if isinstance(salary.get("max"), int | float) else None,
        salary_currency=text(salary.get("currency")),
        salary_period=text(salary.get("interval")),
        salary_text=text(posting.get("salaryDescriptionPlain") or posting.get("salaryDescription")),
        description_html=_description(posting),
        posted_at=posting.get("createdAt"),
        updated_at=posting.get("updatedAt"),
        tags=[text(tag) for tag in posting.get("tags") or [] if text(tag)],
    )


def fetch(source, http):
    company = source.company_name or board_name(source.url)
    limit = settings.INGEST_PAGE_SIZE
    for page in range(settings.INGEST_MAX_PAGES):
        postings = http.get_json(source.url, {"mode": "json", "skip": page * limit, "limit": limit})
        if not isinstance(postings, list):
            raise FetchFailed(f"{source.url}: the answer is not a list of postings")
        for position, posting in enumerate(postings, start=page * limit + 1):
            if not isinstance(posting, dict):
                yield Rejected(f"#{position}", "not a posting object")
                continue
            yield parse_posting(posting, company=company)
        if len(postings) < limit:
            return
    raise FetchFailed(f"{source.url}: more than {settings.INGEST_MAX_PAGES} pages")
