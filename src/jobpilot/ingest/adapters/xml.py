"""The common XML job feed (Indeed's format, also used by many job boards and ATS exports):
`<source><publisher/>...<job><title/><date/><referencenumber/><url/><company/><city/><state/><country/>
<postalcode/><description/><salary/><jobtype/><category/><experience/><remotetype/></job>...</source>`, values
mostly in CDATA. Read as a stream: a feed of 100,000 jobs never sits in memory."""

from jobpilot.ingest.adapters._xml import child_text, iter_elements
from jobpilot.ingest.records import RawJob

KIND = "xml"
LABEL = "XML job feed (Indeed format)"


def parse_job(job, *, company: str) -> RawJob:
    remote = child_text(job, "remotetype").lower()
    return RawJob(
        external_id=child_text(job, "referencenumber") or child_text(job, "url"),
        title=child_text(job, "title"),
        url=child_text(job, "url"),
        company=child_text(job, "company") or company,
        department=child_text(job, "category"),
        location=", ".join(
            p for p in (child_text(job, "city"), child_text(job, "state"), child_text(job, "country")) if p
        ),
        city=child_text(job, "city"),
        region=child_text(job, "state"),
        country=child_text(job, "country"),
        workplace="remote"
        if "remote" in remote and "hybrid" not in remote
        else "hybrid"
        if "hybrid" in remote
        else "",
        employment_type=child_text(job, "jobtype"),
        salary_text=child_text(job, "salary"),
        description_html=child_text(job, "description"),
        posted_at=child_text(job, "date"),
    )


def fetch(source, http):
    with http.get_file(source.url, conditional=True) as feed:
        for job in iter_elements(feed, "job", url=source.url):
            yield parse_job(job, company=source.company_name)
