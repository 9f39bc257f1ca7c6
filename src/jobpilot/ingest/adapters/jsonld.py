"""A careers page whose job pages carry schema.org `JobPosting` JSON-LD (what search engines read). The source URL
is the page that lists the jobs: JobPostings on it are read, and so are those of the pages it links to under its
own path (`/careers/` -> `/careers/backend-engineer`). A job page that cannot be read makes the fetch partial,
so that nothing is closed for want of it."""

from urllib.parse import urldefrag, urljoin, urlsplit

import extruct
from lxml import html as lxml_html

from jobpilot.ingest.adapters import text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "jsonld"
LABEL = "Careers pages with JobPosting JSON-LD"
MAX_PAGES = 1000


def _postings(document: str, url: str):
    try:
        found = extruct.extract(document, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    except Exception:  # noqa: BLE001 - extruct raises many types for broken markup
        return []
    items = []
    for item in found:
        items.extend(item.get("@graph", [item]) if isinstance(item, dict) else [])
    return [item for item in items if isinstance(item, dict) and "JobPosting" in str(item.get("@type"))]


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _name(value) -> str:
    value = _first(value)
    return text(value.get("name")) if isinstance(value, dict) else text(value)


def parse_posting(posting: dict, *, page_url: str, company: str) -> RawJob:
    location = _first(posting.get("jobLocation")) or {}
    address = location.get("address") if isinstance(location, dict) else {}
    address = address if isinstance(address, dict) else {}
    salary = posting.get("baseSalary") if isinstance(posting.get("baseSalary"), dict) else {}
    value = salary.get("value") if isinstance(salary.get("value"), dict) else {}
    identifier = posting.get("identifier")
    identifier = text(identifier.get("value")) if isinstance(identifier, dict) else text(identifier)
    remote = "TELECOMMUTE" in str(posting.get("jobLocationType") or "").upper()
    requirements = posting.get("applicantLocationRequirements")
    requirements = requirements if isinstance(requirements, list) else [requirements] if requirements else []
    amount = value.get("value") if isinstance(value.get("value"), int | float) else None
    employment = posting.get("employmentType")
    return RawJob(
        external_id=identifier or text(posting.get("url")) or page_url,
        title=text(posting.get("title")),
        url=text(posting.get("url")) or page_url,
        company=company or _name(posting.get("hiringOrganization")),
        location=", ".join(
            part
            for part in (
                text(address.get("addressLocality")),
                text(address.get("addressRegion")),
                _name(address.get("addressCountry")),
            )
            if part
        ),
        city=text(address.get("addressLocality")),
        region=text(address.get("addressRegion")),
        country=_name(address.get("addressCountry")),
        workplace="remote" if remote else "",
        applicant_countries=[_name(requirement) for requirement in requirements if _name(requirement)],
        employment_type=" ".join(employment) if isinstance(employment, list) else text(employment),
        salary_min=value.get("minValue") if isinstance(value.get("minValue"), int | float) else amount,
        salary_max=value.get("maxValue") if isinstance(value.get("maxValue"), int | float) else None,
        salary_currency=text(salary.get("currency")),
        salary_period=text(value.get("unitText")),
        salary_text="" if value else text(salary.get("value")),
        description_html=text(posting.get("description")),
        posted_at=posting.get("datePosted"),
    )


def _job_links(document: str, url: str) -> list[str]:
    base = urlsplit(url)
    prefix = base.path if base.path.endswith("/") else base.path.rsplit("/", 1)[0] + "/"
    try:
        tree = lxml_html.fromstring(document)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    links = []
    for href in tree.xpath("//a/@href"):
        link = urldefrag(urljoin(url, href)).url
        parts = urlsplit(link)
        if (
            parts.netloc == base.netloc
            and parts.path.startswith(prefix)
            and parts.path.rstrip("/") != base.path.rstrip("/")
        ):
            links.append(link)
    return list(dict.fromkeys(links))[:MAX_PAGES]


def fetch(source, http):
    listing = http.get_text(source.url)
    for posting in _postings(listing, source.url):
        yield parse_posting(posting, page_url=source.url, company=source.company_name)
    unread = 0
    for link in _job_links(listing, source.url):
        try:
            page = http.get_text(link)
        except FetchFailed:
            unread += 1
            continue
        postings = _postings(page, link)
        if not postings:
            yield Rejected(link, "no JobPosting JSON-LD on the page")
        for posting in postings:
            yield parse_posting(posting, page_url=link, company=source.company_name)
    if unread:
        raise FetchFailed(f"{source.url}: {unread} job pages could not be read")
