"""The seeker's app on the public host: application tracker (list and board, quick status change, add, CSV), each
application's page (history, interviews, notes, withdraw), dashboard with charts, recent activity and what is coming
up, notifications and their settings, data export and account deletion. Views parse, call one service or selector,
render."""

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from billing import stripe_gateway
from billing.entitlements import plan_of, usage_summary
from billing.plans import Audience, Feature, Interval, Metric, plans_for
from billing.selectors import billing_account_for_user
from billing.services import checkout_session_start, portal_session_start
from jobpilot.accounts.services import user_account_delete, user_profile_update
from jobpilot.accounts.throttle import RateLimited, client_ip
from jobpilot.analytics import capture
from jobpilot.analytics import selectors as analytics_selectors
from jobpilot.analytics.models import Event
from jobpilot.core.errors import DomainError, NotFound
from jobpilot.marketplace.selectors import marketplace_job_get
from jobpilot.marketplace.services import dismissed_job_create
from jobpilot.matching.recommendations import recommendation_list
from jobpilot.notifications.selectors import notification_preferences
from jobpilot.notifications.services import notification_mark_read, notification_preferences_update
from jobpilot.portal.analytics_views import range_of as analytics_range_of
from jobpilot.portal.forms import (
    AccountDeleteForm,
    ApplicationNotesForm,
    ExternalApplicationForm,
    NotificationPreferencesForm,
    ResumeUploadForm,
    SeekerProfileForm,
    WithdrawForm,
)
from jobpilot.portal.job_views import METRIC_LABELS
from jobpilot.portal.selectors import notification_page, plan_gate_for
from jobpilot.seekers.selectors import resume_list, seeker_profile_get
from jobpilot.seekers.services import resume_delete, resume_set_default, resume_upload
from jobpilot.tracker import selectors as tracker_selectors
from jobpilot.tracker import services as tracker_services
from jobpilot.tracker.models import CLOSED_STATUSES, PublicStatus
from jobpilot.tracker.schemas import ExternalApplicationIn

MAX_CSV_BYTES = 2 * 1024 * 1024
RECENT_ACTIVITY_SHOWN = 10
RECOMMENDATIONS_SHOWN = 6


def seeker_page(view):
    """Signed-in pages of the seeker's app: never cached (they show the seeker's own data)."""
    return login_required(never_cache(view))


# --- tracker ------------------------------------------------------------------------------------------------------


def _tracker_context(request, *, board: bool, changed=None, problem: str = "") -> dict:
    applications = list(tracker_selectors.tracked_application_list(seeker=request.user))
    columns = [
        {"status": value, "label": label, "items": [a for a in applications if a.status == value]}
        for value, label in PublicStatus.choices
    ]
    showing_snapshot = tracker_selectors.tracked_applications_showing_job_snapshot(applications=applications)
    return {
        "applications": applications,
        "showing_snapshot": showing_snapshot,
        "columns": columns,
        "board": board,
        "statuses": PublicStatus.choices,
        "changed": changed,
        "problem": problem,
    }


@seeker_page
@require_GET
def tracker(request):
    board = request.GET.get("view") == "board"
    return render(request, "portal/seeker/tracker.html", _tracker_context(request, board=board))


@seeker_page
@require_POST
def tracker_status(request, application_id: uuid.UUID):
    """Quick status change of an external application. htmx gets the tracker body back (the card may move to
    another column); without JavaScript the form posts and the page reloads."""
    status = request.POST.get("status", "")
    board = request.POST.get("view") == "board"
    changed, problem, code = None, "", 200
    if status not in PublicStatus.values:
        problem, code = "Choose one of the listed statuses.", 422
    else:
        try:
            changed = tracker_services.tracked_application_set_status(
                seeker=request.user, application_id=application_id, status=status
            )
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except DomainError as exc:
            problem, code = exc.detail, exc.status
    if request.htmx:
        context = _tracker_context(request, board=board, changed=changed, problem=problem)
        return render(request, "portal/seeker/_tracker_body.html", context, status=code)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, f"{changed.title} is now {changed.get_status_display()}.")
    return redirect(f"{request.path.rsplit('/', 3)[0]}/{'?view=board' if board else ''}")


@seeker_page
@require_http_methods(["GET", "POST"])
def tracker_new(request):
    form = ExternalApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            fields = ExternalApplicationIn.model_validate(form.cleaned_data).model_fields_for_create()
            application = tracker_services.tracked_application_create_external(
                seeker=request.user, fields=fields
            )
        except ValidationError as error:
            for item in error.errors():
                field = str(item["loc"][0]) if item["loc"] else None
                form.add_error(
                    field if field in form.fields else None, item["msg"].removeprefix("Value error, ")
                )
        except DomainError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.detail)
        else:
            messages.success(request, f"Now tracking {application.title} at {application.company}.")
            return redirect("portal:tracker")
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/seeker/tracker_new.html", {"form": form}, status=status)


@seeker_page
@require_POST
def tracker_import(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a CSV file to import.")
    elif upload.size > MAX_CSV_BYTES:
        messages.error(request, "That file is too large (2 MB at most).")
    else:
        try:
            created, skipped = tracker_services.tracked_applications_import_csv(
                seeker=request.user, content=upload.read()
            )
        except DomainError as exc:
            details = "; ".join(
                f"row {item['row']}: {item.get('field') or 'row'} {item['message']}"
                for item in exc.extra.get("errors", [])[:5]
            )
            messages.error(request, f"{exc.detail} {details}".strip())
        else:
            messages.success(
                request,
                f"Imported {created} application{'s' if created != 1 else ''}"
                f"{f', skipped {skipped} already tracked' if skipped else ''}.",
            )
    return redirect("portal:tracker")


# --- one application ----------------------------------------------------------------------------------------------


def _own_application(request, application_id: uuid.UUID):
    """The signed-in seeker's application with its history and interviews; anyone else's is a 404."""
    try:
        return tracker_selectors.tracked_application_get(seeker=request.user, application_id=application_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _application_page(request, application, *, notes_form=None, status: int = 200):
    context = {
        "application": application,
        "history": application.events.all(),
        "interviews": application.interviews.all(),
        "show_snapshot": bool(
            tracker_selectors.tracked_applications_showing_job_snapshot(applications=[application])
        ),
        "notes_form": notes_form or ApplicationNotesForm(initial={"notes": application.notes}),
        "can_withdraw": application.status not in CLOSED_STATUSES,
    }
    return render(request, "portal/seeker/application.html", context, status=status)


@seeker_page
@require_GET
def tracker_application(request, application_id: uuid.UUID):
    return _application_page(request, _own_application(request, application_id))


def _notes_card(request, application, form, *, saved: bool = False, status: int = 200):
    context = {"application": application, "notes_form": form, "saved": saved}
    return render(request, "portal/seeker/_notes.html", context, status=status)


@seeker_page
@require_POST
def tracker_notes(request, application_id: uuid.UUID):
    """Save the seeker's notes (also on applications made through JobPilot: they are the seeker's own). htmx gets
    the notes card back; without JavaScript the page reloads."""
    application = _own_application(request, application_id)
    form = ApplicationNotesForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            application = tracker_services.tracked_application_update(
                seeker=request.user,
                application_id=application.pk,
                changes={"notes": form.cleaned_data["notes"]},
            )
        except NotFound as exc:
            raise Http404(exc.detail) from exc
        except DomainError as exc:
            form.add_error("notes", exc.detail)
            status = exc.status
        else:
            if request.htmx:
                return _notes_card(
                    request,
                    application,
                    ApplicationNotesForm(initial={"notes": application.notes}),
                    saved=True,
                )
            messages.success(request, "Notes saved.")
            return redirect("portal:tracker-application", application.pk)
    if request.htmx:
        return _notes_card(request, application, form, status=status)
    return _application_page(request, application, notes_form=form, status=status)


@seeker_page
@require_http_methods(["GET", "POST"])
def tracker_withdraw(request, application_id: uuid.UUID):
    """Ask first, then withdraw through the tracker's service (which withdraws the employer's copy of a JobPilot
    application in the same transaction, so the employer sees it)."""
    application = _own_application(request, application_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                tracker_services.tracked_application_withdraw(
                    seeker=request.user, application_id=application.pk
                )
            except NotFound as exc:
                raise Http404(exc.detail) from exc
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(request, f"You withdrew your application for {application.title}.")
                return redirect("portal:tracker-application", application.pk)
    context = {"application": application, "form": form, "closed": application.status in CLOSED_STATUSES}
    return render(request, "portal/seeker/application_withdraw.html", context, status=status)


# --- dashboard ----------------------------------------------------------------------------------------------------


@seeker_page
@require_GET
def dashboard(request):
    # "Your numbers": the seeker's own behaviour and outcomes over a range (default 30 days; 422 when bad).
    range_form, dates = analytics_range_of(request)
    behavior = analytics_selectors.user_behavior(seeker=request.user, dates=dates) if dates else None
    stats = tracker_selectors.dashboard_stats(seeker=request.user)
    funnel = stats["funnel"]
    chart = {
        "funnel": {
            "labels": ["Applied", "Interviewing", "Offer"],
            "values": [funnel["applied"], funnel["interviewing"], funnel["offer"]],
        },
        "weeks": {
            "labels": [row["week_start"].strftime("%d %b") for row in stats["applications_per_week"]],
            "values": [row["count"] for row in stats["applications_per_week"]],
        },
    }
    statuses = [{"label": label, "count": stats["by_status"][value]} for value, label in PublicStatus.choices]
    gate = plan_gate_for(
        request,
        account=billing_account_for_user(request.user, Audience.SEEKER),
        feature=Feature.AI_RECOMMENDATIONS,
    )
    recommendations = (
        recommendation_list(seeker=request.user, limit=RECOMMENDATIONS_SHOWN) if gate.open else []
    )
    capture.record_impressions(
        jobs=[item.job for item in recommendations], source=Event.Source.RECOMMENDATION, request=request
    )
    context = {
        "recommendations_gate": gate,
        "recommendations": recommendations,
        "stats": stats,
        "chart": chart,
        "statuses": statuses,
        "upcoming": tracker_selectors.upcoming(seeker=request.user),
        "upcoming_days": tracker_selectors.DEFAULT_UPCOMING_DAYS,
        "activity": list(tracker_selectors.recent_activity(seeker=request.user)[:RECENT_ACTIVITY_SHOWN]),
        "range_form": range_form,
        "behavior": behavior,
    }
    return render(request, "portal/seeker/dashboard.html", context, status=200 if dates else 422)


@seeker_page
@require_POST
def recommendation_dismiss(request, job_id: str):
    """ "Not interested" on a recommended job (the same service as the API); back to the dashboard."""
    try:
        job = marketplace_job_get(public_id=job_id)
    except (NotFound, DomainError) as exc:
        raise Http404(str(exc)) from exc
    dismissed_job_create(user=request.user, job=job)
    messages.success(request, f"We will not recommend {job.title} at {job.company_name} again.")
    return redirect("portal:dashboard")


# --- notifications ------------------------------------------------------------------------------------------------


@seeker_page
@require_GET
def notifications(request):
    feed = notification_page(user=request.user, tenant=request.tenant)
    return render(request, "portal/seeker/notifications.html", {"notifications": feed})


@seeker_page
@require_POST
def notifications_mark_read(request):
    notification_mark_read(actor=request.user, all=True)
    if request.htmx:
        return render(request, "portal/seeker/_bell.html", {"unread": 0})
    messages.success(request, "All notifications marked as read.")
    return redirect("portal:notifications")


@seeker_page
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Channels per notification type; only the types changed here stop following their default."""
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=notification_preferences(user=request.user),
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            changes = form.changes()
            try:
                if changes:
                    notification_preferences_update(actor=request.user, changes=changes)
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(request, "Notification settings saved.")
                return redirect("portal:notification-settings")
    return render(request, "portal/seeker/notification_settings.html", {"form": form}, status=status)


# --- billing ------------------------------------------------------------------------------------------------------

BILLING_PATH = "/account/billing/"


@seeker_page
@require_GET
def billing(request):
    """The seeker's plan, usage against its limits, and the way to upgrade (Checkout) or manage (Portal)."""
    account = billing_account_for_user(request.user, Audience.SEEKER)
    plan = plan_of(account)
    usage = [
        {**row, "label": METRIC_LABELS[Metric(row["metric"])], "percent": percent(row["used"], row["limit"])}
        for row in usage_summary(account)
    ]
    upgrades = [
        {"plan": other, "monthly": other.prices.get(Interval.MONTH, 0) / 100}
        for other in plans_for(Audience.SEEKER)
        if other.rank > plan.rank
    ]
    return render(
        request,
        "portal/seeker/billing.html",
        {
            "account": account,
            "plan": plan,
            "usage": usage,
            "upgrades": upgrades,
            "online": stripe_gateway.is_configured(),
            "checkout": request.GET.get("checkout", ""),
        },
    )


@seeker_page
@require_POST
def billing_checkout(request):
    plan_code = request.POST.get("plan", "")
    interval = request.POST.get("interval", Interval.MONTH)
    if interval not in Interval.__members__.values():
        messages.error(request, "Choose monthly or yearly billing.")
        return redirect(BILLING_PATH)
    try:
        session = checkout_session_start(
            actor=request.user,
            account=billing_account_for_user(request.user, Audience.SEEKER),
            plan_code=plan_code,
            interval=Interval(interval),
            origin=request.build_absolute_uri("/").rstrip("/"),
            return_path=BILLING_PATH,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(BILLING_PATH)
    return redirect(session.url)


@seeker_page
@require_POST
def billing_portal(request):
    try:
        url = portal_session_start(
            actor=request.user,
            account=billing_account_for_user(request.user, Audience.SEEKER),
            origin=request.build_absolute_uri("/").rstrip("/"),
            return_path=BILLING_PATH,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(BILLING_PATH)
    return redirect(url)


def percent(used: int, limit) -> int:
    if limit is None:
        return 0
    if limit == 0:
        return 100
    return min(100, round(100 * used / limit))


# --- profile and resumes ------------------------------------------------------------------------------------------

PROFILE_FIELDS = ("headline", "location", "phone", "experience_years", "bio")


@seeker_page
@require_http_methods(["GET", "POST"])
def profile(request):
    current = seeker_profile_get(seeker=request.user)
    status = 200
    if request.method == "POST":
        form = SeekerProfileForm(request.POST)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            account_changes = {"time_zone": changes.pop("time_zone")}
            user_profile_update(
                user=request.user, account_changes=account_changes, seeker_changes=changes, skills=None
            )
            messages.success(request, "Profile saved.")
            return redirect("portal:profile")
        status = 422
    else:
        form = SeekerProfileForm(
            initial={
                **{name: getattr(current, name) for name in PROFILE_FIELDS},
                "time_zone": request.user.time_zone,
            }
        )
    context = {"form": form, "upload": ResumeUploadForm(), "resumes": resume_list(seeker=request.user)}
    return render(request, "portal/seeker/profile.html", context, status=status)


@seeker_page
@require_POST
def resume_add(request):
    form = ResumeUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            resume = resume_upload(
                seeker=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except DomainError as exc:
            form.add_error("file", exc.detail)
        else:
            messages.success(request, f"Uploaded “{resume.title}”.")
            return redirect("portal:profile")
    current = seeker_profile_get(seeker=request.user)
    context = {
        "form": SeekerProfileForm(initial={name: getattr(current, name) for name in PROFILE_FIELDS}),
        "upload": form,
        "resumes": resume_list(seeker=request.user),
    }
    return render(request, "portal/seeker/profile.html", context, status=422)


@seeker_page
@require_POST
def resume_change(request, resume_id: uuid.UUID):
    """Make a resume the default (`action=default`) or delete it (`action=delete`)."""
    action = request.POST.get("action")
    try:
        if action == "default":
            resume_set_default(seeker=request.user, resume_id=resume_id)
            messages.success(request, "Default resume changed.")
        elif action == "delete":
            resume_delete(seeker=request.user, resume_id=resume_id)
            messages.success(request, "Resume deleted.")
        else:
            messages.error(request, "Choose what to do with the resume.")
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    return redirect("portal:profile")


# --- your data: export and account deletion --------------------------------------------------------------------


def _privacy_page(request, form, *, status: int = 200):
    return render(request, "portal/seeker/privacy.html", {"form": form}, status=status)


@seeker_page
@require_GET
def account_privacy(request):
    return _privacy_page(request, AccountDeleteForm())


@seeker_page
@require_POST
def account_delete(request):
    """Delete the account through the same service as the API (password checked and throttled like a login),
    then sign out."""
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return _privacy_page(request, form, status=422)
    try:
        user_account_delete(
            user=request.user, password=form.cleaned_data["password"], client_ip=client_ip(request)
        )
    except DomainError as exc:
        field = "password" if exc.code == "wrong_password" else None
        form.add_error(field, exc.detail)
        if exc.extra.get("tenants"):
            form.add_error(None, "You own: " + ", ".join(exc.extra["tenants"]) + ".")
        response = _privacy_page(request, form, status=exc.status)
        if isinstance(exc, RateLimited):
            for header, value in exc.headers().items():
                response[header] = value
        return response
    logout(request)
    messages.success(request, "Your account and everything in it were deleted.")
    return redirect("portal:landing")
