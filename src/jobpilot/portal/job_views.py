"""Job pages: the careers portal on an employer's host (list, job, feed, sitemap, robots) and the marketplace on
the public host (search with facets, job, saving jobs and searches), plus the pricing page.

Every read goes through `marketplace.selectors` with `tenant=request.tenant`, so an employer's host only ever
shows that employer's jobs and the public host shows all of them.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import feedgenerator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from billing.entitlements import PlanGate
from billing.errors import LimitReached
from billing.plans import Audience, Metric, plans_for
from billing.selectors import billing_account_for_user
from jobpilot.analytics import capture
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.jobs.models import JobType, RemoteOption
from jobpilot.jobs.selectors import job_posting_get, parse_public_id
from jobpilot.jobs.services import job_posting_count_view_later
from jobpilot.marketplace import selectors as market
from jobpilot.marketplace import services as market_services
from jobpilot.marketplace.models import SavedSearch
from jobpilot.marketplace.schemas import JobSearchParams, SearchFilterParams
from jobpilot.portal.context_processors import site_of
from jobpilot.portal.links import public_url
from jobpilot.portal.selectors import match_context, plan_gate_for, saved_job_ids
from jobpilot.search.language import LANGUAGE_NAMES
from jobpilot.syndication import canonical
from jobpilot.syndication.jsonld import as_script, job_posting_jsonld
from jobpilot.tracker.selectors import tracked_application_for_job

PAGE_SIZE = 20
FEED_SIZE = 50
SITEMAP_SIZE = 1000
LIST_PARAMS = ("job_type", "remote", "company", "lang")
# The marketplace's extra filters: amounts are compared per year, so a currency keeps them comparable.
SEARCH_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "INR", "SEK", "PLN")
POSTED_WITHIN_OPTIONS = ((1, "Last 24 hours"), (7, "Last 7 days"), (30, "Last 30 days"))
SORT_OPTIONS = (("relevance", "Best match"), ("newest", "Newest"), ("salary", "Highest pay"))


# --- search (both hosts) ------------------------------------------------------------------------------------------


def _search_params(request) -> tuple[JobSearchParams, dict[str, str]]:
    """The search form's values, validated by the API's own schema. Bad values are reported, never a 500: the
    search then runs without them."""
    raw = {
        name: request.GET.get(name, "").strip()
        for name in ("q", "location", "salary_min", "currency", "skills", "sort", "page", "posted_within")
    }
    raw = {name: value for name, value in raw.items() if value}
    raw.update({name: request.GET.getlist(name) for name in LIST_PARAMS})
    try:
        return JobSearchParams.model_validate({**raw, "limit": PAGE_SIZE}), {}
    except ValidationError as error:
        errors = {str(item["loc"][0]): item["msg"].removeprefix("Value error, ") for item in error.errors()}
        kept = {name: value for name, value in raw.items() if name not in errors}
        return JobSearchParams.model_validate({**kept, "limit": PAGE_SIZE}), errors


def _search_context(request) -> dict:
    params, errors = _search_params(request)
    found = market.marketplace_search(
        tenant=request.tenant,
        q=params.q,
        filters=params.filters(),
        sort=params.sort,
        page=params.page,
        limit=PAGE_SIZE,
        facets=request.tenant.is_public,
    )
    capture.record_impressions(jobs=found["results"], source=capture.source_of(request), request=request)
    query = {name: value for name, value in request.GET.lists() if name != "page"}
    page = found["pagination"]
    return {
        "params": params,
        "errors": errors,
        "found": found,
        "saved_ids": saved_job_ids(user=request.user, public_ids=[job["id"] for job in found["results"]]),
        "job_types": JobType.choices,
        "remote_options": RemoteOption.choices,
        "currencies": SEARCH_CURRENCIES,
        **_link_facets(request, params, errors, found["facets"]),
        "sort_options": SORT_OPTIONS,
        "query_string": urlencode(query, doseq=True),
        "previous_page": page["page"] - 1 if page["page"] > 1 else None,
        "next_page": page["page"] + 1 if page["page"] < page["pages"] else None,
        "frequencies": SavedSearch.Frequency.choices,
        "saved_search_gate": _saved_search_gate(request) if request.tenant.is_public else None,
        **match_context(request, public_ids=[job["id"] for job in found["results"]]),
    }


def _link_facets(request, params: JobSearchParams, errors: dict, facets: dict | None) -> dict:
    """Pay, age and language facets with the exact count each choice leaves. Pay and age are one value each, so
    they are links that set it in the URL (the active one links to its removal); languages are checkboxes like
    job types. A link keeps the other filters of the URL, except a page and values that were refused."""
    facets = facets or {}
    query = {key: values for key, values in request.GET.lists() if key != "page" and key not in errors}
    bands = facets.get("salary_bands", [])
    pay = []
    for number, band in enumerate(bands):
        # `salary_min` asks for a yearly upper end of at least the amount: this band and every one above it.
        label = "Pay shown" if not band["min"] else f"{band['min']:,} or more"
        count = sum(item["count"] for item in bands[number:])
        pay.append(_link_option(query, "salary_min", band["min"], label, count, params.salary_min))
    counts = {item["days"]: item["count"] for item in facets.get("posted_within", [])}
    posted = [
        _link_option(query, "posted_within", days, label, counts.get(days, 0), params.posted_within)
        for days, label in POSTED_WITHIN_OPTIONS
    ]
    languages = {item["value"]: item["count"] for item in facets.get("languages", [])}
    return {
        "link_facets": [
            ("Pay a year", [option for option in pay if option["count"] or option["active"]]),
            ("Posted", [option for option in posted if option["count"] or option["active"]]),
        ],
        "language_facets": [
            {"value": code, "label": LANGUAGE_NAMES[code], "count": languages.get(code, 0)}
            for code in sorted(languages.keys() | set(params.lang), key=lambda code: -languages.get(code, 0))
        ],
    }


def _link_option(query: dict, name: str, value: int, label: str, count: int, current) -> dict:
    query = {key: values for key, values in query.items() if key != name}
    return {
        "label": label,
        "count": count,
        "active": current == value,
        "url": "?" + urlencode({**query, name: [value]}, doseq=True),
        "remove_url": "?" + urlencode(query, doseq=True),
    }


def _saved_search_gate(request) -> PlanGate | None:
    """Whether the seeker's plan has room for one more saved search (None for visitors)."""
    if not request.user.is_authenticated:
        return None
    return plan_gate_for(
        request, account=billing_account_for_user(request.user, Audience.SEEKER), metric=Metric.SAVED_SEARCHES
    )


FREQUENCY_PROBLEM = "Choose how often to alert you: instant, daily, weekly or off."


def _render_search(request, template: str, context: dict):
    # htmx asks for the results only (filters changed); a full load gets the whole page.
    # htmx 4 names the target as `tag#id`.
    if request.htmx and (request.htmx.target or "").endswith("#results"):
        template = "portal/jobs/_results.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request, HX-Target"
    return response


@require_GET
def careers_home(request):
    """The careers site's home: the employer's hero and its open positions, searchable."""
    return _render_search(request, "portal/careers/home.html", _search_context(request))


@require_GET
def marketplace_search(request):
    return _render_search(request, "portal/jobs/search.html", _search_context(request))


# --- one job (both hosts) -----------------------------------------------------------------------------------------


@require_GET
def job_detail(request, job_id, slug: str = ""):
    try:
        job = market.marketplace_job_get(public_id=job_id, tenant=request.tenant)
    except NotFound as exc:
        return _job_gone_or_missing(request, job_id, exc)
    if job.tenant_id:
        job_posting_count_view_later(tenant=job.tenant, posting_id=job.posting_id)
    capture.record_view(request, job)
    posting = canonical.for_request(request).of(job)
    # An employer's job has one canonical page, on its careers site: the marketplace copy points there
    # (canonical link) and leaves the JobPosting data to it, so search engines list each job once.
    is_copy = bool(job.tenant_id) and request.tenant.is_public
    template = "portal/jobs/detail_public.html" if request.tenant.is_public else "portal/careers/detail.html"
    return render(
        request,
        template,
        {
            "job": posting,
            "url": posting["url"],
            "company_url": posting["company_url"],
            "logo_url": posting["logo_url"],
            "jsonld": None if is_copy else as_script(job_posting_jsonld(posting)),
            "saved": bool(saved_job_ids(user=request.user, public_ids=[job.public_id])),
            "applied": tracked_application_for_job(seeker=request.user, job_public_id=job.public_id),
            **match_context(request, public_ids=[job.public_id]),
            "tracker_url": public_url(
                request, reverse("portal:tracker", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
            ),
        },
    )


def _job_gone_or_missing(request, job_id, exc: NotFound):
    """On an employer's host, a posting that exists but is no longer listed is gone for good (410), with its
    other open jobs; anything else is not found."""
    if request.tenant.is_public:
        raise Http404(exc.detail) from exc
    try:
        posting = job_posting_get(public_id=job_id)
    except NotFound:
        raise Http404(exc.detail) from exc
    others = market.marketplace_search(
        tenant=request.tenant,
        q="",
        filters=SearchFilterParams().filters(),
        sort="newest",
        page=1,
        limit=5,
        facets=False,
    )
    return render(
        request, "portal/careers/gone.html", {"title": posting.title, "others": others["results"]}, status=410
    )


# --- saving jobs (public host) ------------------------------------------------------------------------------------


@require_POST
def job_save(request, job_id):
    """Save or unsave (`action=unsave`) a job. htmx gets the button back; a plain form goes back to the page."""
    if not request.user.is_authenticated:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = (
                f"{reverse('account_login')}?{urlencode({'next': request.htmx.current_url_abs_path or '/jobs/'})}"
            )
            return response
        return redirect(f"{reverse('account_login')}?next={reverse('portal:marketplace')}")
    problem = None
    if request.POST.get("action") == "unsave":
        market_services.saved_job_delete(user=request.user, public_id=parse_public_id(job_id))
        saved = False
    else:
        try:
            job = market.marketplace_job_get(public_id=job_id, tenant=request.tenant)
            market_services.saved_job_create(user=request.user, job=job)
            capture.record("save", job=job, source=capture.source_of(request), request=request)
            saved = True
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except DomainError as exc:
            saved, problem = False, exc
    context = {"job_id": job_id, "saved": saved, "problem": problem}
    if request.htmx:
        return render(request, "portal/jobs/_save_button.html", context, status=200)
    if problem:
        messages.error(request, problem.detail)
    return redirect(request.POST.get("next") or reverse("portal:saved-jobs"))


@login_required
@require_GET
def saved_jobs(request):
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        page = 1
    listing = market.saved_job_list(user=request.user, tenant=request.tenant, page=page, limit=PAGE_SIZE)
    saved_ids = {item["id"] for item in listing["results"]}
    return render(request, "portal/jobs/saved_jobs.html", {"listing": listing, "saved_ids": saved_ids})


# --- saved searches (public host) ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def saved_searches(request):
    """The seeker's saved searches; POST saves the search the search page shows (one with no results too: that
    is when an alert matters most). At the plan's limit the page says so, with the upgrade, before a save; a save
    sent anyway is refused (402) with the same notice."""
    status, refused = 200, None
    if request.method == "POST":
        params, errors = _search_params(_QueryFrom(request))
        name = request.POST.get("name", "").strip()[:100] or params.q or "All jobs"
        frequency = request.POST.get("frequency", SavedSearch.Frequency.DAILY)
        if frequency not in SavedSearch.Frequency.values:
            errors["frequency"] = FREQUENCY_PROBLEM
        if not errors:
            try:
                market_services.saved_search_create(
                    user=request.user,
                    tenant=None,
                    name=name,
                    q=params.q,
                    filters=SearchFilterParams.model_validate(params.model_dump()).model_dump(
                        mode="json", exclude_defaults=True
                    ),
                    frequency=frequency,
                )
            except LimitReached as exc:
                refused = exc
            except DomainError as exc:
                errors["__all__"] = exc.detail
            else:
                if frequency == SavedSearch.Frequency.OFF:
                    messages.success(request, f"Saved “{name}”, with alerts off.")
                else:
                    messages.success(request, f"Saved “{name}”. We will tell you about new matches.")
                return redirect("portal:saved-searches")
        for message in errors.values():
            messages.error(request, message)
        status = refused.status if refused else 422
    searches = [
        {
            "search": saved,
            "url": f"{reverse('portal:marketplace')}?{_search_query(saved)}",
            "summary": _search_summary(saved),
        }
        for saved in market.saved_search_list(user=request.user)
    ]
    return render(
        request,
        "portal/jobs/saved_searches.html",
        {
            "searches": searches,
            "frequencies": SavedSearch.Frequency.choices,
            "saved_search_gate": _saved_search_gate(request),
            "refused": refused,
        },
        status=status,
    )


class _QueryFrom:
    """The POSTed search form, read like a GET request by `_search_params`."""

    def __init__(self, request):
        self.GET = request.POST


@login_required
@require_POST
def saved_search_update(request, saved_search_id: int):
    try:
        saved = market.saved_search_get(user=request.user, saved_search_id=saved_search_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    if request.POST.get("action") == "delete":
        market_services.saved_search_delete(saved_search=saved)
        if request.htmx:
            return HttpResponse("")
        messages.success(request, "Saved search deleted.")
        return redirect("portal:saved-searches")
    frequency = request.POST.get("frequency", "")
    status, problem = 200, None
    if frequency in SavedSearch.Frequency.values:
        market_services.saved_search_update(saved_search=saved, changes={"frequency": frequency})
    else:
        status, problem = 422, FREQUENCY_PROBLEM
    if request.htmx:
        return render(
            request,
            "portal/jobs/_frequency_status.html",
            {"saved": saved, "problem": problem},
            status=status,
        )
    if problem:
        messages.error(request, problem)
    return redirect("portal:saved-searches")


def _search_summary(saved: SavedSearch) -> str:
    parts = [f"“{saved.q}”" if saved.q else "All jobs"]
    for name, value in saved.filters.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{name.replace('_', ' ').capitalize()}: {shown}")
    if saved.tenant_id:
        parts.append(f"on {saved.tenant.name}'s site")
    return " · ".join(parts)


def _search_query(saved: SavedSearch) -> str:
    query = {"q": saved.q} if saved.q else {}
    query.update(saved.filters)
    return urlencode(query, doseq=True)


# --- careers host: feeds for machines -----------------------------------------------------------------------------


def _open_jobs(request, limit: int) -> list[dict]:
    return market.marketplace_search(
        tenant=request.tenant,
        q="",
        filters=SearchFilterParams().filters(),
        sort="newest",
        page=1,
        limit=limit,
        facets=False,
    )["results"]


@require_GET
def jobs_feed(request):
    """Atom feed of the employer's open jobs, newest first."""
    name = site_of(request).name
    feed = feedgenerator.Atom1Feed(
        title=f"Jobs at {name}",
        link=request.build_absolute_uri("/"),
        description=f"Open positions at {name}",
        feed_url=request.build_absolute_uri(),
        language="en",
    )
    for job in _open_jobs(request, FEED_SIZE):
        link = request.build_absolute_uri(
            reverse("portal:job-detail", kwargs={"job_id": job["id"], "slug": job["slug"] or "job"})
        )
        feed.add_item(
            title=job["title"],
            link=link,
            description=job["summary"],
            unique_id=f"urn:uuid:{job['id']}",
            pubdate=job["published_at"],
            updateddate=job["published_at"],
            categories=[label for label in (job["department"], job["job_type"]) if label],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_GET
def sitemap(request):
    """The careers site and its listed jobs, at the canonical postings' addresses (the public host lists its own
    pages; every job there is on its employer's sitemap)."""
    urls = [{"loc": request.build_absolute_uri("/"), "lastmod": None}]
    if request.tenant.is_public:
        urls += [{"loc": public_url(request, path), "lastmod": None} for path in ("/jobs/", "/pricing/")]
    else:
        postings = canonical.for_request(request)
        jobs = market.marketplace_jobs_listed(tenant=request.tenant)[:SITEMAP_SIZE]
        urls += [
            {"loc": posting["url"], "lastmod": posting["published_at"]} for posting in map(postings.of, jobs)
        ]
    return render(request, "portal/sitemap.xml", {"urls": urls}, content_type="application/xml")


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /console/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- pricing (public host) ----------------------------------------------------------------------------------------

METRIC_LABELS = {
    Metric.APPLICATIONS_PER_MONTH: "applications a month",
    Metric.SAVED_JOBS: "saved jobs",
    Metric.SAVED_SEARCHES: "saved searches with alerts",
    Metric.ACTIVE_POSTINGS: "active job postings",
    Metric.SEATS: "team seats",
    Metric.API_REQUESTS_PER_DAY: "API requests a day",
    Metric.API_REQUESTS_PER_MINUTE: "API requests a minute",
}
FEATURE_LABELS = {
    "ai_recommendations": "AI job recommendations",
    "priority_in_employer_views": "Shown first to employers",
    "custom_branding": "Your logo, colours and font",
    "custom_domain": "Your own domain",
    "remove_powered_by": "Remove “Powered by JobPilot”",
    "api_access": "API access",
    "analytics": "Hiring analytics",
    "webhooks": "Webhooks for every pipeline event",
    "email_ingestion": "Tracker updates from your recruiting email",
    "ats_sync": "Jobs synced from your Greenhouse, Lever or Ashby board",
    "sso": "Single sign-on (OIDC or SAML) for your staff",
    "ai_screening": "Sort applicants by match (never filters anyone)",
}
AUDIENCES = (
    (Audience.SEEKER, "Job seekers", "Search every employer's jobs and track every application."),
    (Audience.EMPLOYER, "Employers", "A careers site in your brand and a pipeline for your team."),
    (Audience.API, "API customers", "The job marketplace as data, with limits you can plan on."),
)


@require_GET
def pricing(request):
    """Generated from the plan catalogue (`billing.plans`), so the page can never disagree with billing."""
    audiences = []
    for audience, title, blurb in AUDIENCES:
        plans = []
        for plan in plans_for(audience):
            limits = []
            for metric, limit in plan.limits.items():
                amount = "Unlimited" if limit is None else f"{limit:,}"
                limits.append(f"{amount} {METRIC_LABELS[metric]}")
            plans.append(
                {
                    "plan": plan,
                    "monthly": plan.prices.get("month", 0) / 100,
                    "yearly": plan.prices.get("year", 0) / 100,
                    "limits": limits,
                    "features": sorted(FEATURE_LABELS[feature] for feature in plan.features),
                    "overage": [
                        f"${over.unit_amount_cents / 100:.2f} per {over.package_size:,} extra "
                        f"{METRIC_LABELS[metric].replace(' a day', '')}"
                        for metric, over in plan.overage.items()
                    ],
                    "highlight": plan.rank == 1,
                }
            )
        audiences.append({"key": audience.value, "title": title, "blurb": blurb, "plans": plans})
    return render(request, "portal/public/pricing.html", {"audiences": audiences})
