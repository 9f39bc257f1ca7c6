"""Ashby posting API: `https://api.ashbyhq.com/posting-api/job-board/{name}` (`?includeCompensation=true`).

One answer holds the whole board (`jobs`, no paging). `isRemote` and `workplaceType` (OnSite / Remote / Hybrid)
say where the work is, `address.postalAddress` places it, `employmentType` is FullTime / PartTime / Intern /
Contract / Temporary, and `compensation.summaryComponents` has the salary by `compensationType`. Jobs with
`isListed: false` are not public and are skipped."""

from jobpilot.ingest.adapters import board_name, text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "ashby"
LABEL = "Ashby job board"


def _salary(compensation) -> dict:
    if not isinstance(compensation, dict):
        return {}
    for component in compensation.get("summaryComponents") or []:
        if isinstance(component, dict) and component.get("compensationType") == "Salary":
            return {
                "salary_min": component.get("minValue"),
                "salary_max": component.get("maxValue"),
                "salary_currency": text(component.get("currencyCode")),
                "salary_period": text(component.get("interval")),
            }
    summary = text(compensation.get("scrapeableCompensationSalarySummary"))
    return {"salary_text": summary} if summary else {}


def parse_job(job: dict, *, company: str) -> RawJob:
    address = job.get("address") if isinstance(job.get("address"), dict) else {}
    postal = address.get("postalAddress") if isinstance(address.get("postalAddress"), dict) else {}
    workplace = text(job.get("workplaceType"))
    if not workplace and job.get("isRemote") is True:
        workplace = "remote"
    return RawJob(
        external_id=text(job.get("id")) or text(job.get("jobUrl")),
        title=text(job.get("title")),
        url=text(job.get("jobUrl")),
        apply_url=text(job.get("applyUrl")),
        company=company,
        department=text(job.get("department")) or text(job.get("team")),
        location=text(job.get("location")),
        city=text(postal.get("addressLocality")),
        region=text(postal.get("addressRegion")),
        country=text(postal.get("addressCountry")),
        workplace=workplace,
        employment_type=text(job.get("employmentType")),
        description_html=text(job.get("descriptionHtml")),
        posted_at=job.get("publishedAt"),
        **_salary(job.get("compensation")),
    )


def fetch(source, http):
    company = source.company_name or board_name(source.url)
    answer = http.get_json(source.url, {"includeCompensation": "true"}, conditional=True)
    if not isinstance(answer, dict) or not isinstance(answer.get("jobs"), list):
        raise FetchFailed(f"{source.url}: no `jobs` list in the answer")
    for position, job in enumerate(answer["jobs"], start=1):
        if not isinstance(job, dict):
            yield Rejected(f"#{position}", "not a job object")
            continue
        if job.get("isListed") is False:
            continue
        yield parse_job(job, company=company)
