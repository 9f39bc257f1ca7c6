"""Greenhouse Job Board API: `https://boards-api.greenhouse.io/v1/boards/{token}`.

The board (`GET {url}`) names the company; `GET {url}/jobs?content=true` lists every job with its description,
which Greenhouse sends HTML-entity-escaped (`&lt;p&gt;`). With `?pay_transparency=true` on the source URL, each
job's pay ranges are read from `GET {url}/jobs/{id}?pay_transparency=true` (one request per job: only for boards
that publish them). One internal job can carry several job posts: `internal_job_id` groups them."""

from urllib.parse import parse_qs, urlsplit, urlunsplit

from jobpilot.ingest.adapters import board_name, text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "greenhouse"
LABEL = "Greenhouse job board"


def _metadata(job: dict) -> dict[str, str]:
    values = {}
    for entry in job.get("metadata") or []:
        if isinstance(entry, dict) and entry.get("name"):
            value = entry.get("value")
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            values[str(entry["name"]).lower()] = text(value)
    return values


def _pay(ranges) -> dict:
    for entry in ranges or []:
        if not isinstance(entry, dict):
            continue
        low, high = entry.get("min_cents"), entry.get("max_cents")
        if low is None and high is None:
            continue
        return {
            "salary_min": int(low) / 100 if low is not None else None,
            "salary_max": int(high) / 100 if high is not None else None,
            "salary_currency": text(entry.get("currency_type")),
            # Greenhouse has no period field; its range titles say it when it is not yearly.
            "salary_period": text(entry.get("title")),
        }
    return {}


def parse_job(job: dict, *, company: str) -> RawJob:
    metadata = _metadata(job)
    offices = [office for office in job.get("offices") or [] if isinstance(office, dict)]
    location = text((job.get("location") or {}).get("name")) if isinstance(job.get("location"), dict) else ""
    departments = [text(d.get("name")) for d in job.get("departments") or [] if isinstance(d, dict)]
    return RawJob(
        external_id=text(job.get("id")),
        group_id=text(job.get("internal_job_id")),
        title=text(job.get("title")),
        url=text(job.get("absolute_url")),
        company=text(job.get("company_name")) or company,
        department=next((d for d in departments if d), ""),
        location=location or next((text(o.get("location") or o.get("name")) for o in offices), ""),
        workplace=metadata.get("workplace type") or metadata.get("remote") or "",
        employment_type=metadata.get("employment type") or metadata.get("employment") or "",
        salary_text=metadata.get("salary")
        or metadata.get("salary range")
        or metadata.get("compensation")
        or "",
        description_html=text(job.get("content")),
        posted_at=job.get("first_published") or job.get("updated_at"),
        updated_at=job.get("updated_at"),
        **_pay(job.get("pay_input_ranges")),
    )


def fetch(source, http):
    parts = urlsplit(source.url)
    with_pay = parse_qs(parts.query).get("pay_transparency") == ["true"]
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    company = source.company_name
    if not company:
        board = http.get_json(base)
        company = text(board.get("name")) if isinstance(board, dict) else ""
        company = company or board_name(base)
    answer = http.get_json(f"{base}/jobs", {"content": "true"}, conditional=True)
    if not isinstance(answer, dict) or not isinstance(answer.get("jobs"), list):
        raise FetchFailed(f"{base}/jobs: no `jobs` list in the answer")
    for position, job in enumerate(answer["jobs"], start=1):
        if not isinstance(job, dict):
            yield Rejected(f"#{position}", "not a job object")
            continue
        if with_pay and job.get("id") is not None:
            try:
                detail = http.get_json(f"{base}/jobs/{job['id']}", {"pay_transparency": "true"})
            except FetchFailed:
                detail = None  # the job stays; only its pay is unknown (it may have closed since the list)
            if isinstance(detail, dict):
                job = {**job, "pay_input_ranges": detail.get("pay_input_ranges")}
        yield parse_job(job, company=company)
