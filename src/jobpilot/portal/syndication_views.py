"""Syndication: the Indeed-style and LinkedIn-style XML feeds (both hosts: an employer's host lists its own jobs,
the public host every JobPilot employer's), and the console's Google for Jobs health panel. Everything is made
from canonical postings (`jobpilot.syndication`), the same records as the job pages' JSON-LD and the sitemap."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobpilot.marketplace.selectors import marketplace_jobs_listed
from jobpilot.portal.context_processors import site_of
from jobpilot.portal.views import console_page
from jobpilot.syndication import canonical, feeds
from jobpilot.syndication.health import google_jobs_health

XML = "application/xml; charset=utf-8"


def _feed_context(request):
    jobs = marketplace_jobs_listed(tenant=request.tenant)
    postings = canonical.for_request(request)
    publisher = "JobPilot" if request.tenant.is_public else site_of(request).name
    return jobs, (postings.of(job) for job in jobs.iterator(chunk_size=500)), publisher


@require_GET
def indeed_feed(request):
    """Every listed job, complete (no paging). Built in memory: an employer lists hundreds at most; the
    marketplace's size is bounded by its employers' active-posting limits."""
    _, postings, publisher = _feed_context(request)
    body = "".join(
        feeds.indeed_feed(postings, publisher=publisher, publisher_url=request.build_absolute_uri("/"))
    )
    return HttpResponse(body, content_type=XML)


@require_GET
def linkedin_feed(request):
    jobs, postings, publisher = _feed_context(request)
    body = "".join(
        feeds.linkedin_feed(
            postings,
            publisher=publisher,
            publisher_url=request.build_absolute_uri("/"),
            expected_count=jobs.count(),
        )
    )
    return HttpResponse(body, content_type=XML)


@console_page()
@require_GET
def google_jobs(request):
    health = google_jobs_health(tenant=request.tenant, postings=canonical.for_request(request))
    return render(
        request, "portal/console/google_jobs.html", {"console_section": "google-jobs", "health": health}
    )
