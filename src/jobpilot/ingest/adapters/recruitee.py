"""Recruitee careers site API: `https://{company}.recruitee.com/api/offers/`. One answer, `offers`, each with
`description` and `requirements` (HTML), `remote` / `hybrid` / `on_site` booleans, `employment_type_code`,
`careers_url` and `careers_apply_url`, dates as "2026-11-02 09:15:00 UTC" and, where published, `salary`."""

from jobpilot.ingest.adapters import text
from jobpilot.ingest.records import FetchFailed, RawJob, Rejected

KIND = "recruitee"
LABEL = "Recruitee careers site"


def parse_offer(offer: dict, *, company: str) -> RawJob:
    salary = offer.get("salary") if isinstance(offer.get("salary"), dict) else {}
    workplace = "remote" if offer.get("remote") else "hybrid" if offer.get("hybrid") else ""
    if not workplace and offer.get("on_site"):
        workplace = "onsite"
    requirements = text(offer.get("requirements"))
    return RawJob(
        external_id=text(offer.get("id")),
        title=text(offer.get("title")),
        url=text(offer.get("careers_url")),
        apply_url=text(offer.get("careers_apply_url")),
        company=text(offer.get("company_name")) or company,
        department=text(offer.get("department")),
        location=text(offer.get("location")),
        city=text(offer.get("city")),
        region=text(offer.get("state_name")),
        country=text(offer.get("country_code")) or text(offer.get("country")),
        workplace=workplace,
        employment_type=text(offer.get("employment_type_code")),
        salary_min=_number(salary.get("min")),
        salary_max=_number(salary.get("max")),
        salary_currency=text(salary.get("currency")),
        salary_period=text(salary.get("period")),
        description_html=text(offer.get("description"))
        + (f"<h3>Requirements</h3>{requirements}" if requirements else ""),
        posted_at=offer.get("published_at") or offer.get("created_at"),
        tags=[text(tag) for tag in offer.get("tags") or [] if text(tag)],
    )


def _number(value):
    # Recruitee sends salary amounts as strings ("55000.0") or numbers.
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def fetch(source, http):
    answer = http.get_json(source.url, conditional=True)
    if not isinstance(answer, dict) or not isinstance(answer.get("offers"), list):
        raise FetchFailed(f"{source.url}: no `offers` list in the answer")
    for position, offer in enumerate(answer["offers"], start=1):
        if not isinstance(offer, dict):
            yield Rejected(f"#{position}", "not an offer object")
            continue
        if offer.get("status") not in (None, "published"):
            continue
        yield parse_offer(offer, company=source.company_name)
