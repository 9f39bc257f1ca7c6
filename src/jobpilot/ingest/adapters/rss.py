"""RSS 2.0 and Atom job feeds, read with feedparser (which copes with the broken ones real feeds are). Job feeds
differ in where they put the company and place: `<author>`/`dc:creator`, a "Company: Title" title, or custom
`location` / `region` / `job_type` elements, all of which are looked at; the source's company name wins."""

import feedparser

from jobpilot.ingest.adapters import text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "rss"
LABEL = "RSS or Atom feed"


def parse_entry(entry, *, company: str) -> RawJob:
    title = text(entry.get("title"))
    author = text(entry.get("author"))
    if not company and ": " in title:
        # "Acme: Senior Engineer", as several remote-job boards write it.
        company, title = title.split(": ", 1)
    content = entry.get("content") or []
    body = text(content[0].get("value")) if content and isinstance(content[0], dict) else ""
    return RawJob(
        external_id=text(entry.get("id")) or text(entry.get("link")),
        title=title,
        url=text(entry.get("link")),
        company=company or author,
        location=text(entry.get("location")) or text(entry.get("region")) or text(entry.get("job_location")),
        employment_type=text(entry.get("job_type")) or text(entry.get("type")),
        salary_text=text(entry.get("salary")),
        description_html=body or text(entry.get("summary")),
        posted_at=_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        tags=[text(tag.get("term")) for tag in entry.get("tags") or [] if text(tag.get("term"))],
    )


def _date(parsed):
    import calendar

    return calendar.timegm(parsed) if parsed else None


def fetch(source, http):
    feed = feedparser.parse(http.get_bytes(source.url, conditional=True))
    if feed.bozo and not feed.entries:
        raise FetchFailed(f"{source.url}: not a readable RSS or Atom feed ({feed.get('bozo_exception')})")
    for position, entry in enumerate(feed.entries, start=1):
        if not entry.get("link") and not entry.get("id"):
            yield Rejected(f"#{position}", "no link or id")
            continue
        yield parse_entry(entry, company=source.company_name)
    if feed.bozo:
        # Entries up to the damage were read; the rest may be lost, so this is not a complete fetch.
        raise FetchFailed(f"{source.url}: the feed is damaged after {len(feed.entries)} entries")
