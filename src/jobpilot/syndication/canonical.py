"""The canonical posting: one dict per listed job, made from the marketplace index row (itself written in the
posting's transaction), from which the job page's JSON-LD, both XML feeds, the sitemap and the Google for Jobs
check are all generated. A field is computed here once; no form re-derives it from the row.

Origins are passed in, so the same record serves a request (the host and port the browser used) and a service
(the tenant's primary domain, `tenants.selectors.tenant_site_origin`)."""

from collections.abc import Callable

from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.marketplace.selectors import job_detail
from tenants.models import Tenant
from tenants.selectors import branding_for


def job_path(job_id, slug: str) -> str:
    return f"/jobs/{job_id}/{slug or 'job'}/"


class CanonicalPostings:
    """Makes canonical postings for one page or feed, remembering each employer's origin and logo (a feed of
    thousands of jobs costs one branding read per employer, not per job).

    `page_origin`: `scheme://host[:port]` that serves the job pages (the request's host); `company_origin(tenant)`:
    the employer's careers site."""

    def __init__(self, *, page_origin: str, company_origin: Callable[[Tenant], str]):
        self.page_origin = page_origin.rstrip("/")
        self.company_origin = company_origin
        self._employers: dict[int, tuple[str, str]] = {}

    def _employer(self, job: MarketplaceJob) -> tuple[str, str]:
        """(careers site URL, absolute logo URL) of the job's employer."""
        if job.tenant_id not in self._employers:
            branding = branding_for(tenant=job.tenant)
            logo = branding.logo.url if branding.logo else job.company_logo_url
            if logo.startswith("/"):
                logo = f"{self.page_origin}{logo}"
            self._employers[job.tenant_id] = (f"{self.company_origin(job.tenant)}/", logo)
        return self._employers[job.tenant_id]

    def of(self, job: MarketplaceJob) -> dict:
        posting = job_detail(job)
        if job.tenant_id:
            # An employer's job is canonical on its careers site, wherever it is shown (the marketplace too).
            company_url, logo_url = self._employer(job)
            url = f"{self.company_origin(job.tenant)}{job_path(job.public_id, job.slug)}"
        else:  # an imported job: its marketplace page, and its own site
            url = f"{self.page_origin}{job_path(job.public_id, job.slug)}"
            company_url, logo_url = job.apply_url or url, job.company_logo_url
        # The listing's expiry is already the earlier of the posting's expiry and the end of its deadline day in
        # the employer's time zone (`JobPosting.closes_at`): the exact moment applications close.
        valid_through = posting["expires_at"]
        posting.update(
            url=url,
            # Where to apply: here, unless the employer takes applications on its own site (`apply_url`).
            apply_at=posting["apply_url"] or url,
            direct_apply=not posting["apply_url"],
            company_url=company_url,
            logo_url=logo_url,
            valid_through=valid_through,
            description_full="".join(
                part
                for part in (
                    posting["description_html"],
                    posting["requirements_html"],
                    posting["benefits_html"],
                )
                if part
            )
            or posting["summary"]
            or posting["title"],
            # For remote jobs, where applicants may live; no list means anywhere in the job's country.
            remote_countries=(
                posting["applicant_countries"] or [c for c in [posting["location"]["country"]] if c]
            )
            if posting["remote"] == "remote"
            else [],
        )
        return posting


def for_request(request) -> CanonicalPostings:
    from jobpilot.portal.links import tenant_url

    origin = request.build_absolute_uri("/").rstrip("/")
    return CanonicalPostings(
        page_origin=origin, company_origin=lambda tenant: tenant_url(request, tenant, "")
    )


def for_tenant(tenant: Tenant) -> CanonicalPostings:
    """Outside a request: every address on the employer's primary domain."""
    from tenants.selectors import tenant_site_origin

    return CanonicalPostings(page_origin=tenant_site_origin(tenant), company_origin=tenant_site_origin)
