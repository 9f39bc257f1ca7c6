"""Workable job widget API: `https://apply.workable.com/api/v1/widget/accounts/{subdomain}` (`?details=true`
adds each job's `description`). One answer: the account `name` and its `jobs`, each with `shortcode`, `url`,
`application_url`, `employment_type`, `telecommuting`, `city` / `state` / `country` and `locations`."""

from jobpilot.ingest.adapters import board_name, text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "workable"
LABEL = "Workable job widget"


def parse_job(job: dict, *, company: str) -> RawJob:
    locations = [loc for loc in job.get("locations") or [] if isinstance(loc, dict) and not loc.get("hidden")]
    first = locations[0] if locations else {}
    city = text(job.get("city")) or text(first.get("city"))
    region = text(job.get("state")) or text(first.get("region"))
    country = text(first.get("countryCode")) or text(job.get("country")) or text(first.get("country"))
    return RawJob(
        external_id=text(job.get("shortcode")),
        group_id=text(job.get("code")),
        title=text(job.get("title")),
        url=text(job.get("url")) or text(job.get("shortlink")),
        apply_url=text(job.get("application_url")),
        company=company,
        department=text(job.get("department")),
        location=", ".join(part for part in (city, region, text(job.get("country"))) if part),
        city=city,
        region=region,
        country=country,
        workplace="remote" if job.get("telecommuting") is True else "",
        employment_type=text(job.get("employment_type")),
        description_html=text(job.get("description")),
        posted_at=job.get("published_on") or job.get("created_at"),
    )


def fetch(source, http):
    answer = http.get_json(source.url, {"details": "true"}, conditional=True)
    if not isinstance(answer, dict) or not isinstance(answer.get("jobs"), list):
        raise FetchFailed(f"{source.url}: no `jobs` list in the answer")
    company = source.company_name or text(answer.get("name")) or board_name(source.url)
    for position, job in enumerate(answer["jobs"], start=1):
        if not isinstance(job, dict):
            yield Rejected(f"#{position}", "not a job object")
            continue
        yield parse_job(job, company=company)
