"""The employer console's jobs, team and billing pages (tenant hosts, members only; see `console_page`).

Roles follow the employer API: viewers read, recruiters write drafts, admins and owners publish, close, archive
and delete postings, manage the team and the plan. Views parse a form, call one service, and answer the page again
with the problem (422, or 402 when the plan's limit is reached) rather than an error page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing import stripe_gateway
from billing.entitlements import limit_for, plan_of, usage_summary, used_for
from billing.errors import LimitReached
from billing.plans import Audience, Interval, Metric, plans_for
from billing.selectors import billing_account_for_tenant
from billing.services import checkout_session_start, portal_session_start
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.jobs import services as jobs
from jobpilot.jobs.html import sanitize_html
from jobpilot.jobs.models import JobPosting
from jobpilot.jobs.selectors import company_profile_get, job_posting_get, job_posting_list
from jobpilot.notifications.services import notification_mark_read
from jobpilot.portal.console_forms import CompanyProfileForm, InviteForm, JobPostingForm, RoleForm
from jobpilot.portal.job_views import METRIC_LABELS
from jobpilot.portal.links import tenant_url
from jobpilot.portal.seeker_views import percent
from jobpilot.portal.selectors import notification_page, plan_gate_for
from jobpilot.portal.views import _add_domain_error, console_page
from jobpilot.syndication import canonical
from jobpilot.syndication.health import google_jobs_check_for_posting
from tenants.models import Membership
from tenants.selectors import invitation_list, member_list
from tenants.services import invitation_revoke, invitation_send, membership_change_role, membership_remove

Role = Membership.Role
Status = JobPosting.Status
STATUS_TABS = [Status.DRAFT, Status.PUBLISHED, Status.CLOSED, Status.ARCHIVED]
BILLING_PATH = "/console/billing/"


def _posting(job_id: str) -> JobPosting:
    # Postings live in the request's tenant schema: another employer's job id is simply not found here.
    try:
        return job_posting_get(public_id=job_id)
    except NotFound as exc:
        raise Http404 from exc


def _require_role(request, role: Role) -> None:
    if not request.membership.has_role(role):
        raise DjangoPermissionDenied(f"This needs the {role.label.lower()} role.")


# --- jobs ---------------------------------------------------------------------------------------------------------


@console_page()
@require_GET
def jobs_list(request):
    status = request.GET.get("status", Status.PUBLISHED)
    if status not in STATUS_TABS:
        status = Status.PUBLISHED
    counts = dict.fromkeys(STATUS_TABS, 0) | dict(
        JobPosting.objects.order_by().values_list("status").annotate(Count("id"))
    )
    return render(
        request,
        "portal/console/jobs/list.html",
        {
            "console_section": "jobs",
            "tabs": [{"value": value, "label": value.label, "count": counts[value]} for value in STATUS_TABS],
            "status": status,
            "postings": job_posting_list(status=status),
            "can_edit": request.membership.has_role(Role.RECRUITER),
            "postings_usage": _usage_row(billing_account_for_tenant(request.tenant), Metric.ACTIVE_POSTINGS),
        },
    )


@console_page(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def job_new(request):
    form = JobPostingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        data = form.posting_data()
        if data is not None:
            try:
                posting = jobs.job_posting_create(actor=request.user, data=data)
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, "Draft saved. Publish it when it is ready.")
                return redirect("portal:console-job", job_id=posting.public_id)
    return _job_form_page(request, form, posting=None)


@console_page()
@require_http_methods(["GET", "POST"])
def job_edit(request, job_id: str):
    posting = _posting(job_id)
    if request.method == "POST":
        _require_role(request, Role.RECRUITER)
        form = JobPostingForm(request.POST, posting=posting)
        data = form.posting_data()
        if data is not None:
            if data["expires_at"] is None and posting.status == Status.PUBLISHED:
                del data["expires_at"]  # an emptied "Listed until" keeps the listing's current end
            if posting.is_synced:
                for name in JobPosting.ATS_OWNED_FIELDS:  # the board's, shown read-only
                    data.pop(name, None)
            try:
                # The form carries every field of the posting, so the whole posting is sent.
                jobs.job_posting_update(actor=request.user, posting=posting, changes=data)
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, "Changes saved.")
                return redirect("portal:console-job", job_id=posting.public_id)
    else:
        form = JobPostingForm(posting=posting, initial=JobPostingForm.initial_for(posting))
    return _job_form_page(request, form, posting=posting)


def _job_form_page(request, form, *, posting, limit: LimitReached | None = None, status: int | None = None):
    if status is None:
        status = 422 if form.is_bound and form.errors else 200
    values = form.data if form.is_bound else form.initial
    return render(
        request,
        "portal/console/jobs/edit.html",
        {
            "console_section": "jobs",
            "form": form,
            "posting": posting,
            "preview": _preview(values),
            "can_edit": request.membership.has_role(Role.RECRUITER),
            "can_publish": request.membership.has_role(Role.ADMIN),
            "limit": limit,
            # Publishing at the limit: the page says so (and which plan has more) before the button is pressed.
            "postings_gate": plan_gate_for(
                request, account=billing_account_for_tenant(request.tenant), metric=Metric.ACTIVE_POSTINGS
            )
            if posting is not None and posting.status in (Status.DRAFT, Status.CLOSED)
            else None,
            "public_url": (
                tenant_url(
                    request,
                    request.tenant,
                    reverse("portal:job-detail", args=[posting.public_id, posting.slug]),
                )
                if posting is not None and posting.status == Status.PUBLISHED
                else ""
            ),
        },
        status=status,
    )


@console_page(Role.RECRUITER)
@require_POST
def job_preview(request):
    """htmx: how the posting being typed will read on the careers site (nothing is saved)."""
    return render(request, "portal/console/jobs/_preview.html", {"preview": _preview(request.POST)})


def _preview(values) -> dict:
    def text(name: str, limit: int = 5000) -> str:
        return str(values.get(name) or "").strip()[:limit]

    return {
        "title": text("title", 200) or "Job title",
        "department": text("department", 100),
        "job_type": dict(JobPostingForm.base_fields["job_type"].choices).get(text("job_type"), ""),
        "remote": dict(JobPostingForm.base_fields["remote"].choices).get(text("remote"), ""),
        "location": ", ".join(part for part in (text("city", 100), text("country", 2).upper()) if part),
        "salary_min": text("salary_min", 12),
        "salary_max": text("salary_max", 12),
        "salary_currency": text("salary_currency", 3).upper(),
        "salary_period": text("salary_period", 8),
        # Sanitized like the saved posting, so the preview shows what the careers site will.
        "description": sanitize_html(text("description")),
        "requirements": sanitize_html(text("requirements")),
        "benefits": sanitize_html(text("benefits")),
    }


ACTIONS = {
    "publish": (Role.ADMIN, jobs.job_posting_publish, "Published. The job is on your careers site now."),
    "close": (Role.ADMIN, jobs.job_posting_close, "Closed. The job no longer takes applications."),
    "archive": (Role.ADMIN, jobs.job_posting_archive, "Archived."),
    "duplicate": (Role.RECRUITER, jobs.job_posting_duplicate, "Copied into a new draft."),
    "delete": (Role.ADMIN, jobs.job_posting_delete, "Deleted."),
}


def _warn_about_google_jobs(request, posting: JobPosting) -> None:
    """Every publish is checked as Google for Jobs reads the job; what it lacks is said at once (Google's
    eligibility is not a publish rule: a remote job open anywhere is a real job)."""
    check = google_jobs_check_for_posting(
        tenant=request.tenant, public_id=posting.public_id, postings=canonical.for_request(request)
    )
    if check is None:
        return
    if check.missing_required:
        messages.warning(
            request,
            f"Google for Jobs will not show this job: it lacks {', '.join(check.missing_required)}.",
        )
    elif check.missing_recommended:
        messages.info(request, f"Google for Jobs recommends adding: {', '.join(check.missing_recommended)}.")


@console_page()
@require_POST
def job_action(request, job_id: str, action: str):
    if action not in ACTIONS:
        raise Http404
    role, service, done = ACTIONS[action]
    _require_role(request, role)
    posting = _posting(job_id)
    try:
        result = service(actor=request.user, posting=posting)
    except LimitReached as exc:
        # The plan's active-postings limit (402): say so on the job's page, with the way to upgrade.
        posting.refresh_from_db()
        form = JobPostingForm(posting=posting, initial=JobPostingForm.initial_for(posting))
        return _job_form_page(request, form, posting=posting, limit=exc, status=402)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("portal:console-job", job_id=posting.public_id)
    messages.success(request, done)
    if action == "publish":
        _warn_about_google_jobs(request, posting)
    if action == "delete":
        return redirect("portal:console-jobs")
    target = result if isinstance(result, JobPosting) else posting
    return redirect("portal:console-job", job_id=target.public_id)


@console_page()
@require_http_methods(["GET", "POST"])
def company_profile(request):
    profile = company_profile_get()
    if request.method == "POST":
        _require_role(request, Role.ADMIN)
        form = CompanyProfileForm(request.POST)
        data = form.profile_data()
        if data is not None:
            try:
                jobs.company_profile_update(actor=request.user, data=data)
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, "Company profile saved.")
                return redirect("portal:console-company")
    else:
        form = CompanyProfileForm(
            initial={name: getattr(profile, name) for name in CompanyProfileForm.base_fields}
        )
    return render(
        request,
        "portal/console/jobs/company.html",
        {"console_section": "company", "form": form, "can_edit": request.membership.has_role(Role.ADMIN)},
        status=422 if form.is_bound and form.errors else 200,
    )


# --- team ---------------------------------------------------------------------------------------------------------


@console_page()
@require_http_methods(["GET", "POST"])
def team(request):
    """The staff with their roles and open invitations; admins invite by email (a seat is taken when the person
    accepts) and change or remove members."""
    form = InviteForm(request.POST if request.method == "POST" else None)
    status, refused = 200, None
    if request.method == "POST":
        _require_role(request, Role.ADMIN)
        if form.is_valid():
            try:
                invitation_send(
                    actor=request.user,
                    tenant=request.tenant,
                    email=form.cleaned_data["email"],
                    role=Role(form.cleaned_data["role"]),
                )
            except LimitReached as exc:
                status, refused = exc.status, exc
            except DomainError as exc:
                _add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    f"Invitation sent to {form.cleaned_data['email']}. They join (and take a seat) when they "
                    "accept; the link works for 7 days.",
                )
                return redirect("portal:console-team")
        if form.errors and status == 200:
            status = 422
    account = billing_account_for_tenant(request.tenant)
    return render(
        request,
        "portal/console/team/list.html",
        {
            "console_section": "team",
            "form": form,
            "members": member_list(tenant=request.tenant),
            "invitations": [i for i in invitation_list(tenant=request.tenant) if i.status == "pending"]
            if request.membership.has_role(Role.ADMIN)
            else [],
            "roles": RoleForm.base_fields["role"].choices,
            "seats": _usage_row(account, Metric.SEATS),
            # Every seat taken: the invite form is closed and says which plan has more, before anyone types.
            "seats_gate": plan_gate_for(request, account=account, metric=Metric.SEATS),
            "seats_refused": refused,
            "can_manage": request.membership.has_role(Role.ADMIN),
        },
        status=status,
    )


@console_page(Role.ADMIN)
@require_POST
def team_member(request, membership_id: int):
    """Change a member's role (`role` given) or take them off the team (`remove`)."""
    try:
        if "remove" in request.POST:
            membership_remove(actor=request.user, tenant=request.tenant, membership_id=membership_id)
            messages.success(request, "Removed from the team; their seat is free again.")
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose one of the roles.")
                return redirect("portal:console-team")
            membership_change_role(
                actor=request.user,
                tenant=request.tenant,
                membership_id=membership_id,
                role=Role(form.cleaned_data["role"]),
            )
            messages.success(request, "Role changed.")
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("portal:console-team")


@console_page(Role.ADMIN)
@require_POST
def team_invitation_revoke(request, invitation_id: int):
    try:
        invitation_revoke(actor=request.user, tenant=request.tenant, invitation_id=invitation_id)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, "Invitation revoked; its link no longer works.")
    return redirect("portal:console-team")


# --- billing ------------------------------------------------------------------------------------------------------


def _usage_row(account, metric: Metric) -> dict:
    used, limit = used_for(account, metric), limit_for(account, metric)
    return {"label": METRIC_LABELS[metric], "used": used, "limit": limit, "percent": percent(used, limit)}


@console_page()
@require_GET
def billing(request):
    account = billing_account_for_tenant(request.tenant)
    plan = plan_of(account)
    usage = [
        {**row, "label": METRIC_LABELS[Metric(row["metric"])], "percent": percent(row["used"], row["limit"])}
        for row in usage_summary(account)
    ]
    return render(
        request,
        "portal/console/billing/page.html",
        {
            "console_section": "billing",
            "account": account,
            "plan": plan,
            "usage": usage,
            "upgrades": [
                {"plan": other, "monthly": other.prices.get(Interval.MONTH, 0) / 100}
                for other in plans_for(Audience.EMPLOYER)
                if other.rank > plan.rank
            ],
            "online": stripe_gateway.is_configured(),
            "can_manage": request.membership.has_role(Role.ADMIN),
            "checkout": request.GET.get("checkout", ""),
        },
    )


@console_page(Role.ADMIN)
@require_POST
def billing_checkout(request):
    interval = request.POST.get("interval", Interval.MONTH)
    if interval not in Interval.__members__.values():
        messages.error(request, "Choose monthly or yearly billing.")
        return redirect(BILLING_PATH)
    try:
        session = checkout_session_start(
            actor=request.user,
            account=billing_account_for_tenant(request.tenant),
            plan_code=request.POST.get("plan", ""),
            interval=Interval(interval),
            origin=request.build_absolute_uri("/").rstrip("/"),
            return_path=BILLING_PATH,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(BILLING_PATH)
    return redirect(session.url)


@console_page(Role.ADMIN)
@require_POST
def billing_portal(request):
    try:
        url = portal_session_start(
            actor=request.user,
            account=billing_account_for_tenant(request.tenant),
            origin=request.build_absolute_uri("/").rstrip("/"),
            return_path=BILLING_PATH,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(BILLING_PATH)
    return redirect(url)


# --- Notifications ----------------------------------------------------------------------------------------------------


@console_page()
@require_GET
def notifications(request):
    """The bell's page on the employer's host (sessions do not cross hosts, so the public site's would ask the
    staff member to sign in again)."""
    feed = notification_page(user=request.user, tenant=request.tenant)
    return render(request, "portal/console/notifications/list.html", {"notifications": feed})


@console_page()
@require_POST
def notifications_mark_read(request):
    notification_mark_read(actor=request.user, all=True)
    messages.success(request, "All notifications marked as read.")
    return redirect("portal:console-notifications")
